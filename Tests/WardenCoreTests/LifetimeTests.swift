import Testing
import WardenCore

/// Durations as SPEC §1 writes them: `90s`, `15m`, `8h`, `30d`.
@Suite struct LifetimeTests {
    struct Parse: Sendable, CustomTestStringConvertible {
        var text: String
        var seconds: Int64
        var testDescription: String { "\(text) → \(seconds)s" }
    }

    static let parseCases: [Parse] = [
        Parse(text: "90s", seconds: 90),
        Parse(text: "15m", seconds: 900),
        Parse(text: "8h", seconds: 28_800),
        Parse(text: "30d", seconds: 2_592_000),
        Parse(text: "1s", seconds: 1),
        Parse(text: "72h", seconds: 259_200),
        // The longest lifetime accepted: a thousand years of 365 days.
        Parse(text: "365000d", seconds: 31_536_000_000),
    ]

    @Test(arguments: parseCases)
    func parses(_ testCase: Parse) {
        #expect(Lifetime.parse(testCase.text) == testCase.seconds)
    }

    static let refused: [String] = [
        "0s", "0d", "-5m", "5x", "5", "m", "", "5M", "1.5h", " 5m", "5m ", "5 m", "1h30m",
        "365001d", "99999999999d", "9223372036854775807s", "10000000000000000000d",
    ]

    @Test(arguments: refused)
    func refuses(_ text: String) {
        #expect(Lifetime.parse(text) == nil)
    }

    struct Format: Sendable, CustomTestStringConvertible {
        var seconds: Int64
        var text: String
        var testDescription: String { "\(seconds)s → \(text)" }
    }

    static let formatCases: [Format] = [
        Format(seconds: 90, text: "90s"),
        Format(seconds: 900, text: "15m"),
        Format(seconds: 28_800, text: "8h"),
        Format(seconds: 2_592_000, text: "30d"),
        Format(seconds: 61, text: "61s"),
        Format(seconds: 3_660, text: "61m"),
        Format(seconds: 90_000, text: "25h"),
        Format(seconds: 86_400, text: "1d"),
    ]

    @Test(arguments: formatCases)
    func formatsInTheLargestUnitThatDivides(_ testCase: Format) {
        #expect(Lifetime.format(testCase.seconds) == testCase.text)
    }

    @Test(arguments: formatCases)
    func formattedLifetimesParseBack(_ testCase: Format) {
        #expect(Lifetime.parse(Lifetime.format(testCase.seconds)) == testCase.seconds)
    }
}

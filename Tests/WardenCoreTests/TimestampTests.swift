import Testing
import WardenCore

/// Times as RFC 3339 (SPEC §1): parsed with `Z` or an offset and an optional
/// fraction, written as UTC with whole seconds.
@Suite struct TimestampTests {
    /// 2026-11-25T10:00:00Z (`date -u -d 2026-11-25T10:00:00Z +%s`).
    static let reference: Int64 = 1_795_600_800_000

    struct Parse: Sendable, CustomTestStringConvertible {
        var text: String
        var milliseconds: Int64
        var testDescription: String { text }
    }

    static let parseCases: [Parse] = [
        Parse(text: "2026-11-25T10:00:00Z", milliseconds: reference),
        Parse(text: "2026-11-25t10:00:00z", milliseconds: reference),
        Parse(text: "2026-11-25T11:00:00+01:00", milliseconds: reference),
        Parse(text: "2026-11-25T05:30:00-04:30", milliseconds: reference),
        Parse(text: "2026-11-25T10:00:00+00:00", milliseconds: reference),
        Parse(text: "2026-11-25T10:00:00.5Z", milliseconds: reference + 500),
        Parse(text: "2026-11-25T10:00:00.123Z", milliseconds: reference + 123),
        Parse(text: "2026-11-25T10:00:00.123456789Z", milliseconds: reference + 123),
        Parse(text: "2026-11-25T11:00:00.250+01:00", milliseconds: reference + 250),
        Parse(text: "1970-01-01T00:00:00Z", milliseconds: 0),
        Parse(text: "2024-02-29T00:00:00Z", milliseconds: 1_709_164_800_000),
        // The local date is 1 March; in UTC it is still 28 February. Both are real dates.
        Parse(text: "2026-03-01T00:30:00+01:00", milliseconds: 1_772_321_400_000),
        Parse(text: "9999-12-31T23:59:59Z", milliseconds: 253_402_300_799_000),
    ]

    @Test(arguments: parseCases)
    func parses(_ testCase: Parse) throws {
        let parsed = try #require(Timestamp(rfc3339: testCase.text))
        #expect(parsed.milliseconds == testCase.milliseconds)
    }

    static let refused: [String] = [
        "2026-02-30T00:00:00Z", "2025-02-29T00:00:00Z", "2026-04-31T00:00:00Z",
        "2026-13-01T00:00:00Z", "2026-00-10T00:00:00Z", "2026-11-00T00:00:00Z",
        "2026-11-25T24:00:00Z", "2026-11-25T10:60:00Z", "2026-11-25T10:00:61Z",
        "2026-11-25 10:00:00Z", "2026-11-25T10:00:00", "2026-11-25T10:00:00.Z",
        "2026-11-25T10:00:00+0100", "2026-11-25T10:00:00+01", "2026-11-25T10:00:00+24:00",
        "2026-11-25T10:00:00+01:00x", "2026-11-25T10:00:00ZZ", "2026-11-25T10:00Z",
        "2026-11-25", "26-11-25T10:00:00Z", "2026/11/25T10:00:00Z", "+2026-11-25T10:00:00Z",
        "２０２６-11-25T10:00:00Z", "garbage", "",
    ]

    @Test(arguments: refused)
    func refuses(_ text: String) {
        #expect(Timestamp(rfc3339: text) == nil)
    }

    /// Found by fuzz-csv: `warden import` accepted such an `until` and sent the server
    /// `until=10000-01-01T23:58:59Z`, which it refused half way through the import.
    @Test(arguments: ["9999-12-31T23:59:59-23:59", "9999-12-31T23:00:00-01:00", "0000-01-01T00:00:00+00:01"])
    func refusesATimeWhoseUTCYearHasNoFourDigits(_ text: String) {
        #expect(Timestamp(rfc3339: text) == nil)
    }

    @Test(arguments: ["9999-12-31T23:59:59Z", "9999-12-31T22:59:59-01:00", "0000-01-01T00:00:00Z", "0000-01-01T01:00:00+01:00"])
    func writesEveryTimeItReadsSoThatItReadsItBack(_ text: String) throws {
        let time = try #require(Timestamp(rfc3339: text))
        #expect(Timestamp(rfc3339: time.rfc3339) == time)
    }

    @Test func formatsUTCWithWholeSeconds() {
        #expect(Timestamp(milliseconds: TimestampTests.reference).rfc3339 == "2026-11-25T10:00:00Z")
        #expect(Timestamp(milliseconds: TimestampTests.reference + 999).rfc3339 == "2026-11-25T10:00:00Z")
        #expect(Timestamp(milliseconds: 0).rfc3339 == "1970-01-01T00:00:00Z")
        #expect(Timestamp(seconds: 1_709_164_800).description == "2024-02-29T00:00:00Z")
    }

    @Test func formatsAnInstantBeforeTheEpochByRoundingDown() {
        #expect(Timestamp(milliseconds: -1).seconds == -1)
        #expect(Timestamp(milliseconds: -1).rfc3339 == "1969-12-31T23:59:59Z")
    }

    static let roundTrips: [Int64] = [0, 1_709_164_800, 1_795_600_800, 1_772_321_400, 4_102_444_799, 253_402_300_799]

    @Test(arguments: roundTrips)
    func formattingThenParsingGivesTheSameInstant(_ seconds: Int64) throws {
        let time = Timestamp(seconds: seconds)
        #expect(Timestamp(rfc3339: time.rfc3339) == time)
    }

    @Test func formattingDropsMillisecondsThatParsingThenCannotRecover() throws {
        let time = Timestamp(milliseconds: TimestampTests.reference + 750)
        let back = try #require(Timestamp(rfc3339: time.rfc3339))
        #expect(back.milliseconds == TimestampTests.reference)
    }

    @Test func addsSecondsAndOrders() {
        let time = Timestamp(milliseconds: 1_500)
        #expect(time.adding(seconds: 2).milliseconds == 3_500)
        #expect(time < time.adding(seconds: 1))
        #expect(!(time < time))
    }
}

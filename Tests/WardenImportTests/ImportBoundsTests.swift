import Testing
import WardenCore
import WardenImport

/// Bounds on what `warden import` holds from a file (review #11): a record longer
/// than 64 KiB is a bad row naming its line, and none of its bytes are kept; a
/// field is quoted back in a reason at most 64 characters long, control characters
/// escaped; an email over the server's 320 bytes is refused as such.
@Suite struct ImportBoundsTests {
    static let now = Timestamp(seconds: 1_767_225_600)  // 2026-01-01T00:00:00Z
    static let header = "username,name,email,roles\n"

    @Test func aRecordOfExactlyTheLimitIsRead() {
        let line = "a," + String(repeating: "x", count: CSVReader.maximumRecordBytes - 3) + "\n" // LF included
        let (records, problems) = CSVReader.read(Array(line.utf8))
        #expect(problems.isEmpty)
        #expect(records.first?.fields.last?.utf8.count == CSVReader.maximumRecordBytes - 3)
    }

    @Test func aRecordOverTheLimitIsAProblemOnItsLineAndTheNextRecordsAreStillRead() {
        let long = "a," + String(repeating: "x", count: CSVReader.maximumRecordBytes) + "\n"
        let (records, problems) = CSVReader.read(Array(("first\n" + long + "last\n").utf8))
        #expect(problems == [CSVReader.Problem(line: 2, reason: "the record starting on this line is longer than 65536 bytes")])
        #expect(records == [.init(line: 1, fields: ["first"]), .init(line: 3, fields: ["last"])])
    }

    @Test func aQuoteLeftOpenOverManyLinesIsNamedByTheLineItOpensOn() {
        let rows = (1...10_000).map { "user\($0),Name,u@example.com,staff" }.joined(separator: "\n")
        // The stray quote on line 2 is closed by another on line 10,002: one record.
        let text = "username,name,email,roles\nkim,\"Kim,kim@example.com,staff\n" + rows + "\nzed,\"Zed\n"
        let (records, problems) = CSVReader.read(Array(text.utf8))
        #expect(problems.count == 1, "\(problems)")
        #expect(problems.first?.line == 2, "\(problems)")
        #expect(problems.first?.reason.hasPrefix("the record starting on this line is longer than 65536 bytes (it runs on to line ") == true,
                "\(problems)")
        #expect(records.map(\.line) == [1])
    }

    @Test func aQuoteNeverClosedIsStillReportedAsSuch() {
        let rows = (1...10_000).map { "user\($0),Name,u@example.com,staff" }.joined(separator: "\n")
        let (_, problems) = CSVReader.read(Array(("username,name,email,roles\nkim,\"Kim,kim@example.com,staff\n" + rows + "\n").utf8))
        #expect(problems == [CSVReader.Problem(line: 2, reason: "a quoted field is never closed")])
    }

    @Test func aLongBadCellIsQuotedShortAndWithoutControlCharacters() throws {
        let role = "\u{1B}[31m" + String(repeating: "r", count: 5_000)
        let (_, problems) = try ImportFile.read(Array((Self.header + "kim,Kim,kim@example.com,\"\(role) x\"\n").utf8), now: Self.now)
        let reason = try #require(problems.first?.reason)
        #expect(reason.count < 120, "\(reason)")
        #expect(reason.hasPrefix("role \"\\u{1b}[31mrrrr"), "\(reason)")
        #expect(reason.contains("…\" is not a valid name"), "\(reason)")
        #expect(!reason.unicodeScalars.contains { $0.value < 0x20 })
    }

    @Test func anEmailLongerThanTheServersLimitIsRefusedAsTooLong() throws {
        let email = String(repeating: "a", count: 400) + "@example.com"
        let (rows, problems) = try ImportFile.read(Array((Self.header + "kim,Kim,\(email),staff\n").utf8), now: Self.now)
        #expect(rows.isEmpty)
        #expect(problems == [CSVReader.Problem(line: 2, reason: "the email is longer than 320 bytes")])
    }
}

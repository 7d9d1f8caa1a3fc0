import Testing
import WardenCore
import WardenImport

/// An import file checked before the server is asked anything (SPEC §5).
@Suite struct ImportFileTests {
    static let now = Timestamp(seconds: 1_767_225_600)  // 2026-01-01T00:00:00Z

    static func read(_ text: String) throws(ImportFile.Unreadable) -> (rows: [ImportRow], problems: [CSVReader.Problem]) {
        try ImportFile.read(Array(text.utf8), now: now)
    }

    @Test func readsColumnsInAnyOrderTrimmedAndFolded() throws {
        let (rows, problems) = try ImportFileTests.read(
            "Roles , EMAIL,name,Username,entitlements,until\n staff ; Sales;staff ,kim@example.com , Kim Lee ,KIM, CRM:Read ;crm:read,2031-02-03T04:05:06Z\n")
        #expect(problems.isEmpty)
        let row = try #require(rows.first)
        #expect(row.line == 2)
        #expect(row.username == "kim")
        #expect(row.name == "Kim Lee")
        #expect(row.email == "kim@example.com")
        #expect(row.roles == ["staff", "sales"])
        #expect(row.entitlements == ["crm:read"])
        #expect(row.until == Timestamp(rfc3339: "2031-02-03T04:05:06Z"))
    }

    struct Bad: Sendable, CustomTestStringConvertible {
        var row: String
        var reason: String
        var testDescription: String { row }
    }

    static let badRows: [Bad] = [
        Bad(row: ",Kim,kim@example.com,staff,,", reason: "the username is empty"),
        Bad(row: "Bad Name,Bad,bad@example.com,staff,,", reason: "username \"Bad Name\" is not 1-128 characters of a-z 0-9 . _ @ - starting with a letter or digit"),
        Bad(row: "token,Reserved,token@example.com,staff,,", reason: "the username token is reserved"),
        Bad(row: "kim,\"Con\u{1}trol\",kim@example.com,staff,,", reason: "the name contains a control character"),
        Bad(row: "kim,Kim,not-an-address,staff,,", reason: "email \"not-an-address\" is not an address such as name@example.com"),
        // Found by fuzz-csv: the second `@` was missed, being one Character with the mark after it.
        Bad(row: "kim,Kim,a@b@\u{301}c,staff,,", reason: "email \"a@b@\u{301}c\" is not an address such as name@example.com"),
        Bad(row: "kim,Kim,kim@example.com,staff;no way,,", reason: "role \"no way\" is not a valid name"),
        Bad(row: "kim,Kim,kim@example.com,staff,crm:read:write,", reason: "entitlement \"crm:read:write\" is not system:permission"),
        Bad(row: "kim,Kim,kim@example.com,staff,,next tuesday", reason: "until \"next tuesday\" is not an RFC 3339 time such as 2026-11-25T10:00:00Z"),
        Bad(row: "kim,Kim,kim@example.com,staff,,2025-12-31T23:59:59Z", reason: "until 2025-12-31T23:59:59Z is in the past"),
        Bad(row: "kim,Kim", reason: "has 2 field(s) but the header has 6"),
    ]

    @Test(arguments: badRows)
    func refusesABadRowNamingItsLine(_ testCase: Bad) throws {
        let (rows, problems) = try ImportFileTests.read("username,name,email,roles,entitlements,until\nok,OK,ok@example.com,staff,,\n" + testCase.row + "\n")
        #expect(rows.map(\.username) == ["ok"])
        #expect(problems == [CSVReader.Problem(line: 3, reason: testCase.reason)])
    }

    @Test func refusesAUsernameSeenOnAnEarlierLine() throws {
        let (rows, problems) = try ImportFileTests.read("username,name,email,roles\nkim,Kim,,staff\n\nKim,Again,,staff\n")
        #expect(rows.map(\.line) == [2])
        #expect(problems == [CSVReader.Problem(line: 4, reason: "username kim appears again (first on line 2)")])
    }

    @Test func keepsTheReadersProblemsWithTheRows() throws {
        let (rows, problems) = try ImportFileTests.read("username,name,email,roles\nkim,K\"im,,staff\nlee,Lee,,staff\n")
        #expect(rows.map(\.username) == ["lee"])
        #expect(problems.map(\.line) == [2])
    }

    @Test(arguments: [
        ("username,email\nkim,kim@example.com\n", "missing column(s) name,roles; the header must name username,name,email,roles[,entitlements][,until]"),
        ("username,name,email,roles,name\n", "column name appears twice"),
        ("username,name,email,roles,phone\n", "unknown column \"phone\"; the columns are username,name,email,roles[,entitlements][,until]"),
        ("\"username,name\n", "a quoted field is never closed"),
    ])
    func refusesABadHeaderOnLine1(_ text: String, _ reason: String) {
        #expect(throws: ImportFile.Unreadable.header(CSVReader.Problem(line: 1, reason: reason))) {
            try ImportFileTests.read(text)
        }
    }

    @Test(arguments: ["", "\n\nusername,name,email,roles\n"])
    func refusesAFileWithoutARecordOnLine1(_ text: String) {
        #expect(throws: ImportFile.Unreadable.noHeader) { try ImportFileTests.read(text) }
    }
}

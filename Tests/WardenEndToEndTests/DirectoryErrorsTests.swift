import Foundation
import Testing

/// SPEC §2, §2.2, §2.3: requests an admin gets wrong are refused with the error code
/// the SPEC names, and change nothing.
@Suite struct DirectoryErrorsTests {
    /// Requests refused with one code, after an optional setup.
    struct Refusals: Sendable, CustomTestStringConvertible {
        var code: String
        var setup: [String] = []
        var lines: [String]
        var testDescription: String { "ERR \(code)" }
    }

    static let refusals: [Refusals] = [
        Refusals(code: "EXISTS", lines: [
            "USER ADD alice",
            "USER ADD Alice name=\"Another Alice\"",
            "SYSTEM ADD payroll",
            "SYSTEM ADD warden",
            "ROLE ADD sales",
            "ROLE ADD warden-admin",
        ]),
        Refusals(code: "NOT-FOUND", lines: [
            "GRANT alice no-such-role",
            "GRANT alice no-such-system read",
            "GRANT alice payroll delete",
            "GRANT mallory sales",
            "GRANT mallory wiki read",
            "REVOKE alice finance",
            "REVOKE alice payroll read",
            "REVOKE mallory sales",
            "ROLE GRANT sales no-such-system read",
            "ROLE GRANT sales payroll delete",
            "ROLE GRANT no-such-role wiki read",
            "ROLE REVOKE sales crm delete",
            "ROLE INCLUDE sales no-such-role",
            "ROLE INCLUDE no-such-role sales",
            "ROLE EXCLUDE sales finance",
            "ROLE SHOW no-such-role",
            "ROLE DELETE no-such-role",
            "SYSTEM SHOW no-such-system",
            "SYSTEM SET no-such-system description=\"x\"",
            "SYSTEM DELETE no-such-system",
            "USER SHOW mallory",
            "USER SET mallory name=\"Mallory\"",
            "USER PASSWD mallory Fine-Password-9",
            "USER DISABLE mallory",
            "USER ENABLE mallory",
            "USER DELETE mallory",
            "ACCESS mallory",
            "WHO no-such-system",
        ]),
        Refusals(code: "INVALID", lines: [
            "USER ADD \"Bad Name\"",
            "USER ADD -leading-dash",
            "USER ADD a!b",
            "USER ADD \(String(repeating: "a", count: 129))",
            "USER ADD token",
            "USER ADD TOKEN",
            "USER ADD zed kind=robot",
            "USER ADD zed password=short1",
            "USER ADD zed password=password",
            "USER ADD zed password=12345678",
            "USER ADD zedekiah password=ZEDEKIAH",
            "USER PASSWD alice short",
            "USER PASSWD alice qwertyuiop",
            "USER PASSWD alice ALICE-is-fine-but-too-long-\(String(repeating: "x", count: 1_024))",
            "USER LIST limit=0",
            "USER LIST status=sleeping",
            "SYSTEM ADD _bad",
            "SYSTEM ADD inventory permissions=read,Not!ok",
            "ROLE ADD \"two words\"",
            "ROLE INCLUDE employee finance-lead",
            "ROLE INCLUDE finance finance-lead",
            "ROLE INCLUDE sales sales",
            "GRANT alice wiki read until=yesterday",
            "GRANT alice wiki read until=2001-01-01T00:00:00Z",
            "GRANT alice wiki read for=forever",
            "CHECK alice pay!roll read",
        ]),
        Refusals(code: "CONFLICT", setup: ["GRANT erin wiki edit", "ROLE ADD unused"], lines: [
            "SYSTEM DELETE payroll",
            "SYSTEM DELETE wiki",
            "SYSTEM SET payroll permissions=read,write",
            "SYSTEM SET wiki permissions=read",
            "ROLE DELETE sales",
            "ROLE DELETE employee",
            "ROLE DELETE finance",
        ]),
        Refusals(code: "SYNTAX", lines: [
            "USER ADD",
            "USER ADD zed zoe",
            "USER",
            "CHECK alice payroll",
            "CHECK alice payroll read now",
            "GRANT alice",
            "REVOKE alice",
            "ACCESS",
            "WHO",
            "ROLE INCLUDE sales",
            "USER ADD zed color=blue",
            "USER ADD zed name=\"Zed\" name=\"Zed again\"",
            "GRANT alice wiki read until=2030-01-01T00:00:00Z for=1h",
            "GRANT alice wiki read colour=red",
            "USER SET alice",
            "SYSTEM LIST everything",
        ]),
        Refusals(code: "UNKNOWN-COMMAND", lines: [
            "FROB",
            "USER FROB alice",
            "SHUTDOWN now",
        ]),
    ]

    @Test(arguments: refusals)
    func refusedRequestsGetTheirCodeAndChangeNothing(_ refusals: Refusals) throws {
        let (server, admin) = try WardenProcess.company()
        defer { server.stopAndClean() }
        try admin.runScript(refusals.setup)
        let before = try snapshot(admin)
        for line in refusals.lines {
            let reply = try admin.send(line)
            #expect(reply.errorCode == refusals.code, "\(line) → \(reply)")
            #expect(reply.data.isEmpty, "\(line) → \(reply)")
        }
        #expect(try snapshot(admin) == before)
    }

    @Test func refusedRequestsAreNotAudited() throws {
        let (server, admin) = try WardenProcess.company()
        defer { server.stopAndClean() }
        let head = try #require(admin.send("AUDIT limit=1").rows.last?["seq"])
        for line in ["USER ADD alice", "GRANT alice no-such-role", "USER ADD token", "CHECK alice payroll", "FROB"] {
            #expect(try admin.send(line).errorCode != nil)
        }
        #expect(try admin.send("AUDIT since=\(head)").final == "OK count=0")
    }

    @Test func aSystemNoLongerInUseCanBeNarrowedAndDeleted() throws {
        let (server, admin) = try WardenProcess.company()
        defer { server.stopAndClean() }
        try admin.expectOK("ROLE REVOKE finance-lead payroll approve")
        try admin.expectOK("SYSTEM SET payroll permissions=read,write description=\"Payroll (no approvals)\"")
        #expect(try admin.send("SYSTEM SHOW payroll").fields["permissions"] == "read,write")
        try admin.expectOK("SYSTEM ADD scratch permissions=a,b")
        try admin.expectOK("SYSTEM DELETE scratch")
        #expect(try admin.send("SYSTEM SHOW scratch").errorCode == "NOT-FOUND")
        try admin.expectOK("ROLE ADD unused")
        try admin.expectOK("ROLE DELETE unused")
    }

    /// Everything an admin can see of the directory, to show that a refusal changed nothing.
    private func snapshot(_ admin: LineConnection) throws -> [String] {
        var lines: [String] = []
        for query in ["USER LIST", "SYSTEM LIST", "ROLE LIST"] + Company.people.map({ "ACCESS \($0.user)" }) {
            lines.append(try admin.send(query).description)
        }
        return lines
    }
}

import Foundation
import Testing

/// Separation of duties (SPEC §10) against the real server: every path that can give
/// access refuses a toxic combination with `ERR CONFLICT sod=NAME`, changes nothing,
/// and is audited as denied.
@Suite struct GovernanceSeparationTests {
    /// `payments` ⊃ `team` ⊃ `clerk` three levels deep; `clerk` may create payments, `approver` approves them.
    static let setUp = [
        "SYSTEM ADD pay permissions=create,approve,read",
        "ROLE ADD clerk", "ROLE GRANT clerk pay create",
        "ROLE ADD team", "ROLE INCLUDE team clerk",
        "ROLE ADD payments", "ROLE INCLUDE payments team",
        "ROLE ADD approver", "ROLE GRANT approver pay approve",
        "ROLE ADD auditor", "ROLE GRANT auditor pay read",
        "USER ADD alice password=\(Fixture.password)", "USER ADD bob password=\(Fixture.password)",
        "SOD ADD four-eyes role:clerk system:pay:approve description=\"who creates does not approve\"",
    ]

    @Test func everyPathToBothSidesIsRefusedAndAudited() throws {
        let server = try WardenProcess()
        defer { server.terminate(); server.removeData() }
        try server.setUp(Self.setUp)
        let admin = try server.admin()
        #expect(try admin.ok("SOD SHOW four-eyes").final
            == "OK sod=four-eyes left=role:clerk right=system:pay:approve description=\"who creates does not approve\"")
        // GRANT: alice holds clerk three levels down; approve is the other side.
        try admin.ok("GRANT alice payments")
        #expect(try admin.send("GRANT alice approver").final == "ERR CONFLICT sod=four-eyes")
        #expect(try admin.send("GRANT alice pay approve").final == "ERR CONFLICT sod=four-eyes")
        #expect(try admin.send("CHECK alice pay approve").final == "OK DENY reason=no-grant")
        // ROLE GRANT: giving approve to a role alice holds through inclusion.
        #expect(try admin.send("ROLE GRANT team pay approve").final == "ERR CONFLICT sod=four-eyes")
        #expect(!(try admin.send("ROLE SHOW team").final.contains("pay:approve")))
        // ROLE INCLUDE: bob holds approver; including clerk in approver would give him both.
        try admin.ok("GRANT bob approver")
        #expect(try admin.send("ROLE INCLUDE approver team").final == "ERR CONFLICT sod=four-eyes")
        // A role nobody holds may be widened: no user would hold both.
        try admin.ok("ROLE ADD spare")
        try admin.ok("ROLE INCLUDE spare clerk")
        try admin.ok("ROLE GRANT spare pay approve")
        // USER ENABLE: a disabled user's grants do not count until they are enabled.
        try admin.ok("USER ADD carol")
        try admin.ok("USER DISABLE carol")
        try admin.ok("GRANT carol clerk")
        try admin.ok("GRANT carol approver")
        #expect(try admin.send("USER ENABLE carol").final == "ERR CONFLICT sod=four-eyes")
        #expect(try admin.ok("USER SHOW carol").value("status") == "disabled")
        // A time-expired grant does not count.
        try admin.ok("USER ADD dave")
        try admin.ok("GRANT dave clerk for=1s")
        Thread.sleep(forTimeInterval: 1.2)
        try admin.ok("GRANT dave approver")

        let denied = try admin.send("AUDIT limit=100").data.filter { $0.contains("result=denied") }
        #expect(denied.count == 5, "\(denied)")
        #expect(denied.allSatisfy { $0.contains("sod=four-eyes") })
        #expect(denied.contains { $0.contains("action=grant") && $0.contains("left-via=role:payments") })
        #expect(denied.contains { $0.contains("action=role.include") })
        #expect(denied.contains { $0.contains("action=user.enable") })
    }

    @Test func theReportListsHoldersOfBothSidesFromBeforeTheRule() throws {
        let server = try WardenProcess()
        defer { server.terminate(); server.removeData() }
        try server.setUp(Array(Self.setUp.dropLast()) + ["GRANT alice payments", "GRANT alice approver", "GRANT bob clerk"])
        let admin = try server.admin()
        try admin.ok("SOD ADD four-eyes role:clerk system:pay:approve")
        let report = try admin.ok("SOD REPORT")
        #expect(report.data == ["user=alice sod=four-eyes left-via=role:payments right-via=role:approver"])
        #expect(report.final == "OK count=1")
        try admin.ok("SOD ADD two role:auditor role:clerk")
        #expect(try admin.ok("SOD LIST").data.count == 2)
        try admin.ok("SOD DELETE two").expectFields(["sod": "two", "deleted": "true"])
        #expect(try admin.ok("SOD LIST").data == ["sod=four-eyes left=role:clerk right=system:pay:approve description=\"\""])
    }

    @Test func badRulesAreRefusedWithClearErrors() throws {
        let server = try WardenProcess()
        defer { server.terminate(); server.removeData() }
        try server.setUp(Self.setUp)
        let admin = try server.admin()
        try admin.expectError("EXISTS", "SOD ADD four-eyes role:clerk role:auditor")
        try admin.expectError("NOT-FOUND", "SOD ADD x role:nobody role:clerk")
        try admin.expectError("NOT-FOUND", "SOD ADD x role:clerk system:pay:delete")
        try admin.expectError("NOT-FOUND", "SOD ADD x role:clerk system:nothing:read")
        try admin.expectError("INVALID", "SOD ADD x role:clerk role:clerk")
        try admin.expectError("INVALID", "SOD ADD x clerk role:clerk")
        try admin.expectError("SYNTAX", "SOD ADD x role:clerk")
        try admin.expectError("NOT-FOUND", "SOD SHOW nothing")
        try admin.expectError("NOT-FOUND", "SOD DELETE nothing")
        // What a rule names cannot go from under it.
        try admin.expectError("CONFLICT", "ROLE DELETE clerk")
        try admin.expectError("CONFLICT", "SYSTEM SET pay permissions=create,read")
        // Only role-admin manages rules; a denial is audited.
        let alice = try server.connect()
        try alice.ok("AUTH alice \(Fixture.password)")
        try alice.expectError("FORBIDDEN", "SOD ADD y role:clerk role:auditor")
        try alice.expectError("FORBIDDEN", "SOD REPORT")
        #expect(try admin.ok("SOD LIST").data.count == 1)
    }
}

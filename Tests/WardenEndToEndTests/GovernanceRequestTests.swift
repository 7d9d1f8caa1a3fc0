import Foundation
import Testing

/// Access requests (SPEC §8) against the real server: a requestable role, its
/// approvers, N distinct approvals, the timed grant they make, and every refusal.
@Suite struct GovernanceRequestTests {
    /// `oncall` is requestable, approved by two holders of `leads`; `ann` and `ben` lead,
    /// `raj` requests, `zoe` is a bystander.
    static let setUp = [
        "SYSTEM ADD prod permissions=deploy,read",
        "ROLE ADD oncall", "ROLE GRANT oncall prod deploy",
        "ROLE ADD leads", "ROLE ADD seniors", "ROLE INCLUDE seniors leads",
        "ROLE SET oncall requestable=yes approvers=leads approvals=2 max=4h",
        "USER ADD ann password=\(Fixture.password)", "USER ADD ben password=\(Fixture.password)",
        "USER ADD raj password=\(Fixture.password)", "USER ADD zoe password=\(Fixture.password)",
        "GRANT ann leads", "GRANT ben seniors",
    ]

    static func signIn(_ server: WardenProcess, _ user: String) throws -> LineConnection {
        let connection = try server.connect()
        try connection.ok("AUTH \(user) \(Fixture.password)")
        return connection
    }

    @Test func twoApproversGrantTheRoleUntilItsEnd() throws {
        let server = try WardenProcess()
        defer { server.terminate(); server.removeData() }
        try server.setUp(Self.setUp)
        let admin = try server.admin()
        #expect(try admin.ok("ROLE SHOW oncall").final.hasSuffix(" requestable=yes approvers=leads approvals=2 max=4h"))
        let (raj, ann, ben, zoe) = try (Self.signIn(server, "raj"), Self.signIn(server, "ann"), Self.signIn(server, "ben"), Self.signIn(server, "zoe"))

        #expect(try raj.ok("REQUEST oncall for=2h reason=\"incident 42\"").final == "OK request=1 status=pending")
        try raj.expectError("CONFLICT", "REQUEST oncall reason=again")
        let line = try raj.ok("REQUEST LIST").data
        #expect(line.count == 1 && line[0].hasPrefix("request=1 user=raj role=oncall for=2h status=pending approvals=0/2 reason=\"incident 42\" created="))
        #expect(try zoe.ok("REQUEST LIST").data.isEmpty, "a bystander sees nothing")
        #expect(try ben.ok("REQUEST LIST").data.count == 1, "an approver through inclusion sees it")
        try zoe.expectError("FORBIDDEN", "REQUEST SHOW 1")
        try zoe.expectError("FORBIDDEN", "REQUEST APPROVE 1")
        try raj.expectError("FORBIDDEN", "REQUEST APPROVE 1")

        #expect(try ann.ok("REQUEST APPROVE 1").final == "OK request=1 status=pending approvals=1/2")
        try ann.expectError("CONFLICT", "REQUEST APPROVE 1")
        #expect(try admin.send("CHECK raj prod deploy").final == "OK DENY reason=no-grant")
        let approved = try ben.ok("REQUEST APPROVE 1 reason=\"ok for tonight\"")
        #expect(approved.final.hasPrefix("OK request=1 status=approved until="))
        #expect(try admin.send("CHECK raj prod deploy").final == "OK ALLOW via=role:oncall")
        let access = try admin.ok("ACCESS raj").data
        #expect(access == ["system=prod permission=deploy via=role:oncall until=\(approved.value("until")!)"])
        let shown = try raj.ok("REQUEST SHOW 1").final
        #expect(shown.contains("status=approved approvals=2/2") && shown.contains("decided-by=ann,ben until=\(approved.value("until")!)"))
        try raj.expectError("CONFLICT", "REQUEST CANCEL 1")
        try ann.expectError("CONFLICT", "REQUEST DENY 1 reason=late")
        // An approved grant is an ordinary one: it can be revoked.
        try admin.ok("REVOKE raj oncall")

        let audit = try admin.send("AUDIT limit=100").data.joined(separator: "\n")
        for action in ["action=request target=raj", "action=request.approve target=raj", "result=denied"] {
            #expect(audit.contains(action), "\(action)")
        }
    }

    @Test func anApprovedGrantExpiresAtItsInstant() throws {
        let server = try WardenProcess()
        defer { server.terminate(); server.removeData() }
        try server.setUp(["SYSTEM ADD prod permissions=deploy", "ROLE ADD hotfix", "ROLE GRANT hotfix prod deploy",
                          "ROLE SET hotfix requestable=yes", "USER ADD raj password=\(Fixture.password)"])
        let raj = try Self.signIn(server, "raj")
        let admin = try server.admin()
        try raj.ok("REQUEST hotfix for=2s reason=\"one fix\"")
        // Without approvers=, holders of warden grant decide.
        try admin.ok("REQUEST APPROVE 1")
        #expect(try admin.send("CHECK raj prod deploy").final == "OK ALLOW via=role:hotfix")
        Thread.sleep(forTimeInterval: 2.2)
        #expect(try admin.send("CHECK raj prod deploy").final == "OK DENY reason=expired")
    }

    @Test func denialsCancellationsAndRefusals() throws {
        let server = try WardenProcess()
        defer { server.terminate(); server.removeData() }
        try server.setUp(Self.setUp + ["ROLE ADD secret", "ROLE SET oncall approvals=1"])
        let (raj, ann, zoe) = try (Self.signIn(server, "raj"), Self.signIn(server, "ann"), Self.signIn(server, "zoe"))
        try raj.expectError("FORBIDDEN", "REQUEST secret reason=please")
        try raj.expectError("NOT-FOUND", "REQUEST nothing reason=please")
        try raj.expectError("INVALID", "REQUEST oncall for=5h reason=long")
        try raj.expectError("SYNTAX", "REQUEST oncall")
        try raj.expectError("SYNTAX", "REQUEST oncall reason=\"\"")
        try raj.ok("REQUEST oncall reason=first")
        try ann.expectError("SYNTAX", "REQUEST DENY 1")
        #expect(try ann.ok("REQUEST DENY 1 reason=\"not now\"").final == "OK request=1 status=denied")
        try ann.expectError("CONFLICT", "REQUEST APPROVE 1")
        try raj.ok("REQUEST oncall reason=second")
        try zoe.expectError("FORBIDDEN", "REQUEST CANCEL 2")
        #expect(try raj.ok("REQUEST CANCEL 2").final == "OK request=2 status=cancelled")
        try raj.expectError("NOT-FOUND", "REQUEST SHOW 9")
        try raj.expectError("INVALID", "REQUEST SHOW x")
        #expect(try raj.ok("REQUEST LIST status=denied").data.count == 1)
        #expect(try ann.ok("REQUEST LIST user=raj status=cancelled").data.count == 1)
        // Already holding the role: nothing to ask for.
        try server.admin().ok("GRANT raj oncall")
        try raj.expectError("CONFLICT", "REQUEST oncall reason=third")
        // ROLE SET's bad values.
        let admin = try server.admin()
        try admin.expectError("INVALID", "ROLE SET oncall approvals=6")
        try admin.expectError("INVALID", "ROLE SET oncall max=31d")
        try admin.expectError("INVALID", "ROLE SET oncall requestable=maybe")
        try admin.expectError("NOT-FOUND", "ROLE SET oncall approvers=nobody")
        try admin.expectError("FORBIDDEN", "ROLE SET warden-admin requestable=yes")
        try admin.ok("ROLE SET oncall approvers=none")
        #expect(try admin.ok("ROLE SHOW oncall").final.contains(" approvers=none "))
    }

    @Test func separationOfDutiesHoldsAnApprovalBackAndTheRequestStaysPending() throws {
        let server = try WardenProcess()
        defer { server.terminate(); server.removeData() }
        try server.setUp(Self.setUp + ["ROLE ADD auditor", "GRANT raj auditor", "ROLE SET oncall approvals=1",
                                       "SOD ADD no-deploying-auditors role:auditor system:prod:deploy"])
        let (raj, ann) = try (Self.signIn(server, "raj"), Self.signIn(server, "ann"))
        try raj.ok("REQUEST oncall reason=please")
        #expect(try ann.send("REQUEST APPROVE 1").final == "ERR CONFLICT sod=no-deploying-auditors")
        #expect(try raj.ok("REQUEST SHOW 1").value("status") == "pending")
        #expect(try server.admin().send("CHECK raj prod deploy").final == "OK DENY reason=no-grant")
    }

    @Test func requestsRoleSettingsAndRulesSurviveARestart() throws {
        let server = try WardenProcess()
        defer { server.removeData() }
        try server.setUp(Self.setUp + ["ROLE ADD auditor", "SOD ADD split role:auditor role:oncall description=\"two hats\""])
        try Self.signIn(server, "raj").ok("REQUEST oncall reason=\"before restart\"")
        try Self.signIn(server, "ann").ok("REQUEST APPROVE 1")
        let reads = ["REQUEST SHOW 1", "REQUEST LIST", "ROLE SHOW oncall", "SOD LIST", "SOD REPORT"]
        let before = try reads.map { try server.admin().send($0).description }
        #expect(server.terminate() == 0)
        let again = try WardenProcess(dataDirectory: server.dataDirectory)
        defer { again.terminate() }
        let after = try reads.map { try again.admin().send($0).description }
        #expect(after == before)
        #expect(try Self.signIn(again, "ben").ok("REQUEST APPROVE 1").value("status") == "approved")
        // Numbering carries on from the stored requests.
        #expect(try Self.signIn(again, "zoe").ok("REQUEST oncall reason=x").final == "OK request=2 status=pending")
    }

    @Test func anApproverNeedsTheWardenPermissionsTheRoleCarries() throws {
        let server = try WardenProcess()
        defer { server.terminate(); server.removeData() }
        try server.setUp(Self.setUp + ["ROLE ADD helpdesk", "ROLE GRANT helpdesk warden user-admin",
                                       "ROLE SET helpdesk requestable=yes approvers=leads"])
        let (raj, ann) = try (Self.signIn(server, "raj"), Self.signIn(server, "ann"))
        try raj.ok("REQUEST helpdesk reason=cover")
        try ann.expectError("FORBIDDEN", "REQUEST APPROVE 1")
        #expect(try raj.ok("REQUEST SHOW 1").value("status") == "pending")
    }
}

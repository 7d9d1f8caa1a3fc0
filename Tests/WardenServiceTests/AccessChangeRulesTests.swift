import Testing
import WardenService

/// Issue #11's lower findings: what a caller may learn or change that it should not.
@Suite struct AccessChangeRulesTests {
    func admin(_ harness: ServiceHarness) async throws -> Session {
        try await harness.session(as: "admin", password: ServiceHarness.adminPassword)
    }

    /// Adds `name` with a password and the given grants, and signs them in.
    func staff(_ name: String, grants: [String], _ harness: ServiceHarness, _ admin: inout Session) async throws -> Session {
        #expect(try await harness.send("USER ADD \(name) password=Staff-Password-77", on: &admin) == "OK user=\(name)")
        for grant in grants { #expect(try await harness.send("GRANT \(name) \(grant)", on: &admin).hasPrefix("OK")) }
        return try await harness.session(as: name, password: "Staff-Password-77")
    }

    @Test func loginDoesNotTellAStrangerWhichSystemsExist() async throws {
        let harness = try await ServiceHarness.start()
        defer { harness.stop() }
        var admin = try await admin(harness)
        #expect(try await harness.send("SYSTEM ADD crm", on: &admin).hasPrefix("OK"))
        var stranger = Session(source: "127.0.0.1")
        let failed = "ERR AUTH-FAILED authentication failed"
        #expect(try await harness.send("LOGIN admin Wrong-Password-1 aud=crm", on: &stranger) == failed)
        #expect(try await harness.send("LOGIN admin Wrong-Password-1 aud=no-such-system", on: &stranger) == failed)
        // Whoever proves the password is told.
        #expect(try await harness.send("LOGIN admin \(ServiceHarness.adminPassword) aud=no-such-system", on: &stranger)
            == "ERR NOT-FOUND no system no-such-system")
        #expect(try await harness.send("LOGIN admin \(ServiceHarness.adminPassword) aud=crm", on: &stranger).hasPrefix("OK token="))
    }

    @Test func revokingWardenPermissionsNeedsHoldingThem() async throws {
        let harness = try await ServiceHarness.start()
        defer { harness.stop() }
        var admin = try await admin(harness)
        var operator_ = try await staff("operator", grants: ["warden grant"], harness, &admin)
        #expect(try await harness.send("USER ADD second password=Second-Password-1", on: &admin) == "OK user=second")
        #expect(try await harness.send("GRANT second warden-admin", on: &admin).hasPrefix("OK"))
        #expect(try await harness.send("SYSTEM ADD crm", on: &admin).hasPrefix("OK"))
        #expect(try await harness.send("GRANT second crm read", on: &admin).hasPrefix("OK"))

        #expect(try await harness.send("REVOKE second warden-admin", on: &operator_).hasPrefix("ERR FORBIDDEN revoking warden permissions"))
        #expect(try await harness.send("REVOKE second *", on: &operator_).hasPrefix("ERR FORBIDDEN revoking warden permissions"))
        #expect(try await harness.send("CHECK second warden user-admin", on: &admin) == "OK ALLOW via=role:warden-admin")
        // What carries no warden permission the operator may still take away.
        #expect(try await harness.send("REVOKE second crm read", on: &operator_).hasPrefix("OK"))
    }

    @Test func takingAWardenPermissionFromARoleNeedsHoldingIt() async throws {
        let harness = try await ServiceHarness.start()
        defer { harness.stop() }
        var admin = try await admin(harness)
        var roleAdmin = try await staff("roles", grants: ["warden role-admin"], harness, &admin)
        #expect(try await harness.send("ROLE ADD helpdesk", on: &admin) == "OK role=helpdesk")
        #expect(try await harness.send("ROLE ADD tier2", on: &admin) == "OK role=tier2")
        #expect(try await harness.send("ROLE GRANT helpdesk warden user-admin", on: &admin).hasPrefix("OK"))
        #expect(try await harness.send("ROLE INCLUDE tier2 helpdesk", on: &admin).hasPrefix("OK"))

        #expect(try await harness.send("ROLE REVOKE helpdesk warden user-admin", on: &roleAdmin).hasPrefix("ERR FORBIDDEN"))
        #expect(try await harness.send("ROLE EXCLUDE tier2 helpdesk", on: &roleAdmin).hasPrefix("ERR FORBIDDEN"))
    }

    @Test func aRoleAdminCannotWidenARoleTheyHold() async throws {
        let harness = try await ServiceHarness.start()
        defer { harness.stop() }
        var admin = try await admin(harness)
        #expect(try await harness.send("SYSTEM ADD payroll permissions=read,approve", on: &admin).hasPrefix("OK"))
        for role in ["engineering", "lead", "finance"] {
            #expect(try await harness.send("ROLE ADD \(role)", on: &admin) == "OK role=\(role)")
        }
        #expect(try await harness.send("ROLE INCLUDE lead engineering", on: &admin).hasPrefix("OK"))
        var roleAdmin = try await staff("roles", grants: ["warden role-admin", "lead"], harness, &admin)

        // Held through `lead`, which includes it: widening either is giving oneself access.
        #expect(try await harness.send("ROLE GRANT engineering payroll approve", on: &roleAdmin).hasPrefix("ERR FORBIDDEN you hold role engineering"))
        #expect(try await harness.send("ROLE INCLUDE lead finance", on: &roleAdmin).hasPrefix("ERR FORBIDDEN you hold role lead"))
        #expect(try await harness.send("CHECK roles payroll approve", on: &admin) == "OK DENY reason=no-grant")
        // A role they do not hold is theirs to manage.
        #expect(try await harness.send("ROLE GRANT finance payroll approve", on: &roleAdmin).hasPrefix("OK"))
        #expect(try await harness.send("ROLE REVOKE engineering payroll read", on: &roleAdmin).hasPrefix("ERR NOT-FOUND"))
    }

    @Test(arguments: ["not-an-address", "two@@example.com", "space in@example.com", "a@-bad.example", "a@exa_mple.com",
                      "dot@end.", "ü@example.com", "a@b..c"])
    func anInvalidEmailIsRefused(_ email: String) async throws {
        let harness = try await ServiceHarness.start()
        defer { harness.stop() }
        var admin = try await admin(harness)
        #expect(try await harness.send("USER ADD carol email=\"\(email)\"", on: &admin) == "ERR INVALID email= is not an e-mail address")
        #expect(try await harness.send("USER ADD carol", on: &admin) == "OK user=carol")
        #expect(try await harness.send("USER SET carol email=\"\(email)\"", on: &admin) == "ERR INVALID email= is not an e-mail address")
    }

    @Test func aValidEmailIsKept() async throws {
        let harness = try await ServiceHarness.start()
        defer { harness.stop() }
        var admin = try await admin(harness)
        #expect(try await harness.send("USER ADD carol email=carol.o'neil+it@mail.example.co.uk", on: &admin) == "OK user=carol")
        #expect(try await harness.send("USER SET carol email=", on: &admin).hasPrefix("OK"))
    }

    @Test(arguments: ["\u{202E}gnp.exe", "a\u{2028}b", "a\u{0085}b", "a\u{2067}b", "a\u{200F}b"])
    func textThatWouldReorderAReplyIsRefused(_ text: String) async throws {
        let harness = try await ServiceHarness.start()
        defer { harness.stop() }
        var admin = try await admin(harness)
        #expect(try await harness.send("USER ADD carol name=\"\(text)\"", on: &admin).hasPrefix("ERR INVALID name= holds a control"))
        #expect(try await harness.send("ROLE ADD sales description=\"\(text)\"", on: &admin).hasPrefix("ERR INVALID description= holds a control"))
    }
}

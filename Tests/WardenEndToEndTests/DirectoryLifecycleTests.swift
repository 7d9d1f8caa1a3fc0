import Foundation
import Testing

/// SPEC §2.2–§2.3 as an admin lives them: onboarding, a move between teams,
/// offboarding and its undo, deletion and reuse of a name.
@Suite struct DirectoryLifecycleTests {
    @Test func onboardingTenPeopleListsThemWithTheirAttributes() throws {
        let (server, admin) = try WardenProcess.company()
        defer { server.stopAndClean() }
        let reply = try admin.send("USER LIST")
        #expect(reply.final == "OK count=11")
        let listed = Dictionary(uniqueKeysWithValues: reply.rows.map { ($0["user"] ?? "", $0) })
        for person in Company.people {
            #expect(listed[person.user] == ["user": person.user, "name": person.name, "kind": "person", "status": "active"])
        }
        #expect(listed["admin"]?["status"] == "active")
    }

    @Test func userShowGivesEveryAttribute() throws {
        let (server, admin) = try WardenProcess.company()
        defer { server.stopAndClean() }
        let reply = try admin.send("USER SHOW dave")
        #expect(reply.final.hasPrefix("OK user=dave name=\"Dave Dunn\" email=dave@example.com kind=person status=active created="))
        let fields = reply.fields
        #expect(Set(fields.keys) == ["user", "name", "email", "kind", "status", "created", "last-login", "failed-logins", "mfa"])
        #expect(reply.final.hasSuffix(" mfa=off"), "mfa= comes last (SPEC §2.2, v2)")
        #expect(fields["created"].map(isRFC3339) == true)
        #expect(fields["last-login"] == "never")
        #expect(fields["failed-logins"] == "0")
    }

    @Test func userShowCountsFailedLoginsUntilASuccess() throws {
        let (server, admin) = try WardenProcess.company()
        defer { server.stopAndClean() }
        let dave = try server.connect()
        #expect(try dave.send("AUTH dave not-his-password").final.hasPrefix("ERR AUTH-FAILED"))
        #expect(try dave.send("AUTH dave also-not-his-password").final.hasPrefix("ERR AUTH-FAILED"))
        #expect(try admin.send("USER SHOW dave").fields["failed-logins"] == "2")
        try dave.authenticate("dave", Company.password)
        let fields = try admin.send("USER SHOW dave").fields
        #expect(fields["failed-logins"] == "0")
        #expect(fields["last-login"].map(isRFC3339) == true)
    }

    @Test func kindDefaultsToPersonAndMayBeService() throws {
        let server = try WardenProcess()
        defer { server.stopAndClean() }
        let admin = try server.admin()
        try admin.expectOK("USER ADD ci-bot kind=service name=\"Build robot\"")
        try admin.expectOK("USER ADD zoe")
        #expect(try admin.send("USER SHOW ci-bot").fields["kind"] == "service")
        #expect(try admin.send("USER SHOW zoe").fields["kind"] == "person")
    }

    @Test func userSetChangesNameAndEmail() throws {
        let (server, admin) = try WardenProcess.company()
        defer { server.stopAndClean() }
        try admin.expectOK("USER SET erin name=\"Erin Eames-Moss\" email=erin.moss@example.com")
        let fields = try admin.send("USER SHOW erin").fields
        #expect(fields["name"] == "Erin Eames-Moss")
        #expect(fields["email"] == "erin.moss@example.com")
    }

    @Test func userListFiltersByPrefixStatusAndLimit() throws {
        let (server, admin) = try WardenProcess.company()
        defer { server.stopAndClean() }
        try admin.expectOK("USER DISABLE ivan reason=\"left\"")
        let prefixed = try admin.send("USER LIST prefix=a")
        #expect(Set(prefixed.rows.compactMap { $0["user"] }) == ["admin", "alice"])
        #expect(prefixed.final == "OK count=2")
        let disabled = try admin.send("USER LIST status=disabled")
        #expect(disabled.data == ["user=ivan name=\"Ivan Ivers\" kind=person status=disabled"])
        let limited = try admin.send("USER LIST limit=3")
        #expect(limited.data.count == 3)
        #expect(limited.final == "OK count=3")
        let active = try admin.send("USER LIST status=active prefix=i")
        #expect(active.final == "OK count=0")
    }

    @Test func movingSomeoneToAnotherTeamSwapsTheirAccess() throws {
        let (server, admin) = try WardenProcess.company()
        defer { server.stopAndClean() }
        try admin.expectOK("REVOKE alice sales")
        try admin.expectOK("GRANT alice finance reason=\"moved to finance\"")
        #expect(try admin.send("CHECK alice crm view").final == "OK DENY reason=no-grant")
        #expect(try admin.send("CHECK alice payroll write").final == "OK ALLOW via=role:finance")
        #expect(try Company.access(of: "alice", admin) == [
            "system=payroll permission=read via=role:finance until=never",
            "system=payroll permission=write via=role:finance until=never",
            "system=wiki permission=read via=role:finance until=never",
        ])
        #expect(!(try admin.send("WHO crm view").data.contains { $0.hasPrefix("user=alice ") }))
    }

    @Test func offboardingDeniesEverythingAtOnce() throws {
        let (server, admin) = try WardenProcess.company()
        defer { server.stopAndClean() }
        try admin.expectOK("USER DISABLE carol reason=\"left the company\"")
        #expect(try admin.send("CHECK carol payroll read").final == "OK DENY reason=disabled")
        #expect(try admin.send("CHECK carol wiki read").final == "OK DENY reason=disabled")
        #expect(try admin.send("USER SHOW carol").fields["status"] == "disabled")
        #expect(!(try admin.send("WHO payroll").data.contains { $0.hasPrefix("user=carol ") }))
        #expect(try server.connect().send("AUTH carol \(Company.password)").final.hasPrefix("ERR AUTH-FAILED"))
    }

    @Test func accessOfADisabledUserListsNothingEffective() throws {
        let (server, admin) = try WardenProcess.company()
        defer { server.stopAndClean() }
        try admin.expectOK("USER DISABLE carol")
        // Every check of a disabled user is DENY, so none of their kept grants is effective.
        let reply = try admin.send("ACCESS carol")
        #expect(reply.final == "OK count=0")
        #expect(reply.data.isEmpty)
    }

    @Test func enablingRestoresTheKeptGrants() throws {
        let (server, admin) = try WardenProcess.company()
        defer { server.stopAndClean() }
        let before = try Company.access(of: "carol", admin)
        try admin.expectOK("USER DISABLE carol")
        try admin.expectOK("USER ENABLE carol")
        #expect(try admin.send("CHECK carol payroll read").final == "OK ALLOW via=role:finance")
        #expect(try Company.access(of: "carol", admin) == before)
        #expect(try admin.send("WHO payroll read").data.contains("user=carol permission=read via=role:finance"))
        #expect(try server.connect().send("AUTH carol \(Company.password)").final == "OK user=carol")
    }

    @Test func deletingAUserRemovesThemAndTheirGrants() throws {
        let (server, admin) = try WardenProcess.company()
        defer { server.stopAndClean() }
        try admin.expectOK("USER DELETE bob")
        #expect(try admin.send("CHECK bob crm view").final == "OK DENY reason=unknown-user")
        #expect(try admin.send("USER SHOW bob").errorCode == "NOT-FOUND")
        #expect(try admin.send("ACCESS bob").errorCode == "NOT-FOUND")
        #expect(!(try admin.send("WHO crm").data.contains { $0.hasPrefix("user=bob ") }))
        #expect(!(try admin.send("USER LIST").data.contains { $0.hasPrefix("user=bob ") }))
    }

    @Test func aDeletedNameCanBeReusedWithoutTheOldGrants() throws {
        let (server, admin) = try WardenProcess.company()
        defer { server.stopAndClean() }
        try admin.expectOK("USER DELETE bob")
        try admin.expectOK("USER ADD bob name=\"Bob Newman\" email=bob.newman@example.com")
        #expect(try admin.send("ACCESS bob").final == "OK count=0")
        #expect(try admin.send("CHECK bob crm view").final == "OK DENY reason=no-grant")
        #expect(try admin.send("USER SHOW bob").fields["name"] == "Bob Newman")
        #expect(try server.connect().send("AUTH bob \(Company.password)").final.hasPrefix("ERR AUTH-FAILED"))
    }

    @Test func revokingEverythingLeavesNoAccess() throws {
        let (server, admin) = try WardenProcess.company()
        defer { server.stopAndClean() }
        try admin.expectOK("GRANT judy payroll read")
        try admin.expectOK("REVOKE judy *")
        #expect(try admin.send("ACCESS judy").final == "OK count=0")
        #expect(try admin.send("CHECK judy wiki read").final == "OK DENY reason=no-grant")
    }

    @Test func changesSurviveARestart() throws {
        let (server, admin) = try WardenProcess.company()
        defer { server.stopAndClean() }
        try admin.expectOK("USER DISABLE carol")
        try admin.expectOK("GRANT erin payroll read until=2030-01-01T00:00:00Z")
        let access = try Company.access(of: "dave", admin)
        #expect(server.terminate() == 0)
        let restarted = try WardenProcess(dataDirectory: server.dataDirectory)
        defer { restarted.terminate() }
        let again = try restarted.admin()
        #expect(try again.send("CHECK carol payroll read").final == "OK DENY reason=disabled")
        #expect(try again.send("CHECK erin payroll read").final == "OK ALLOW via=direct")
        #expect(try Company.access(of: "dave", again) == access)
        #expect(try again.send("USER LIST").final == "OK count=11")
    }
}

import Foundation
import Testing

/// SPEC §2.6: each command needs its `warden` permission, refusals are audited, and
/// nobody acts on themselves, on the last administrator, or on the built-ins.
@Suite struct AuthorizationPermissionTests {
    /// One command of each permission that `warden check` does not give.
    static let beyondCheck = [
        "USER ADD zed", "GRANT admin warden audit", "ROLE ADD auditors", "AUDIT", "KEY LIST",
        "TOKEN ISSUE admin", "VALIDATE eyJhbGciOiJFZERTQSJ9.e30.c2ln",
    ]

    @Test func aUserHoldingOnlyCheckIsForbiddenEverythingElseAndEachDenialIsAudited() throws {
        let server = try WardenProcess()
        defer { server.stopAndClean() }
        let admin = try server.admin()
        let checker = try server.staff("checker", ["check"], admin: admin)
        for line in Self.beyondCheck {
            let reply = try checker.send(line)
            #expect(reply.errorCode == "FORBIDDEN", "\(line) → \(reply)")
        }
        #expect(try checker.send("CHECK admin warden audit").final == "OK ALLOW via=role:warden-admin")

        let denials = try admin.send("AUDIT actor=checker").rows.filter { $0["result"] == "denied" }
        #expect(denials.count == Self.beyondCheck.count, "\(denials)")
        #expect(Set(denials.compactMap { $0["action"] }).count == Self.beyondCheck.count)
        // And nothing was done.
        #expect(try admin.send("USER SHOW zed").errorCode == "NOT-FOUND")
        #expect(try admin.send("ROLE SHOW auditors").errorCode == "NOT-FOUND")
    }

    @Test func aUserWithoutPermissionsMayStillUseTheConnectionCommands() throws {
        let server = try WardenProcess()
        defer { server.stopAndClean() }
        let admin = try server.admin()
        let plain = try server.staff("plain", [], admin: admin)
        #expect(try plain.send("HELLO").fields["user"] == "plain")
        #expect(try plain.send("PING").final == "OK PONG")
        #expect(try plain.send("HELP").isOK)
        #expect(try plain.send("PASSWD \(Staff.password) Another-Good-Pass-5").isOK)
        #expect(try plain.send("CHECK plain warden check").errorCode == "FORBIDDEN")
        #expect(try plain.send("QUIT").final == "OK bye")
    }

    @Test func actingOnYourselfIsForbiddenBeforeAnythingElse() throws {
        let server = try WardenProcess()
        defer { server.stopAndClean() }
        let admin = try server.admin()
        try admin.expectOK("SYSTEM ADD wiki")
        for line in [
            "GRANT admin wiki read", "GRANT admin no-such-role", "REVOKE admin warden-admin", "REVOKE admin *",
            "REVOKE admin wiki read", "USER DISABLE admin", "USER DELETE admin", "USER DISABLE ADMIN",
        ] {
            let reply = try admin.send(line)
            #expect(reply.errorCode == "FORBIDDEN", "\(line) → \(reply)")
        }
        #expect(try admin.send("CHECK admin wiki read").final == "OK DENY reason=no-grant")
        #expect(try admin.send("CHECK admin warden user-admin").final == "OK ALLOW via=role:warden-admin")
        #expect(try admin.send("AUDIT actor=admin").rows.filter { $0["result"] == "denied" }.count == 8)
    }

    @Test func theLastEnabledAdministratorCannotBeDisabledDeletedOrStripped() throws {
        let server = try WardenProcess()
        defer { server.stopAndClean() }
        let admin = try server.admin()
        // Every warden permission, but not the warden-admin role: not an administrator.
        let ops = try server.staff("ops", Staff.everything, admin: admin)
        for line in ["USER DISABLE admin", "USER DELETE admin", "REVOKE admin warden-admin", "REVOKE admin *"] {
            let reply = try ops.send(line)
            #expect(reply.errorCode == "CONFLICT", "\(line) → \(reply)")
        }
        #expect(try admin.send("CHECK admin warden key-admin").final == "OK ALLOW via=role:warden-admin")
    }

    @Test func theLastAdministratorsRoleCannotBeMadeToExpire() throws {
        let server = try WardenProcess()
        defer { server.stopAndClean() }
        let admin = try server.admin()
        let ops = try server.staff("ops", Staff.everything, admin: admin)
        // Re-granting with an expiry would strip warden-admin at that instant.
        try ops.expectError("CONFLICT", "GRANT admin warden-admin for=1s")
        try ops.expectError("CONFLICT", "GRANT admin warden-admin until=2030-01-01T00:00:00Z")
        try ops.expectOK("GRANT admin warden-admin reason=\"still the administrator\"")
        #expect(try admin.send("ACCESS admin").data.allSatisfy { $0.hasSuffix(" until=never") })
        try admin.runScript(["USER ADD admin2 password=\(Staff.password)", "GRANT admin2 warden-admin"])
        try ops.expectOK("GRANT admin warden-admin for=1h")
    }

    @Test func anAdministratorCanBeRemovedOnceASecondOneExists() throws {
        let server = try WardenProcess()
        defer { server.stopAndClean() }
        let admin = try server.admin()
        let ops = try server.staff("ops", Staff.everything, admin: admin)
        try admin.runScript(["USER ADD admin2 password=\(Staff.password)", "GRANT admin2 warden-admin"])
        try ops.expectOK("USER DISABLE admin")
        // Now admin2 is the last enabled one.
        #expect(try ops.send("USER DISABLE admin2").errorCode == "CONFLICT")
        #expect(try ops.send("REVOKE admin2 warden-admin").errorCode == "CONFLICT")
        try ops.expectOK("USER ENABLE admin")
        try ops.expectOK("REVOKE admin2 warden-admin")
        #expect(try ops.send("USER DELETE admin").errorCode == "CONFLICT")
        try ops.expectOK("GRANT admin2 warden-admin")
        try ops.expectOK("USER DELETE admin")
        #expect(try server.connect().send("AUTH admin2 \(Staff.password)").final == "OK user=admin2")
    }

    @Test func theBuiltInSystemAndRoleCannotBeChangedOrDeleted() throws {
        let server = try WardenProcess()
        defer { server.stopAndClean() }
        let admin = try server.admin()
        try admin.runScript(["SYSTEM ADD wiki", "ROLE ADD employee"])
        let system = try admin.send("SYSTEM SHOW warden").final
        let role = try admin.send("ROLE SHOW warden-admin").final
        for line in [
            "SYSTEM DELETE warden", "SYSTEM SET warden description=\"mine now\"", "SYSTEM SET warden permissions=check",
            "ROLE DELETE warden-admin", "ROLE GRANT warden-admin wiki read", "ROLE REVOKE warden-admin warden audit",
            "ROLE INCLUDE warden-admin employee", "ROLE EXCLUDE warden-admin employee",
        ] {
            let reply = try admin.send(line)
            #expect(reply.errorCode == "FORBIDDEN", "\(line) → \(reply)")
        }
        #expect(try admin.send("SYSTEM SHOW warden").final == system)
        #expect(try admin.send("ROLE SHOW warden-admin").final == role)
    }

    @Test func aDisabledUsersOpenConnectionFallsBackToUnauthenticated() throws {
        let server = try WardenProcess()
        defer { server.stopAndClean() }
        let admin = try server.admin()
        let temp = try server.staff("temp", ["check"], admin: admin)
        #expect(try temp.send("CHECK admin warden audit").isOK)
        try admin.expectOK("USER DISABLE temp reason=\"contract ended\"")
        #expect(try temp.send("CHECK admin warden audit").errorCode == "NOAUTH")
        #expect(try temp.send("HELLO").fields["user"] == "none")
        #expect(try temp.send("PING").final == "OK PONG")
    }

    @Test func enablingAUserAgainDoesNotReviveTheirOldConnection() throws {
        let server = try WardenProcess()
        defer { server.stopAndClean() }
        let admin = try server.admin()
        let temp = try server.staff("temp", ["check"], admin: admin)
        try admin.expectOK("USER DISABLE temp")
        try admin.expectOK("USER ENABLE temp")
        // The session ended at the disable; only a new AUTH starts another.
        #expect(try temp.send("CHECK admin warden audit").errorCode == "NOAUTH")
        #expect(try temp.send("HELLO").fields["user"] == "none")
        try temp.authenticate("temp", Staff.password)
        #expect(try temp.send("CHECK admin warden audit").isOK)
    }

    @Test func aDeletedUsersOpenConnectionFallsBackToUnauthenticated() throws {
        let server = try WardenProcess()
        defer { server.stopAndClean() }
        let admin = try server.admin()
        let temp = try server.staff("temp", ["check"], admin: admin)
        try admin.expectOK("USER DELETE temp")
        #expect(try temp.send("CHECK admin warden audit").errorCode == "NOAUTH")
        // A new user of the same name does not inherit the old connection.
        try admin.runScript(Staff.script("temp", ["check"]))
        #expect(try temp.send("CHECK admin warden audit").errorCode == "NOAUTH")
        #expect(try temp.send("HELLO").fields["user"] == "none")
    }
}

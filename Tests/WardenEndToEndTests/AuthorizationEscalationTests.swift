import Foundation
import Testing

/// SPEC §2.6 "no escalation": nobody hands out, or bundles into a role, a `warden`
/// permission they do not hold, and nobody acts on a user who outranks them.
@Suite struct AuthorizationEscalationTests {
    @Test func aRoleAdminCannotBuildAnAdminRoleAndGrantItToThemselves() throws {
        let server = try WardenProcess()
        defer { server.stopAndClean() }
        let admin = try server.admin()
        let roler = try server.staff("roler", ["role-admin", "grant"], admin: admin)
        try roler.expectOK("ROLE ADD sneaky")
        try roler.expectError("FORBIDDEN", "ROLE INCLUDE sneaky warden-admin")
        try roler.expectError("FORBIDDEN", "ROLE GRANT sneaky warden user-admin")
        try roler.expectError("FORBIDDEN", "GRANT roler sneaky")
        try roler.expectError("FORBIDDEN", "GRANT roler warden-admin")
        try roler.expectError("FORBIDDEN", "GRANT roler warden user-admin")
        #expect(try admin.send("ROLE SHOW sneaky").fields["includes"] == "")
        #expect(try admin.send("CHECK roler warden user-admin").final == "OK DENY reason=no-grant")
        #expect(try admin.send("AUDIT actor=roler").rows.filter { $0["result"] == "denied" }.count == 5)
    }

    @Test func grantingARoleThatCarriesAdminPermissionsHoweverDeepIsForbidden() throws {
        let server = try WardenProcess()
        defer { server.stopAndClean() }
        let admin = try server.admin()
        try admin.runScript([
            "ROLE ADD inner", "ROLE INCLUDE inner warden-admin", "ROLE ADD ops-bundle", "ROLE INCLUDE ops-bundle inner",
            "USER ADD friend",
        ])
        let roler = try server.staff("roler", ["role-admin", "grant"], admin: admin)
        try roler.expectError("FORBIDDEN", "GRANT friend ops-bundle")
        try roler.expectError("FORBIDDEN", "GRANT friend warden audit")
        try roler.expectOK("ROLE ADD sneaky")
        try roler.expectError("FORBIDDEN", "ROLE INCLUDE sneaky ops-bundle")
        #expect(try admin.send("ACCESS friend").final == "OK count=0")
    }

    @Test func whatTheCallerHoldsTheyMayHandOn() throws {
        let server = try WardenProcess()
        defer { server.stopAndClean() }
        let admin = try server.admin()
        try admin.runScript(["USER ADD friend", "ROLE ADD granters", "ROLE GRANT granters warden grant"])
        let roler = try server.staff("roler", ["role-admin", "grant"], admin: admin)
        try roler.expectOK("GRANT friend warden grant")
        try roler.expectOK("ROLE ADD helpers")
        try roler.expectOK("ROLE INCLUDE helpers granters")
        try roler.expectOK("ROLE GRANT helpers warden role-admin")
        try roler.expectOK("GRANT friend helpers")
        #expect(try admin.send("CHECK friend warden role-admin").final == "OK ALLOW via=role:helpers")
    }

    @Test func aHelpDeskCanResetAColleaguesPasswordButNotAnAdministrators() throws {
        let server = try WardenProcess()
        defer { server.stopAndClean() }
        let admin = try server.admin()
        try admin.expectOK("USER ADD alice password=Correct-Horse-42")
        let helpdesk = try server.staff("helpdesk", ["user-admin"], admin: admin)
        try admin.runScript(Staff.script("helpdesk2", ["user-admin"]))

        try helpdesk.expectOK("USER PASSWD alice Fresh-Start-2026")
        #expect(try server.connect().send("AUTH alice Fresh-Start-2026").final == "OK user=alice")
        try helpdesk.expectOK("USER PASSWD helpdesk2 Fresh-Start-2026")

        for line in [
            "USER PASSWD admin Fresh-Start-2026", "USER SET admin email=mine@example.com", "USER DISABLE admin",
            "USER DELETE admin", "USER INVITE admin",
        ] {
            try helpdesk.expectError("FORBIDDEN", line)
        }
        #expect(try server.connect().send("AUTH admin \(WardenProcess.adminPassword)").final == "OK user=admin")
    }

    @Test func aTokenIssuerCannotMintCredentialsForSomeoneWhoOutranksThem() throws {
        let server = try WardenProcess()
        defer { server.stopAndClean() }
        let admin = try server.admin()
        try admin.runScript(["USER ADD robot kind=service", "GRANT robot warden audit", "USER ADD mailer kind=service"])
        let issuer = try server.staff("issuer", ["token-issue"], admin: admin)
        // A token or API key of admin or robot would carry permissions the issuer lacks.
        try issuer.expectError("FORBIDDEN", "TOKEN ISSUE admin")
        try issuer.expectError("FORBIDDEN", "TOKEN ISSUE robot")
        try issuer.expectError("FORBIDDEN", "APIKEY CREATE robot")
        try issuer.expectOK("TOKEN ISSUE mailer")
        try issuer.expectOK("APIKEY CREATE mailer")
    }

    @Test func actingOnAUserRequiresHoldingEveryWardenPermissionTheyHold() throws {
        let server = try WardenProcess()
        defer { server.stopAndClean() }
        let admin = try server.admin()
        let helpdesk = try server.staff("helpdesk", ["user-admin"], admin: admin)
        try admin.runScript(Staff.script("auditor", ["audit"]))
        try helpdesk.expectError("FORBIDDEN", "USER PASSWD auditor Fresh-Start-2026")
        // A disabled user still holds their permissions.
        try admin.expectOK("USER DISABLE auditor")
        try helpdesk.expectError("FORBIDDEN", "USER ENABLE auditor")
        try helpdesk.expectError("FORBIDDEN", "USER DELETE auditor")
        #expect(try admin.send("USER SHOW auditor").fields["status"] == "disabled")
    }
}

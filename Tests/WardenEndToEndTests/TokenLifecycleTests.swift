import Foundation
import Testing

/// SPEC §2.4: a token from LOGIN or TOKEN ISSUE validates until its user is
/// disabled or deleted, it is revoked, or it expires. Every case uses its own users
/// on one shared server (with a short --token-max-ttl for the ttl case).
@Suite struct TokenLifecycleTests {
    static let shared = SharedWarden(arguments: ["--token-max-ttl", "1h"])

    @Test func loginAnswersATokenAndItsExpiry() throws {
        let server = try Self.shared.get()
        try Fixture.person("life-login", on: server)
        let reply = try server.connect().send("LOGIN life-login \(Fixture.password)")
        let token = try #require(reply.value("token"))
        let expires = try #require(reply.value("expires"))
        #expect(reply.final == "OK token=\(token) expires=\(expires)")
        #expect(JWT.parts(token).count == 3)
        #expect(Fixture.isTime(expires))
    }

    @Test func validateNamesSubjectAudienceExpiryAndID() throws {
        let server = try Self.shared.get()
        try Fixture.person("life-valid", on: server)
        let login = try server.connect().ok("LOGIN life-valid \(Fixture.password)")
        let token = try #require(login.value("token"))
        let jti = try #require(try JWT.payload(token)["jti"] as? String)
        let expires = try #require(login.value("expires"))
        #expect(try server.admin().validate(token) == "OK VALID sub=life-valid aud=warden exp=\(expires) jti=\(jti)")
    }

    @Test func validateWithAnEntitlementAddsTheAccessDecision() throws {
        let server = try Self.shared.get()
        let admin = try server.admin()
        try Fixture.person("life-access", on: server)
        try admin.ok("SYSTEM ADD life-crm permissions=read,write")
        try admin.ok("GRANT life-access life-crm read")
        let token = try admin.login("life-access")
        #expect(try admin.validate(token, "life-crm read").hasSuffix(" access=ALLOW"))
        #expect(try admin.validate(token, "life-crm write").hasSuffix(" access=DENY"))
    }

    @Test func disablingTheUserInvalidatesTheirTokenAsDisabled() throws {
        let server = try Self.shared.get()
        let admin = try server.admin()
        try Fixture.person("life-disable", on: server)
        let token = try admin.login("life-disable")
        try admin.ok("USER DISABLE life-disable reason=\"left the company\"")
        #expect(try admin.validate(token) == "OK INVALID reason=disabled")
    }

    @Test func enablingAgainLeavesOldTokensRevokedButNewLoginsValid() throws {
        let server = try Self.shared.get()
        let admin = try server.admin()
        try Fixture.person("life-enable", on: server)
        let old = try admin.login("life-enable")
        try admin.ok("USER DISABLE life-enable")
        try admin.ok("USER ENABLE life-enable")
        #expect(try admin.validate(old) == "OK INVALID reason=revoked")
        let fresh = try admin.login("life-enable")
        #expect(try admin.validate(fresh).hasPrefix("OK VALID sub=life-enable "))
    }

    @Test func loginFailsWhileTheUserIsDisabled() throws {
        let server = try Self.shared.get()
        let admin = try server.admin()
        try Fixture.person("life-off", on: server)
        try admin.ok("USER DISABLE life-off")
        #expect(try server.connect().send("LOGIN life-off \(Fixture.password)").final.hasPrefix("ERR AUTH-FAILED"))
    }

    @Test func loginWithAWrongPasswordFails() throws {
        let server = try Self.shared.get()
        try Fixture.person("life-wrong", on: server)
        #expect(try server.connect().send("LOGIN life-wrong Wrong-Password-123").final.hasPrefix("ERR AUTH-FAILED"))
    }

    @Test func loginAsAnUnknownUserFailsTheSameWay() throws {
        let server = try Self.shared.get()
        #expect(try server.connect().send("LOGIN life-nobody \(Fixture.password)").final.hasPrefix("ERR AUTH-FAILED"))
    }

    @Test func revokingByTokenInvalidatesIt() throws {
        let server = try Self.shared.get()
        let admin = try server.admin()
        try Fixture.person("life-revoke-token", on: server)
        let token = try admin.login("life-revoke-token")
        let other = try admin.login("life-revoke-token")
        try admin.ok("TOKEN REVOKE \(token)")
        #expect(try admin.validate(token) == "OK INVALID reason=revoked")
        #expect(try admin.validate(other).hasPrefix("OK VALID "))
    }

    @Test func revokingByIDInvalidatesIt() throws {
        let server = try Self.shared.get()
        let admin = try server.admin()
        try Fixture.person("life-revoke-jti", on: server)
        let token = try admin.login("life-revoke-jti")
        let jti = try #require(try JWT.payload(token)["jti"] as? String)
        try admin.ok("TOKEN REVOKE \(jti)")
        #expect(try admin.validate(token) == "OK INVALID reason=revoked")
    }

    @Test func deletingTheUserRevokesTheirTokensEvenWhenTheNameIsReused() throws {
        let server = try Self.shared.get()
        let admin = try server.admin()
        try Fixture.person("life-delete", on: server)
        let old = try admin.login("life-delete")
        try admin.ok("USER DELETE life-delete")
        #expect(try admin.validate(old) == "OK INVALID reason=revoked")
        try Fixture.person("life-delete", on: server)
        #expect(try admin.validate(old) == "OK INVALID reason=revoked")
        #expect(try admin.validate(try admin.login("life-delete")).hasPrefix("OK VALID sub=life-delete "))
    }

    @Test func anAdminIssuesATokenForAServiceUserWithAudienceAndLifetime() throws {
        let server = try Self.shared.get()
        let admin = try server.admin()
        try Fixture.service("life-svc", on: server)
        try admin.ok("SYSTEM ADD life-billing")
        let token = try admin.issue("life-svc", "aud=life-billing ttl=10m")
        let payload = try JWT.payload(token)
        let iat = try #require(payload["iat"] as? Int)
        #expect(payload["exp"] as? Int == iat + 600)
        #expect(try admin.validate(token).hasPrefix("OK VALID sub=life-svc aud=life-billing "))
    }

    @Test func issuingALifetimeAboveTheMaximumIsInvalid() throws {
        let server = try Self.shared.get()
        try Fixture.service("life-long-issue", on: server)
        #expect(try server.admin().send("TOKEN ISSUE life-long-issue ttl=2h").errorCode == "INVALID")
    }

    @Test func loggingInForALifetimeAboveTheMaximumIsInvalid() throws {
        let server = try Self.shared.get()
        try Fixture.person("life-long-login", on: server)
        #expect(try server.connect().send("LOGIN life-long-login \(Fixture.password) ttl=2h").errorCode == "INVALID")
    }

    @Test func aOneSecondTokenExpires() throws {
        let server = try Self.shared.get()
        let admin = try server.admin()
        try Fixture.service("life-short", on: server)
        let token = try admin.issue("life-short", "ttl=1s")
        Thread.sleep(forTimeInterval: 2.1)
        #expect(try admin.validate(token) == "OK INVALID reason=expired")
    }

    @Test func authTokenAcceptsAWardenAudienceToken() throws {
        let server = try Self.shared.get()
        try Fixture.person("life-auth", on: server)
        let token = try server.connect().login("life-auth")
        let connection = try server.connect()
        #expect(try connection.send("AUTH TOKEN \(token)").final == "OK user=life-auth")
        #expect(try connection.send("HELLO").value("user") == "life-auth")
    }

    @Test func authTokenRefusesATokenForAnotherAudience() throws {
        let server = try Self.shared.get()
        let admin = try server.admin()
        try Fixture.person("life-auth-aud", on: server)
        try admin.ok("SYSTEM ADD life-portal")
        let token = try admin.login("life-auth-aud", Fixture.password, "aud=life-portal")
        let connection = try server.connect()
        #expect(try connection.send("AUTH TOKEN \(token)").final.hasPrefix("ERR AUTH-FAILED"))
        #expect(try connection.send("HELLO").value("user") == "none")
    }
}

/// SPEC §1, §2.4: revocations and signing keys survive a clean restart.
@Suite struct TokenRestartTests {
    @Test func aRestartKeepsKeysAndRevocations() throws {
        let directory = WardenProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (kept, revoked): (String, String)
        do {
            let server = try WardenProcess(dataDirectory: directory)
            let admin = try server.admin()
            try admin.ok("USER ADD restart-user password=\(Fixture.password)")
            kept = try admin.login("restart-user")
            revoked = try admin.login("restart-user")
            try admin.ok("TOKEN REVOKE \(revoked)")
            #expect(server.terminate() == 0)
        }
        let server = try WardenProcess(dataDirectory: directory)
        defer { server.terminate() }
        let admin = try server.admin()
        #expect(try admin.validate(kept).hasPrefix("OK VALID sub=restart-user "))
        #expect(try admin.validate(revoked) == "OK INVALID reason=revoked")
    }
}

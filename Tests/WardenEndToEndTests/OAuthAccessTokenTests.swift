import Foundation
import Testing

/// SPEC §13 access tokens: RFC 9068 JWTs (`typ` `at+jwt`, `client_id`, `scope`) signed
/// and recorded like every Warden token, so that JWKS, `VALIDATE`, `/introspect` and
/// `TOKEN REVOKE` work on them and disabling or deleting the client kills them.
@Suite struct OAuthAccessTokenTests {
    static let shared = SharedWarden { server in
        try server.admin().ok("SYSTEM ADD ledger permissions=read,write")
    }

    @Test func theTokenIsAnRFC9068AccessToken() throws {
        let server = try Self.shared.get()
        let key = try OAuth.client("at-shape", on: server, grants: ["ledger read"])
        let token = try OAuth.accessToken("at-shape", key, on: server, [("audience", "ledger")])
        let header = try JWT.header(token)
        #expect(header["typ"] as? String == "at+jwt")
        #expect(header["alg"] as? String == "EdDSA")
        #expect(header["kid"] is String)
        let claims = try JWT.payload(token)
        #expect(Set(claims.keys) == ["iss", "sub", "aud", "exp", "iat", "nbf", "jti", "client_id", "scope"])
        #expect(claims["iss"] as? String == "warden")
        #expect(claims["sub"] as? String == "at-shape")
        #expect(claims["client_id"] as? String == "at-shape")
        #expect(claims["aud"] as? String == "ledger")
        #expect(claims["scope"] as? String == "read")
        let (iat, exp) = (try #require(claims["iat"] as? Int), try #require(claims["exp"] as? Int))
        #expect(exp - iat == 900)
        #expect(try #require(claims["jti"] as? String).count >= 22)
    }

    @Test func validateAnswersForItAndItsScopeLimitsAccess() throws {
        let server = try Self.shared.get()
        let admin = try server.admin()
        let key = try OAuth.client("at-validate", on: server, grants: ["ledger read", "ledger write"])
        let token = try OAuth.accessToken("at-validate", key, on: server, [("audience", "ledger"), ("scope", "read")])
        let valid = try admin.ok("VALIDATE \(token)")
        #expect(valid.final.hasPrefix("OK VALID "))
        #expect(valid.value("sub") == "at-validate")
        #expect(valid.value("aud") == "ledger")
        #expect(try admin.ok("VALIDATE \(token) ledger read").value("access") == "ALLOW")
        // Held, but not in the token's scope: the client asked for less.
        #expect(try admin.ok("VALIDATE \(token) ledger write").value("access") == "DENY")
        #expect(try admin.ok("CHECK at-validate ledger write").final.hasPrefix("OK ALLOW"))
    }

    @Test func introspectionSaysItsClientAndScope() throws {
        let server = try Self.shared.get()
        let key = try OAuth.client("at-introspect", on: server, grants: ["ledger read"])
        let token = try OAuth.accessToken("at-introspect", key, on: server, [("audience", "ledger")])
        let response = try OAuth.post("/introspect", on: server, "token=\(token)", headers: basic("admin", WardenProcess.adminPassword))
        let body = try #require(response.json)
        #expect(body["active"] as? Bool == true)
        #expect(body["client_id"] as? String == "at-introspect")
        #expect(body["scope"] as? String == "read")
        #expect(body["aud"] as? String == "ledger")
    }

    @Test func anAccessTokenCannotSignInOverTheLineProtocol() throws {
        let server = try Self.shared.get()
        let key = try OAuth.client("at-auth", on: server, grants: ["warden check"])
        let token = try OAuth.accessToken("at-auth", key, on: server, [("scope", "check")])
        let reply = try server.connect().send("AUTH TOKEN \(token)")
        #expect(reply.errorCode == "AUTH-FAILED")
        let audit = try server.admin().send("AUDIT actor=-")
        #expect(audit.data.contains { $0.contains("action=auth.token") && $0.contains("oauth access token") })
    }

    @Test func tokenRevokeRevokesIt() throws {
        let server = try Self.shared.get()
        let admin = try server.admin()
        let key = try OAuth.client("at-revoke", on: server)
        let token = try OAuth.accessToken("at-revoke", key, on: server)
        try admin.ok("TOKEN REVOKE \(token)")
        #expect(try admin.ok("VALIDATE \(token)").value("reason") == "revoked")
    }

    @Test(arguments: ["disable", "delete"])
    func disablingOrDeletingTheClientKillsItsTokenEverywhere(_ action: String) throws {
        let server = try Self.shared.get()
        let admin = try server.admin()
        let name = "at-\(action)"
        let key = try OAuth.client(name, on: server, grants: ["ledger read"])
        let token = try OAuth.accessToken(name, key, on: server, [("audience", "ledger")])
        #expect(try OAuth.forwardAuth("system=ledger&permission=read", token: token, on: server).status == 200)
        try admin.ok(action == "disable" ? "USER DISABLE \(name)" : "USER DELETE \(name)")
        #expect(try admin.ok("VALIDATE \(token)").value("reason") == (action == "disable" ? "disabled" : "revoked"))
        let introspection = try OAuth.post("/introspect", on: server, "token=\(token)", headers: basic("admin", WardenProcess.adminPassword))
        #expect(introspection.body == #"{"active":false}"#)
        #expect(try OAuth.forwardAuth("system=ledger&permission=read", token: token, on: server).status == 401)
        // And it gets no new one.
        #expect(try OAuth.token(on: server, [], headers: basic(name, key)).status == 401)
    }

    @Test func aPlainWardenTokenIsStillOfTypeJWT() throws {
        let server = try Self.shared.get()
        try Fixture.person("at-plain", on: server)
        let token = try server.connect().login("at-plain")
        #expect(try JWT.header(token)["typ"] as? String == "JWT")
        #expect(try JWT.payload(token)["scope"] == nil)
    }
}

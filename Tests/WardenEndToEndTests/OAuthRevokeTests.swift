import Foundation
import Testing

/// SPEC §13 `POST /oauth/revoke` (RFC 7009): a client revokes its own token; `200`
/// whatever the token was, and nothing but the client's own token is ever revoked.
@Suite struct OAuthRevokeTests {
    static let shared = SharedWarden()

    @Test func aClientRevokesItsOwnTokenAndTheRevocationIsAudited() throws {
        let server = try Self.shared.get()
        let admin = try server.admin()
        let key = try OAuth.client("rv-own", on: server)
        let token = try OAuth.accessToken("rv-own", key, on: server)
        let response = try OAuth.revoke(token, on: server, as: "rv-own", key)
        #expect(response.status == 200)
        #expect(try admin.ok("VALIDATE \(token)").value("reason") == "revoked")
        let jti = try #require(try JWT.payload(token)["jti"] as? String)
        let audit = try admin.send("AUDIT target=rv-own")
        #expect(audit.data.contains { $0.contains("action=oauth.revoke") && $0.contains("jti=\(jti)") && $0.hasSuffix("result=ok") })
    }

    @Test func aClientRevokesWithItsSecretInTheFormAndAHintIsIgnored() throws {
        let server = try Self.shared.get()
        let key = try OAuth.client("rv-post", on: server)
        let token = try OAuth.accessToken("rv-post", key, on: server)
        let body = OAuth.form([("token", token), ("token_type_hint", "refresh_token"), ("client_id", "rv-post"), ("client_secret", key)])
        #expect(try OAuth.post("/oauth/revoke", on: server, body).status == 200)
        #expect(try server.admin().ok("VALIDATE \(token)").value("reason") == "revoked")
    }

    @Test func anotherClientsTokenIsAnswered200AndStaysValid() throws {
        let server = try Self.shared.get()
        let owner = try OAuth.client("rv-owner", on: server)
        let other = try OAuth.client("rv-other", on: server)
        let token = try OAuth.accessToken("rv-owner", owner, on: server)
        #expect(try OAuth.revoke(token, on: server, as: "rv-other", other).status == 200)
        #expect(try server.admin().ok("VALIDATE \(token)").final.hasPrefix("OK VALID "))
        // A person's LOGIN token neither.
        try Fixture.person("rv-person", on: server)
        let login = try server.connect().login("rv-person")
        #expect(try OAuth.revoke(login, on: server, as: "rv-other", other).status == 200)
        #expect(try server.admin().ok("VALIDATE \(login)").final.hasPrefix("OK VALID "))
    }

    @Test(arguments: ["garbage", "a.b.c", "eyJhbGciOiJub25lIn0.e30."])
    func garbageIsAnswered200(_ token: String) throws {
        let server = try Self.shared.get()
        let key = try OAuth.client("rv-garbage-\(token.count)", on: server)
        #expect(try OAuth.revoke(token, on: server, as: "rv-garbage-\(token.count)", key).status == 200)
    }

    @Test func aRevokedTokenRevokedAgainIsAnswered200() throws {
        let server = try Self.shared.get()
        let key = try OAuth.client("rv-twice", on: server)
        let token = try OAuth.accessToken("rv-twice", key, on: server)
        #expect(try OAuth.revoke(token, on: server, as: "rv-twice", key).status == 200)
        #expect(try OAuth.revoke(token, on: server, as: "rv-twice", key).status == 200)
        let audit = try server.admin().send("AUDIT target=rv-twice")
        #expect(audit.data.filter { $0.contains("action=oauth.revoke") }.count == 1)
    }

    @Test func aMissingTokenIsInvalidRequest() throws {
        let server = try Self.shared.get()
        let key = try OAuth.client("rv-missing", on: server)
        let response = try OAuth.post("/oauth/revoke", on: server, "token_type_hint=access_token", headers: basic("rv-missing", key))
        #expect(response.status == 400)
        #expect(OAuth.error(response) == "invalid_request")
    }

    @Test func aWrongSecretIsInvalidClientRevokesNothingAndIsAudited() throws {
        let server = try Self.shared.get()
        let key = try OAuth.client("rv-wrong", on: server)
        let token = try OAuth.accessToken("rv-wrong", key, on: server)
        let response = try OAuth.revoke(token, on: server, as: "rv-wrong", "wk_not-the-key")
        #expect(response.status == 401)
        #expect(OAuth.error(response) == "invalid_client")
        #expect(response.headers["www-authenticate"]?.hasPrefix("Basic") == true)
        #expect(try server.admin().ok("VALIDATE \(token)").final.hasPrefix("OK VALID "))
        let audit = try server.admin().send("AUDIT target=rv-wrong")
        #expect(audit.data.contains { $0.contains("action=oauth.revoke") && $0.hasSuffix("result=failed") })
    }
}

import Foundation
import Testing

/// SPEC §13 `POST /oauth/token`: the client credentials grant (RFC 6749 §4.4) for a
/// service user with its API key, by HTTP Basic or in the form; RFC 6749 §5.1 replies
/// and §5.2 errors; every failure audited.
@Suite struct OAuthTokenTests {
    static let shared = SharedWarden { server in
        try server.admin().ok("SYSTEM ADD billing permissions=read,write,export")
    }

    @Test func aClientGetsATokenByHTTPBasic() throws {
        let server = try Self.shared.get()
        let key = try OAuth.client("oauth-basic", on: server, grants: ["billing read"])
        let response = try OAuth.token(on: server, [("audience", "billing")], headers: basic("oauth-basic", key))
        #expect(response.status == 200)
        #expect(response.headers["cache-control"] == "no-store")
        #expect(response.headers["content-type"]?.hasPrefix("application/json") == true)
        let body = try #require(response.json)
        #expect(body["token_type"] as? String == "Bearer")
        #expect(body["expires_in"] as? Int == 900)
        #expect(body["scope"] as? String == "read")
        let token = try #require(body["access_token"] as? String)
        #expect(try JWT.payload(token)["aud"] as? String == "billing")
    }

    @Test func aClientsTokensAreEachAuditedWhileItsLastLoginMovesOnceAMinute() throws {
        // Tokens asked for within a minute of the client's recorded sign-in write only
        // the token and its audit entry, so that they can share a commit.
        let server = try Self.shared.get()
        let key = try OAuth.client("oauth-burst", on: server, grants: ["billing read"])
        let admin = try server.admin()
        #expect(try OAuth.token(on: server, [("audience", "billing")], headers: basic("oauth-burst", key)).status == 200)
        let first = try admin.send("USER SHOW oauth-burst").fields["last-login"]
        #expect(first != nil && first != "never")
        Thread.sleep(forTimeInterval: 1.1)
        var jtis: Set<String> = []
        for _ in 0..<5 {
            let response = try OAuth.token(on: server, [("audience", "billing")], headers: basic("oauth-burst", key))
            let token = try #require(response.json?["access_token"] as? String)
            jtis.insert(try #require(try JWT.payload(token)["jti"] as? String))
            #expect(try admin.send("VALIDATE \(token)").final.hasPrefix("OK VALID"))
        }
        #expect(try admin.send("USER SHOW oauth-burst").fields["last-login"] == first)
        let issued = try admin.send("AUDIT actor=oauth-burst limit=100").rows.filter { $0["action"] == "oauth.token" && $0["result"] == "ok" }
        #expect(issued.count == 6)
        #expect(jtis.allSatisfy { jti in issued.contains { ($0["detail"] ?? "").contains("jti=\(jti)") } })
    }

    @Test func aClientGetsATokenWithItsSecretInTheForm() throws {
        let server = try Self.shared.get()
        let key = try OAuth.client("oauth-post", on: server, grants: ["billing read"])
        let response = try OAuth.token(on: server, [("client_id", "oauth-post"), ("client_secret", key), ("resource", "billing")])
        #expect(response.status == 200)
        #expect(try JWT.payload(try #require(response.json?["access_token"] as? String))["sub"] as? String == "oauth-post")
    }

    @Test func basicCredentialsAreFormDecodedFirst() throws {
        // RFC 6749 §2.3.1: the id and secret are form-urlencoded before base64 (authlib does).
        let server = try Self.shared.get()
        let key = try OAuth.client("oauth@encoded", on: server)
        let header = ["Authorization": "Basic " + Data("oauth%40encoded:\(key)".utf8).base64EncodedString()]
        #expect(try OAuth.token(on: server, [], headers: header).status == 200)
    }

    @Test func withoutAScopeTheTokenCarriesEveryPermissionHeldOfItsAudience() throws {
        let server = try Self.shared.get()
        let key = try OAuth.client("oauth-all", on: server, grants: ["billing read", "billing write", "warden check"])
        let response = try OAuth.token(on: server, [("audience", "billing")], headers: basic("oauth-all", key))
        #expect(response.json?["scope"] as? String == "read write")
        let warden = try OAuth.token(on: server, [], headers: basic("oauth-all", key))
        #expect(warden.json?["scope"] as? String == "check")
        #expect(try JWT.payload(try #require(warden.json?["access_token"] as? String))["aud"] as? String == "warden")
    }

    @Test func aClientHoldingNothingOfItsAudienceGetsATokenWithAnEmptyScope() throws {
        let server = try Self.shared.get()
        let key = try OAuth.client("oauth-nothing", on: server)
        let response = try OAuth.token(on: server, [], headers: basic("oauth-nothing", key))
        #expect(response.status == 200)
        #expect(response.json?["scope"] as? String == "")
    }

    @Test func theTokenCarriesOnlyThePermissionsAskedForThatTheClientHolds() throws {
        let server = try Self.shared.get()
        let key = try OAuth.client("oauth-some", on: server, grants: ["billing read", "billing export"])
        let response = try OAuth.token(on: server, [("audience", "billing"), ("scope", "write read")], headers: basic("oauth-some", key))
        #expect(response.status == 200)
        #expect(response.json?["scope"] as? String == "read")
    }

    @Test func aScopeTheClientHoldsNoneOfIsInvalidScopeAndAudited() throws {
        let server = try Self.shared.get()
        let key = try OAuth.client("oauth-noscope", on: server, grants: ["billing read"])
        let response = try OAuth.token(on: server, [("audience", "billing"), ("scope", "write export")], headers: basic("oauth-noscope", key))
        #expect(response.status == 400)
        #expect(OAuth.error(response) == "invalid_scope")
        #expect(response.headers["cache-control"] == "no-store")
        let audit = try server.admin().send("AUDIT target=oauth-noscope")
        #expect(audit.data.contains { $0.contains("action=oauth.token") && $0.contains("invalid_scope") && $0.hasSuffix("result=failed") })
    }

    @Test func aScopeThatIsNotPermissionNamesIsInvalidScope() throws {
        let server = try Self.shared.get()
        let key = try OAuth.client("oauth-badscope", on: server, grants: ["billing read"])
        let response = try OAuth.token(on: server, [("audience", "billing"), ("scope", "read \"x\"")], headers: basic("oauth-badscope", key))
        #expect(OAuth.error(response) == "invalid_scope")
    }

    @Test func anUnknownAudienceIsInvalidRequestOnceTheClientIsAuthenticated() throws {
        let server = try Self.shared.get()
        let key = try OAuth.client("oauth-noaud", on: server)
        let known = try OAuth.token(on: server, [("audience", "no-such-system")], headers: basic("oauth-noaud", key))
        #expect(known.status == 400)
        #expect(OAuth.error(known) == "invalid_request")
        // Before authentication, an unknown system is not told apart from a known one.
        let stranger = try OAuth.token(on: server, [("audience", "no-such-system")], headers: basic("oauth-noaud", "wk_wrong"))
        #expect(OAuth.error(stranger) == "invalid_client")
    }

    @Test func audienceAndResourceNamingDifferentSystemsIsInvalidRequest() throws {
        let server = try Self.shared.get()
        let key = try OAuth.client("oauth-twoaud", on: server)
        let response = try OAuth.token(on: server, [("audience", "billing"), ("resource", "warden")], headers: basic("oauth-twoaud", key))
        #expect(OAuth.error(response) == "invalid_request")
    }

    @Test(arguments: ["wrong-secret", "unknown-client", "disabled-client", "password", "person"])
    func aClientThatDoesNotAuthenticateIsInvalidClientWith401(_ case: String) throws {
        let server = try Self.shared.get()
        let admin = try server.admin()
        let name = "oauth-bad-\(`case`)"
        var secret = try OAuth.client(name, on: server)
        switch `case` {
        case "wrong-secret": secret = "wk_" + String(repeating: "A", count: 43)
        case "unknown-client": break
        case "disabled-client": try admin.ok("USER DISABLE \(name)")
        case "password":
            // A service user's password is not a client secret: only its API keys are.
            try admin.ok("USER PASSWD \(name) \(Fixture.password)")
            secret = Fixture.password
        default:
            try Fixture.person("\(name)-p", on: server)
            secret = Fixture.password
        }
        let client = `case` == "unknown-client" ? "oauth-nobody" : `case` == "person" ? "\(name)-p" : name
        for headers in [basic(client, secret), [:]] {
            let pairs = headers.isEmpty ? [("client_id", client), ("client_secret", secret)] : []
            let response = try OAuth.token(on: server, pairs, headers: headers)
            #expect(response.status == 401)
            #expect(OAuth.error(response) == "invalid_client")
            #expect(response.headers["www-authenticate"]?.hasPrefix("Basic") == true)
            #expect(response.json?["access_token"] == nil)
        }
        let audit = try admin.send("AUDIT target=\(`case` == "unknown-client" ? "oauth-nobody" : client)")
        #expect(audit.data.filter { $0.contains("action=oauth.token") && $0.hasSuffix("result=failed") }.count == 2)
    }

    @Test func noClientAuthenticationIsInvalidClient() throws {
        let server = try Self.shared.get()
        for pairs in [[], [("client_id", "oauth-basic")]] {
            let response = try OAuth.token(on: server, pairs)
            #expect(response.status == 401)
            #expect(OAuth.error(response) == "invalid_client")
        }
    }

    @Test func bothClientAuthenticationMethodsAtOnceAreInvalidRequest() throws {
        let server = try Self.shared.get()
        let key = try OAuth.client("oauth-both", on: server)
        let response = try OAuth.token(on: server, [("client_id", "oauth-both"), ("client_secret", key)], headers: basic("oauth-both", key))
        #expect(response.status == 400)
        #expect(OAuth.error(response) == "invalid_request")
    }

    @Test func aMissingGrantTypeIsInvalidRequestAndAnotherIsUnsupported() throws {
        let server = try Self.shared.get()
        let key = try OAuth.client("oauth-grant", on: server)
        let missing = try OAuth.post("/oauth/token", on: server, "scope=read", headers: basic("oauth-grant", key))
        #expect(missing.status == 400)
        #expect(OAuth.error(missing) == "invalid_request")
        for grant in ["password", "authorization_code", "refresh_token", "CLIENT_CREDENTIALS"] {
            let other = try OAuth.post("/oauth/token", on: server, "grant_type=\(grant)", headers: basic("oauth-grant", key))
            #expect(other.status == 400)
            #expect(OAuth.error(other) == "unsupported_grant_type")
        }
    }

    @Test(arguments: zip(["grant", "scope", "audience", "escape", "utf8"], [
        "grant_type=client_credentials&grant_type=client_credentials",
        "grant_type=client_credentials&scope=read&scope=write",
        "grant_type=client_credentials&audience=billing&audience=billing",
        "grant_type=client_credentials&bad=%zz",
        "grant_type=client_credentials&scope=%C3%28",
    ]))
    func aRepeatedParameterOrAMalformedBodyIsInvalidRequest(_ name: String, _ body: String) throws {
        let server = try Self.shared.get()
        let key = try OAuth.client("oauth-dup-\(name)", on: server, grants: ["billing read"])
        let response = try OAuth.post("/oauth/token", on: server, body, headers: basic("oauth-dup-\(name)", key))
        #expect(response.status == 400)
        #expect(OAuth.error(response) == "invalid_request")
    }

    @Test func aBodyThatIsNotFormDataIsInvalidRequest() throws {
        let server = try Self.shared.get()
        let key = try OAuth.client("oauth-json", on: server)
        let response = try OAuth.post("/oauth/token", on: server, #"{"grant_type":"client_credentials"}"#,
                                      headers: basic("oauth-json", key), contentType: "application/json")
        #expect(response.status == 400)
        #expect(OAuth.error(response) == "invalid_request")
    }

    @Test func anOversizeBodyIsRefusedWithAnOAuthError() throws {
        let server = try Self.shared.get()
        let body = "grant_type=client_credentials&pad=" + String(repeating: "a", count: 70 * 1024)
        let response = try OAuth.post("/oauth/token", on: server, body)
        #expect(response.status == 413)
        #expect(OAuth.error(response) == "invalid_request")
    }

    @Test func otherMethodsAreNotAllowed() throws {
        let server = try Self.shared.get()
        for path in ["/oauth/token", "/oauth/revoke"] {
            let response = try httpRequest(port: server.httpPort, method: "GET", path: path + "?grant_type=client_credentials")
            #expect(response.status == 405)
            #expect(response.headers["allow"] == "POST")
        }
    }

    @Test func anIssuedTokenIsAuditedWithItsAudienceScopeAndId() throws {
        let server = try Self.shared.get()
        let key = try OAuth.client("oauth-audited", on: server, grants: ["billing write"])
        let token = try OAuth.accessToken("oauth-audited", key, on: server, [("audience", "billing")])
        let jti = try #require(try JWT.payload(token)["jti"] as? String)
        let audit = try server.admin().send("AUDIT target=oauth-audited")
        let entry = try #require(audit.data.first { $0.contains("action=oauth.token") })
        #expect(entry.contains("actor=oauth-audited"))
        #expect(entry.contains("detail=\"aud=billing scope=write jti=\(jti)\""))
        #expect(entry.hasSuffix("result=ok"))
        #expect(!audit.data.joined().contains(key))
        #expect(!audit.data.joined().contains(token))
    }
}

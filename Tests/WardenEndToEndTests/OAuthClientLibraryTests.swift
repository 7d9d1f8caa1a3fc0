import Foundation
import Testing

/// SPEC §13 with the OAuth libraries services use: authlib's `OAuth2Session` and
/// requests-oauthlib's `BackendApplicationClient` fetch a token (both client
/// authentication methods), PyJWT verifies it against the JWKS the metadata names
/// (`typ` `at+jwt` checked), the client introspects it, revokes it, and sees it inactive.
@Suite(.enabled(if: OAuthLibraries.isAvailable, "authlib or requests-oauthlib is not installed: pip install authlib requests-oauthlib"))
struct OAuthClientLibraryTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("oauth/oauth_clients.py")

    static let shared = SharedWarden { server in
        try server.admin().ok("SYSTEM ADD orders permissions=read,write")
    }

    /// Runs the script; its JSON report.
    static func run(library: String, method: String, client: String, key: String, on server: WardenProcess,
                    audience: String?, scope: String?) throws -> [String: Any] {
        let request: [String: Any] = [
            "library": library, "base": "http://127.0.0.1:\(server.httpPort)", "client_id": client, "client_secret": key,
            "auth_method": method, "audience": audience ?? NSNull(), "scope": scope ?? NSNull(),
        ]
        let input = String(decoding: try JSONSerialization.data(withJSONObject: request), as: UTF8.self)
        let result = try Python.run([script.path], input: input)
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    @Test(arguments: ["authlib", "requests-oauthlib"], ["client_secret_basic", "client_secret_post"])
    func aLibraryFetchesVerifiesIntrospectsAndRevokesAToken(_ library: String, _ method: String) throws {
        let server = try Self.shared.get()
        let client = "lib-\(library == "authlib" ? "authlib" : "oauthlib")-\(method == "client_secret_basic" ? "basic" : "post")"
        let key = try OAuth.client(client, on: server, grants: ["orders read", "orders write", "warden introspect"])
        let report = try Self.run(library: library, method: method, client: client, key: key, on: server, audience: "orders", scope: "read")
        let token = try #require(report["token"] as? [String: Any])
        #expect(token["token_type"] as? String == "Bearer")
        #expect(token["scope"] as? String == "read" || token["scope"] as? [String] == ["read"])
        let header = try #require(report["header"] as? [String: Any])
        #expect(header["typ"] as? String == "at+jwt")
        let claims = try #require(report["claims"] as? [String: Any])
        #expect(claims["client_id"] as? String == client)
        #expect(claims["aud"] as? String == "orders")
        #expect(claims["scope"] as? String == "read")
        let introspection = try #require(report["introspection"] as? [Any])
        #expect(introspection.first as? Int == 200)
        #expect((introspection.last as? [String: Any])?["active"] as? Bool == true)
        #expect(report["revocation_status"] as? Int == 200)
        let after = try #require(report["introspection_after_revocation"] as? [Any])
        #expect((after.last as? [String: Any])?["active"] as? Bool == false)
        let accessToken = try #require(token["access_token"] as? String)
        #expect(try server.admin().ok("VALIDATE \(accessToken)").value("reason") == "revoked")
    }

    @Test func anES256ServerIssuesTokensTheLibrariesVerify() throws {
        let server = try WardenProcess(arguments: ["--token-alg", "ES256"])
        defer { server.terminate(); server.removeData() }
        let key = try OAuth.client("lib-es256", on: server, grants: ["warden introspect"])
        let report = try Self.run(library: "authlib", method: "client_secret_basic", client: "lib-es256", key: key, on: server,
                                  audience: nil, scope: nil)
        #expect((report["header"] as? [String: Any])?["alg"] as? String == "ES256")
        #expect((report["claims"] as? [String: Any])?["aud"] as? String == "warden")
        #expect((report["claims"] as? [String: Any])?["scope"] as? String == "introspect")
    }

    @Test func theMetadataNamesTheEndpointsAndTheTokensIssuer() throws {
        let server = try Self.shared.get()
        let base = "http://127.0.0.1:\(server.httpPort)"
        for path in ["/.well-known/oauth-authorization-server", "/.well-known/openid-configuration"] {
            let response = try httpRequest(port: server.httpPort, method: "GET", path: path)
            #expect(response.status == 200)
            let document = try #require(response.json)
            #expect(document["issuer"] as? String == "warden")
            #expect(document["token_endpoint"] as? String == base + "/oauth/token")
            #expect(document["revocation_endpoint"] as? String == base + "/oauth/revoke")
            #expect(document["introspection_endpoint"] as? String == base + "/introspect")
            #expect(document["jwks_uri"] as? String == base + "/.well-known/jwks.json")
            #expect(document["grant_types_supported"] as? [String] == ["client_credentials"])
            #expect(document["token_endpoint_auth_methods_supported"] as? [String] == ["client_secret_basic", "client_secret_post"])
            #expect((document["response_types_supported"] as? [String])?.isEmpty == false)
        }
        let openID = try #require(try httpRequest(port: server.httpPort, method: "GET", path: "/.well-known/openid-configuration").json)
        #expect(openID["id_token_signing_alg_values_supported"] as? [String] == ["EdDSA"])
        #expect(openID["subject_types_supported"] as? [String] == ["public"])
        // The issuer the documents name is the one the tokens carry.
        let key = try OAuth.client("lib-issuer", on: server)
        let token = try OAuth.accessToken("lib-issuer", key, on: server)
        #expect(try JWT.payload(token)["iss"] as? String == openID["issuer"] as? String)
    }

    /// RFC 8414's checks, as authlib makes them. (authlib's OpenID Provider checks ask
    /// for RS256 ID tokens and an authorization endpoint: Warden is no OpenID Provider,
    /// and its OpenID configuration serves discovery clients such as go-oidc.)
    @Test func authlibValidatesTheMetadataOfAServerWithAnHTTPSIssuer() throws {
        let server = try WardenProcess(arguments: ["--issuer", "https://warden.example"])
        defer { server.terminate(); server.removeData() }
        let script = """
            import json, sys, urllib.request
            from authlib.oauth2.rfc8414 import AuthorizationServerMetadata
            document = json.load(urllib.request.urlopen(sys.argv[1] + "/.well-known/oauth-authorization-server"))
            AuthorizationServerMetadata(document).validate()
            assert document["issuer"] == "https://warden.example", document["issuer"]
            print("ok")
            """
        let result = try Python.run(["-c", script, "http://127.0.0.1:\(server.httpPort)"], input: "")
        #expect(result.status == 0, "\(result.stderr)")
    }
}

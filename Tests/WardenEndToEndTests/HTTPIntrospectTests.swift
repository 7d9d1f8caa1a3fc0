import Foundation
import Testing

/// SPEC §3 `POST /introspect` (RFC 7662): HTTP Basic with a password or an API key
/// of a user holding `warden introspect`; a token that is not valid says nothing
/// but `{"active":false}`.
@Suite struct HTTPIntrospectTests {
    static let shared = SharedWarden { server in
        try Fixture.person("subject", on: server)
    }

    private func introspect(_ token: String, on server: WardenProcess, as credentials: [String: String]) throws -> HTTPResponse {
        var headers = credentials
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        return try httpRequest(port: server.httpPort, method: "POST", path: "/introspect", headers: headers, body: "token=\(token)")
    }

    @Test func anAdminLearnsTheClaimsOfAValidToken() throws {
        let server = try Self.shared.get()
        let token = try server.connect().login("subject")
        let response = try introspect(token, on: server, as: basic("admin", WardenProcess.adminPassword))
        #expect(response.status == 200)
        let body = try #require(response.json)
        let claims = try JWT.payload(token)
        #expect(body["active"] as? Bool == true)
        #expect(body["sub"] as? String == "subject")
        #expect(body["aud"] as? String == "warden")
        #expect(body["iss"] as? String == "warden")
        #expect(body["jti"] as? String == claims["jti"] as? String)
        #expect(body["exp"] as? Int == claims["exp"] as? Int)
        #expect(body["iat"] as? Int == claims["iat"] as? Int)
    }

    @Test func aServiceWithAnAPIKeyAndIntrospectMayIntrospect() throws {
        let server = try Self.shared.get()
        let admin = try server.admin()
        try admin.ok("USER ADD http-gateway kind=service")
        try admin.ok("GRANT http-gateway warden introspect")
        let key = try #require(try admin.ok("APIKEY CREATE http-gateway").value("key"))
        let token = try server.connect().login("subject")
        let response = try introspect(token, on: server, as: basic("http-gateway", key))
        #expect(response.status == 200)
        #expect(response.json?["active"] as? Bool == true)
    }

    @Test func aRequestWithoutCredentialsIsUnauthorized() throws {
        let server = try Self.shared.get()
        let response = try introspect("x.y.z", on: server, as: [:])
        #expect(response.status == 401)
        #expect(response.headers["www-authenticate"]?.hasPrefix("Basic") == true)
    }

    @Test func aWrongPasswordIsUnauthorizedAndAudited() throws {
        let server = try Self.shared.get()
        let admin = try server.admin()
        try Fixture.person("http-wrong", on: server)
        let response = try introspect("x.y.z", on: server, as: basic("http-wrong", "Wrong-Password-123"))
        #expect(response.status == 401)
        // http-wrong never used the line protocol, so a failed entry about them is the HTTP attempt.
        let audit = try admin.send("AUDIT target=http-wrong")
        #expect(audit.data.contains { $0.contains(" target=http-wrong ") && $0.hasSuffix(" result=failed") })
    }

    @Test func aUserWithoutIntrospectIsForbidden() throws {
        let server = try Self.shared.get()
        try Fixture.person("http-plain", on: server)
        let token = try server.connect().login("subject")
        let response = try introspect(token, on: server, as: basic("http-plain", Fixture.password))
        #expect(response.status == 403)
        #expect(response.json?["active"] == nil)
    }

    @Test(arguments: ["garbage", "revoked", "disabled", "forged"])
    func aTokenThatIsNotValidIsJustInactive(kind: String) throws {
        let server = try Self.shared.get()
        let admin = try server.admin()
        let user = "http-\(kind)"
        try Fixture.person(user, on: server)
        var token = try admin.login(user)
        switch kind {
        case "garbage": token = "not-a-token"
        case "revoked": try admin.ok("TOKEN REVOKE \(token)")
        case "disabled": try admin.ok("USER DISABLE \(user)")
        default: token = try JWT.withPayload(token) { $0["sub"] = "admin" }
        }
        let response = try introspect(token, on: server, as: basic("admin", WardenProcess.adminPassword))
        #expect(response.status == 200)
        #expect(response.body == #"{"active":false}"#)
    }
}

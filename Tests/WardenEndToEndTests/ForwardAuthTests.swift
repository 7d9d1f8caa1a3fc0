import Foundation
import Testing

/// SPEC §13 `GET /forward-auth?system=S&permission=P`: `200` with `X-Warden-User` and
/// `X-Warden-Token-Id` for a valid token (aud `S` or `warden`) whose user `CHECK`
/// allows; `401` with a `Bearer` challenge without one; `403` when access is denied;
/// `400` when the query does not say what to check.
@Suite struct ForwardAuthTests {
    static let shared = SharedWarden { server in
        let admin = try server.admin()
        try admin.ok("SYSTEM ADD wiki permissions=read,edit")
        try admin.ok("SYSTEM ADD crm permissions=read")
        try admin.ok("ROLE ADD wiki-reader")
        try admin.ok("ROLE GRANT wiki-reader wiki read")
    }

    @Test func aValidTokenWhoseUserHoldsThePermissionIsAllowed() throws {
        let server = try Self.shared.get()
        try Fixture.person("fa-reader", on: server)
        try server.admin().ok("GRANT fa-reader wiki-reader")
        let token = try server.connect().login("fa-reader")
        let response = try OAuth.forwardAuth("system=wiki&permission=read", token: token, on: server)
        #expect(response.status == 200)
        #expect(response.headers["x-warden-user"] == "fa-reader")
        #expect(response.headers["x-warden-token-id"] == (try JWT.payload(token)["jti"] as? String))
        #expect(response.headers["cache-control"] == "no-store")
    }

    @Test func aTokenForTheSystemItselfIsAllowedAndOneForAnotherIsNot() throws {
        let server = try Self.shared.get()
        try Fixture.person("fa-aud", on: server)
        let admin = try server.admin()
        try admin.ok("GRANT fa-aud wiki read")
        try admin.ok("GRANT fa-aud crm read")
        let forWiki = try server.connect().login("fa-aud", Fixture.password, "aud=wiki")
        #expect(try OAuth.forwardAuth("system=wiki&permission=read", token: forWiki, on: server).status == 200)
        let other = try OAuth.forwardAuth("system=crm&permission=read", token: forWiki, on: server)
        #expect(other.status == 401)
        #expect(other.headers["www-authenticate"] == #"Bearer realm="warden", error="invalid_token""#)
    }

    @Test func aValidTokenWhoseUserLacksThePermissionIsForbidden() throws {
        let server = try Self.shared.get()
        try Fixture.person("fa-denied", on: server)
        try server.admin().ok("GRANT fa-denied wiki-reader")
        let token = try server.connect().login("fa-denied")
        let response = try OAuth.forwardAuth("system=wiki&permission=edit", token: token, on: server)
        #expect(response.status == 403)
        #expect(response.headers["x-warden-user"] == nil)
        // An unknown system or permission is denied the same way CHECK denies it.
        #expect(try OAuth.forwardAuth("system=nowhere&permission=read", token: token, on: server).status == 403)
    }

    @Test func noTokenIsUnauthorizedWithABearerChallenge() throws {
        let server = try Self.shared.get()
        let response = try OAuth.forwardAuth("system=wiki&permission=read", token: nil, on: server)
        #expect(response.status == 401)
        #expect(response.headers["www-authenticate"] == #"Bearer realm="warden""#)
        let basicInstead = try httpRequest(port: server.httpPort, method: "GET", path: "/forward-auth?system=wiki&permission=read",
                                           headers: basic("admin", WardenProcess.adminPassword))
        #expect(basicInstead.status == 401)
    }

    @Test(arguments: ["garbage", "revoked", "disabled", "forged", "expired"])
    func aTokenThatIsNotValidIsUnauthorized(_ kind: String) throws {
        let server = try Self.shared.get()
        let admin = try server.admin()
        let user = "fa-\(kind)"
        try Fixture.person(user, on: server)
        try admin.ok("GRANT \(user) wiki-reader")
        var token = try admin.login(user, Fixture.password, kind == "expired" ? "ttl=1s" : "")
        switch kind {
        case "garbage": token = "not-a-token"
        case "revoked": try admin.ok("TOKEN REVOKE \(token)")
        case "disabled": try admin.ok("USER DISABLE \(user)")
        case "forged": token = try JWT.withPayload(token) { $0["sub"] = "admin" }
        default: Thread.sleep(forTimeInterval: 2.1)
        }
        let response = try OAuth.forwardAuth("system=wiki&permission=read", token: token, on: server)
        #expect(response.status == 401)
        #expect(response.headers["www-authenticate"] == #"Bearer realm="warden", error="invalid_token""#)
        #expect(response.headers["x-warden-user"] == nil)
    }

    @Test(arguments: [
        "", "system=wiki", "permission=read", "system=wiki&permission=read&permission=edit",
        "system=wiki&system=crm&permission=read", "system=wi%zzki&permission=read", "system=Wiki%20Pages&permission=read",
    ])
    func aQueryThatDoesNotNameOneSystemAndPermissionIsABadRequest(_ query: String) throws {
        let server = try Self.shared.get()
        try Fixture.person("fa-query-\(query.count)", on: server)
        let token = try server.connect().login("fa-query-\(query.count)")
        #expect(try OAuth.forwardAuth(query, token: token, on: server).status == 400)
    }

    @Test func anOAuthTokenForTheSystemIsLimitedToItsScope() throws {
        let server = try Self.shared.get()
        let key = try OAuth.client("fa-client", on: server, grants: ["wiki read", "wiki edit"])
        let token = try OAuth.accessToken("fa-client", key, on: server, [("audience", "wiki"), ("scope", "read")])
        let read = try OAuth.forwardAuth("system=wiki&permission=read", token: token, on: server)
        #expect(read.status == 200)
        #expect(read.headers["x-warden-user"] == "fa-client")
        // The client holds edit, but asked for a token that carries read only.
        #expect(try OAuth.forwardAuth("system=wiki&permission=edit", token: token, on: server).status == 403)
    }

    @Test func anOAuthTokenLosesWhatItsClientLoses() throws {
        let server = try Self.shared.get()
        let key = try OAuth.client("fa-client-revoked", on: server, grants: ["wiki read"])
        let token = try OAuth.accessToken("fa-client-revoked", key, on: server, [("audience", "wiki")])
        #expect(try OAuth.forwardAuth("system=wiki&permission=read", token: token, on: server).status == 200)
        try server.admin().ok("REVOKE fa-client-revoked wiki read")
        #expect(try OAuth.forwardAuth("system=wiki&permission=read", token: token, on: server).status == 403)
    }

    @Test func anyMethodIsAnsweredAsAProxyMayForwardIt() throws {
        let server = try Self.shared.get()
        try Fixture.person("fa-methods", on: server)
        try server.admin().ok("GRANT fa-methods wiki read")
        let token = try server.connect().login("fa-methods")
        for method in ["HEAD", "POST", "PUT", "DELETE"] {
            #expect(try OAuth.forwardAuth("system=wiki&permission=read", token: token, on: server, method: method).status == 200)
        }
    }

    @Test func decisionsAreCountedInTheMetrics() throws {
        let server = try Self.shared.get()
        _ = try OAuth.forwardAuth("system=wiki&permission=read", token: nil, on: server)
        let metrics = try httpRequest(port: server.httpPort, method: "GET", path: "/metrics").body
        let line = try #require(metrics.split(separator: "\n").first { $0.hasPrefix("warden_forward_auth_unauthorized_total ") })
        #expect((Int(line.split(separator: " ").last ?? "") ?? 0) >= 1)
    }
}

import Foundation
import Testing

/// SPEC §13 forward-auth behind a real reverse proxy: Debian's nginx, its
/// `auth_request` pointed at `/forward-auth?system=wiki&permission=read`, in front of
/// a tiny application that echoes the identity nginx passes on.
@Suite(.enabled(if: NginxFrontEnd.isAvailable, "nginx is not installed: apt-get install nginx-light"))
struct ForwardAuthNginxTests {
    @Test func nginxPassesAllowedRequestsWithTheUserAndAnswers401And403ForTheRest() throws {
        let server = try WardenProcess()
        defer { server.terminate(); server.removeData() }
        let admin = try server.admin()
        try admin.ok("SYSTEM ADD wiki permissions=read,edit")
        try Fixture.person("nginx-reader", on: server)
        try Fixture.person("nginx-stranger", on: server)
        try admin.ok("GRANT nginx-reader wiki read")
        let nginx = try NginxFrontEnd(wardenHTTPPort: server.httpPort)
        defer { nginx.stop() }

        let token = try server.connect().login("nginx-reader", Fixture.password, "aud=wiki")
        let allowed = try nginx.get("/pages/home", token: token)
        #expect(allowed.status == 200, "\(nginx.errorLog)")
        let jti = try #require(try JWT.payload(token)["jti"] as? String)
        #expect(allowed.body == "upstream user=nginx-reader token=\(jti)\n")

        let missing = try nginx.get("/pages/home", token: nil)
        #expect(missing.status == 401)
        #expect(missing.headers["www-authenticate"] == #"Bearer realm="warden""#)
        #expect(!missing.body.contains("upstream"))

        let garbage = try nginx.get("/pages/home", token: "not-a-token")
        #expect(garbage.status == 401)

        let stranger = try server.connect().login("nginx-stranger")
        let denied = try nginx.get("/pages/home", token: stranger)
        #expect(denied.status == 403)
        #expect(!denied.body.contains("upstream"))

        // Offboarding reaches the application at once.
        try admin.ok("USER DISABLE nginx-reader")
        #expect(try nginx.get("/pages/home", token: token).status == 401)
    }

    @Test func aClientsOAuthTokenGetsThroughNginx() throws {
        let server = try WardenProcess()
        defer { server.terminate(); server.removeData() }
        try server.admin().ok("SYSTEM ADD wiki permissions=read,edit")
        let key = try OAuth.client("nginx-service", on: server, grants: ["wiki read"])
        let token = try OAuth.accessToken("nginx-service", key, on: server, [("audience", "wiki"), ("scope", "read")])
        let nginx = try NginxFrontEnd(wardenHTTPPort: server.httpPort)
        defer { nginx.stop() }
        let response = try nginx.get("/api/items", token: token)
        #expect(response.status == 200, "\(nginx.errorLog)")
        #expect(response.body.hasPrefix("upstream user=nginx-service "))
        // Revoked by the client itself: nginx stops letting it through.
        #expect(try OAuth.revoke(token, on: server, as: "nginx-service", key).status == 200)
        #expect(try nginx.get("/api/items", token: token).status == 401)
    }
}

import Foundation
import Testing

/// SPEC §12's authentication and errors: a Bearer API key, the caller's permissions
/// (audited refusals), the body's type and size, and RFC 7644 §3.12 error bodies.
@Suite struct SCIMAuthTests {
    static let shared = SharedWarden()

    @Test func noKeyOrABadKeyIsUnauthorized() throws {
        let server = try Self.shared.get()
        let none = try httpRequest(port: server.httpPort, method: "GET", path: "/scim/v2/Users")
        #expect(none.status == 401)
        #expect(none.headers["content-type"] == "application/scim+json")
        #expect(none.json?["status"] as? String == "401")
        let scim = try SCIMClient.provision("scim-auth", on: server)
        let wrong = SCIMClient(port: server.httpPort, key: scim.key + "x")
        #expect(try wrong.send("GET", "/Users").status == 401)
        let basic = try httpRequest(port: server.httpPort, method: "GET", path: "/scim/v2/Users",
                                    headers: ["Authorization": "Basic " + Data("scim-auth:\(scim.key)".utf8).base64EncodedString()])
        #expect(basic.status == 401)
        // A password is not an API key.
        let password = SCIMClient(port: server.httpPort, key: WardenProcess.adminPassword)
        #expect(try password.send("GET", "/Users").status == 401)
        let failures = try server.admin().send("AUDIT limit=1000")
        #expect(failures.data.contains { $0.contains("action=scim ") && $0.contains("result=failed") })
    }

    @Test func aDisabledServiceUsersKeyStopsWorking() throws {
        let server = try Self.shared.get()
        let scim = try SCIMClient.provision("scim-disabled", on: server)
        #expect(try scim.send("GET", "/Users?count=0").status == 200)
        try server.admin().ok("USER DISABLE scim-disabled")
        #expect(try scim.send("GET", "/Users?count=0").status == 401)
    }

    @Test func aMissingPermissionIsForbiddenAndAuditedAsDenied() throws {
        let server = try Self.shared.get()
        let reader = try SCIMClient.provision("scim-roles-only", permissions: ["role-admin"], on: server)
        let users = try reader.send("POST", "/Users", #"{"userName":"nope-user"}"#)
        #expect(users.status == 403)
        #expect(users.json?["status"] as? String == "403")
        #expect(try reader.send("GET", "/Users").status == 403)
        #expect(try reader.send("GET", "/Groups").status == 200)
        let audit = try server.admin().send("AUDIT actor=scim-roles-only")
        #expect(audit.data.contains { $0.contains("result=denied") && $0.contains("user-admin") })
        _ = try server.admin().expectError("NOT-FOUND", "USER SHOW nope-user")
    }

    @Test func anAdminOfUsersCannotActOnAWardenAdministrator() throws {
        let server = try Self.shared.get()
        let scim = try SCIMClient.provision("scim-junior", permissions: ["user-admin"], on: server)
        let admin = try scim.list("Users", filter: #"userName eq "admin""#).resources.first
        let id = try #require(admin?.scimID)
        let response = try scim.send("PATCH", "/Users/\(id)", SCIMClient.patchBody(#"{"op":"replace","path":"active","value":false}"#))
        #expect(response.status == 403)
        #expect(try server.admin().ok("USER SHOW admin").value("status") == "active")
    }

    @Test func bodiesMustBeJSONOfAtMostOneMebibyte() throws {
        let server = try Self.shared.get()
        let scim = try SCIMClient.provision("scim-bodies", on: server)
        let text = try scim.send("POST", "/Users", #"{"userName":"typed"}"#, headers: ["Content-Type": "text/plain"])
        #expect(text.status == 415)
        let json = try scim.send("POST", "/Users", #"{"userName":"typed"}"#, headers: ["Content-Type": "application/json; charset=utf-8"])
        #expect(json.status == 201)
        let broken = try scim.send("POST", "/Users", #"{"userName":"#)
        #expect(broken.status == 400)
        #expect(broken.scimType == "invalidSyntax")
        // Over 64 KiB (the limit elsewhere) and under 1 MiB: accepted.
        let padding = String(repeating: "x", count: 200_000)
        let large = try scim.send("POST", "/Users", #"{"userName":"large-body","nickName":"\#(padding)"}"#)
        #expect(large.status == 201)
        let huge = try scim.send("POST", "/Users", #"{"userName":"huge-body","nickName":"\#(String(repeating: "x", count: 1_100_000))"}"#)
        #expect(huge.status == 413)
        #expect(huge.headers["content-type"] == "application/scim+json")
        // Elsewhere the limit stays 64 KiB.
        let introspect = try httpRequest(port: server.httpPort, method: "POST", path: "/introspect",
                                         headers: ["Content-Type": "application/x-www-form-urlencoded"], body: "token=" + padding)
        #expect(introspect.status == 413)
    }

    @Test func unknownEndpointsAndMethodsAreSCIMErrors() throws {
        let server = try Self.shared.get()
        let scim = try SCIMClient.provision("scim-routes", on: server)
        #expect(try scim.send("GET", "/Nothing").status == 404)
        #expect(try scim.send("GET", "/Users/abc").status == 404)
        #expect(try scim.send("GET", "/Users/999999").status == 404)
        let method = try scim.send("POST", "/Users/1", "{}")
        #expect(method.status == 405)
        #expect(method.headers["content-type"] == "application/scim+json")
    }
}

/// SPEC §12: key failures are throttled like every credential check (§2.4), on a server
/// of their own (the bucket of keys that match no user is one per source).
@Suite struct SCIMThrottleTests {
    @Test func repeatedBadKeysFromOneSourceAreSlowedDown() throws {
        let server = try WardenProcess()
        defer { server.stop() }
        let bad = SCIMClient(port: server.httpPort, key: "wk_not-a-key-of-anyone")
        for _ in 1...5 { #expect(try bad.send("GET", "/Users").status == 401) }
        let (response, seconds) = try Fixture.timed { try bad.send("GET", "/Users") }
        #expect(response.status == 401)
        #expect(seconds >= 0.9)
        // A valid key from the same source still works (its user's bucket is its own).
        let good = try SCIMClient.provision("scim-throttle", on: server)
        #expect(try good.send("GET", "/Users?count=0").status == 200)
    }
}

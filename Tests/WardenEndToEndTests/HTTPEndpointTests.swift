import Foundation
import Testing

/// SPEC §3: the read-only HTTP endpoints for validators and operators.
@Suite struct HTTPEndpointTests {
    static let shared = SharedWarden()

    @Test func healthzAnswersOK() throws {
        let server = try Self.shared.get()
        let response = try httpRequest(port: server.httpPort, method: "GET", path: "/healthz")
        #expect(response.status == 200)
        #expect(response.body.trimmingCharacters(in: .whitespacesAndNewlines) == "ok")
    }

    @Test func theKeySetPublishesTheSigningKeyWithoutPrivateParts() throws {
        let server = try Self.shared.get()
        let response = try httpRequest(port: server.httpPort, method: "GET", path: "/.well-known/jwks.json")
        #expect(response.status == 200)
        #expect(response.headers["content-type"]?.hasPrefix("application/json") == true)
        let keys = try #require(response.json?["keys"] as? [[String: Any]])
        let key = try #require(keys.first)
        let kid = try #require(try server.admin().send("KEY LIST").data.first.flatMap { WireReply.value("kid", in: $0) })
        #expect(keys.count == 1)
        #expect(key["kid"] as? String == kid)
        #expect(key["kty"] as? String == "OKP")
        #expect(key["crv"] as? String == "Ed25519")
        #expect(key["alg"] as? String == "EdDSA")
        #expect(key["use"] as? String == "sig")
        #expect(key["x"] is String)
        #expect(key["d"] == nil)
    }

    @Test func theDiscoveryDocumentNamesIssuerKeySetAndIntrospection() throws {
        let server = try Self.shared.get()
        let response = try httpRequest(port: server.httpPort, method: "GET", path: "/.well-known/openid-configuration")
        #expect(response.status == 200)
        let document = try #require(response.json)
        let base = "http://127.0.0.1:\(server.httpPort)"
        #expect(document["issuer"] as? String == "warden")
        #expect(document["jwks_uri"] as? String == base + "/.well-known/jwks.json")
        #expect(document["introspection_endpoint"] as? String == base + "/introspect")
    }

    @Test func metricsAreServedAsPrometheusText() throws {
        let server = try Self.shared.get()
        try Fixture.person("http-metrics", on: server)
        let connection = try server.connect()
        _ = try connection.login("http-metrics")
        _ = try connection.send("LOGIN http-metrics Wrong-Password-123")
        let response = try httpRequest(port: server.httpPort, method: "GET", path: "/metrics")
        #expect(response.status == 200)
        #expect(response.headers["content-type"]?.hasPrefix("text/plain") == true)
        for name in ["warden_commands_total{", "warden_command_duration_seconds_bucket{", "warden_connections ",
                     "warden_logins_ok_total ", "warden_logins_failed_total ", "warden_tokens_issued_total "] {
            #expect(response.body.contains("\n" + name), "missing \(name)")
        }
        #expect(Self.counter("warden_logins_failed_total", in: response.body) ?? 0 >= 1)
        #expect(Self.counter("warden_tokens_issued_total", in: response.body) ?? 0 >= 1)
    }

    @Test func anUnknownPathIsNotFound() throws {
        let server = try Self.shared.get()
        #expect(try httpRequest(port: server.httpPort, method: "GET", path: "/no/such/thing").status == 404)
    }

    /// The value of an unlabelled series.
    static func counter(_ name: String, in text: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Double($0.split(separator: " ")[1]) }
    }
}

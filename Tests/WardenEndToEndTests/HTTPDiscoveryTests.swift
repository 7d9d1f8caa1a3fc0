import Foundation
import Testing

/// The discovery document's URLs come from the server's configuration, never from the
/// request's `Host` header (issue #11): a client must not be able to make Warden
/// advertise another server's key set.
@Suite struct HTTPDiscoveryTests {
    static func discovery(_ server: WardenProcess, host: String? = nil) throws -> [String: Any] {
        let response = try httpRequest(port: server.httpPort, method: "GET", path: "/.well-known/openid-configuration",
                                       headers: host.map { ["Host": $0] } ?? [:])
        #expect(response.status == 200)
        return try #require(response.json)
    }

    @Test func aForgedHostHeaderDoesNotMoveTheURLs() throws {
        let server = try WardenProcess()
        defer { server.stopAndClean() }
        let document = try Self.discovery(server, host: "evil.example")
        #expect(document["jwks_uri"] as? String == "http://127.0.0.1:\(server.httpPort)/.well-known/jwks.json")
        #expect(document["introspection_endpoint"] as? String == "http://127.0.0.1:\(server.httpPort)/introspect")
    }

    @Test func thePublicURLIsUsedWhenGiven() throws {
        let server = try WardenProcess(arguments: ["--public-url", "https://id.example.com/"])
        defer { server.stopAndClean() }
        let document = try Self.discovery(server, host: "evil.example")
        #expect(document["jwks_uri"] as? String == "https://id.example.com/.well-known/jwks.json")
        #expect(document["introspection_endpoint"] as? String == "https://id.example.com/introspect")
    }

    @Test(arguments: ["ftp://id.example.com", "https://", "https://id.example.com/?x=1", "https://user@id.example.com", "id.example.com"])
    func aMalformedPublicURLIsRefusedAtStart(_ url: String) throws {
        let result = try runWarden(["serve", "--data", WardenProcess.temporaryDirectory().path, "--public-url", url])
        #expect(result.status != 0)
        #expect(result.stderr.contains("--public-url"), "\(result.stderr)")
    }
}

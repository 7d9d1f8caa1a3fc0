import Foundation
import Testing

/// SPEC §12's discovery endpoints (RFC 7643 §5–§7), true to what Warden does, and what a
/// SCIM resource keeps across a restart (externalId, lastModified: stored, not in memory only).
@Suite struct SCIMDiscoveryTests {
    static let shared = SharedWarden()

    @Test func theServiceProviderConfigSaysWhatIsSupported() throws {
        let server = try Self.shared.get()
        let scim = try SCIMClient.provision("scim-discovery", permissions: [], on: server)
        let config = try #require(try scim.send("GET", "/ServiceProviderConfig").json)
        #expect((config["patch"] as? [String: Any])?["supported"] as? Bool == true)
        #expect((config["bulk"] as? [String: Any])?["supported"] as? Bool == false)
        #expect((config["filter"] as? [String: Any])?["supported"] as? Bool == true)
        #expect((config["filter"] as? [String: Any])?["maxResults"] as? Int == 1000)
        #expect((config["etag"] as? [String: Any])?["supported"] as? Bool == true)
        #expect((config["sort"] as? [String: Any])?["supported"] as? Bool == false)
        #expect((config["authenticationSchemes"] as? [[String: Any]])?.first?["type"] as? String == "oauthbearertoken")
        let schemas = try scim.send("GET", "/Schemas")
        #expect(Set(schemas.resources.compactMap { $0["id"] as? String })
            == ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:core:2.0:Group"])
        let user = try #require(try scim.send("GET", "/Schemas/urn:ietf:params:scim:schemas:core:2.0:User").json)
        let attributes = (user["attributes"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        #expect(attributes.contains("userName") && attributes.contains("emails") && attributes.contains("active"))
        #expect(!attributes.contains("id"))
        let types = try scim.send("GET", "/ResourceTypes")
        #expect(Set(types.resources.compactMap { $0["endpoint"] as? String }) == ["/Users", "/Groups"])
        #expect(try scim.send("GET", "/ResourceTypes/Group").json?["schema"] as? String == "urn:ietf:params:scim:schemas:core:2.0:Group")
        #expect(try scim.send("GET", "/Me").status == 501)
    }

    @Test func externalIDsAndTimesSurviveARestart() throws {
        let first = try WardenProcess()
        let scim = try SCIMClient.provision("scim-restart", on: first)
        let user = try scim.createUser("kept-user", externalID: "EXT-KEPT")
        let created = try #require((user["meta"] as? [String: Any])?["created"] as? String)
        Thread.sleep(forTimeInterval: 0.01)
        let patched = try #require(try scim.send("PATCH", "/Users/\(user.scimID)",
                                                 SCIMClient.patchBody(#"{"op":"replace","path":"displayName","value":"Kept"}"#)).json)
        let modified = try #require((patched["meta"] as? [String: Any])?["lastModified"] as? String)
        #expect(modified >= created)
        let group = try scim.send("POST", "/Groups", #"{"displayName":"kept-group","externalId":"G-KEPT"}"#)
        #expect(group.status == 201)
        #expect(first.terminate() == 0)
        let again = try WardenProcess(dataDirectory: first.dataDirectory)
        defer { again.stop() }
        let restarted = SCIMClient(port: again.httpPort, key: scim.key)
        let reread = try #require(try restarted.send("GET", "/Users/\(user.scimID)").json)
        #expect(reread["externalId"] as? String == "EXT-KEPT")
        #expect((reread["meta"] as? [String: Any])?["lastModified"] as? String == modified)
        #expect((reread["meta"] as? [String: Any])?["version"] as? String == (patched["meta"] as? [String: Any])?["version"] as? String)
        #expect(try restarted.send("GET", "/Groups/kept-group").json?["externalId"] as? String == "G-KEPT")
        #expect(try restarted.list("Users", filter: #"externalId eq "EXT-KEPT""#).resources.map(\.scimID) == [user.scimID])
    }
}

import Foundation
import Testing

/// SPEC §12 `/scim/v2/Users` on the real server: each endpoint, what a resource holds,
/// filters, pages, attribute selection, versions, and what a change does to the user.
@Suite struct SCIMUserTests {
    static let shared = SharedWarden()

    private func client(_ name: String) throws -> (WardenProcess, SCIMClient) {
        let server = try Self.shared.get()
        return (server, try SCIMClient.provision(name, on: server))
    }

    @Test func aCreatedUserHasAStableNumericIDAndEveryAttribute() throws {
        let (server, scim) = try client("scim-create")
        let response = try scim.send("POST", "/Users", #"""
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"Ann.Lee@Example.com","externalId":"00uANN",
             "name":{"formatted":"Ann Lee","givenName":"Ann","familyName":"Lee"},"emails":[{"value":"ann@example.com","type":"work","primary":true}],
             "active":true}
            """#)
        #expect(response.status == 201)
        #expect(response.headers["content-type"] == "application/scim+json")
        let user = try #require(response.json)
        let id = user.scimID
        #expect(Int(id) != nil)
        #expect(user["userName"] as? String == "ann.lee@example.com")
        #expect(user["displayName"] as? String == "Ann Lee")
        #expect((user["name"] as? [String: Any])?["formatted"] as? String == "Ann Lee")
        #expect(user.primaryEmail == "ann@example.com")
        #expect(user["active"] as? Bool == true)
        #expect(user["externalId"] as? String == "00uANN")
        let meta = try #require(user["meta"] as? [String: Any])
        #expect(meta["resourceType"] as? String == "User")
        #expect((meta["location"] as? String)?.hasSuffix("/scim/v2/Users/\(id)") == true)
        #expect(response.headers["location"] == meta["location"] as? String)
        #expect(response.headers["etag"] == meta["version"] as? String)
        #expect((meta["version"] as? String)?.hasPrefix("W/\"") == true)
        #expect(meta["created"] as? String == meta["lastModified"] as? String)
        // The line protocol sees the same user.
        let shown = try server.admin().ok("USER SHOW ann.lee@example.com")
        #expect(shown.final.contains(#"name="Ann Lee""#))
        #expect(shown.value("email") == "ann@example.com")
        let fetched = try scim.send("GET", "/Users/\(id)")
        #expect(fetched.status == 200)
        #expect(fetched.json?["userName"] as? String == "ann.lee@example.com")
    }

    @Test func aTakenUserNameIsAUniquenessConflict() throws {
        let (_, scim) = try client("scim-unique")
        try scim.createUser("dup-user")
        let again = try scim.send("POST", "/Users", #"{"userName":"DUP-user"}"#)
        #expect(again.status == 409)
        #expect(again.scimType == "uniqueness")
        #expect(again.json?["status"] as? String == "409")
        #expect((again.json?["schemas"] as? [String]) == ["urn:ietf:params:scim:api:messages:2.0:Error"])
    }

    @Test func aPasswordIsSetUnderThePolicy() throws {
        let (server, scim) = try client("scim-password")
        let weak = try scim.send("POST", "/Users", #"{"userName":"pw-weak","password":"short"}"#)
        #expect(weak.status == 400)
        #expect(weak.scimType == "invalidValue")
        let user = try scim.createUser("pw-good", extra: #""password":"Correct-Horse-42""#)
        let token = try server.connect().login("pw-good", "Correct-Horse-42")
        // The same password again (a client syncing it with every PUT) is no reset: the token lives.
        let same = try scim.send("PUT", "/Users/\(user.scimID)", #"{"userName":"pw-good","password":"Correct-Horse-42"}"#)
        #expect(same.status == 200)
        #expect(try server.admin().validate(token).hasPrefix("OK VALID"))
        // A new one is USER PASSWD: tokens issued before it stop validating.
        let changed = try scim.send("PATCH", "/Users/\(user.scimID)",
                                    SCIMClient.patchBody(#"{"op":"replace","path":"password","value":"Another-Horse-43"}"#))
        #expect(changed.status == 200)
        #expect(changed.json?["password"] == nil)
        #expect(try server.admin().validate(token) == "OK INVALID reason=revoked")
        _ = try server.connect().login("pw-good", "Another-Horse-43")
    }

    @Test func filtersFindUsersByEachAttribute() throws {
        let (_, scim) = try client("scim-filter")
        try scim.createUser("flt-one", name: "Filter One", email: "flt.one@example.com", externalID: "EXT-1")
        try scim.createUser("flt-two", name: "Filter Two", email: "flt.two@example.org", externalID: "EXT-2")
        let cases: [(String, [String])] = [
            (#"userName eq "FLT-ONE""#, ["flt-one"]),
            (#"externalId eq "EXT-2""#, ["flt-two"]),
            (#"externalId eq "ext-2""#, []),
            (#"emails.value eq "flt.two@example.org""#, ["flt-two"]),
            (#"emails[type eq "work" and value co "one"]"#, ["flt-one"]),
            (#"userName sw "flt-" and active eq true"#, ["flt-one", "flt-two"]),
            (#"userName eq "flt-one" or userName eq "flt-two""#, ["flt-one", "flt-two"]),
            (#"displayName co "filter T" and externalId pr"#, ["flt-two"]),
            (#"userName sw "flt-" and not (externalId eq "EXT-1")"#, ["flt-two"]),
            (#"userName sw "flt-" and meta.resourceType eq "User" and meta.created pr"#, ["flt-one", "flt-two"]),
        ]
        for (filter, expected) in cases {
            let response = try scim.list("Users", filter: filter)
            #expect(response.status == 200, "\(filter): \(response.body)")
            #expect(response.resources.compactMap { $0["userName"] as? String } == expected, "\(filter)")
            #expect(response.json?["totalResults"] as? Int == expected.count, "\(filter)")
        }
        try scim.send("PATCH", "/Users/\(scim.list("Users", filter: #"userName eq "flt-two""#).resources[0].scimID)",
                      SCIMClient.patchBody(#"{"op":"replace","path":"active","value":false}"#))
        #expect(try scim.list("Users", filter: #"userName sw "flt-" and active eq false"#).resources.count == 1)
    }

    @Test(arguments: [#"userName eq"#, #"userName xx "a""#, #"(userName eq "a""#, #"userName eq "a"#, #"emails[type eq "w""#])
    func aMalformedFilterIsInvalidFilter(filter: String) throws {
        let (_, scim) = try client("scim-badfilter-\(abs(filter.hashValue) % 100_000)")
        let response = try scim.list("Users", filter: filter)
        #expect(response.status == 400)
        #expect(response.scimType == "invalidFilter")
    }

    @Test func pagesAreStableAndCountZeroGivesOnlyTheTotal() throws {
        let (_, scim) = try client("scim-pages")
        for index in 1...5 { try scim.createUser("page-\(index)") }
        let filter = #"userName sw "page-""#
        let first = try scim.list("Users", filter: filter, extra: "startIndex=1&count=2")
        let second = try scim.list("Users", filter: filter, extra: "startIndex=3&count=2")
        let third = try scim.list("Users", filter: filter, extra: "startIndex=5&count=2")
        let names = (first.resources + second.resources + third.resources).compactMap { $0["userName"] as? String }
        #expect(names == ["page-1", "page-2", "page-3", "page-4", "page-5"])
        #expect(first.json?["totalResults"] as? Int == 5)
        #expect(second.json?["startIndex"] as? Int == 3)
        #expect(second.json?["itemsPerPage"] as? Int == 2)
        let zero = try scim.list("Users", filter: filter, extra: "count=0")
        #expect(zero.json?["totalResults"] as? Int == 5)
        #expect(zero.resources.isEmpty)
    }

    @Test func attributesAndExcludedAttributesShapeTheResponse() throws {
        let (_, scim) = try client("scim-attrs")
        let user = try scim.createUser("attr-user", name: "Attr User", email: "attr@example.com")
        let only = try scim.send("GET", "/Users/\(user.scimID)?attributes=userName,emails.value")
        let body = try #require(only.json)
        #expect(Set(body.keys) == ["schemas", "id", "userName", "emails"])
        #expect((body["emails"] as? [[String: Any]])?.first?.keys.sorted() == ["value"])
        let without = try scim.send("GET", "/Users/\(user.scimID)?excludedAttributes=emails,meta")
        #expect(without.json?["emails"] == nil)
        #expect(without.json?["meta"] == nil)
        #expect(without.json?["userName"] as? String == "attr-user")
        let listed = try scim.list("Users", filter: #"userName eq "attr-user""#, extra: "attributes=displayName")
        #expect(Set(listed.resources.first?.keys.map { $0 } ?? []) == ["schemas", "id", "displayName"])
    }

    @Test func putReplacesTheUser() throws {
        let (server, scim) = try client("scim-put")
        let user = try scim.createUser("put-user", name: "Put User", email: "put@example.com", externalID: "P1")
        let response = try scim.send("PUT", "/Users/\(user.scimID)", #"""
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"put-user","displayName":"Put Renamed",
             "emails":[{"value":"renamed@example.com","primary":true}],"active":true}
            """#)
        #expect(response.status == 200)
        #expect(response.json?["displayName"] as? String == "Put Renamed")
        #expect(response.json?["externalId"] == nil)
        #expect(try server.admin().ok("USER SHOW put-user").value("email") == "renamed@example.com")
        let rename = try scim.send("PUT", "/Users/\(user.scimID)", #"{"userName":"other-name"}"#)
        #expect(rename.status == 400)
        #expect(rename.scimType == "mutability")
    }

    @Test func patchHandlesEveryFormOfPath() throws {
        let (server, scim) = try client("scim-patch")
        let user = try scim.createUser("patch-user", name: "Patch User", email: "patch@example.com")
        let id = user.scimID
        let response = try scim.send("PATCH", "/Users/\(id)", SCIMClient.patchBody("""
            {"op":"Replace","path":"name.formatted","value":"Patched Name"},
            {"op":"replace","path":"displayName","value":"Patched Name"},
            {"op":"Add","path":"emails[type eq \\"work\\"].value","value":"patched@example.com"},
            {"op":"add","value":{"externalId":"PX-9"}}
            """))
        #expect(response.status == 200, "\(response.body)")
        let shown = try server.admin().ok("USER SHOW patch-user")
        #expect(shown.final.contains(#"name="Patched Name""#))
        #expect(shown.value("email") == "patched@example.com")
        #expect(response.json?["externalId"] as? String == "PX-9")
        let removed = try scim.send("PATCH", "/Users/\(id)", SCIMClient.patchBody(#"{"op":"remove","path":"externalId"}"#))
        #expect(removed.json?["externalId"] == nil)
        let bad = try scim.send("PATCH", "/Users/\(id)", SCIMClient.patchBody(#"{"op":"replace","path":"emails[type eq","value":"x"}"#))
        #expect(bad.status == 400)
        #expect(bad.scimType == "invalidPath")
        let readOnly = try scim.send("PATCH", "/Users/\(id)", SCIMClient.patchBody(#"{"op":"replace","path":"id","value":"1"}"#))
        #expect(readOnly.scimType == "mutability")
    }

    @Test func ifMatchGuardsPutPatchAndDelete() throws {
        let (_, scim) = try client("scim-etag")
        let user = try scim.createUser("etag-user", name: "E")
        let id = user.scimID
        let version = try #require((user["meta"] as? [String: Any])?["version"] as? String)
        let patch = SCIMClient.patchBody(#"{"op":"replace","path":"displayName","value":"E2"}"#)
        let first = try scim.send("PATCH", "/Users/\(id)", patch, headers: ["If-Match": version])
        #expect(first.status == 200)
        let newVersion = try #require(first.headers["etag"])
        #expect(newVersion != version)
        let stale = try scim.send("PATCH", "/Users/\(id)", patch, headers: ["If-Match": version])
        #expect(stale.status == 412)
        #expect(try scim.send("PUT", "/Users/\(id)", #"{"userName":"etag-user"}"#, headers: ["If-Match": version]).status == 412)
        #expect(try scim.send("DELETE", "/Users/\(id)", headers: ["If-Match": version]).status == 412)
        #expect(try scim.send("DELETE", "/Users/\(id)", headers: ["If-Match": newVersion]).status == 204)
    }

    @Test func deactivatingAUserKillsTheirTokensAtOnce() throws {
        let (server, scim) = try client("scim-deprovision")
        let user = try scim.createUser("leaver", extra: #""password":"Correct-Horse-42""#)
        let token = try server.connect().login("leaver", "Correct-Horse-42")
        let line = try server.admin()
        #expect(try line.validate(token).hasPrefix("OK VALID"))
        let response = try scim.send("PATCH", "/Users/\(user.scimID)", SCIMClient.patchBody(#"{"op":"Replace","path":"active","value":"False"}"#))
        #expect(response.status == 200)
        #expect(response.json?["active"] as? Bool == false)
        #expect(try line.validate(token) == "OK INVALID reason=disabled")
        #expect(try server.admin().ok("USER SHOW leaver").value("status") == "disabled")
        let back = try scim.send("PATCH", "/Users/\(user.scimID)", SCIMClient.patchBody(#"{"op":"replace","value":{"active":true}}"#))
        #expect(back.json?["active"] as? Bool == true)
        #expect(try line.validate(token) == "OK INVALID reason=revoked")
    }

    @Test func deleteRemovesTheUser() throws {
        let (server, scim) = try client("scim-delete")
        let user = try scim.createUser("gone-user")
        #expect(try scim.send("DELETE", "/Users/\(user.scimID)").status == 204)
        let again = try scim.send("GET", "/Users/\(user.scimID)")
        #expect(again.status == 404)
        #expect(again.json?["status"] as? String == "404")
        _ = try server.admin().expectError("NOT-FOUND", "USER SHOW gone-user")
    }

    @Test func changesAreAuditedAsTheProtocolCommandsOfTheServiceUser() throws {
        let (server, scim) = try client("scim-audit")
        let user = try scim.createUser("audited-user", name: "Audited")
        try scim.send("PATCH", "/Users/\(user.scimID)", SCIMClient.patchBody(#"{"op":"replace","path":"active","value":false}"#))
        let audit = try server.admin().send("AUDIT target=audited-user")
        let lines = audit.data.joined(separator: "\n")
        #expect(lines.contains("actor=scim-audit"))
        #expect(lines.contains("action=user.add"))
        #expect(lines.contains("action=user.disable"))
        #expect(lines.contains("source=127.0.0.1"))
    }
}

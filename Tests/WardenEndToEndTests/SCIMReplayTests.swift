import Foundation
import Testing

/// The requests Microsoft Entra ID's and Okta's provisioning documentation shows a
/// SCIM service receiving, written out here from those documents (their shapes, with
/// values of our own), replayed against the real server in the order a client sends them.
@Suite struct SCIMReplayTests {
    static let shared = SharedWarden()

    @Test func entraIDProvisionsUpdatesAndDeprovisionsAUser() throws {
        let server = try Self.shared.get()
        let scim = try SCIMClient.provision("entra-provisioning", on: server)
        // The existence check before a create: no result.
        let none = try scim.list("Users", filter: #"userName eq "Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1""#)
        #expect(none.status == 200)
        #expect(none.json?["totalResults"] as? Int == 0)
        let created = try scim.send("POST", "/Users", #"""
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
             "externalId":"0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef","userName":"Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1",
             "active":true,"emails":[{"primary":true,"type":"work","value":"Test_User_fd0ea19b@testuser.com"}],
             "meta":{"resourceType":"User"},"name":{"formatted":"givenName familyName","familyName":"familyName","givenName":"givenName"},
             "roles":[],"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":"701984","department":"Tour Operations"}}
            """#)
        #expect(created.status == 201, "\(created.body)")
        let id = try #require(created.json?.scimID)
        let found = try scim.list("Users", filter: #"userName eq "Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1""#)
        #expect(found.resources.map(\.scimID) == [id])
        let byEmail = try scim.list("Users", filter: #"emails[type eq "work"].value eq "Test_User_fd0ea19b@testuser.com""#)
        #expect(byEmail.resources.map(\.scimID) == [id], "\(byEmail.body)")
        // Update [multi-valued properties], with Entra's capitalised op names.
        let multi = try scim.send("PATCH", "/Users/\(id)", SCIMClient.patchBody("""
            {"op":"Replace","path":"emails[type eq \\"work\\"].value","value":"updatedEmail@microsoft.com"},
            {"op":"Replace","path":"name.familyName","value":"updatedFamilyName"}
            """))
        #expect(multi.status == 200, "\(multi.body)")
        #expect(multi.json?.primaryEmail == "updatedEmail@microsoft.com")
        // Update [single-valued properties] with the no-path form.
        let single = try scim.send("PATCH", "/Users/\(id)", SCIMClient.patchBody(
            #"{"op":"Replace","value":{"displayName":"Updated Name","externalId":"0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef"}}"#))
        #expect(single.json?["displayName"] as? String == "Updated Name")
        // Disable, as the string boolean Entra ID sends.
        let token = try server.admin().issue("test_user_ab6490ee-1e48-479e-a20b-2d77186b5dd1")
        let disable = try scim.send("PATCH", "/Users/\(id)", SCIMClient.patchBody(#"{"op":"Replace","path":"active","value":"False"}"#))
        #expect(disable.status == 200)
        #expect(disable.json?["active"] as? Bool == false)
        #expect(try server.admin().validate(token) == "OK INVALID reason=disabled")
        // The hard delete, 30 days later.
        #expect(try scim.send("DELETE", "/Users/\(id)").status == 204)
        #expect(try scim.send("GET", "/Users/\(id)").status == 404)
    }

    @Test func entraIDManagesAGroupAndItsMembers() throws {
        let server = try Self.shared.get()
        let scim = try SCIMClient.provision("entra-groups", on: server)
        let one = try scim.createUser("entra-member-one")
        let two = try scim.createUser("entra-member-two")
        let created = try scim.send("POST", "/Groups", #"""
            {"externalId":"8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159","id":"c4f1bc62-ba5e-4bd9-a0b1-a7d5bbc2b8a0",
             "displayName":"EntraGroup","meta":{"resourceType":"Group"},"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"]}
            """#)
        #expect(created.status == 201, "\(created.body)")
        let id = try #require(created.json?.scimID)
        #expect(created.json?["externalId"] as? String == "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159")
        let listed = try scim.list("Groups", filter: #"displayName eq "EntraGroup""#, extra: "excludedAttributes=members")
        #expect(listed.resources.map(\.scimID) == [id])
        #expect(try scim.send("GET", "/Groups/\(id)?excludedAttributes=members").json?["members"] == nil)
        let add = try scim.send("PATCH", "/Groups/\(id)", SCIMClient.patchBody(
            #"{"op":"Add","path":"members","value":[{"$ref":null,"value":"\#(one.scimID)"},{"$ref":null,"value":"\#(two.scimID)"}]}"#))
        #expect(add.status == 204)
        let remove = try scim.send("PATCH", "/Groups/\(id)", SCIMClient.patchBody(
            #"{"op":"Remove","path":"members","value":[{"$ref":null,"value":"\#(one.scimID)"}]}"#))
        #expect(remove.status == 204)
        #expect(try scim.send("GET", "/Groups/\(id)").json.map { $0.memberIDs } == [two.scimID])
        let filtered = try scim.send("PATCH", "/Groups/\(id)", SCIMClient.patchBody(
            #"{"op":"Remove","path":"members[value eq \"\#(two.scimID)\"]"}"#))
        #expect(filtered.status == 204)
        #expect(try scim.send("GET", "/Groups/\(id)").json.map { $0.memberIDs } == [])
        #expect(try scim.send("DELETE", "/Groups/\(id)").status == 204)
    }

    @Test func oktaProvisionsReplacesAndDeactivatesAUser() throws {
        let server = try Self.shared.get()
        let scim = try SCIMClient.provision("okta-provisioning", on: server)
        let lookup = try scim.send("GET", "/Users?filter=" + SCIMClient.encode(#"userName eq "test.user@okta.local""#) + "&startIndex=1&count=100")
        #expect(lookup.json?["totalResults"] as? Int == 0)
        let created = try scim.send("POST", "/Users", #"""
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"test.user@okta.local",
             "name":{"givenName":"Test","familyName":"User"},"emails":[{"primary":true,"value":"test.user@okta.local","type":"work"}],
             "displayName":"Test User","locale":"en-US","externalId":"00ujl29u0le5T6Aj10h7","groups":[],
             "password":"Okta-Initial-Pass-1","active":true}
            """#)
        #expect(created.status == 201, "\(created.body)")
        let id = try #require(created.json?.scimID)
        _ = try server.connect().login("test.user@okta.local", "Okta-Initial-Pass-1")
        let found = try scim.send("GET", "/Users?filter=" + SCIMClient.encode(#"userName eq "test.user@okta.local""#) + "&startIndex=1&count=100")
        #expect(found.resources.map(\.scimID) == [id])
        let replaced = try scim.send("PUT", "/Users/\(id)", #"""
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"\#(id)","userName":"test.user@okta.local",
             "name":{"givenName":"Another","familyName":"User"},"emails":[{"primary":true,"value":"test.user@okta.local","type":"work"}],
             "displayName":"Another User","locale":"en-US","externalId":"00ujl29u0le5T6Aj10h7","groups":[],"active":true,
             "meta":{"resourceType":"User"}}
            """#)
        #expect(replaced.status == 200)
        #expect(replaced.json?["displayName"] as? String == "Another User")
        let deactivated = try scim.send("PATCH", "/Users/\(id)", #"""
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":false}}]}
            """#)
        #expect(deactivated.status == 200)
        #expect(deactivated.json?["active"] as? Bool == false)
        _ = try server.connect().expectError("AUTH-FAILED", "LOGIN test.user@okta.local Okta-Initial-Pass-1")
    }

    @Test func oktaPushesAGroup() throws {
        let server = try Self.shared.get()
        let scim = try SCIMClient.provision("okta-groups", on: server)
        let member = try scim.createUser("okta-member")
        let created = try scim.send("POST", "/Groups", #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Okta-Pushed","members":[]}"#)
        #expect(created.status == 201)
        let id = try #require(created.json?.scimID)
        let renamed = try scim.send("PATCH", "/Groups/\(id)", SCIMClient.patchBody(#"{"op":"replace","value":{"id":"\#(id)","displayName":"okta-pushed"}}"#))
        #expect(renamed.status == 204, "\(renamed.body)")
        let added = try scim.send("PATCH", "/Groups/\(id)", SCIMClient.patchBody(
            #"{"op":"add","path":"members","value":[{"value":"\#(member.scimID)","display":"okta-member"}]}"#))
        #expect(added.status == 204)
        let put = try scim.send("PUT", "/Groups/\(id)", #"""
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"id":"\#(id)","displayName":"okta-pushed","members":[]}
            """#)
        #expect(put.status == 200)
        #expect(put.json.map { $0.memberIDs } == [])
    }
}

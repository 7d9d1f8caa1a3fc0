import Foundation
import Testing

/// SPEC §12 `/scim/v2/Groups`: a group is a role, its members the users granted it
/// directly; membership changes are `GRANT`/`REVOKE` with §10's separation of duties.
@Suite struct SCIMGroupTests {
    static let shared = SharedWarden()

    @Test func aGroupIsARoleAndItsMembersAreItsHolders() throws {
        let server = try Self.shared.get()
        let scim = try SCIMClient.provision("scim-groups", on: server)
        let one = try scim.createUser("grp-one", name: "Group One")
        let two = try scim.createUser("grp-two")
        let created = try scim.send("POST", "/Groups", #"""
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Sales-Team","members":[{"value":"\#(one.scimID)"}]}
            """#)
        #expect(created.status == 201, "\(created.body)")
        let group = try #require(created.json)
        #expect(group.scimID == "sales-team")
        #expect(group["displayName"] as? String == "sales-team")
        #expect(group.memberIDs == [one.scimID])
        #expect(((group["members"] as? [[String: Any]])?.first?["type"] as? String) == "User")
        let admin = try server.admin()
        #expect(try admin.ok("ROLE SHOW sales-team").isOK)
        #expect(try admin.send("CHECK grp-one warden check").final.hasPrefix("OK DENY"))
        // PATCH add and remove, as identity providers send them.
        let patched = try scim.send("PATCH", "/Groups/sales-team", SCIMClient.patchBody("""
            {"op":"Add","path":"members","value":[{"value":"\(two.scimID)"}]},
            {"op":"Remove","path":"members[value eq \\"\(one.scimID)\\"]"}
            """))
        #expect(patched.status == 204)
        let fetched = try #require(try scim.send("GET", "/Groups/sales-team").json)
        #expect(fetched.memberIDs == [two.scimID])
        let access = try admin.send("AUDIT target=grp-two")
        #expect(access.data.contains { $0.contains("action=grant") && $0.contains("actor=scim-groups") })
        #expect(try admin.send("AUDIT target=grp-one").data.contains { $0.contains("action=revoke") })
        // The user resource lists the group, to a caller who may see role holders (role-admin or check) only.
        let user = try #require(try scim.send("GET", "/Users/\(two.scimID)").json)
        #expect((user["groups"] as? [[String: Any]])?.compactMap { $0["value"] as? String } == ["sales-team"])
        let usersOnly = try SCIMClient.provision("scim-users-only", permissions: ["user-admin"], on: server)
        #expect(try usersOnly.send("GET", "/Users/\(two.scimID)").json?["groups"] == nil)
        // PUT replaces the members.
        let put = try scim.send("PUT", "/Groups/sales-team", #"{"displayName":"sales-team","members":[{"value":"\#(one.scimID)"}]}"#)
        #expect(put.status == 200)
        #expect(put.json.map { $0.memberIDs } == [one.scimID])
        // A filter on displayName, in any case; excludedAttributes=members.
        let listed = try scim.list("Groups", filter: #"displayName eq "SALES-TEAM""#, extra: "excludedAttributes=members")
        #expect(listed.resources.count == 1)
        #expect(listed.resources.first?["members"] == nil)
        // DELETE revokes and deletes the role.
        #expect(try scim.send("DELETE", "/Groups/sales-team").status == 204)
        _ = try admin.expectError("NOT-FOUND", "ROLE SHOW sales-team")
        #expect(try scim.send("GET", "/Groups/sales-team").status == 404)
    }

    @Test func separationOfDutiesRefusesAMembershipAndAuditsIt() throws {
        let server = try Self.shared.get()
        let scim = try SCIMClient.provision("scim-sod", on: server)
        let admin = try server.admin()
        try admin.ok("ROLE ADD payables")
        try admin.ok("ROLE ADD receivables")
        try admin.ok("SOD ADD ap-ar role:payables role:receivables")
        let clerk = try scim.createUser("sod-clerk")
        let other = try scim.createUser("sod-other")
        try admin.ok("GRANT sod-clerk payables")
        let response = try scim.send("PATCH", "/Groups/receivables", SCIMClient.patchBody(
            #"{"op":"add","path":"members","value":[{"value":"\#(other.scimID)"},{"value":"\#(clerk.scimID)"}]}"#))
        #expect(response.status == 409)
        #expect((response.json?["detail"] as? String)?.contains("sod=ap-ar") == true)
        // Nothing changed: not even the member who broke no rule.
        let group = try #require(try scim.send("GET", "/Groups/receivables").json)
        #expect(group.memberIDs.isEmpty)
        let audit = try admin.send("AUDIT target=sod-clerk")
        #expect(audit.data.contains { $0.contains("action=grant") && $0.contains("result=denied") && $0.contains("sod=ap-ar") })
    }

    @Test func membershipChangesNeedTheGrantPermission() throws {
        let server = try Self.shared.get()
        let roles = try SCIMClient.provision("scim-no-grant", permissions: ["role-admin"], on: server)
        let admin = try server.admin()
        try admin.ok("USER ADD ng-user")
        try admin.ok("ROLE ADD ng-role")
        let id = try #require(try SCIMClient.provision("scim-ng-users", permissions: ["user-admin"], on: server)
            .list("Users", filter: #"userName eq "ng-user""#).resources.first?.scimID)
        let response = try roles.send("PATCH", "/Groups/ng-role", SCIMClient.patchBody(#"{"op":"add","path":"members","value":[{"value":"\#(id)"}]}"#))
        #expect(response.status == 403)
        #expect(try admin.send("AUDIT actor=scim-no-grant").data.contains { $0.contains("result=denied") })
    }

    @Test func escalationRulesApplyToGroupsCarryingWardenPermissions() throws {
        let server = try Self.shared.get()
        let scim = try SCIMClient.provision("scim-escalate", on: server)
        let user = try scim.createUser("esc-user")
        let response = try scim.send("PATCH", "/Groups/warden-admin", SCIMClient.patchBody(#"{"op":"add","path":"members","value":[{"value":"\#(user.scimID)"}]}"#))
        #expect(response.status == 403)
        #expect(try server.admin().send("CHECK esc-user warden audit").final.hasPrefix("OK DENY"))
    }
}

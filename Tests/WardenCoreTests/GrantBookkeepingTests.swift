import Testing
import WardenCore

/// How the directory keeps grants (SPEC §2.3): a grant of an existing grant updates it,
/// `ROLE SHOW`'s holder count and the permissions in use follow grants and revokes, and
/// grants loaded at start in bulk answer as those given one by one.
@Suite struct GrantBookkeepingTests {
    typealias U = Fixture.U

    static func grant(_ target: GrantTarget, until: Timestamp? = nil) -> Grant {
        Grant(target: target, until: until, grantedBy: "admin", grantedAt: Fixture.past)
    }

    @Test func grantingAnExistingGrantAgainUpdatesItsExpiry() {
        var directory = Fixture.directory([U("bob", [.role("viewer", until: Fixture.past)])])
        directory.put(Self.grant(.role("viewer")), user: "bob")
        #expect(directory.grants["bob"]?.count == 1)
        #expect(directory.grants["bob"]?[.role("viewer")]?.until == nil)
        #expect(directory.holderCount(of: .role("viewer")) == 1)
        #expect(directory.check(user: "bob", Fixture.payrollRead, at: Fixture.now) == .allow(via: .role("viewer")))
    }

    @Test func theHolderCountFollowsGrantsRevokesAndDeletions() {
        var directory = Fixture.directory([
            U("bob", [.role("viewer")]),
            U("dave", [.role("viewer", until: Fixture.past)]),
            U("frank", .disabled, [.role("viewer")]),
        ])
        #expect(directory.holderCount(of: .role("viewer")) == 3)
        directory.removeGrant(.role("viewer"), user: "bob")
        directory.removeUser("dave")
        directory.removeAllGrants(user: "frank")
        #expect(directory.holderCount(of: .role("viewer")) == 0)
        #expect(directory.holderCount(of: .role("nosuch")) == 0)
    }

    @Test func directlyGrantedEntitlementsAreThoseSomeoneStillHolds() {
        var directory = Fixture.directory([
            U("alice", [.direct(Fixture.payrollRead)]),
            U("hank", [.direct(Fixture.githubRead), .role("dev")]),
        ])
        directory.removeGrant(.entitlement(Fixture.githubRead), user: "hank")
        #expect(directory.directlyGrantedEntitlements == [Fixture.payrollRead])
    }

    @Test func grantsLoadedAtStartAnswerAsGrantsGivenOneByOne() {
        var loader = Directory.Loader(users: 2)
        loader.add(User(id: 1, name: "erin", created: Fixture.past))
        loader.add(User(id: 5, name: "finn", created: Fixture.past))
        loader.replaceRoles(Fixture.roles)
        var rows = loader.grantRows()
        rows.append(userID: 1, target: .role("viewer"), until: Fixture.past)
        rows.append(userID: 1, target: .entitlement(Fixture.githubRead), until: nil)
        rows.append(userID: 5, target: .role("dev"), until: nil)
        rows.append(userID: 1, target: .role("editor"), until: Fixture.future)
        rows.append(userID: 3, target: .role("lead"), until: nil)
        loader.adopt(rows)
        let directory = loader.finish()
        #expect(directory.grants["erin"]?.map(\.target) == [.role("viewer"), .entitlement(Fixture.githubRead), .role("editor")])
        #expect(directory.check(user: "erin", Fixture.payrollRead, at: Fixture.now) == .allow(via: .role("editor")))
        #expect(directory.check(user: "erin", Fixture.githubRead, at: Fixture.now) == .allow(via: .direct))
        #expect(directory.check(user: "finn", Fixture.githubRead, at: Fixture.now) == .allow(via: .role("dev")))
        #expect(directory.holderCount(of: .role("viewer")) == 1)
        #expect(directory.holderCount(of: .role("lead")) == 0)
    }

    @Test func removingAUserKeepsEveryOtherUserAndTheirGrants() {
        var directory = Fixture.directory([
            U("alice", [.direct(Fixture.payrollRead)]),
            U("bob", [.role("viewer")]),
            U("carol", [.role("lead")]),
        ])
        directory.removeUser("alice")
        #expect(directory.users["alice"] == nil)
        #expect(directory.user(id: 3)?.name == "carol")
        #expect(directory.users.count == 2)
        #expect(directory.check(user: "carol", Fixture.payrollWrite, at: Fixture.now) == .allow(via: .role("lead")))
        #expect(directory.check(user: "bob", Fixture.payrollRead, at: Fixture.now) == .allow(via: .role("viewer")))
        #expect(directory.holderCount(of: .entitlement(Fixture.payrollRead)) == 0)
    }

    @Test func enabledAdminHoldersLeaveOutDisabledUsersAndExpiredGrants() {
        let directory = Fixture.directory([
            U("admin", [.role(BuiltIn.adminRole)]),
            U("boss", [.role("super")]),
            U("gone", .disabled, [.role(BuiltIn.adminRole)]),
            U("was", [.role(BuiltIn.adminRole, until: Fixture.past)]),
            U("bob", [.role("viewer")]),
        ])
        #expect(directory.enabledAdminHolders(at: Fixture.now) == ["admin", "boss"])
    }
}

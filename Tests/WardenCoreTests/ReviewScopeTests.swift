import Testing
import WardenCore

/// The snapshot an access review takes (SPEC §9), as a decision table: which grants a
/// review of a role or of a system covers, through role inclusion of any depth, with
/// expired grants left out and disabled users' grants kept.
@Suite struct ReviewScopeTests {
    typealias U = Fixture.U
    typealias G = Fixture.G

    /// `lead` ⊃ `editor` ⊃ `viewer` (payroll read/write); `dev` (github); `helpdesk`
    /// (warden user-admin); `super` ⊃ `warden-admin`.
    static let users: [U] = [
        U("ann", [.role("viewer")]),
        U("bob", [.role("lead"), .role("dev")]),
        U("cat", [.direct(Fixture.payrollRead), .direct(Fixture.githubRead)]),
        U("dan", [.role("viewer", until: Fixture.past), .direct(Fixture.payrollWrite, until: Fixture.past)]),
        U("eve", .disabled, [.role("editor", until: Fixture.future)]),
        U("fay", [.role("super"), .role("helpdesk")]),
        U("gus", []),
    ]

    struct Row: Sendable, CustomTestStringConvertible {
        var scope: AccessReview.Scope
        /// `user grant` for each item, in item order.
        var expected: [String]
        var testDescription: String { scope.description }
    }

    static let table: [Row] = [
        // A role's own grants only: not the roles that include it, nor expired ones.
        Row(scope: .role("viewer"), expected: ["ann role:viewer"]),
        Row(scope: .role("editor"), expected: ["eve role:editor"]),
        Row(scope: .role("lead"), expected: ["bob role:lead"]),
        Row(scope: .role("nobody-holds"), expected: []),
        // A system: direct grants on it, and every role that carries one of its
        // permissions at any depth (lead → editor → viewer), disabled users included.
        Row(scope: .system("payroll"), expected: [
            "ann role:viewer", "bob role:lead", "cat system:payroll:read", "eve role:editor",
        ]),
        Row(scope: .system("github"), expected: ["bob role:dev", "cat system:github:read"]),
        // warden: through warden-admin included by super, and helpdesk's one permission.
        Row(scope: .system(BuiltIn.system), expected: ["fay role:helpdesk", "fay role:super"]),
    ]

    @Test(arguments: table) func theSnapshotCoversExactlyTheGrantsInScope(_ row: Row) {
        let directory = Fixture.directory(Self.users)
        let items = directory.reviewItems(for: row.scope, at: Fixture.now)
        #expect(items.map { "\($0.user) \($0.grantDescription)" } == row.expected)
        #expect(items.map(\.number) == Array(0..<items.count).map { $0 + 1 })
        #expect(items.allSatisfy { $0.decision == nil && $0.decidedBy == nil })
    }

    @Test func anItemKeepsTheGrantsExpiryAndTheUsersID() throws {
        let directory = Fixture.directory(Self.users)
        let item = try #require(directory.reviewItems(for: .role("editor"), at: Fixture.now).first)
        #expect(item.until == Fixture.future)
        #expect(item.userID == directory.users["eve"]?.id)
    }

    @Test func aGrantThatExpiresBeforeTheStartIsNotInIt() {
        let directory = Fixture.directory(Self.users)
        // At `future` eve's editor grant has expired: a review started then leaves it out.
        #expect(directory.reviewItems(for: .role("editor"), at: Fixture.future).isEmpty)
    }

    @Test func theClosePlanRevokesOnlyWhatWasDecidedRevokeAndStillExists() {
        var directory = Fixture.directory(Self.users)
        let items = directory.reviewItems(for: .system("payroll"), at: Fixture.now)
        var review = AccessReview(id: 1, scope: .system("payroll"), reviewerID: 7, reviewer: "gus", due: Fixture.future,
                                  defaultVerdict: .keep, createdBy: "admin", created: Fixture.now, items: items)
        review.items[0].decision = .revoke   // ann role:viewer
        review.items[1].decision = .keep     // bob role:lead
        review.items[2].decision = .revoke   // cat payroll read, revoked by hand meanwhile
        directory.removeGrant(.entitlement(Fixture.payrollRead), user: "cat")
        // eve undecided: kept under default=keep.
        let plan = review.closePlan(in: directory)
        #expect(plan.revocations.map(\.user) == ["ann"])
        #expect(plan.kept == 2 && plan.gone == 1)

        review.defaultVerdict = .revoke
        let strict = review.closePlan(in: directory)
        #expect(strict.revocations.map(\.user) == ["ann", "eve"])
        #expect(strict.kept == 1)
    }

    @Test func aDeletedUserWhoseNameWasReusedIsNotRevokedInTheirPlace() {
        var directory = Fixture.directory(Self.users)
        let items = directory.reviewItems(for: .role("viewer"), at: Fixture.now)
        let review = AccessReview(id: 1, scope: .role("viewer"), reviewerID: 7, reviewer: "gus", due: Fixture.future,
                                  defaultVerdict: .revoke, createdBy: "admin", created: Fixture.now, items: items)
        directory.removeUser("ann")
        directory.upsert(User(id: 99, name: "ann", created: Fixture.now))
        directory.put(Grant(target: .role("viewer"), grantedBy: "admin", grantedAt: Fixture.now), user: "ann")
        let plan = review.closePlan(in: directory)
        #expect(plan.revocations.isEmpty && plan.gone == 1)
    }

    @Test func decisionsAndTheCloseAreAppliedToTheReviews() {
        let review = AccessReview(id: 2, scope: .role("dev"), reviewerID: 7, reviewer: "gus", due: Fixture.future,
                                  defaultVerdict: .keep, createdBy: "admin", created: Fixture.now,
                                  items: Fixture.directory(Self.users).reviewItems(for: .role("dev"), at: Fixture.now))
        var reviews = AccessReviews()
        #expect(reviews.nextID == 1)
        reviews.apply(.reviewStarted(review))
        #expect(reviews.nextID == 3)
        reviews.apply(.reviewItemDecided(review: 2, item: 1, decision: .revoke, by: "gus", reason: "left", at: Fixture.now))
        #expect(reviews[2]?.decidedCount == 1 && reviews[2]?.item(1)?.reason == "left")
        #expect(reviews.due(at: Fixture.future).map(\.id) == [2])
        reviews.apply(.reviewClosed(review: 2, at: Fixture.future, kept: 0, revoked: 1))
        #expect(reviews[2]?.status == "closed" && reviews[2]?.revoked == 1)
        #expect(reviews.due(at: Fixture.future).isEmpty)
    }
}

import Dispatch
import Testing
import WardenCore
@testable import WardenStore

/// Changes in one group-commit batch are each decided against memory that is updated
/// only after the batch commits. So a batch must end before a change that reads what an
/// earlier change of the batch wrote: a `GRANT` by an admin whose right to grant was
/// revoked just before it must see the revocation.
@Suite struct WriteBatchOrderingTests {
    /// Holds the writer thread, queues `scopes` one after another (in that order), lets
    /// the writer go, and returns, for each change, whether the change before it had
    /// reached the reducer when its body ran (`nil` for the first).
    static func sawEarlierApply(_ scopes: [WriteScope]) async throws -> [Bool?] {
        try await run(scopes).sawEarlierApply
    }

    /// As `sawEarlierApply`, and also the order in which the changes' bodies ran.
    static func run(_ scopes: [WriteScope]) async throws -> (sawEarlierApply: [Bool?], order: [Int]) {
        let harness = try WriterHarness()
        let writer = harness.writer
        // Each change adds system "sN"; the reducer runs once N's batch has committed.
        let applied = Locked<[Int]>([])
        writer.setReducer { changes, _ in
            for case .systemAdded(let system) in changes {
                applied.withLock { $0.append(Int(system.name.dropFirst())!) }
            }
        }
        let started = Flag()
        let gate = DispatchSemaphore(value: 0)
        var released = false
        defer { if !released { gate.signal() } }
        let blocker = Task {
            try await writer.submit(.keys(["block"])) { _ in
                started.raise()
                gate.wait()
                return Committed(())
            }
        }
        try await Flag.wait(upTo: 60) { started.isRaised }

        let seen = Locked<[Int: Bool?]>([:])
        let order = Locked<[Int]>([])
        var changes: [Task<Void, any Error>] = []
        for (index, scope) in scopes.enumerated() {
            changes.append(Task {
                try await writer.submit(scope) { transaction in
                    seen.withLock { $0[index] = index == 0 ? nil : applied.value.contains(index - 1) }
                    order.withLock { $0.append(index) }
                    try transaction.write(.systemAdded(SystemDefinition(name: "s\(index)")))
                    return Committed(())
                }
            })
            // Queued strictly in order: the next one only once this one waits.
            try await Flag.wait(upTo: 60) { writer.queuedCount == index + 1 }
        }
        gate.signal()
        released = true
        try await blocker.value
        for change in changes { try await change.value }
        return (scopes.indices.map { seen.value[$0] ?? nil }, order.value)
    }

    @Test func aChangeThatReadsWhatAnEarlierOneWroteWaitsForItsCommit() async throws {
        // REVOKE of A's rights (writes user:a), then A's GRANT to B (writes user:b,
        // reads user:a): before the fix they shared a batch and the grant was decided
        // on the right just revoked.
        let seen = try await Self.sawEarlierApply([
            .keys(["user:a"]),
            .keys(["user:b"], reads: ["user:a"]),
        ])
        #expect(seen == [nil, true])
    }

    @Test func changesThatOnlyShareWhatTheyReadStillShareABatch() async throws {
        // One admin's pipelined grants to many users: each reads user:admin, none
        // writes it, so they keep sharing one commit.
        let seen = try await Self.sawEarlierApply([
            .keys(["user:b"], reads: ["user:admin"]),
            .keys(["user:c"], reads: ["user:admin"]),
            .keys(["user:d"], reads: ["user:admin"]),
        ])
        #expect(seen == [nil, false, false])
    }

    @Test func writingWhatAnEarlierChangeReadSharesTheBatch() async throws {
        // The earlier change decided on the state before the later one, and it is
        // ordered first: nothing is decided on stale memory.
        let seen = try await Self.sawEarlierApply([
            .keys(["user:b"], reads: ["user:a"]),
            .keys(["user:a"]),
        ])
        #expect(seen == [nil, false])
    }

    // A change that cannot join a batch is left for the next one, and the scan goes on.

    @Test func aChangeBehindOneThatCannotJoinStillJoinsTheBatch() async throws {
        // Another caller's change, touching nothing of the one left behind, need not wait.
        let result = try await Self.run([
            .keys(["user:a"]),
            .keys(["user:a"]),
            .keys(["user:b"]),
        ])
        #expect(result.sawEarlierApply == [nil, true, false])
        #expect(result.order == [0, 2, 1])
    }

    @Test func aChangeThatWritesWhatALeftChangeWritesWaitsForIt() async throws {
        let seen = try await Self.sawEarlierApply([
            .keys(["user:a"]),
            .keys(["user:a", "user:c"]),
            .keys(["user:c"]),
        ])
        #expect(seen == [nil, true, true])
    }

    @Test func aChangeThatWritesWhatALeftChangeReadsRunsAfterIt() async throws {
        // The left change must decide before user:c changes, as it would have in order;
        // it may then share its batch with the later change, which it precedes.
        let result = try await Self.run([
            .keys(["user:a"]),
            .keys(["user:b"], reads: ["user:a", "user:c"]),
            .keys(["user:c"]),
        ])
        #expect(result.order == [0, 1, 2])
        #expect(result.sawEarlierApply == [nil, true, false])
    }

    @Test func aChangeThatReadsWhatALeftChangeWritesWaitsForIt() async throws {
        let seen = try await Self.sawEarlierApply([
            .keys(["user:a"]),
            .keys(["user:a", "user:c"]),
            .keys(["user:d"], reads: ["user:c"]),
        ])
        #expect(seen == [nil, true, true])
    }

    @Test func anExclusiveChangeIsNeverPassed() async throws {
        let seen = try await Self.sawEarlierApply([
            .keys(["user:a"]),
            .keys(["user:a"]),
            .exclusive,
            .keys(["user:e"]),
        ])
        #expect(seen == [nil, true, true, true])
    }

    @Test func oneCallersChangesKeepTheirOrder() async throws {
        // USER ADD a, GRANT a, USER ADD b by one admin: each reads user:admin, so the
        // second add waits behind the grant, and the audit log keeps the admin's order.
        let result = try await Self.run([
            .keys(["user:a"], reads: ["user:admin"]),
            .keys(["user:a"], reads: ["user:admin"]),
            .keys(["user:b"], reads: ["user:admin"]),
        ])
        #expect(result.order == [0, 1, 2])
        #expect(result.sawEarlierApply == [nil, true, false])
    }
}

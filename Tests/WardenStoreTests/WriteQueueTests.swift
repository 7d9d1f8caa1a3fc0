import Dispatch
import Testing
import WardenCore
import WardenStore

/// The single writer with group commit (SPEC §4): every change is committed before
/// it is acknowledged; a change that fails inside a shared batch is rolled back alone.
@Suite struct WriteQueueTests {
    /// Adds system `name` and its audit entry, the way a real change writes both.
    static func addSystem(_ name: String, _ transaction: Transaction) throws {
        try transaction.write(.systemAdded(SystemDefinition(name: name)))
        try transaction.audit(actor: "test", source: "local", action: "system.add", target: name)
    }

    @Test func manyConcurrentChangesAllCommit() async throws {
        let harness = try WriterHarness()
        let writer = harness.writer
        let returned = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<200 {
                group.addTask {
                    try await writer.submit(.keys(["system:s\(index)"])) { transaction in
                        try WriteQueueTests.addSystem("s\(index)", transaction)
                        return Committed(index)
                    }
                }
            }
            var all: Set<Int> = []
            for try await value in group { all.insert(value) }
            return all
        }
        #expect(returned == Set(0..<200))
        #expect(try harness.count("SELECT count(*) FROM systems WHERE name LIKE 's%'") == 200)
        #expect(try harness.count("SELECT count(*) FROM audit") == 200)
        guard case .intact(let entries, _) = try AuditVerifier.verify(harness.reader) else {
            Issue.record("the audit chain is broken after concurrent changes")
            return
        }
        #expect(entries == 200)
    }

    @Test func aFailingChangeIsRolledBackAloneInItsBatch() async throws {
        let harness = try WriterHarness()
        let writer = harness.writer
        // Hold the writer thread so that the changes below queue up and share one batch.
        let started = Flag()
        let gate = DispatchSemaphore(value: 0)
        // Whatever happens below, the writer thread must be let go, or closing the
        // harness would wait for it for ever.
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

        let batches = Locked<[String: ObjectIdentifier]>([:])
        let reduced = Locked<[String]>([])
        writer.setReducer { changes, _ in
            for case .systemAdded(let system) in changes { reduced.withLock { $0.append(system.name) } }
        }
        let submitted = Locked(0)
        let names = ["a", "b", "bad", "c", "d"]
        let outcomes = Task {
            await withTaskGroup(of: (String, WardenError?).self) { group in
                for name in names {
                    group.addTask {
                        submitted.withLock { $0 += 1 }
                        do throws(WardenError) {
                            try await writer.submit(.keys(["system:\(name)"])) { transaction in
                                batches.withLock { $0[name] = ObjectIdentifier(transaction) }
                                try WriteQueueTests.addSystem(name, transaction)
                                if name == "bad" { throw WardenError.conflict("refused on purpose") }
                                return Committed(())
                            }
                            return (name, nil)
                        } catch {
                            return (name, error)
                        }
                    }
                }
                var results: [String: WardenError?] = [:]
                for await (name, error) in group { results[name] = error }
                return results
            }
        }
        try await Flag.wait(upTo: 60) { submitted.value == names.count }
        // Each task queues its change right after counting itself; give them time to do so.
        try await Task.sleep(for: .milliseconds(300))
        gate.signal()
        released = true
        try await blocker.value
        let results = await outcomes.value

        #expect(results["bad"] == .some(WardenError.conflict("refused on purpose")))
        for name in names where name != "bad" { #expect(results[name] == .some(nil), "\(name) should commit") }
        #expect(Set(batches.value.values).count == 1, "the five changes should share one batch")
        let stored = try harness.reader.query("SELECT name FROM systems WHERE name <> 'warden' ORDER BY name") { $0.text(0) }
        #expect(stored == ["a", "b", "c", "d"])
        #expect(reduced.value.sorted() == ["a", "b", "c", "d"], "memory gets only the changes that committed")
        let audited = try harness.reader.query("SELECT target FROM audit ORDER BY seq") { $0.text(0) }
        #expect(Set(audited) == ["a", "b", "c", "d"])
        guard case .intact(let entries, _) = try AuditVerifier.verify(harness.reader) else {
            Issue.record("a rolled-back change broke the audit chain")
            return
        }
        #expect(entries == 4)
    }

    @Test func theReducerRunsAfterTheBodyAndBeforeSubmitReturns() async throws {
        let harness = try WriterHarness()
        let events = EventLog()
        harness.writer.setReducer { changes, _ in events.record("reduced \(changes.count)") }
        let value = try await harness.writer.submit(.keys(["system:x"])) { transaction in
            try WriteQueueTests.addSystem("x", transaction)
            events.record("body")
            return Committed(42)
        }
        events.record("returned")
        #expect(value == 42)
        #expect(events.all == ["body", "reduced 1", "returned"])
    }

    /// The reducer kept directly in a `Mutex` was wrapped in two more reabstraction
    /// thunks by every read, so after N commits calling it went 2N frames deep: slow,
    /// and in time a stack overflow on the writer thread. The frame the reducer runs in
    /// must be at the same stack address on the first commit and the two-hundredth.
    @Test func theReducerIsCalledAtTheSameStackDepthAfterManyCommits() async throws {
        let harness = try WriterHarness()
        let addresses = Locked<[UInt]>([])
        harness.writer.setReducer { _, _ in
            var marker = 0
            let address = withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) }
            addresses.withLock { $0.append(address) }
        }
        for index in 0..<200 {
            try await harness.writer.submit(.keys(["system:s\(index)"])) { transaction in
                try WriteQueueTests.addSystem("s\(index)", transaction)
                return Committed(())
            }
        }
        let seen = addresses.value
        #expect(seen.count == 200)
        #expect(seen.first == seen.last, "the reducer's frame moved \(Int(bitPattern: seen.first ?? 0) - Int(bitPattern: seen.last ?? 0)) bytes down the stack")
    }

    @Test func aFailedChangeIsNotApplied() async throws {
        let harness = try WriterHarness()
        let events = EventLog()
        harness.writer.setReducer { changes, _ in
            for change in changes { events.record("reduced \(change)") }
        }
        let error = await #expect(throws: WardenError.self) {
            try await harness.writer.submit(.exclusive) { transaction -> Committed<Void> in
                try WriteQueueTests.addSystem("x", transaction)
                throw WardenError.notFound("nothing here")
            }
        }
        #expect(error == .notFound("nothing here"))
        #expect(events.all.isEmpty)
        #expect(try harness.count("SELECT count(*) FROM systems WHERE name = 'x'") == 0)
    }

    @Test func aConstraintViolationIsAConflictThatChangesNothing() async throws {
        let harness = try WriterHarness()
        let error = await #expect(throws: WardenError.self) {
            try await harness.writer.submit(.exclusive) { transaction -> Committed<Void> in
                try WriteQueueTests.addSystem("fresh", transaction)
                try WriteQueueTests.addSystem("warden", transaction)  // already there
                return Committed(())
            }
        }
        #expect(error?.code == .conflict)
        #expect(try harness.count("SELECT count(*) FROM systems WHERE name = 'fresh'") == 0)
        #expect(try harness.count("SELECT count(*) FROM audit") == 0)
    }

    @Test func aChangeAfterAFailedBatchOfOneCommitsAndContinuesTheAuditChain() async throws {
        let harness = try WriterHarness()
        try await harness.writer.submit(.keys(["system:first"])) { transaction in
            try WriteQueueTests.addSystem("first", transaction)
            return Committed(())
        }
        await #expect(throws: WardenError.self) {
            try await harness.writer.submit(.exclusive) { transaction -> Committed<Void> in
                try WriteQueueTests.addSystem("failed", transaction)
                throw WardenError.conflict("refused on purpose")
            }
        }
        try await harness.writer.submit(.keys(["system:second"])) { transaction in
            try WriteQueueTests.addSystem("second", transaction)
            return Committed(())
        }
        let stored = try harness.reader.query("SELECT name FROM systems WHERE name <> 'warden' ORDER BY name") { $0.text(0) }
        #expect(stored == ["first", "second"])
        guard case .intact(let entries, _) = try AuditVerifier.verify(harness.reader) else {
            Issue.record("the failed change left a gap in the audit chain")
            return
        }
        #expect(entries == 2)
    }

    @Test func aClosedWriterRefusesNewChanges() async throws {
        let harness = try WriterHarness()
        harness.writer.close()
        let error = await #expect(throws: WardenError.self) {
            try await harness.writer.submit(.exclusive) { _ in Committed(()) }
        }
        #expect(error?.code == .unavailable)
    }

    @Test func closingTwiceReturns() throws {
        // A shutdown path reached twice must not wait forever for a writer that has
        // already stopped (before the fix, the second close hung).
        let harness = try WriterHarness()
        harness.writer.close()
        harness.writer.close()
    }
}

import Dispatch
import Foundation
import Logging
import Synchronization
import WardenCore

/// The single writer with group commit.
///
/// Changes from every connection queue here; one thread takes as many as can share
/// a transaction, runs each inside its own SAVEPOINT (so one failing change does not
/// fail the others; a batch of one needs none), commits once (`synchronous=FULL`: one fsync for the batch),
/// applies the committed changes to memory in order, and only then resumes the
/// callers. Nothing is acknowledged before its commit.
public final class WriteQueue: Sendable {
    private struct Job: Sendable {
        var scope: WriteScope
        var run: @Sendable (Transaction) -> Outcome
        /// Fails a change that never ran because its batch could not start or finish.
        var abandon: @Sendable (WardenError) -> Void
    }

    private struct Outcome {
        var succeeded: Bool
        var apply: (@Sendable () -> Void)?
        var resume: @Sendable () -> Void
        var fail: @Sendable (WardenError) -> Void
    }

    private struct State {
        var pending: [Job] = []
        var stopping = false
    }

    private let state = Mutex(State())
    private let wakeUp = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private let failure = Mutex<String?>(nil)
    private let maximumBatch = 512

    /// The database file as opened; every commit first checks the path still names it.
    private let file: DatabaseFileIdentity?

    /// Takes ownership of `connection`; from now on only the writer thread uses it.
    public init(connection: Connection, chain: AuditChain, file: DatabaseFileIdentity? = nil, logger: Logger) {
        self.file = file
        let owned = ThreadOwned(connection)
        let thread = Thread { [self] in
            self.run(owned.value, chain: chain, logger: logger)
        }
        thread.name = "warden-writer"
        thread.start()
    }

    /// How many changes wait for the writer thread to take them (for tests that force
    /// changes into one batch).
    var queuedCount: Int { state.withLock { $0.pending.count } }

    /// The last storage failure, `nil` once a commit succeeds again.
    public var storageFailure: String? { failure.withLock { $0 } }

    /// Runs `body` in the next batch; returns its value once committed and applied.
    public func submit<Value: Sendable>(
        _ scope: WriteScope,
        _ body: @escaping @Sendable (Transaction) throws -> Committed<Value>
    ) async throws(WardenError) -> Value {
        do {
            return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Value, any Error>) in
                let job = Job(scope: scope, run: { transaction in
                    do {
                        let committed = try body(transaction)
                        return Outcome(
                            succeeded: true, apply: committed.apply,
                            resume: { continuation.resume(returning: committed.value) },
                            fail: { continuation.resume(throwing: $0) })
                    } catch {
                        let mapped = WriteQueue.map(error)
                        return Outcome(
                            succeeded: false, apply: nil,
                            resume: { continuation.resume(throwing: mapped) },
                            fail: { continuation.resume(throwing: $0) })
                    }
                }, abandon: { continuation.resume(throwing: $0) })
                let accepted = state.withLock { state -> Bool in
                    guard !state.stopping else { return false }
                    state.pending.append(job)
                    return true
                }
                if accepted {
                    wakeUp.signal()
                } else {
                    continuation.resume(throwing: WardenError.unavailable("the server is shutting down"))
                }
            }
        } catch let error as WardenError {
            throw error
        } catch {
            throw .internalError("unexpected failure")
        }
    }

    /// Finishes every queued change, then stops the writer and closes the database.
    /// Safe to call more than once.
    public func close() {
        state.withLock { $0.stopping = true }
        wakeUp.signal()
        finished.wait()
        // The writer has stopped for good: let any later or concurrent close return too.
        finished.signal()
    }

    static func map(_ error: any Error) -> WardenError {
        switch error {
        case let error as WardenError: error
        case let error as SQLiteError where error.isConstraintViolation:
            .conflict("the database refused an inconsistent change")
        case is SQLiteError: .unavailable("storage failure; nothing was changed")
        default: .internalError("unexpected failure")
        }
    }

    // MARK: The writer thread

    private func run(_ connection: Connection, chain initialChain: AuditChain, logger: Logger) {
        var chain = initialChain
        var backlog: [Job] = []
        while true {
            if backlog.isEmpty { wakeUp.wait() }
            let (more, stopping) = state.withLock { state in
                defer { state.pending.removeAll(keepingCapacity: true) }
                return (state.pending, state.stopping)
            }
            backlog.append(contentsOf: more)
            if backlog.isEmpty {
                if stopping { break }
                continue
            }
            let batch = takeBatch(from: &backlog)
            commit(batch, connection: connection, chain: &chain, logger: logger)
        }
        try? connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finished.signal()
    }

    /// The longest prefix of the backlog that can share one transaction: it ends
    /// before an exclusive change, and before a change that writes or reads a key that
    /// an earlier change of the batch writes (see `WriteScope`). Reading what an
    /// earlier change only read, or writing what it only read, is fine: the earlier
    /// change decided on the state before either, and it is ordered first.
    private func takeBatch(from backlog: inout [Job]) -> [Job] {
        var batch: [Job] = []
        var written: Set<String> = []
        var taken = 0
        scan: for job in backlog {
            guard batch.count < maximumBatch else { break }
            switch job.scope {
            case .exclusive:
                if batch.isEmpty { batch.append(job); taken += 1 }
                break scan
            case .keys(let writes, let reads):
                guard writes.isDisjoint(with: written), reads.isDisjoint(with: written) else { break scan }
                written.formUnion(writes)
                batch.append(job)
                taken += 1
            }
        }
        backlog.removeFirst(taken)
        return batch
    }

    private func commit(_ batch: [Job], connection: Connection, chain: inout AuditChain, logger: Logger) {
        let transaction = Transaction(connection: connection, now: Timestamp.now(), chain: chain)
        var outcomes: [Outcome] = []
        if let file, !file.isCurrent {
            // Nothing is written, and no later batch (nor the storage probe) succeeds
            // while the path names another file: the failure stays until a restart.
            let message = StoreError.fileReplaced(file.path).description
            failure.withLock { $0 = message }
            logger.critical("database file replaced; no change is accepted", metadata: ["error": "\(message)"])
            let unavailable = WardenError.unavailable("storage failure; the database file was replaced, nothing was changed")
            for job in batch { job.abandon(unavailable) }
            return
        }
        do {
            // Prepared once and reused (`run`), not parsed again for every batch.
            try connection.run("BEGIN IMMEDIATE")
            if batch.count == 1 {
                // A batch of one needs no savepoint: a change that fails rolls back
                // the whole transaction, which holds nothing else.
                let before = transaction.chain
                let outcome = batch[0].run(transaction)
                outcomes.append(outcome)
                if outcome.succeeded {
                    try connection.run("COMMIT")
                } else {
                    try connection.run("ROLLBACK")
                    transaction.chain = before
                }
            } else {
                for job in batch {
                    let before = transaction.chain
                    try connection.run("SAVEPOINT change")
                    let outcome = job.run(transaction)
                    if !outcome.succeeded {
                        try connection.run("ROLLBACK TO change")
                        transaction.chain = before
                    }
                    try connection.run("RELEASE change")
                    outcomes.append(outcome)
                }
                try connection.run("COMMIT")
            }
        } catch {
            try? connection.execute("ROLLBACK")
            let message = error.description
            failure.withLock { $0 = message }
            logger.error("write batch failed; nothing in it was acknowledged", metadata: ["error": "\(message)"])
            let unavailable = WardenError.unavailable("storage failure; nothing was changed")
            for outcome in outcomes { outcome.fail(unavailable) }
            for job in batch.dropFirst(outcomes.count) { job.abandon(unavailable) }
            return
        }
        // The head is logged every 1,000 entries so that an operator can keep it
        // elsewhere: a chain alone cannot show that its newest entries were cut off.
        // `audit.seq` is the head's number (the count only while the chain is intact,
        // which this line does not check: `AUDIT VERIFY` counts).
        if transaction.chain.lastSeq / 1000 > chain.lastSeq / 1000 {
            logger.notice("audit chain head", metadata: [
                "audit.seq": "\(transaction.chain.lastSeq)", "audit.head": "\(transaction.chain.head)",
            ])
        }
        chain = transaction.chain
        if failure.withLock({ $0 }) != nil {
            failure.withLock { $0 = nil }
            logger.notice("storage writes succeed again")
        }
        for outcome in outcomes where outcome.succeeded { outcome.apply?() }
        for outcome in outcomes { outcome.resume() }
    }
}

/// Hands a non-Sendable value to the one thread that will use it from then on.
struct ThreadOwned<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

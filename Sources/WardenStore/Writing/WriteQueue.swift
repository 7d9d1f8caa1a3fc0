import Dispatch
import Foundation
import Logging
import Synchronization
import WardenCore

/// The single writer with group commit.
///
/// Changes from every connection queue here; one thread takes as many as can share
/// a transaction, runs each inside its own SAVEPOINT (so one failing change does not
/// fail the others; a batch of one needs none), commits once (`synchronous=FULL`: one
/// fsync for the batch), hands the committed changes to the reducer in order, and only
/// then resumes the callers. Nothing is acknowledged before its commit.
public final class WriteQueue: Sendable {
    struct Job: Sendable {
        var scope: WriteScope
        var priority: WritePriority
        /// The storage probe: before it runs, a spent disk reserve is written again.
        var isProbe = false
        /// Applies what other nodes committed (`catchUp()`): runs outside any write.
        var isCatchUp = false
        var run: @Sendable (Transaction) -> Outcome
        /// Fails a change that never ran because its batch could not start or finish.
        var abandon: @Sendable (WardenError) -> Void
    }

    struct Outcome {
        var succeeded: Bool
        /// Failed for want of disk space (the whole batch is then rolled back).
        var diskFull = false
        /// What the job wrote (`Transaction.write`), for the reducer.
        var changes: [Change] = []
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
    let maximumBatch = 512

    /// Room kept for offboarding on a full disk; `nil` for a database without one.
    private let reserve: DiskReserve?
    /// True from the moment the reserve is spent (or could not be made) until the
    /// storage probe writes it again: only `offboarding` changes are taken meanwhile.
    private let onReserve: Mutex<Bool>

    /// The database file as opened; every commit first checks the path still names it.
    private let file: DatabaseFileIdentity?

    /// The audit sequence number of the newest change this node has applied: its revision.
    private let appliedSeq: Atomic<Int64>

    /// Takes ownership of `connection`; from now on only the writer thread uses it.
    public convenience init(connection: Connection, chain: AuditChain, file: DatabaseFileIdentity? = nil, reserve: DiskReserve? = nil, logger: Logger) {
        self.init(backend: SQLiteWriteBackend(connection: connection), chain: chain, file: file, reserve: reserve, logger: logger)
    }

    /// Takes ownership of `backend`; from now on only the writer thread uses it.
    public init(backend: any WriteBackend, chain: AuditChain, file: DatabaseFileIdentity? = nil, reserve: DiskReserve? = nil, logger: Logger) {
        self.appliedSeq = Atomic(chain.lastSeq)
        self.file = file
        self.reserve = reserve
        let missing = reserve.map { !$0.create() } ?? false
        self.onReserve = Mutex(missing)
        if missing {
            failure.withLock { $0 = "no room on the disk for the offboarding reserve" }
            logger.critical("the disk has no room for the offboarding reserve: only offboarding changes are accepted until it has")
        }
        let owned = ThreadOwned(backend)
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

    /// The audit sequence number of the newest change applied to memory: the node's revision.
    public var revision: Int64 { appliedSeq.load(ordering: .acquiring) }

    /// The reducer and the entry observer (`WriteQueue+Callbacks.swift`).
    let callbacks = Mutex(Callbacks())

    /// Whether the disk filled up and only offboarding changes are taken (see `DiskReserve`).
    public var isOnReserve: Bool { onReserve.withLock { $0 } }

    /// Runs `body` in the next batch; returns its value once committed and applied.
    public func submit<Value: Sendable>(
        _ scope: WriteScope, priority: WritePriority = .ordinary,
        _ body: @escaping @Sendable (Transaction) throws -> Committed<Value>
    ) async throws(WardenError) -> Value {
        try await enqueue(scope, priority: priority, isProbe: false, body)
    }

    /// A real write that fails while the disk is full or the file read-only, and whose
    /// success clears the failure; first it writes a spent disk reserve again.
    public func probe(_ body: @escaping @Sendable (Transaction) throws -> Committed<Bool>) async throws(WardenError) {
        _ = try await enqueue(.keys(["health"]), priority: .offboarding, isProbe: true, body)
    }

    /// Applies every change committed by other nodes before the call (none on SQLite);
    /// returns the revision reached.
    @discardableResult
    public func catchUp() async throws(WardenError) -> Int64 {
        try await enqueue(.exclusive, priority: .offboarding, isProbe: false, isCatchUp: true) { [self] _ in Committed(revision) }
    }

    private func enqueue<Value: Sendable>(
        _ scope: WriteScope, priority: WritePriority, isProbe: Bool, isCatchUp: Bool = false,
        _ body: @escaping @Sendable (Transaction) throws -> Committed<Value>
    ) async throws(WardenError) -> Value {
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<Value, WardenError>, Never>) in
            enqueue(scope, priority: priority, isProbe: isProbe, isCatchUp: isCatchUp, body) { continuation.resume(returning: $0) }
        }
        return try result.get()
    }

    /// Queues `body` at once, so that changes handed over one after the other run in that
    /// order; `completion` is called (on the writer thread) once its batch is committed
    /// and applied, or has failed.
    public func submit<Value: Sendable>(
        _ scope: WriteScope, priority: WritePriority = .ordinary,
        _ body: @escaping @Sendable (Transaction) throws -> Committed<Value>,
        completion: @escaping @Sendable (Result<Value, WardenError>) -> Void
    ) {
        enqueue(scope, priority: priority, isProbe: false, body, completion: completion)
    }

    private func enqueue<Value: Sendable>(
        _ scope: WriteScope, priority: WritePriority, isProbe: Bool, isCatchUp: Bool = false,
        _ body: @escaping @Sendable (Transaction) throws -> Committed<Value>,
        completion: @escaping @Sendable (Result<Value, WardenError>) -> Void
    ) {
        let job = Job(scope: scope, priority: priority, isProbe: isProbe, isCatchUp: isCatchUp, run: { transaction in
            do {
                let committed = try body(transaction)
                return Outcome(
                    succeeded: true,
                    resume: { completion(.success(committed.value)) },
                    fail: { completion(.failure($0)) })
            } catch {
                let mapped = WriteQueue.map(error)
                return Outcome(
                    succeeded: false, diskFull: WriteQueue.isDiskFull(error),
                    resume: { completion(.failure(mapped)) },
                    fail: { completion(.failure($0)) })
            }
        }, abandon: { completion(.failure($0)) })
        let accepted = state.withLock { state -> Bool in
            guard !state.stopping else { return false }
            state.pending.append(job)
            return true
        }
        if accepted {
            wakeUp.signal()
        } else {
            completion(.failure(.unavailable("the server is shutting down")))
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

    // MARK: The writer thread

    private func run(_ backend: any WriteBackend, chain initialChain: AuditChain, logger: Logger) {
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
            var batch = takeBatch(from: &backlog)
            if batch.first?.isCatchUp == true {
                catchUp(batch, backend: backend, chain: &chain, logger: logger)
                continue
            }
            if isOnReserve {
                batch = admitOnReserve(batch, logger: logger)
                if batch.isEmpty { continue }
            }
            let retry = commit(batch, backend: backend, chain: &chain, logger: logger)
            backlog.insert(contentsOf: retry, at: 0)
        }
        backend.close()
        finished.signal()
    }

    /// On a spent reserve: the jobs of `batch` that may run. A probe first writes the
    /// reserve again; when it can, everything runs as usual from then on.
    private func admitOnReserve(_ batch: [Job], logger: Logger) -> [Job] {
        if batch.contains(where: \.isProbe), let reserve, reserve.create() {
            onReserve.withLock { $0 = false }
            logger.notice("disk space returned: the offboarding reserve is in place again")
            return batch
        }
        var admitted: [Job] = []
        for job in batch {
            if job.priority == .offboarding && !job.isProbe { admitted.append(job) } else { job.abandon(Self.refusedOnReserve) }
        }
        return admitted
    }

    /// Commits `batch`; returns the jobs to run again (offboarding changes of a batch
    /// that met a full disk, once the reserve has been given back for them).
    private func commit(_ batch: [Job], backend: any WriteBackend, chain: inout AuditChain, logger: Logger) -> [Job] {
        let now = Timestamp.now()
        var outcomes: [Outcome] = []
        if let file, !file.isCurrent {
            // Nothing is written, and no later batch (nor the storage probe) succeeds
            // while the path names another file: the failure stays until a restart.
            let message = StoreError.fileReplaced(file.path).description
            failure.withLock { $0 = message }
            logger.critical("database file replaced; no change is accepted", metadata: ["error": "\(message)"])
            let unavailable = WardenError.unavailable("storage failure; the database file was replaced, nothing was changed")
            for job in batch { job.abandon(unavailable) }
            return []
        }
        let transaction: Transaction
        do {
            defer { appliedSeq.store(chain.lastSeq, ordering: .releasing) }
            let interpreter = try backend.begin(now: now, chain: &chain, apply: applier)
            transaction = Transaction(interpreter: interpreter, now: now, chain: chain)
        } catch {
            return fail(batch, outcomes: [], error: error, backend: backend, logger: logger)
        }
        do {
            if batch.count == 1 {
                // A batch of one needs no savepoint: a change that fails rolls back
                // the whole transaction, which holds nothing else.
                let before = transaction.chain
                let outcome = run(batch[0], in: transaction)
                outcomes.append(outcome)
                if outcome.diskFull { throw DiskFull() }
                if outcome.succeeded {
                    try backend.commit(chain: transaction.chain)
                } else {
                    backend.rollback()
                    transaction.chain = before
                }
            } else {
                for job in batch {
                    let before = transaction.chain
                    try backend.savepoint()
                    let outcome = run(job, in: transaction)
                    outcomes.append(outcome)
                    if outcome.diskFull { throw DiskFull() }
                    if !outcome.succeeded {
                        try backend.rollbackToSavepoint()
                        transaction.chain = before
                    }
                    try backend.releaseSavepoint()
                }
                try backend.commit(chain: transaction.chain)
            }
        } catch {
            return fail(batch, outcomes: outcomes, error: error, backend: backend, logger: logger)
        }
        return finish(outcomes, transaction: transaction, chain: &chain, logger: logger)
    }

    /// A batch that could not commit: nothing in it is acknowledged, nothing applied.
    private func fail(_ batch: [Job], outcomes: [Outcome], error: any Error, backend: any WriteBackend, logger: Logger) -> [Job] {
        backend.rollback()
        let diskFull = WriteQueue.isDiskFull(error)
        let message = diskFull ? "the disk is full" : "\(error)"
        failure.withLock { $0 = message }
        logger.error("write batch failed; nothing in it was acknowledged", metadata: ["error": "\(message)"])
        // The first full disk spends the reserve, and the batch's offboarding
        // changes run again on the room it gave back; the rest are refused.
        let spendsReserve = diskFull && reserve != nil && !isOnReserve
        if spendsReserve {
            reserve?.release()
            onReserve.withLock { $0 = true }
            logger.critical("the disk is full: released the offboarding reserve; only offboarding changes are accepted until space returns")
        }
        var retry: [Job] = []
        let unavailable = WardenError.unavailable("storage failure; nothing was changed")
        for (index, job) in batch.enumerated() {
            if spendsReserve && job.priority == .offboarding && !job.isProbe {
                retry.append(job)
            } else if index < outcomes.count {
                outcomes[index].fail(unavailable)
            } else {
                job.abandon(unavailable)
            }
        }
        return retry
    }

    /// A committed batch: its changes go to memory, then its callers are answered.
    private func finish(_ outcomes: [Outcome], transaction: Transaction, chain: inout AuditChain, logger: Logger) -> [Job] {
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
        appliedSeq.store(chain.lastSeq, ordering: .releasing)
        // On the reserve, health stays failed until the probe has written it again.
        if !isOnReserve, failure.withLock({ $0 }) != nil {
            failure.withLock { $0 = nil }
            logger.notice("storage writes succeed again")
        }
        let changes = outcomes.filter(\.succeeded).flatMap(\.changes)
        if !changes.isEmpty, let reducer = callbacks.withLock({ $0.reducer }) { reducer(changes, transaction.now) }
        for outcome in outcomes { outcome.resume() }
        return []
    }

    /// Applies what other nodes committed, then answers every catch-up job of `batch`.
    private func catchUp(_ batch: [Job], backend: any WriteBackend, chain: inout AuditChain, logger: Logger) {
        do {
            defer { appliedSeq.store(chain.lastSeq, ordering: .releasing) }
            _ = try backend.catchUp(chain: &chain, apply: applier)
        } catch {
            // Unhealthy until the storage probe writes again (Maintenance, every 5 s).
            if failure.withLock({ $0 }) == nil {
                logger.warning("could not read the changes of other nodes", metadata: ["error": "\(error)"])
            }
            failure.withLock { $0 = "cannot read the changes of other nodes: \(error)" }
            let unavailable = WardenError.unavailable("storage unreachable; cannot catch up with the other nodes")
            for job in batch { job.abandon(unavailable) }
            return
        }
        let transaction = Transaction(interpreter: NoWrites(), now: Timestamp.now(), chain: chain)
        for job in batch { job.run(transaction).resume() }
    }

    /// Hands another node's entry to the reducer (its changes) and to the observer.
    private func applier(_ entry: CommittedEntry) {
        if !entry.changes.isEmpty, let reducer = callbacks.withLock({ $0.reducer }) { reducer(entry.changes, entry.time) }
        if let observer = callbacks.withLock({ $0.observer }) { observer(entry) }
    }

    /// Runs one job; its changes are kept with its outcome, or dropped with it.
    private func run(_ job: Job, in transaction: Transaction) -> Outcome {
        let start = transaction.changes.count
        var outcome = job.run(transaction)
        if outcome.succeeded && transaction.interpreter.feedsOtherNodes {
            do {
                try transaction.carryRemainingChanges(action: "warden.upkeep")
            } catch {
                outcome = Outcome(succeeded: false, resume: { [fail = outcome.fail] in fail(WriteQueue.map(error)) }, fail: outcome.fail)
            }
        }
        if outcome.succeeded {
            outcome.changes = Array(transaction.changes[start...])
        } else {
            transaction.changes.removeSubrange(start...)
        }
        return outcome
    }
}

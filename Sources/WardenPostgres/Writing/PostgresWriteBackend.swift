import Foundation
import Logging
import PostgresNIO
import WardenCore
import WardenStore

/// PostgreSQL's transactions, as the writer thread drives them.
///
/// Every write transaction first locks the one row of `audit_head` (`FOR UPDATE`):
/// writes of all nodes are serialised there, so audit entries get their `seq` one
/// after another in commit order, with no gaps. Holding the lock, the node reads the
/// entries committed since the last one it applied and applies their changes (the same
/// reducer as its own), so that its batch is decided against the latest committed
/// state. The audit log is the cluster's change feed: an entry carries the changes it
/// records (`audit.changes`, `ChangeCodec`).
///
/// A job's statements are held back until it succeeds (`releaseSavepoint`), so a job
/// refused by the service costs no round trip; only a job that needs an answer from the
/// database (a new user's id) opens a real savepoint. The batch's audit entries go in
/// one statement at the commit.
final class PostgresWriteBackend: WriteBackend {
    let connector: PostgresConnector
    let logger: Logger
    /// Said with every NOTIFY, so that the feed skips the wake-ups of its own commits.
    let nodeID: String
    /// The newest audit entry the database was seen to hold (for the lag in `/metrics`).
    let knownHead: KnownHead

    private var connection: PostgresConnection?
    /// After a failed connection attempt, none is made again before this instant.
    private var retryAfter = ContinuousClock.now

    private var pending = HeldStatements()
    private var pendingEntries: [(entry: AuditRecord, changes: String)] = []
    private var jobStart = (statements: 0, entries: 0)
    private var jobHasSavepoint = false

    init(connector: PostgresConnector, nodeID: String, knownHead: KnownHead, logger: Logger) {
        self.knownHead = knownHead
        self.connector = connector
        self.nodeID = nodeID
        self.logger = logger
    }

    // MARK: WriteBackend

    func begin(now: Timestamp, chain: inout AuditChain, apply: ChangeApplier) throws -> any ChangeInterpreter {
        pending.removeAll()
        pendingEntries.removeAll(keepingCapacity: true)
        jobStart = (0, 0)
        jobHasSavepoint = false
        let head: (seq: Int64, hash: String)
        do {
            head = try fetchHead(forUpdate: true, after: ["BEGIN"])
        } catch let failure as PostgresFailure where failure.sqlState == nil && connection == nil {
            // The connection had died while idle (a database restart, a failover): nothing
            // was decided on it yet, so the batch starts again once on a new one.
            head = try fetchHead(forUpdate: true, after: ["BEGIN"])
        }
        try applyEntries(upTo: head, chain: &chain, apply: apply)
        guard chain.lastSeq == head.seq else {
            throw PostgresFailure(message: "the audit log ends at \(chain.lastSeq) but its head says \(head.seq)")
        }
        return PostgresInterpreter(backend: self, now: now)
    }

    func savepoint() throws {
        jobStart = (pending.count, pendingEntries.count)
        jobHasSavepoint = false
    }

    func rollbackToSavepoint() throws {
        pending.removeSubrange(from: jobStart.statements)
        pendingEntries.removeSubrange(jobStart.entries...)
        if jobHasSavepoint { try send(["ROLLBACK TO SAVEPOINT job", "RELEASE SAVEPOINT job"]) }
        jobHasSavepoint = false
    }

    func releaseSavepoint() throws {
        if jobHasSavepoint { pending.append("RELEASE SAVEPOINT job") }
        jobHasSavepoint = false
        jobStart = (pending.count, pendingEntries.count)
    }

    /// The batch's statements, its audit entries with the head and the wake-up, then
    /// `COMMIT`: one hand-over to the connection for the whole batch.
    func commit(chain: AuditChain) throws {
        var statements = pending.statements()
        pending.removeAll()
        if !pendingEntries.isEmpty {
            // The wake-up is delivered to the listening nodes at the commit, not before.
            statements.append(PostgresStatements.appendAudit(
                pendingEntries, head: (chain.lastSeq, chain.head), wakeUp: (ChangeFeed.channel, nodeID + ":" + String(chain.lastSeq))))
        }
        statements.append("COMMIT")
        pendingEntries.removeAll(keepingCapacity: true)
        try send(statements)
    }

    func rollback() {
        pending.removeAll()
        pendingEntries.removeAll(keepingCapacity: true)
        guard connection != nil else { return }
        do { try send(["ROLLBACK"]) } catch { drop() }
    }

    func catchUp(chain: inout AuditChain, apply: ChangeApplier) throws -> Int64 {
        let head = try fetchHead(forUpdate: false)
        try applyEntries(upTo: head, chain: &chain, apply: apply)
        return chain.lastSeq
    }

    func close() {
        drop()
    }

    // MARK: For the interpreter

    /// Holds a job's statements until the job succeeds.
    func hold(_ statements: [PostgresQuery]) {
        pending.append(contentsOf: statements)
    }

    /// Holds a job's row writes (and statements) until the job succeeds.
    func hold(_ items: [HeldStatements.Item]) {
        pending.append(contentsOf: items)
    }

    func hold(_ entry: AuditRecord, changes: String) {
        pendingEntries.append((entry, changes))
    }

    /// Sends what is held, then `query`, and returns the first column of its one row:
    /// the job's part inside a savepoint, so that a job refused later takes it back.
    func insertReturningID(_ query: PostgresQuery) throws -> Int64 {
        var held = pending
        if !jobHasSavepoint {
            held.insert("SAVEPOINT job", at: jobStart.statements)
            jobHasSavepoint = true
        }
        pending.removeAll()
        jobStart.statements = 0
        let ids = try collect(query, after: held.statements()) { rows in try rows.map { try $0.decode(Int64.self) } }
        guard let id = ids.first else {
            throw PostgresFailure(message: "the insert returned no id")
        }
        return id
    }

    // MARK: Round trips

    private func fetchHead(forUpdate: Bool, after before: [PostgresQuery] = []) throws -> (seq: Int64, hash: String) {
        let query: PostgresQuery = forUpdate
            ? "SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE"
            : "SELECT seq, hash FROM audit_head WHERE id = 1"
        let heads = try collect(query, after: before) { rows in
            try rows.map { row -> (seq: Int64, hash: String) in
                let (seq, hash) = try row.decode((Int64, String).self)
                return (seq, hash)
            }
        }
        guard let head = heads.first else {
            throw PostgresFailure(message: "the audit_head row is missing")
        }
        knownHead.saw(head.seq)
        return head
    }

    /// Applies every entry after `chain`'s head up to `head`, in order, a page at a time.
    private func applyEntries(upTo head: (seq: Int64, hash: String), chain: inout AuditChain, apply: ChangeApplier) throws {
        guard head.seq >= chain.lastSeq else {
            throw PostgresFailure(message: "the database's audit log (\(head.seq)) is behind this node (\(chain.lastSeq)): restored from an older backup? Restart the node")
        }
        while chain.lastSeq < head.seq {
            let page = try collect("""
                SELECT seq, time, actor, source, action, result, changes, prev_hash, hash FROM audit
                WHERE seq > \(chain.lastSeq) AND seq <= \(head.seq) ORDER BY seq LIMIT 2000
                """
            ) { rows in try rows.map { try $0.decode(EntryRow.self) } }
            guard !page.isEmpty else { throw PostgresFailure(message: "audit entries up to \(head.seq) are missing") }
            for (seq, time, actor, source, action, result, changes, previousHash, hash) in page {
                // Gapless by construction (the head lock); a gap would mean lost entries.
                guard seq == chain.lastSeq + 1 else { throw PostgresFailure(message: "audit entry \(chain.lastSeq + 1) is missing") }
                // The entry must follow the one this node applied last: after a restore
                // from a backup or a failover that lost commits, numbers can go on past
                // this node's revision over a history it never saw.
                guard previousHash == chain.head else {
                    throw PostgresFailure(message: "audit entry \(seq) does not follow entry \(chain.lastSeq) as this node applied it: the database's history changed (restored from a backup, or a failover lost commits); restart this node")
                }
                let decoded: [Change]
                do { decoded = try ChangeCodec.decode(changes) } catch {
                    throw PostgresFailure(message: "audit entry \(seq) carries changes this node cannot read")
                }
                apply(CommittedEntry(
                    seq: seq, time: Timestamp(rfc3339: time) ?? Timestamp.now(), actor: actor, source: source, action: action,
                    result: result, changes: decoded))
                chain.lastSeq = seq
                chain.head = hash
            }
        }
    }

    /// Runs the statements in order, in one hand-over from the writer thread.
    private func send(_ statements: [PostgresQuery]) throws {
        _ = try rows(of: statements)
    }

    /// Runs `before`, then `query`, and hands its rows to `read` (on the writer thread).
    private func collect<Value>(_ query: PostgresQuery, after before: [PostgresQuery] = [], _ read: ([PostgresRow]) throws -> Value) throws -> Value {
        try read(try rows(of: before + [query]))
    }

    /// Sends the statements one after another and waits for the last one's rows. Each
    /// is a round trip (postgres-nio sends a statement once the previous one is
    /// answered), chained as futures on the connection's event loop: the next goes out
    /// from the thread that read the answer, where awaiting each one in a task would
    /// hop to Swift's cooperative pool and back between every two, a wait for a core
    /// each on a busy machine.
    private func rows(of statements: [PostgresQuery]) throws -> [PostgresRow] {
        let connection = try connected()
        let logger = logger
        var chained = connection.eventLoop.makeSucceededFuture([PostgresRow]())
        for statement in statements {
            chained = chained.flatMap { _ in connection.query(statement, logger: logger).map(\.rows) }
        }
        do {
            return try Blocking.wait(for: chained, giveUp: { Self.abort(connection) })
        } catch {
            let failure = PostgresFailure(error)
            if failure.sqlState == nil { drop() }
            throw failure
        }
    }

    /// The writer's connection, made again after a failure (at most once a second).
    private func connected() throws -> PostgresConnection {
        if let connection, !connection.isClosed { return connection }
        drop()
        guard ContinuousClock.now >= retryAfter else { throw PostgresFailure(message: "the database is unreachable") }
        do {
            let connector = connector
            let made = try Blocking.wait(for: try connector.connectFuture(purpose: "writer"), giveUp: {})
            connection = made
            return made
        } catch {
            retryAfter = ContinuousClock.now + .seconds(1)
            throw PostgresFailure(error)
        }
    }

    /// Closes a connection whose query does not end, from outside the writer.
    private static func abort(_ connection: PostgresConnection) {
        let closing: EventLoopFuture<Void> = connection.close()
        closing.whenComplete { _ in }
    }

    private func drop() {
        guard let connection else { return }
        self.connection = nil
        // Waited for: postgres-nio wants a connection closed before it is let go. As a
        // future, so that the writer's thread never waits on Swift's cooperative pool.
        let closing: EventLoopFuture<Void> = connection.close()
        try? Blocking.wait(for: closing, giveUp: {})
    }

    typealias EntryRow = (Int64, String, String, String, String, String, String, String, String)
}

import Foundation
import Logging
import PostgresNIO
import WardenCore
import WardenCrypto
import WardenStore

/// Warden on a PostgreSQL database shared by several nodes (SPEC §6).
///
/// Each node keeps the whole state in memory, as on SQLite; the database is the one
/// place every change is decided and committed (`PostgresWriteBackend`) and the log the
/// other nodes replay (`ChangeFeed`). The node's `--data` folder holds only its lock and,
/// on the node that initialised the database, the bootstrap password file.
public final class PostgresStore: Storage {
    public let writer: WriteQueue
    public let secrets: SecretVault
    public let dataDirectory: DataDirectory
    let database: ClusterDatabase
    let feed: ChangeFeed
    let keying: AuditKeying
    let logger: Logger
    private let tasks: Task<Void, Never>

    /// Opens the database at `url` (migrating it, or initialising an empty one), checks
    /// the master key in `masterKeyFile` against it, and loads the state.
    public static func open(
        url: PostgresURL, password: String?, dataPath: String, masterKeyFile: String, logger: Logger
    ) async throws -> OpenedStorage {
        let directory = try DataDirectory(path: dataPath)
        let master = try MasterKeyFile.load(path: masterKeyFile, create: false).key
        // One direct connection first: an unreachable server or a refused password stops
        // the start at once, in the database's own words (the pool would retry for ever).
        try await probe(url: url, password: password, logger: logger)
        let database = ClusterDatabase(url: url, password: password, maximumConnections: 4, logger: logger)
        let pool = Task { await database.run() }
        do {
            let found = try await PostgresMigrator.migrate(database, now: Timestamp.now().milliseconds)
            let keying = try await establishKeying(database, master: master, keyFile: masterKeyFile)
            let (loaded, _) = try await PostgresSnapshot.load(from: database.client, now: Timestamp.now(), logger: logger)
            var snapshot = loaded
            snapshot.chain.keying = keying
            let nodeID = Base64URL.encode(SecureRandom.bytes(9))
            let connector = PostgresConnector(url: url, password: password, logger: logger)
            let knownHead = KnownHead()
            knownHead.saw(snapshot.chain.lastSeq)
            let backend = PostgresWriteBackend(connector: connector, nodeID: nodeID, knownHead: knownHead, logger: logger)
            let writer = WriteQueue(backend: backend, chain: snapshot.chain, logger: logger)
            let feed = ChangeFeed(connector: connector, writer: writer, nodeID: nodeID, knownHead: knownHead, logger: logger)
            let store = PostgresStore(
                writer: writer, vault: SecretVault(master: master, masterKeyFile: masterKeyFile), directory: directory,
                database: database, pool: pool, feed: feed, keying: keying, logger: logger)
            // Ready means healthy (SPEC §1): the feed listens before the node says so.
            if await !store.feed.waitUntilListening(within: .seconds(5)) {
                logger.warning("not listening to the other nodes' changes yet; starting degraded")
            }
            logger.notice("opened the cluster's database", metadata: [
                "postgres": "\(url)", "node": "\(nodeID)", "revision": "\(snapshot.chain.lastSeq)",
            ])
            return OpenedStorage(store: store, snapshot: snapshot, isNew: found == 0)
        } catch {
            pool.cancel()
            throw error
        }
    }

    private init(writer: WriteQueue, vault: SecretVault, directory: DataDirectory, database: ClusterDatabase,
                 pool: Task<Void, Never>, feed: ChangeFeed, keying: AuditKeying, logger: Logger) {
        self.writer = writer
        self.secrets = vault
        self.dataDirectory = directory
        self.database = database
        self.feed = feed
        self.keying = keying
        self.logger = logger
        // The feed runs as long as the store; the pool (started by `open`) too.
        self.tasks = Task {
            await withTaskCancellationHandler {
                await feed.run()
                await pool.value
            } onCancel: {
                pool.cancel()
            }
        }
    }

    /// The first node to start on a new database sets the audit chain's keying (its
    /// check binds the key file to the database); every node then checks its key file
    /// against it, and a node given another key refuses to start, naming its file.
    static func establishKeying(_ database: ClusterDatabase, master: MasterKey, keyFile: String) async throws -> AuditKeying {
        let check = AuditKeying.check(master, keyedFrom: 1)
        try await database.client.perform(
            "INSERT INTO audit_keying (id, keyed_from, key_check) VALUES (1, 1, \(check)) ON CONFLICT (id) DO NOTHING",
            logger: database.logger)
        return try await readKeying(database.client, master: master, keyFile: keyFile, logger: database.logger)
    }

    /// Makes one connection and closes it: a one-shot tool (`warden audit verify
    /// --postgres`) learns at once, in the database's own words (`describe`), why it
    /// cannot connect, where a pool would keep retrying until a deadline.
    public static func probe(url: PostgresURL, password: String?, logger: Logger) async throws {
        let connection = try await PostgresConnector(url: url, password: password, logger: logger).connect(purpose: "probe")
        try await connection.close()
    }

    /// For `warden audit verify --postgres` (read-only: it never inserts the row): the
    /// database's keying, checked against `master`. A missing row or a check that does
    /// not match is `wrongMasterKey(keyFile)`, as at a node's start.
    public static func readKeying(
        _ client: PostgresClient, master: MasterKey, keyFile: String, logger: Logger
    ) async throws -> AuditKeying {
        var row: (Int64, String)?
        for try await found in try await client.query(
            "SELECT keyed_from, key_check FROM audit_keying WHERE id = 1", logger: logger
        ).decode((Int64, String).self) {
            row = found
        }
        guard let (keyedFrom, stored) = row else { throw StoreError.wrongMasterKey(keyFile) }
        return try AuditKeying.verified(master: master, keyedFrom: keyedFrom, stored: stored, keyFile: keyFile)
    }

    // MARK: Audit reads

    public func auditEntries(_ query: AuditQuery) async throws(WardenError) -> [AuditRecord] {
        let newest = query.takesNewest
        let sql: PostgresQuery = """
            SELECT seq, time, actor, source, action, target, detail, result, prev_hash, hash FROM audit
            WHERE (\(query.sinceSeq)::bigint IS NULL OR seq > \(query.sinceSeq))
              AND (\(query.sinceTime)::text IS NULL OR time >= \(query.sinceTime))
              AND (\(query.actor)::text IS NULL OR actor = \(query.actor))
              AND (\(query.target)::text IS NULL OR target = \(query.target))
            ORDER BY CASE WHEN \(newest) THEN -seq ELSE seq END LIMIT \(Int64(query.limit))
            """
        let records = try await reading { () async throws -> [AuditRecord] in
            var records: [AuditRecord] = []
            for try await row in try await self.database.client.query(sql, logger: self.logger).decode(AuditRow.self) {
                records.append(Self.record(row))
            }
            return records
        }
        return newest ? records.reversed() : records
    }

    public func auditHead() async throws(WardenError) -> (seq: Int64, head: String)? {
        let head = try await reading { () async throws -> Head? in
            var head: Head?
            for try await row in try await self.database.client.query(
                "SELECT seq, hash FROM audit_head WHERE id = 1", logger: self.logger
            ).decode((Int64, String).self) {
                head = Head(seq: row.0, hash: row.1)
            }
            return head
        }
        guard let head, head.seq > 0 else { return nil }
        return (head.seq, head.hash)
    }

    public func verifyAudit() async throws(WardenError) -> AuditVerifier.Outcome {
        let keying = keying
        return try await reading(timeout: .seconds(600)) {
            try await PostgresStore.verify(self.database.client, keying: keying, logger: self.logger)
        }
    }

    /// Walks the chain in `seq` order, streamed (never the whole log in memory).
    public static func verify(_ client: PostgresClient, keying: AuditKeying?, logger: Logger) async throws -> AuditVerifier.Outcome {
        var walk = AuditVerifier.Walk(keying: keying)
        let rows = try await client.query(
            "SELECT seq, time, actor, source, action, target, detail, result, prev_hash, hash FROM audit ORDER BY seq",
            logger: logger)
        for try await row in rows.decode(AuditRow.self) {
            guard walk.check(record(row)) else { break }
        }
        return walk.outcome
    }

    struct Head: Sendable {
        var seq: Int64
        var hash: String
    }

    typealias AuditRow = (Int64, String, String, String, String, String, String, String, String, String)

    static func record(_ row: AuditRow) -> AuditRecord {
        AuditRecord(
            seq: row.0, time: row.1, actor: row.2, source: row.3, action: row.4, target: row.5, detail: row.6,
            result: row.7, previousHash: row.8, hash: row.9)
    }

    /// Runs a read on the pool; a database that does not answer is `UNAVAILABLE`.
    private func reading<Value: Sendable>(
        timeout: Duration = .seconds(5), _ body: @escaping @Sendable () async throws -> Value
    ) async throws(WardenError) -> Value {
        do {
            return try await Self.withTimeout(timeout, body)
        } catch {
            logger.warning("database read failed", metadata: ["error": "\(PostgresFailure(error))"])
            throw .unavailable("the database is unreachable")
        }
    }

    // MARK: Health, sync, lag

    public func isHealthy() async -> Bool {
        writer.storageFailure == nil && feed.isListening
    }

    public var isDegraded: Bool {
        writer.storageFailure != nil || !feed.isListening
    }

    public func probeStorage() async {
        try? await writer.probe { transaction in
            try transaction.recordHealthCheck()
            return Committed(true)
        }
    }

    public func sync(timeout: Duration) async throws(WardenError) -> Int64 {
        let writer = writer
        do {
            return try await Self.withTimeout(timeout) { try await writer.catchUp() }
        } catch let error as WardenError {
            throw error
        } catch {
            throw .unavailable("could not catch up with the database within \(timeout)")
        }
    }

    public var lag: Int64 {
        max(0, feed.knownHead.value - writer.revision)
    }

    public func close() {
        writer.close()
        tasks.cancel()
        dataDirectory.releaseLock()
    }

    /// `body`'s value, or an error once `timeout` has passed (the body is cancelled).
    static func withTimeout<Value: Sendable>(_ timeout: Duration, _ body: @escaping @Sendable () async throws -> Value) async throws -> Value {
        try await withThrowingTaskGroup(of: Value.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw PostgresFailure(message: "no answer within \(timeout)")
            }
            defer { group.cancelAll() }
            guard let first = try await group.next() else { throw PostgresFailure(message: "no answer") }
            return first
        }
    }
}

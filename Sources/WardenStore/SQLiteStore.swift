import Dispatch
import Logging
import Synchronization
import WardenCore

/// Warden's embedded storage, SQLite: the locked data directory, the single writer
/// with group commit, and a read-only connection for queries that memory does not
/// answer (the audit log).
public final class SQLiteStore: Storage {
    public let dataDirectory: DataDirectory
    public let writer: WriteQueue
    private let reader: Mutex<ThreadOwned<Connection>>
    private let readQueue = DispatchQueue(label: "warden.store.reader")

    /// The audit chain's keying, for `verifyAudit`.
    public let auditKeying: AuditKeying
    /// Seals and opens the private signing keys kept in the database.
    public let secrets: SecretVault

    /// Opens (or initialises) the data directory at `path`, with the master key in
    /// `masterKeyFile` (default `path/master.key`, created when absent).
    public static func open(path: String, masterKeyFile: String? = nil, logger: Logger) throws(StoreError) -> OpenedStorage {
        let directory = try DataDirectory(path: path)
        let keyFile = masterKeyFile ?? directory.masterKeyPath
        let master = try MasterKeyFile.load(path: keyFile, create: masterKeyFile == nil)
        let now = Timestamp.now()
        let clean = CleanShutdown.consume(directory)
        let (connection, isNew) = try DatabaseOpener.open(directory, now: now.milliseconds, fullCheck: !clean)
        if !clean && !isNew {
            logger.notice("checked the whole database (PRAGMA quick_check): the last stop was not clean, or the file changed since")
        }
        // Opened first so that the snapshot reads the grants on it, beside the users.
        let reader = try DatabaseOpener.openReader(directory)
        var snapshot: Snapshot
        do {
            snapshot = try Snapshot.load(from: connection, side: reader, now: now)
        } catch {
            throw DatabaseOpener.classify(error)
        }
        // A new key may set up a database's keying; an existing one must match it.
        let keying = try AuditKeying.establish(on: connection, master: master.key, keyFile: keyFile, mayInitialise: master.isNew || isNew)
        if master.isNew {
            try MasterKeyFile.commit(path: keyFile)
            logger.notice("created the master key file; keep a copy of it apart from the data", metadata: ["file": "\(keyFile)"])
        }
        let vault = SecretVault(master: master.key, masterKeyFile: keyFile)
        snapshot.signingKeys = try vault.sealLegacyKeys(snapshot.signingKeys, on: connection, in: directory, logger: logger)
        var chain = snapshot.chain
        chain.keying = keying
        let file = DatabaseFileIdentity(path: directory.databasePath)
        let store = SQLiteStore(directory: directory, connection: connection, reader: reader, chain: chain, keying: keying,
                          vault: vault, file: file, logger: logger)
        return OpenedStorage(store: store, snapshot: snapshot, isNew: isNew)
    }

    private init(directory: DataDirectory, connection: Connection, reader: Connection, chain: AuditChain,
                 keying: AuditKeying, vault: SecretVault, file: DatabaseFileIdentity?, logger: Logger) {
        self.dataDirectory = directory
        self.auditKeying = keying
        self.secrets = vault
        self.writer = WriteQueue(connection: connection, chain: chain, file: file, reserve: DiskReserve(directory: directory), logger: logger)
        self.reader = Mutex(ThreadOwned(reader))
    }

    /// Runs a read-only query off the caller's thread (never on an event loop).
    public func read<Value: Sendable>(_ body: @escaping @Sendable (Connection) throws(SQLiteError) -> Value) async throws(WardenError) -> Value {
        let result: Result<Value, SQLiteError> = await withCheckedContinuation { continuation in
            readQueue.async {
                let result = self.reader.withLock { owned -> Result<Value, SQLiteError> in
                    do throws(SQLiteError) { return .success(try body(owned.value)) } catch { return .failure(error) }
                }
                continuation.resume(returning: result)
            }
        }
        switch result {
        case .success(let value): return value
        case .failure: throw .unavailable("storage failure while reading")
        }
    }

    public func auditEntries(_ query: AuditQuery) async throws(WardenError) -> [AuditRecord] {
        try await read { db throws(SQLiteError) in try SQLiteStore.run(query, on: db) }
    }

    public func auditHead() async throws(WardenError) -> (seq: Int64, head: String)? {
        try await read { db throws(SQLiteError) in
            try db.queryOne("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1") { ($0.int(0), $0.text(1)) }
        }
    }

    /// Each filter is always bound; a NULL parameter switches it off.
    static func run(_ query: AuditQuery, on db: Connection) throws(SQLiteError) -> [AuditRecord] {
        let sql = """
            SELECT seq, time, actor, source, action, target, detail, result, prev_hash, hash FROM audit
            WHERE (?1 IS NULL OR seq > ?1) AND (?2 IS NULL OR time >= ?2)
              AND (?3 IS NULL OR actor = ?3) AND (?4 IS NULL OR target = ?4)
            ORDER BY seq \(query.takesNewest ? "DESC" : "ASC") LIMIT ?5
            """
        let records = try db.query(sql, [
            .optional(query.sinceSeq), .optional(query.sinceTime), .optional(query.actor), .optional(query.target),
            .integer(Int64(query.limit)),
        ]) { row in
            AuditRecord(
                seq: row.int(0), time: row.text(1), actor: row.text(2), source: row.text(3), action: row.text(4),
                target: row.text(5), detail: row.text(6), result: row.text(7), previousHash: row.text(8), hash: row.text(9))
        }
        return query.takesNewest ? records.reversed() : records
    }

    /// One node: every change is applied as it commits, so there is nothing to wait for.
    public func sync(timeout: Duration) async throws(WardenError) -> Int64 { writer.revision }

    public var lag: Int64 { 0 }

    public var isDegraded: Bool { false }

    /// Walks the whole audit chain, under its keying (off the caller's thread).
    public func verifyAudit() async throws(WardenError) -> AuditVerifier.Outcome {
        let keying = auditKeying
        return try await read { db throws(SQLiteError) in try AuditVerifier.verify(db, keying: keying) }
    }

    /// Whether the database answers a query (for `/healthz`).
    public func isHealthy() async -> Bool {
        guard writer.storageFailure == nil else { return false }
        do {
            return try await read { db throws(SQLiteError) in try db.queryOne("SELECT count(*) FROM schema_migrations") { $0.int(0) } ?? 0 } > 0
        } catch {
            return false
        }
    }

    /// Writes the health row: it fails while the disk is full or the file read-only,
    /// and its success clears the writer's failure (after a full disk, once the
    /// offboarding reserve could be written again).
    public func probeStorage() async {
        try? await writer.probe { transaction in
            try transaction.recordHealthCheck()
            return Committed(true)
        }
    }

    /// Finishes queued writes and closes the database; records the clean stop unless
    /// the last write failed (so that the next start checks the whole file).
    public func close() {
        writer.close()
        if writer.storageFailure == nil { CleanShutdown.record(dataDirectory) }
        dataDirectory.releaseLock()
    }
}

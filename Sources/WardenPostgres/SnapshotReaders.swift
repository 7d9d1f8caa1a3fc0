import Logging
import PostgresNIO
import WardenStore

/// Several connections of the pool that read one committed state of the database at
/// once, so that a node's start reads its large tables in parallel and still gets a
/// consistent directory.
///
/// Each reader is a REPEATABLE READ, READ ONLY transaction whose snapshot is taken by
/// its first statement, which reads `audit_head`. Every write of every node commits
/// with the head's row locked (`PostgresWriteBackend`) and moves it, so two readers
/// that see the same head seq see the same committed changes. While the readers take
/// their snapshots, one more connection holds the head's row `FOR SHARE`: writers wait
/// (a few round trips), no commit can fall between two snapshots, and the seqs are
/// then checked to agree. (PostgreSQL's exported snapshots would do as much, but
/// `SET TRANSACTION SNAPSHOT` takes its id only as SQL text, never bound.)
enum SnapshotReaders {
    /// Runs `body` with `count` readers and the audit seq they all see; commits the
    /// readers afterwards. Uses `count + 1` of the pool's connections at once.
    static func with<Value: Sendable>(
        _ count: Int, client: PostgresClient, logger: Logger,
        _ body: @escaping @Sendable ([PostgresConnection], Int64) async throws -> Value
    ) async throws -> Value {
        try await leasing(count + 1, from: client, []) { connections in
            let lock = connections[0], readers = Array(connections.dropFirst())
            let seq = try await snapshots(readers, lockingWith: lock, logger: logger)
            do {
                let value = try await body(readers, seq)
                for reader in readers { try await reader.perform("COMMIT", logger: logger) }
                return value
            } catch {
                for reader in readers { try? await reader.perform("ROLLBACK", logger: logger) }
                throw error
            }
        }
    }

    /// Opens every reader's transaction while `lock` holds the head; their common seq.
    private static func snapshots(_ readers: [PostgresConnection], lockingWith lock: PostgresConnection, logger: Logger) async throws -> Int64 {
        var opened: [PostgresConnection] = []
        do {
            try await lock.perform("BEGIN", logger: logger)
            let locked = try await head(lock, "SELECT seq FROM audit_head WHERE id = 1 FOR SHARE", logger)
            for reader in readers {
                try await reader.perform("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY", logger: logger)
                opened.append(reader)
                let seen = try await head(reader, "SELECT seq FROM audit_head WHERE id = 1", logger)
                guard seen == locked else {
                    throw StoreError.corrupt("a snapshot saw audit entry \(seen) while the head was held at \(locked)")
                }
            }
            try await lock.perform("COMMIT", logger: logger)
            return locked
        } catch {
            try? await lock.perform("ROLLBACK", logger: logger)
            for reader in opened { try? await reader.perform("ROLLBACK", logger: logger) }
            throw error
        }
    }

    private static func head(_ connection: PostgresConnection, _ query: PostgresQuery, _ logger: Logger) async throws -> Int64 {
        var seq: Int64?
        for try await value in try await connection.query(query, logger: logger).decode(Int64.self) { seq = value }
        guard let seq else { throw StoreError.corrupt("audit_head has no row") }
        return seq
    }

    /// `count` connections of the pool, held together for `body`.
    private static func leasing<Value: Sendable>(
        _ count: Int, from client: PostgresClient, _ leased: [PostgresConnection],
        _ body: @escaping @Sendable ([PostgresConnection]) async throws -> Value
    ) async throws -> Value {
        if leased.count == count { return try await body(leased) }
        return try await client.withConnection { connection in
            try await leasing(count, from: client, leased + [connection], body)
        }
    }
}

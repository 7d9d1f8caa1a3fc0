import PostgresNIO
import WardenCore
import WardenStore

/// PostgreSQL's interpreter of `Change`: the statements of `PostgresStatements`, held
/// by the backend until the job succeeds; the frequent changes as row writes, which the
/// batch sends together (`RowWrite`). Each audit entry carries the changes written
/// since the previous one, for the other nodes.
final class PostgresInterpreter: ChangeInterpreter {
    let backend: PostgresWriteBackend
    let now: Timestamp

    init(backend: PostgresWriteBackend, now: Timestamp) {
        self.backend = backend
        self.now = now
    }

    var feedsOtherNodes: Bool { true }

    func insertUser(_ user: User) throws -> Int64 {
        try backend.insertReturningID(PostgresStatements.insertUser(user))
    }

    func write(_ change: Change) throws {
        if let writes = RowWrite.writes(for: change) {
            backend.hold(writes)
        } else {
            backend.hold(PostgresStatements.statements(for: change))
        }
    }

    func append(_ entry: AuditRecord, carrying changes: ArraySlice<Change>) throws {
        backend.hold(entry, changes: changes.isEmpty ? "" : ChangeCodec.encode(Array(changes)))
    }

    func recordHealthCheck() throws {
        backend.hold(["UPDATE health SET checked_ms = \(now.milliseconds) WHERE id = 1"])
    }
}

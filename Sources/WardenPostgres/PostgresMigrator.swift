import Logging
import PostgresNIO
import WardenStore

/// Applies the numbered migrations of `schema/postgres/` (embedded at build time) in
/// order, each in one transaction, and records them in `schema_migrations`.
///
/// Several nodes may start at once: each migration's transaction first takes one
/// advisory lock and reads the version again under it, so every migration is applied
/// exactly once, by whichever node comes first, and the others find it done. A
/// database of a later version than this binary knows is refused.
public enum PostgresMigrator {
    /// The advisory lock of Warden's migrations ("Ward" in ASCII, as SQLite's application id).
    static let lockKey: Int64 = 0x5761_7264

    public static var migrations: [(name: String, sql: String)] { EmbeddedSchema.migrations }
    public static var latestVersion: Int { migrations.count }

    /// Migrates the database; returns the version found before (0: it was empty).
    @discardableResult
    public static func migrate(_ database: ClusterDatabase, now: Int64) async throws -> Int {
        var found: Int?
        while true {
            let step = try await database.client.withTransaction(logger: database.logger) { connection -> (version: Int, done: Bool) in
                try await connection.perform("SELECT pg_advisory_xact_lock(\(lockKey))", logger: database.logger)
                try await connection.perform(
                    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_ms BIGINT NOT NULL)",
                    logger: database.logger)
                let rows = try await connection.query("SELECT coalesce(max(version), 0) FROM schema_migrations", logger: database.logger)
                var version = 0
                for try await (value) in rows.decode(Int.self) { version = value }
                guard version <= latestVersion else {
                    throw StoreError.newerSchema(found: version, supported: latestVersion)
                }
                guard version < latestVersion else { return (version, true) }
                let migration = migrations[version]
                for statement in statements(of: migration.sql) {
                    try await connection.perform(PostgresQuery(unsafeSQL: statement), logger: database.logger)
                }
                let next = version + 1
                try await connection.perform(
                    "INSERT INTO schema_migrations (version, name, applied_ms) VALUES (\(next), \(migration.name), \(now))",
                    logger: database.logger)
                return (version, false)
            }
            if found == nil { found = step.version }
            if step.done { return found ?? step.version }
            database.logger.notice("applied a schema migration", metadata: ["version": "\(step.version + 1)"])
        }
    }

    /// The statements of a migration file: each ends with `;` at the end of a line;
    /// comment lines are dropped. (The extended query protocol takes one at a time.)
    static func statements(of sql: String) -> [String] {
        var statements: [String] = []
        var current: [Substring] = []
        for line in sql.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.drop { $0 == " " }
            if trimmed.hasPrefix("--") || trimmed.isEmpty { continue }
            current.append(line)
            if line.hasSuffix(";") {
                statements.append(current.joined(separator: "\n"))
                current = []
            }
        }
        if !current.isEmpty { statements.append(current.joined(separator: "\n")) }
        return statements
    }
}

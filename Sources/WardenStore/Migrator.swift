import CSQLite

/// Applies the numbered migrations of `schema/` (embedded at build time) in order,
/// each in one transaction, and records them in `schema_migrations`.
///
/// `PRAGMA user_version` holds the number of applied migrations and
/// `PRAGMA application_id` marks the file as Warden's, so that Warden refuses a
/// database written by a newer binary or by another program.
public enum Migrator {
    /// "Ward" in ASCII.
    public static let applicationID: Int64 = 0x5761_7264

    public static var migrations: [(name: String, sql: String)] { EmbeddedSchema.migrations }
    public static var latestVersion: Int { migrations.count }

    /// Migrates `connection` to the latest version; returns the version found before.
    @discardableResult
    public static func migrate(_ connection: Connection, now: Int64) throws(StoreError) -> Int {
        let found: Int
        do {
            found = Int(try connection.queryOne("PRAGMA user_version") { $0.int(0) } ?? 0)
        } catch {
            throw .corrupt(error.message)
        }
        guard found <= latestVersion else { throw .newerSchema(found: found, supported: latestVersion) }
        do throws(SQLiteError) {
            if found == 0 {
                try connection.execute("""
                    CREATE TABLE IF NOT EXISTS schema_migrations (
                        version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_ms INTEGER NOT NULL)
                    """)
            }
            for version in (found + 1)..<(latestVersion + 1) {
                let migration = migrations[version - 1]
                try connection.execute("BEGIN IMMEDIATE")
                do {
                    try connection.execute(migration.sql)
                    try connection.run(
                        "INSERT INTO schema_migrations (version, name, applied_ms) VALUES (?, ?, ?)",
                        .integer(Int64(version)), .text(migration.name), .integer(now))
                    try connection.execute("PRAGMA application_id = \(applicationID)")
                    try connection.execute("PRAGMA user_version = \(version)")
                    try connection.execute("COMMIT")
                } catch {
                    try? connection.execute("ROLLBACK")
                    throw error
                }
            }
        } catch {
            throw .sqlite(error)
        }
        return found
    }
}

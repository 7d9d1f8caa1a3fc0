#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CSQLite

/// Opens Warden's database safely: refuses a file that is not a Warden database,
/// is corrupt or truncated, or was written by a newer binary; creates one only where
/// there is no file at all; sets WAL, `synchronous=FULL` and foreign keys.
public enum DatabaseOpener {
    /// Opens the database of `directory`, migrating it; `isNew` when it was just created.
    public static func open(_ directory: DataDirectory, now: Int64) throws(StoreError) -> (connection: Connection, isNew: Bool) {
        let path = directory.databasePath
        var info = stat()
        let exists = stat(path, &info) == 0
        if !exists, stat(path + "-wal", &info) == 0 {
            throw .corrupt("\(path)-wal exists without its database")
        }
        let isNew = !exists || info.st_size == 0
        let connection: Connection
        do {
            connection = try Connection(path: path, create: isNew)
        } catch {
            throw .sqlite(error)
        }
        if !isNew {
            // The first read of the header fails on a file that is not SQLite at all.
            let applicationID: Int64
            do {
                applicationID = try connection.queryOne("PRAGMA application_id") { $0.int(0) } ?? 0
            } catch {
                if error.primaryCode == SQLITE_NOTADB { throw .notWardenDatabase(path) }
                throw .corrupt(error.message)
            }
            guard applicationID == Migrator.applicationID else { throw .notWardenDatabase(path) }
        }
        do {
            try connection.execute("PRAGMA journal_mode = WAL")
            try connection.execute("PRAGMA synchronous = FULL")
            try connection.execute("PRAGMA foreign_keys = ON")
            try connection.execute("PRAGMA secure_delete = ON")
        } catch {
            throw classify(error)
        }
        if !isNew {
            let verdict: [String]
            do {
                verdict = try connection.query("PRAGMA quick_check") { $0.text(0) }
            } catch {
                throw classify(error)
            }
            guard verdict == ["ok"] else { throw .corrupt(verdict.prefix(3).joined(separator: "; ")) }
        }
        try Migrator.migrate(connection, now: now)
        return (connection, isNew)
    }

    /// Opens a second, read-only connection for queries that run beside the writer (WAL).
    public static func openReader(_ directory: DataDirectory) throws(StoreError) -> Connection {
        do {
            let connection = try Connection(path: directory.databasePath, create: false, readOnly: true)
            try connection.execute("PRAGMA foreign_keys = ON")
            return connection
        } catch {
            throw .sqlite(error)
        }
    }

    static func classify(_ error: SQLiteError) -> StoreError {
        switch error.primaryCode {
        case SQLITE_NOTADB: .corrupt("not a database file: \(error.message)")
        case SQLITE_CORRUPT: .corrupt(error.message)
        default: .sqlite(error)
        }
    }
}

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
    /// With `fullCheck`, `PRAGMA quick_check` reads every page first (see `CleanShutdown`
    /// for when the store leaves it out); the header and write-ahead log checks always run.
    public static func open(_ directory: DataDirectory, now: Int64, fullCheck: Bool = true) throws(StoreError) -> (connection: Connection, isNew: Bool) {
        let path = directory.databasePath
        var info = stat()
        let exists = stat(path, &info) == 0
        if !exists, stat(path + "-wal", &info) == 0 {
            throw .corrupt("\(path)-wal exists without its database")
        }
        let isNew = !exists || info.st_size == 0
        if exists { try checkWriteAheadLog(path + "-wal") }
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
        if !isNew && fullCheck {
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

    /// Refuses a write-ahead log whose 32-byte header is cut short or does not check
    /// out (magic, format version, checksum).
    ///
    /// SQLite treats such a log as empty and opens the database without it: every
    /// acknowledged change still in the log would be dropped without a word. A crash
    /// never leaves that (the header is written whole, before the first frame); a
    /// torn frame at the end, which a crash does leave, is fine and SQLite drops it.
    /// An empty log is what a checkpoint leaves and is fine too.
    static func checkWriteAheadLog(_ path: String) throws(StoreError) {
        #if canImport(Glibc)
        let descriptor = Glibc.open(path, O_RDONLY)
        #else
        let descriptor = Darwin.open(path, O_RDONLY)
        #endif
        guard descriptor >= 0 else { return }  // no log
        defer { close(descriptor) }
        var header = [UInt8](repeating: 0, count: 32)
        let count = header.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, 32) }
        guard count != 0 else { return }
        let damaged = "the write-ahead log \(path) is damaged"
        guard count == 32 else { throw .corrupt("\(damaged): \(count) bytes, shorter than its header") }
        func word(_ offset: Int, bigEndian: Bool = true) -> UInt32 {
            let bytes = header[offset..<offset + 4].map(UInt32.init)
            return bigEndian ? bytes[0] << 24 | bytes[1] << 16 | bytes[2] << 8 | bytes[3]
                : bytes[3] << 24 | bytes[2] << 16 | bytes[1] << 8 | bytes[0]
        }
        let magic = word(0)
        guard magic == 0x377F_0682 || magic == 0x377F_0683, word(4) == 3_007_000 else {
            throw .corrupt("\(damaged): not a SQLite write-ahead log header")
        }
        // SQLite's checksum over the first 24 bytes, in the byte order the magic names.
        var s0: UInt32 = 0, s1: UInt32 = 0
        for offset in stride(from: 0, to: 24, by: 8) {
            s0 = s0 &+ word(offset, bigEndian: magic & 1 == 1) &+ s1
            s1 = s1 &+ word(offset + 4, bigEndian: magic & 1 == 1) &+ s0
        }
        guard s0 == word(24), s1 == word(28) else { throw .corrupt("\(damaged): header checksum mismatch") }
    }

    static func classify(_ error: SQLiteError) -> StoreError {
        switch error.primaryCode {
        case SQLITE_NOTADB: .corrupt("not a database file: \(error.message)")
        case SQLITE_CORRUPT: .corrupt(error.message)
        default: .sqlite(error)
        }
    }
}

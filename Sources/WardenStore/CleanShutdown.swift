#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A record, in the data directory, that Warden closed the database cleanly, naming the
/// file as it left it (device, inode, size, modification time).
///
/// `PRAGMA quick_check` reads every page of the database: seconds at a million users.
/// It runs at start unless this record is there and the database is still exactly the
/// file it names, with no write-ahead log content: a crash (nothing recorded), a write
/// by anything else after the stop (a changed time or size), a replaced or truncated
/// file, or a log left over all bring the full check back. The record is removed at
/// every start, before the first write, so that it never outlives the run after it.
///
/// Damage that leaves the file's size and time alone (a disk flipping bits) is what the
/// check no longer catches at a clean restart; SQLite still refuses the pages that
/// loading the directory reads (every table's rows), and the header checks of
/// `DatabaseOpener` still run.
enum CleanShutdown {
    static let fileName = "clean-shutdown"

    /// Writes the record for the database as it is now (after the writer closed it).
    static func record(_ directory: DataDirectory) {
        guard let identity = identity(of: directory.databasePath) else { return }
        try? directory.writeSecretFile(fileName, contents: identity + "\n")
    }

    /// Whether the record is there and still names the database; removes it either way.
    static func consume(_ directory: DataDirectory) -> Bool {
        guard let recorded = directory.readFile(fileName) else { return false }
        let removed = directory.removeFile(fileName)
        var log = stat()
        let logIsEmpty = stat(directory.databasePath + "-wal", &log) != 0 || log.st_size == 0
        return removed && logIsEmpty && recorded == (identity(of: directory.databasePath).map { $0 + "\n" })
    }

    /// `dev ino size seconds nanoseconds` of the file's last modification.
    private static func identity(of path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        #if canImport(Glibc)
        let modified = info.st_mtim
        #else
        let modified = info.st_mtimespec
        #endif
        return "\(info.st_dev) \(info.st_ino) \(info.st_size) \(modified.tv_sec) \(modified.tv_nsec)"
    }
}

import CSQLite
import Foundation

/// Direct access to a data directory's SQLite file, the way an attacker with the
/// disk (or an operator with the sqlite3 shell) would have it: for the audit
/// tampering tests, the integrity check after a crash, and foreign databases.
/// Only for a stopped server's files.
final class SQLiteFile {
    private var handle: OpaquePointer?

    init(path: String) throws {
        guard sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil) == SQLITE_OK else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close(handle)
            throw SQLiteFileError(message: "open \(path): \(message)")
        }
        sqlite3_busy_timeout(handle, 5_000)
    }

    /// The database of a data directory.
    convenience init(dataDirectory: URL) throws {
        try self.init(path: dataDirectory.appendingPathComponent("warden.db").path)
    }

    deinit { sqlite3_close(handle) }

    /// Runs statements that return nothing.
    func execute(_ sql: String) throws {
        var error: UnsafeMutablePointer<CChar>?
        guard sqlite3_exec(handle, sql, nil, nil, &error) == SQLITE_OK else {
            let message = error.map { String(cString: $0) } ?? "unknown error"
            sqlite3_free(error)
            throw SQLiteFileError(message: "\(sql): \(message)")
        }
    }

    /// Every row of a query, each column as text (NULL as "").
    func query(_ sql: String) throws -> [[String]] {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK else {
            throw SQLiteFileError(message: "\(sql): \(String(cString: sqlite3_errmsg(handle)))")
        }
        defer { sqlite3_finalize(statement) }
        var rows: [[String]] = []
        while true {
            let step = sqlite3_step(statement)
            if step == SQLITE_DONE { break }
            guard step == SQLITE_ROW else { throw SQLiteFileError(message: "\(sql): \(String(cString: sqlite3_errmsg(handle)))") }
            rows.append((0..<sqlite3_column_count(statement)).map { column in
                sqlite3_column_text(statement, column).map { String(cString: $0) } ?? ""
            })
        }
        return rows
    }
}

struct SQLiteFileError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

import CSQLite

/// A failure of SQLite, with the result code, SQLite's message and the SQL that
/// failed (the statement text, never its bound values, which may be secret).
public struct SQLiteError: Error, CustomStringConvertible, Sendable {
    public var code: Int32
    public var message: String
    public var sql: String?

    public init(code: Int32, message: String, sql: String? = nil) {
        self.code = code
        self.message = message
        self.sql = sql
    }

    /// The primary result code (SQLITE_CONSTRAINT for all constraint kinds, …).
    public var primaryCode: Int32 { code & 0xFF }
    public var isConstraintViolation: Bool { primaryCode == SQLITE_CONSTRAINT }
    /// The disk (or the file system's quota) has no room for the write.
    public var isDiskFull: Bool { primaryCode == SQLITE_FULL }

    public var description: String {
        var text = "SQLite error \(code): \(message)"
        if let sql { text += " — in: \(sql)" }
        return text
    }
}

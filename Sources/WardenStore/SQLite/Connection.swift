import CSQLite

/// A thin owner of one `sqlite3*` handle with a cache of prepared statements.
///
/// Warden talks to the system SQLite directly: every statement is prepared and
/// takes bound parameters (no SQL is ever built from input). A connection is used
/// by one thread at a time: the writer thread owns the write connection, and the
/// read connection sits behind a mutex.
public final class Connection {
    let handle: OpaquePointer
    private var statements: [String: Statement] = [:]

    /// Opens (or creates, with `create`) the database at `path`.
    public init(path: String, create: Bool, readOnly: Bool = false) throws(SQLiteError) {
        var db: OpaquePointer?
        var flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        flags |= readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE
        if create { flags |= SQLITE_OPEN_CREATE }
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            sqlite3_close_v2(db)
            throw SQLiteError(code: rc, message: message)
        }
        self.handle = db
        sqlite3_busy_timeout(db, 5000)
    }

    deinit {
        statements.removeAll()
        sqlite3_close_v2(handle)
    }

    /// Runs SQL text that takes no parameters (pragmas, migrations).
    public func execute(_ sql: String) throws(SQLiteError) {
        var error: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &error)
        if rc != SQLITE_OK {
            let message = error.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            sqlite3_free(error)
            throw SQLiteError(code: sqlite3_extended_errcode(handle), message: message, sql: String(sql.prefix(200)))
        }
    }

    /// A prepared statement for `sql`, reset and cleared, cached for reuse.
    public func prepare(_ sql: String) throws(SQLiteError) -> Statement {
        if let cached = statements[sql] {
            cached.reset()
            return cached
        }
        var raw: OpaquePointer?
        let rc = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &raw, nil)
        guard rc == SQLITE_OK, let raw else {
            throw SQLiteError(code: rc, message: String(cString: sqlite3_errmsg(handle)), sql: sql)
        }
        let statement = Statement(raw, connection: self, sql: sql)
        statements[sql] = statement
        return statement
    }

    /// Runs a statement that returns no rows.
    public func run(_ sql: String, _ values: SQLValue...) throws(SQLiteError) {
        let statement = try prepare(sql)
        try statement.bind(values)
        try statement.runToEnd()
    }

    /// Runs a query and maps every row.
    public func query<T>(_ sql: String, _ values: [SQLValue] = [], _ map: (Row) throws(SQLiteError) -> T) throws(SQLiteError) -> [T] {
        let statement = try prepare(sql)
        try statement.bind(values)
        var results: [T] = []
        while let row = try statement.step() { results.append(try map(row)) }
        statement.reset()
        return results
    }

    /// The first row of a query, mapped, or `nil`.
    public func queryOne<T>(_ sql: String, _ values: [SQLValue] = [], _ map: (Row) throws(SQLiteError) -> T) throws(SQLiteError) -> T? {
        let statement = try prepare(sql)
        try statement.bind(values)
        defer { statement.reset() }
        guard let row = try statement.step() else { return nil }
        return try map(row)
    }

    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }
    public var changes: Int { Int(sqlite3_changes(handle)) }

    func error(_ rc: Int32, sql: String?) -> SQLiteError {
        SQLiteError(code: sqlite3_extended_errcode(handle), message: String(cString: sqlite3_errmsg(handle)), sql: sql)
    }
}

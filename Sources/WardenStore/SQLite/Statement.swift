import CSQLite

/// A value bound to a statement parameter.
public enum SQLValue: Sendable, Equatable {
    case integer(Int64)
    case text(String)
    case null

    public static func optional(_ value: Int64?) -> SQLValue { value.map { .integer($0) } ?? .null }
    public static func optional(_ value: String?) -> SQLValue { value.map { .text($0) } ?? .null }
}

extension SQLValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    public init(stringLiteral value: String) { self = .text(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
}

/// A prepared statement, owned and cached by its `Connection`.
public final class Statement {
    private let raw: OpaquePointer
    private unowned let connection: Connection
    let sql: String

    init(_ raw: OpaquePointer, connection: Connection, sql: String) {
        self.raw = raw
        self.connection = connection
        self.sql = sql
    }

    deinit { sqlite3_finalize(raw) }

    func reset() {
        sqlite3_reset(raw)
        sqlite3_clear_bindings(raw)
    }

    /// SQLite copies the text (SQLITE_TRANSIENT), so Swift strings need not outlive the call.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    func bind(_ values: [SQLValue]) throws(SQLiteError) {
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let rc: Int32
            switch value {
            case .integer(let number): rc = sqlite3_bind_int64(raw, index, number)
            case .text(let text): rc = sqlite3_bind_text(raw, index, text, -1, Statement.transient)
            case .null: rc = sqlite3_bind_null(raw, index)
            }
            guard rc == SQLITE_OK else { throw connection.error(rc, sql: sql) }
        }
    }

    /// The next row, or `nil` when done.
    func step() throws(SQLiteError) -> Row? {
        let rc = sqlite3_step(raw)
        switch rc {
        case SQLITE_ROW: return Row(raw: raw)
        case SQLITE_DONE: return nil
        default:
            let error = connection.error(rc, sql: sql)
            sqlite3_reset(raw)
            throw error
        }
    }

    func runToEnd() throws(SQLiteError) {
        defer { reset() }
        while try step() != nil {}
    }
}

/// The current row of a statement; valid until the next step.
public struct Row {
    let raw: OpaquePointer

    public func int(_ column: Int32) -> Int64 { sqlite3_column_int64(raw, column) }
    public func optionalInt(_ column: Int32) -> Int64? {
        sqlite3_column_type(raw, column) == SQLITE_NULL ? nil : sqlite3_column_int64(raw, column)
    }
    public func text(_ column: Int32) -> String {
        // Text first, then its length in bytes (the order SQLite documents): no scan
        // for the terminating NUL, one copy.
        guard let pointer = sqlite3_column_text(raw, column) else { return "" }
        let count = Int(sqlite3_column_bytes(raw, column))
        return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
    }
    public func optionalText(_ column: Int32) -> String? {
        sqlite3_column_type(raw, column) == SQLITE_NULL ? nil : text(column)
    }
}

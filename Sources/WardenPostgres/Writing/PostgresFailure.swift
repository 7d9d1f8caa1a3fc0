import PostgresNIO
import WardenStore

/// A failure of PostgreSQL, as the writer answers it: a constraint the database
/// enforced, or the database unreachable or failing (`ERR UNAVAILABLE`). Its text names
/// the SQL state and the server's message, never the statement's bound values.
struct PostgresFailure: StorageFailure, CustomStringConvertible {
    var sqlState: String?
    var message: String

    init(_ error: any Error) {
        if let error = error as? PSQLError {
            sqlState = error.serverInfo?[.sqlState]
            message = error.serverInfo?[.message] ?? "\(error.code)"
        } else if let error = error as? PostgresFailure {
            self = error
        } else {
            message = String(describing: type(of: error))
        }
    }

    init(message: String) {
        self.message = message
    }

    /// Class 23: integrity constraint violation.
    var isConstraintViolation: Bool { sqlState?.hasPrefix("23") == true }
    /// 53100: disk_full.
    var isDiskFull: Bool { sqlState == "53100" }

    var description: String {
        if let sqlState { return "PostgreSQL error \(sqlState): \(message)" }
        return "PostgreSQL: \(message)"
    }
}

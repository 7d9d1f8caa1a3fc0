import PostgresNIO
import WardenStore

extension PostgresStore {
    /// Why a node could not start, in words an operator can act on: the database's own
    /// message (wrong password, no such database, …), the network's (refused,
    /// unreachable), or the store's (a newer schema, a wrong master key). Never a
    /// password: postgres-nio's errors carry none, and the URL refuses one.
    public static func describe(_ error: any Error) -> String {
        switch error {
        case let error as PSQLError:
            if let info = error.serverInfo, let message = info[.message] {
                return "the database refused: \(message) (SQLSTATE \(info[.sqlState] ?? "?"))"
            }
            if let underlying = error.underlying {
                if "\(underlying)".contains("CERTIFICATE_VERIFY_FAILED") {
                    return "the database's TLS certificate is not trusted: sslmode=verify-full checks it against the system's certificate authorities and the host name"
                }
                return "cannot reach the database: \(underlying)"
            }
            return "cannot use the database: \(error.code)"
        case let error as PostgresFailure:
            return error.description
        default:
            return "\(error)"
        }
    }
}

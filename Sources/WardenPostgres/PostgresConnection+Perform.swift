import Logging
import PostgresNIO

extension PostgresConnection {
    /// Runs a statement to its end, reading (and dropping) any rows: an error anywhere
    /// in it is thrown here, not left in an unread row sequence.
    func perform(_ query: PostgresQuery, logger: Logger) async throws {
        for try await _ in try await self.query(query, logger: logger) {}
    }
}

extension PostgresClient {
    /// `PostgresConnection.perform` on a pooled connection.
    func perform(_ query: PostgresQuery, logger: Logger) async throws {
        for try await _ in try await self.query(query, logger: logger) {}
    }
}

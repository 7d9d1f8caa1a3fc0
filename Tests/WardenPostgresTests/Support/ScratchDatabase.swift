import Foundation
import Logging
import PostgresNIO
@testable import WardenPostgres

/// The PostgreSQL server of `scripts/postgres-scratch` (from `$WARDEN_TEST_POSTGRES_URL`
/// and `_PASSWORD`), and a fresh database on it for each test.
enum ScratchServer {
    static let environment = ProcessInfo.processInfo.environment
    static let url = environment["WARDEN_TEST_POSTGRES_URL"].flatMap { try? PostgresURL($0) }
    static let password = environment["WARDEN_TEST_POSTGRES_PASSWORD"]
    static var available: Bool { url != nil }
}

/// A database of its own for one test, dropped afterwards: `with` runs `body` while
/// the pool's `run()` is going.
struct ScratchDatabase {
    let url: PostgresURL
    static let logger = Logger(label: "warden.test.postgres")

    static func with<T: Sendable>(_ body: @Sendable (ScratchDatabase) async throws -> T) async throws -> T {
        guard let server = ScratchServer.url else { throw ScratchError.noServer }
        var url = server
        url.database = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let name = url.database
        try await onServer { try await $0.perform(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger) }
        let drop: @Sendable () async -> Void = {
            try? await onServer { try await $0.perform(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"), logger: logger) }
        }
        do {
            let value = try await body(ScratchDatabase(url: url))
            await drop()
            return value
        } catch {
            await drop()
            throw error
        }
    }

    /// Runs `body` with a pool on the database, the pool's `run()` in a task beside it.
    func withPool<T: Sendable>(maximumConnections: Int = 4, _ body: @Sendable (ClusterDatabase) async throws -> T) async throws -> T {
        let database = ClusterDatabase(url: url, password: ScratchServer.password, maximumConnections: maximumConnections, logger: Self.logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await database.run() }
            defer { group.cancelAll() }
            return try await body(database)
        }
    }

    /// One value of a query on this database.
    func scalar(_ sql: String) async throws -> Int {
        try await withPool { database in
            var value = -1
            for try await (number) in try await database.client.query(PostgresQuery(unsafeSQL: sql), logger: Self.logger).decode(Int.self) {
                value = number
            }
            return value
        }
    }

    private static func onServer(_ body: @Sendable (PostgresClient) async throws -> Void) async throws {
        guard let url = ScratchServer.url else { throw ScratchError.noServer }
        let database = ClusterDatabase(url: url, password: ScratchServer.password, maximumConnections: 1, logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await database.run() }
            defer { group.cancelAll() }
            try await body(database.client)
        }
    }
}

enum ScratchError: Error { case noServer }

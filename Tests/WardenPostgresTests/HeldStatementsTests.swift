import Logging
import PostgresNIO
import Testing
import WardenCore
@testable import WardenPostgres

/// A batch's held writes, sent as one statement per kind and level (`HeldStatements`),
/// write exactly what its changes write one at a time (`statements(for:)`).
struct HeldStatementsTests {
    static let logger = ScratchDatabase.logger

    static func held(_ changes: [Change]) -> HeldStatements {
        var held = HeldStatements()
        for change in changes {
            if let writes = RowWrite.writes(for: change) {
                held.append(contentsOf: writes)
            } else {
                held.append(contentsOf: PostgresStatements.statements(for: change))
            }
        }
        return held
    }

    static func grant(_ role: String) -> Grant {
        Grant(target: .role(role), grantedBy: "root", grantedAt: ChangeScript.at(20))
    }

    @Test func grantsAndRevokesOfManyUsersAreTwoStatementsOfEachKind() {
        var changes: [Change] = []
        for id: Int64 in 1...16 {
            changes.append(id % 2 == 0 ? .granted(userID: id, Self.grant("clerk")) : .grantRevoked(userID: id, .role("clerk")))
        }
        let statements = Self.held(changes).statements()
        // Every delete first (one user's delete comes before its insert), then the inserts.
        #expect(statements.count == 2)
        #expect(statements.first?.sql.hasPrefix("DELETE FROM grants") == true)
        #expect(statements.last?.sql.hasPrefix("INSERT INTO grants") == true)
    }

    @Test func aUsersRowWritesKeepTheirOrderAndABarrierSplitsTheBatch() {
        let changes: [Change] = [
            .granted(userID: 1, Self.grant("clerk")),
            .grantRevoked(userID: 1, .role("clerk")),
            .granted(userID: 2, Self.grant("clerk")),
            .roleDeleted(name: "clerk"),
            .granted(userID: 3, Self.grant("manager")),
        ]
        let sql = Self.held(changes).statements().map { String($0.sql.prefix(18)) }
        #expect(sql == [
            "DELETE FROM grants",  // users 1 and 2
            "INSERT INTO grants",  // users 1 and 2
            "DELETE FROM grants",  // user 1's revoke, after its grant
            "DELETE FROM role_i", "DELETE FROM roles ",  // alone, in order
            "DELETE FROM grants", "INSERT INTO grants",  // user 3, after the role's deletion
        ])
    }

    @Test(.enabled(if: ScratchServer.available, "needs $WARDEN_TEST_POSTGRES_URL (scripts/postgres-scratch)"))
    func oneBatchWritesWhatItsChangesWriteOneAtATime() async throws {
        let oneAtATime = try await ScratchDatabase.with { scratch in
            try await scratch.withPool { database in
                try await PostgresMigrator.migrate(database, now: 1)
                try await PostgresSnapshotTests.write(ChangeScript.changes, to: database)
                return try await Self.tables(of: database)
            }
        }
        let batched = try await ScratchDatabase.with { scratch in
            try await scratch.withPool { database in
                try await PostgresMigrator.migrate(database, now: 1)
                let statements = Self.held(ChangeScript.changes).statements()
                try await database.client.withTransaction(logger: Self.logger) { connection in
                    for statement in statements { try await connection.perform(statement, logger: Self.logger) }
                }
                return try await Self.tables(of: database)
            }
        }
        #expect(batched == oneAtATime)
        #expect(batched["grants"]?.isEmpty == false)
        #expect(batched["issued_tokens"]?.contains("disabled") == true)
    }

    /// Every row of the directory's tables, as text, sorted.
    static func tables(of database: ClusterDatabase) async throws -> [String: String] {
        var tables: [String: String] = [:]
        for table in [
            "users", "grants", "issued_tokens", "signing_keys", "api_keys", "invites", "systems", "system_permissions",
            "roles", "role_entitlements", "role_includes",
        ] {
            let query = PostgresQuery(unsafeSQL: "SELECT coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '') FROM \(table) t")
            for try await text in try await database.client.query(query, logger: logger).decode(String.self) {
                tables[table] = text
            }
        }
        return tables
    }
}

import PostgresNIO
import Testing
import WardenStore
@testable import WardenPostgres

@Suite(.enabled(if: ScratchServer.available, "needs $WARDEN_TEST_POSTGRES_URL (scripts/postgres-scratch)"))
struct PostgresMigratorTests {
    @Test func anEmptyDatabaseGetsEveryMigrationOnce() async throws {
        try await ScratchDatabase.with { scratch in
            let found = try await scratch.withPool { try await PostgresMigrator.migrate($0, now: 1) }
            #expect(found == 0)
            #expect(try await scratch.scalar("SELECT count(*) FROM schema_migrations") == PostgresMigrator.latestVersion)
            #expect(try await scratch.scalar("SELECT count(*) FROM roles WHERE name = 'warden-admin'") == 1)
            #expect(try await scratch.scalar("SELECT count(*) FROM role_entitlements WHERE role = 'warden-admin'") == 9, "eight, and review (0004)")
            #expect(try await scratch.scalar("SELECT seq FROM audit_head") == 0)
            // A second start finds it done.
            #expect(try await scratch.withPool { try await PostgresMigrator.migrate($0, now: 2) } == PostgresMigrator.latestVersion)
        }
    }

    @Test func nodesStartingTogetherApplyTheMigrationsExactlyOnce() async throws {
        try await ScratchDatabase.with { scratch in
            // Four nodes, each with a pool of its own, at the same moment.
            let found = try await withThrowingTaskGroup(of: Int.self) { group in
                for node in 0..<4 {
                    group.addTask { try await scratch.withPool(maximumConnections: 1) { try await PostgresMigrator.migrate($0, now: Int64(node)) } }
                }
                var all: [Int] = []
                for try await value in group { all.append(value) }
                return all
            }
            #expect(found.filter { $0 == 0 }.count == 1, "found versions: \(found)")
            #expect(try await scratch.scalar("SELECT count(*) FROM schema_migrations") == PostgresMigrator.latestVersion)
            #expect(try await scratch.scalar("SELECT count(*) FROM systems WHERE name = 'warden'") == 1)
        }
    }

    @Test func aDatabaseOfALaterSchemaIsRefused() async throws {
        try await ScratchDatabase.with { scratch in
            try await scratch.withPool { database in
                try await PostgresMigrator.migrate(database, now: 1)
                let later = PostgresMigrator.latestVersion + 1
                try await database.client.perform(
                    "INSERT INTO schema_migrations (version, name, applied_ms) VALUES (\(later), 'from-the-future', 1)",
                    logger: ScratchDatabase.logger)
                await #expect {
                    try await PostgresMigrator.migrate(database, now: 2)
                } throws: { error in
                    "\(error)".contains("schema version \(later), newer than this binary supports")
                }
            }
        }
    }

    @Test func aMigrationFileSplitsIntoItsStatements() {
        let sql = """
            -- a comment; with a semicolon
            CREATE TABLE a (x INTEGER);

            INSERT INTO a VALUES
                (1), (2);
            """
        #expect(PostgresMigrator.statements(of: sql) == ["CREATE TABLE a (x INTEGER);", "INSERT INTO a VALUES\n    (1), (2);"])
    }
}

import Foundation
import PostgresNIO
import Testing
import WardenCore
import WardenStore
@testable import WardenPostgres

/// How long a cold start reads a large directory: run with
/// `WARDEN_TEST_POSTGRES_LOAD_USERS=100000` (and a scratch server); skipped otherwise,
/// since filling the database takes longer than the rest of the suite.
private let loadTimeUsers = ProcessInfo.processInfo.environment["WARDEN_TEST_POSTGRES_LOAD_USERS"].flatMap(Int.init)

@Suite(.enabled(if: ScratchServer.available && loadTimeUsers != nil, "needs $WARDEN_TEST_POSTGRES_LOAD_USERS"))
struct PostgresSnapshotLoadTimeTests {
    @Test func loadsManyUsers() async throws {
        let count = loadTimeUsers ?? 0
        try await ScratchDatabase.with { scratch in
            try await scratch.withPool { database in
                try await PostgresMigrator.migrate(database, now: 1)
                let logger = ScratchDatabase.logger
                // Users like an import makes them; two grants each (a role, and an
                // entitlement for one in three); a token for one in ten.
                for statement: PostgresQuery in [
                    "INSERT INTO systems (name) SELECT 'system-' || n FROM generate_series(1, 20) n",
                    "INSERT INTO roles (name) SELECT 'role-' || n FROM generate_series(1, 50) n",
                    """
                    INSERT INTO role_entitlements (role, system, permission)
                    SELECT 'role-' || n, 'system-' || (n % 20 + 1), 'read' FROM generate_series(1, 50) n
                    """,
                    """
                    INSERT INTO users (id, name, display_name, email, kind, status, created_ms, failed_logins, password_hash)
                    OVERRIDING SYSTEM VALUE
                    SELECT n, 'user' || n, 'User ' || n, 'user' || n || '@example.com', 'person', 'active', 1700000000000, 0,
                           '$scrypt$ln=15,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g'
                    FROM generate_series(1, \(count)) n
                    """,
                    "INSERT INTO grants (user_id, role, granted_by, granted_ms) SELECT n, 'role-' || (n % 50 + 1), 'import', 1 FROM generate_series(1, \(count)) n",
                    """
                    INSERT INTO grants (user_id, system, permission, until_ms, granted_by, granted_ms)
                    SELECT n, 'system-' || (n % 20 + 1), 'write', 4000000000000, 'import', 1 FROM generate_series(1, \(count), 3) n
                    """,
                    """
                    INSERT INTO issued_tokens (jti, user_id, kid, aud, issued_ms, exp_ms)
                    SELECT 'jti-' || n, n, 'k1', 'api', 1, 4000000000000 FROM generate_series(1, \(count), 10) n
                    """,
                    "VACUUM ANALYZE",
                ] {
                    try await database.client.perform(statement, logger: logger)
                }
                // Once to warm the server's cache (a node starting has a warm database
                // server; its own process is what is cold), then timed.
                _ = try await PostgresSnapshot.load(from: database.client, now: Timestamp.now(), logger: logger)
                let clock = ContinuousClock()
                let start = clock.now
                let loaded = try await PostgresSnapshot.load(from: database.client, now: Timestamp.now(), logger: logger)
                let elapsed = clock.now - start
                print("PostgresSnapshot.load: \(count) users, \(count + (count + 2) / 3) grants, \(loaded.snapshot.tokens.count) tokens in \(elapsed)")
                #expect(loaded.snapshot.directory.users.count == count)
            }
        }
    }
}

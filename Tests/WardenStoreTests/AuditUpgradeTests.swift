import Logging
import Testing
import WardenStore

/// A v1 database (no audit keying) opened by this version: its entries keep the plain
/// rule, the entries after them are keyed, and the whole chain verifies.
@Suite struct AuditUpgradeTests {
    @Test func aV1ChainStaysValidAndIsKeyedFromItsNextEntry() async throws {
        let temporary = try TemporaryDirectory()
        do {
            // A database as v1 left it: two migrations, three plain entries (what later
            // migrations added is taken away again).
            let directory = try DataDirectory(path: temporary.dataPath)
            let connection = try DatabaseOpener.open(directory, now: 1).connection
            var chain = AuditChain()
            for index in 1...3 {
                try chain.append(to: connection, time: "2026-11-25T10:00:0\(index)Z", actor: "admin", source: "127.0.0.1",
                                 action: "user.add", target: "user\(index)", detail: "", result: .ok)
            }
            // What the later migrations (MFA, access reviews) add goes too.
            try connection.execute("""
                DROP TABLE review_items; DROP TABLE reviews; DROP TABLE mfa; DROP TABLE access_requests; DROP TABLE sod_rules;
                ALTER TABLE roles DROP COLUMN requestable; ALTER TABLE roles DROP COLUMN approvers;
                ALTER TABLE roles DROP COLUMN approvals; ALTER TABLE roles DROP COLUMN max_request_s;
                DELETE FROM role_entitlements WHERE permission = 'review'; DELETE FROM system_permissions WHERE permission = 'review';
                ALTER TABLE signing_keys DROP COLUMN sealed_key; DROP TABLE audit_keying;
                ALTER TABLE users DROP COLUMN external_id; ALTER TABLE users DROP COLUMN modified_ms; ALTER TABLE roles DROP COLUMN external_id;
                DELETE FROM schema_migrations WHERE version >= 3; PRAGMA user_version = 2
                """)
        }

        let opened = try SQLiteStore.open(path: temporary.dataPath, logger: Logger(label: "warden.test"))
        #expect((opened.store as? SQLiteStore)?.auditKeying.keyedFrom == 4)
        _ = try await opened.store.writer.submit(.keys([])) { transaction in
            try transaction.audit(actor: "admin", source: "127.0.0.1", action: "user.add", target: "user4", detail: "")
            return Committed(true)
        }
        guard case .intact(let entries, _) = try await opened.store.verifyAudit() else {
            Issue.record("the upgraded chain does not verify")
            return
        }
        #expect(entries == 4)
        opened.store.close()
    }
}

import Logging
import PostgresNIO
import Testing
import WardenCore
import WardenStore
@testable import WardenPostgres

/// `PostgresStatements` writes what SQLite's interpreter writes, and `PostgresSnapshot`
/// reads back what SQLite's `Snapshot.load` reads.
@Suite(.enabled(if: ScratchServer.available, "needs $WARDEN_TEST_POSTGRES_URL (scripts/postgres-scratch)"))
struct PostgresSnapshotTests {
    static let logger = ScratchDatabase.logger

    /// Each change in a transaction of its own, as the writer will run them.
    static func write(_ changes: [Change], to database: ClusterDatabase) async throws {
        for change in changes {
            try await database.client.withTransaction(logger: logger) { connection in
                for statement in PostgresStatements.statements(for: change) {
                    try await connection.perform(statement, logger: logger)
                }
            }
        }
    }

    static func insert(_ user: User, into database: ClusterDatabase) async throws -> Int64? {
        var id: Int64?
        for try await value in try await database.client.query(PostgresStatements.insertUser(user), logger: logger).decode(Int64.self) {
            id = value
        }
        return id
    }

    @Test func everyChangeWritesWhatSQLiteWrites() async throws {
        let extra = ChangeScript.user(0, "erin")
        let now = Timestamp.now()
        let reference = try await SQLiteReference.snapshot(after: ChangeScript.changes, addingUser: extra, now: now)
        try await ScratchDatabase.with { scratch in
            try await scratch.withPool { database in
                try await PostgresMigrator.migrate(database, now: 1)
                try await Self.write(ChangeScript.changes, to: database)
                // After users inserted with their own ids, a new one gets the next id.
                let extraID = try await Self.insert(extra, into: database)
                #expect(extraID == reference.extraID)
                #expect(extraID == 5)

                let loaded = try await PostgresSnapshot.load(from: database.client, now: now, logger: Self.logger)
                let summary = SnapshotSummary(loaded.snapshot)
                let expected = SnapshotSummary(reference.snapshot)
                #expect(summary == expected, "PostgreSQL:\n\(summary)\nSQLite:\n\(expected)")
                #expect(loaded.auditSeq == 0)
                #expect(loaded.snapshot.chain == AuditChain())

                // The facts the script set up, spelled out (so that a bug shared by both
                // interpreters does not pass unseen).
                #expect(summary.users.map(\.name) == ["alice", "bob", "carol", "erin"])
                #expect(summary.users.first { $0.name == "carol" }?.status == .disabled)
                #expect(summary.users.first { $0.name == "bob" }?.passwordHash == "$scrypt$bob3")
                #expect(summary.users.first { $0.name == "carol" }?.failedLogins == 2)
                #expect(summary.users.first { $0.name == "alice" }?.failedLogins == 1)
                #expect(summary.users.first { $0.name == "alice" }?.lastLogin == ChangeScript.at(60))
                let revocations = Dictionary(uniqueKeysWithValues: summary.tokens.map { ($0.jti, $0.revocation) })
                #expect(revocations == [
                    "a1": .revoked, "a2": .revoked, "a3": .revoked, "b1": nil, "b2": .revoked,
                    "c1": .disabled, "c2": .disabled, "d1": .revoked,
                ])
                #expect(summary.roles["manager"]?.includes == ["clerk"])
                #expect(summary.roles["gone"] == nil)
                #expect(summary.roleClosure["manager"] == [ChangeScript.payrollRead, ChangeScript.payrollApprove])
                #expect(summary.grants["alice"] == ["github:push until \(ChangeScript.at(3_600).milliseconds)", "role:clerk until \(ChangeScript.at(7_200).milliseconds)"])
                #expect(summary.grants["carol"] == [])
                #expect(summary.systems["temporary"] == nil)
                #expect(summary.systems["payroll"]?.permissions == ["read", "write", "approve"])
                #expect(summary.apiKeys.map(\.id) == ["ak1"])
                #expect(summary.invites.map(\.userID) == [3])
                #expect(summary.signingKeys.map(\.kid) == ["k0", "k1"])
                #expect(summary.signingKeys.first?.retired == ChangeScript.at(30))
                #expect(summary.signingKeys.last?.lastExpiry == ChangeScript.at(172_800))
                // Dave's rows went with him (the cascades), his token stayed (no foreign key).
                #expect(try await scratch.scalar("SELECT count(*) FROM grants WHERE user_id = 4") == 0)
                #expect(try await scratch.scalar("SELECT count(*) FROM issued_tokens WHERE user_id = 4 AND revoked = 'revoked'") == 1)
            }
        }
    }

    @Test func tokensExpiredAtTheLoadAreLeftOut() async throws {
        try await ScratchDatabase.with { scratch in
            try await scratch.withPool { database in
                try await PostgresMigrator.migrate(database, now: 1)
                try await Self.write([
                    .userAdded(ChangeScript.user(1, "alice")),
                    ChangeScript.token("early", 1, expires: Timestamp(milliseconds: 1_000)),
                    ChangeScript.token("late", 1, expires: Timestamp(milliseconds: 2_000)),
                ], to: database)
                let loaded = try await PostgresSnapshot.load(from: database.client, now: Timestamp(milliseconds: 1_000), logger: Self.logger)
                #expect(loaded.snapshot.tokens.map(\.jti) == ["late"])
            }
        }
    }

    @Test func anAuditEntryAndTheHeadLoadAsTheChain() async throws {
        try await ScratchDatabase.with { scratch in
            try await scratch.withPool { database in
                try await PostgresMigrator.migrate(database, now: 1)
                let changes: [Change] = [.systemAdded(SystemDefinition(name: "payroll", permissions: ["read"]))]
                var head = AuditRecord.genesisHash
                for seq: Int64 in 1...2 {
                    let time = "2096-10-04T00:00:0\(seq)Z"
                    let hash = AuditRecord.computeHash(
                        seq: seq, time: time, actor: "root", source: "local", action: "system.add", target: "payroll",
                        detail: "", result: "ok", previousHash: head)
                    let record = AuditRecord(
                        seq: seq, time: time, actor: "root", source: "local", action: "system.add", target: "payroll",
                        detail: "", result: "ok", previousHash: head, hash: hash)
                    try await database.client.withTransaction(logger: Self.logger) { connection in
                        if seq == 1 {
                            for statement in PostgresStatements.statements(for: changes[0]) {
                                try await connection.perform(statement, logger: Self.logger)
                            }
                        }
                        try await connection.perform(PostgresStatements.appendAudit(
                            [(record, seq == 1 ? ChangeCodec.encode(changes) : "")], head: (seq, hash),
                            wakeUp: ("warden_snapshot_test", "\(seq)")), logger: Self.logger)
                    }
                    head = hash
                }
                let loaded = try await PostgresSnapshot.load(from: database.client, now: Timestamp.now(), logger: Self.logger)
                #expect(loaded.auditSeq == 2)
                #expect(loaded.snapshot.chain == AuditChain(lastSeq: 2, head: head))
                #expect(loaded.snapshot.directory.systems["payroll"]?.permissions == ["read"])

                // The feed's text comes back as the changes it was made of.
                var feed: [String] = []
                for try await text in try await database.client.query("SELECT changes FROM audit ORDER BY seq", logger: Self.logger).decode(String.self) {
                    feed.append(text)
                }
                #expect(try feed.map(ChangeCodec.decode) == [changes, []])
            }
        }
    }

    @Test func aNewDatabaseLoadsAtGenesis() async throws {
        try await ScratchDatabase.with { scratch in
            try await scratch.withPool { database in
                try await PostgresMigrator.migrate(database, now: 1)
                let loaded = try await PostgresSnapshot.load(from: database.client, now: Timestamp.now(), logger: Self.logger)
                #expect(loaded.auditSeq == 0)
                #expect(loaded.snapshot.chain == AuditChain(lastSeq: 0, head: AuditRecord.genesisHash))
                #expect(loaded.snapshot.directory.users.isEmpty)
                #expect(loaded.snapshot.directory.roleClosure["warden-admin"]?.count == 9)
            }
        }
    }
}

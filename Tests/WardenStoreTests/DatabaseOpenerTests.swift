#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Testing
import WardenStore

/// Opening the database (SPEC §1, §4): a new data directory gets a migrated Warden
/// database in WAL mode; anything Warden cannot trust is refused, never overwritten.
@Suite struct DatabaseOpenerTests {
    @Test func createsAndMigratesANewDatabase() throws {
        let temporary = try TemporaryDirectory()
        let directory = try DataDirectory(path: temporary.dataPath)
        let (connection, isNew) = try DatabaseOpener.open(directory, now: 1_234)
        #expect(isNew)

        let applied = try connection.query("SELECT version, name, applied_ms FROM schema_migrations ORDER BY version") {
            "\($0.int(0)) \($0.text(1)) \($0.int(2))"
        }
        #expect(Migrator.latestVersion >= 1)
        #expect(applied == Migrator.migrations.enumerated().map { "\($0.offset + 1) \($0.element.name) 1234" })
        #expect(try pragma("user_version", connection) == Int64(Migrator.latestVersion))
        #expect(try pragma("application_id", connection) == Migrator.applicationID)
        #expect(try connection.queryOne("PRAGMA journal_mode") { $0.text(0) } == "wal")
        #expect(try pragma("foreign_keys", connection) == 1)
        #expect(try pragma("synchronous", connection) == 2)  // FULL
    }

    @Test func aNewDatabaseHoldsTheBuiltInSystemAndRole() throws {
        let temporary = try TemporaryDirectory()
        let directory = try DataDirectory(path: temporary.dataPath)
        let (connection, _) = try DatabaseOpener.open(directory, now: 1)
        let permissions = try connection.query(
            "SELECT permission FROM role_entitlements WHERE role = 'warden-admin' AND system = 'warden' ORDER BY permission"
        ) { $0.text(0) }
        #expect(permissions == ["audit", "check", "grant", "introspect", "key-admin", "review", "role-admin", "token-issue", "user-admin"])
    }

    @Test func reopeningDoesNotApplyMigrationsAgain() throws {
        let temporary = try TemporaryDirectory()
        let directory = try DataDirectory(path: temporary.dataPath)
        do {
            let (connection, _) = try DatabaseOpener.open(directory, now: 1_000)
            try connection.run("INSERT INTO systems (name) VALUES (?)", "payroll")
        }
        let (connection, isNew) = try DatabaseOpener.open(directory, now: 2_000)
        #expect(!isNew)
        let applied = try connection.query("SELECT applied_ms FROM schema_migrations") { $0.int(0) }
        #expect(applied == Array(repeating: 1_000, count: Migrator.latestVersion))
        #expect(try Migrator.migrate(connection, now: 3_000) == Migrator.latestVersion)
        #expect(try connection.queryOne("SELECT count(*) FROM systems WHERE name = 'payroll'") { $0.int(0) } == 1)
    }

    @Test func refusesAFileThatIsNotSQLite() throws {
        let temporary = try TemporaryDirectory()
        let directory = try DataDirectory(path: temporary.dataPath)
        let garbage = (0..<8_192).map { _ in UInt8.random(in: 0...255) }
        try Data(garbage).write(to: URL(fileURLWithPath: directory.databasePath))

        let error = #expect(throws: StoreError.self) { try DatabaseOpener.open(directory, now: 1) }
        #expect(error?.kind == "notWardenDatabase" || error?.kind == "corrupt")
        #expect(try Data(contentsOf: URL(fileURLWithPath: directory.databasePath)) == Data(garbage))
    }

    @Test func refusesATextFile() throws {
        let temporary = try TemporaryDirectory()
        let directory = try DataDirectory(path: temporary.dataPath)
        try "not a database\n".write(toFile: directory.databasePath, atomically: false, encoding: .utf8)
        let error = #expect(throws: StoreError.self) { try DatabaseOpener.open(directory, now: 1) }
        #expect(error?.kind == "notWardenDatabase")
    }

    @Test func refusesTheDatabaseOfAnotherProgramAndLeavesItAlone() throws {
        let temporary = try TemporaryDirectory()
        let directory = try DataDirectory(path: temporary.dataPath)
        do {
            let other = try Connection(path: directory.databasePath, create: true)
            try other.execute("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('keep me')")
        }
        let error = #expect(throws: StoreError.self) { try DatabaseOpener.open(directory, now: 1) }
        #expect(error?.kind == "notWardenDatabase")

        let other = try Connection(path: directory.databasePath, create: false)
        #expect(try other.query("SELECT name FROM sqlite_master WHERE type = 'table'") { $0.text(0) } == ["notes"])
        #expect(try pragma("application_id", other) == 0)
    }

    @Test func refusesADatabaseOfANewerSchema() throws {
        let temporary = try TemporaryDirectory()
        let directory = try DataDirectory(path: temporary.dataPath)
        do {
            let (connection, _) = try DatabaseOpener.open(directory, now: 1)
            try connection.execute("PRAGMA user_version = \(Migrator.latestVersion + 1)")
        }
        let error = #expect(throws: StoreError.self) { try DatabaseOpener.open(directory, now: 2) }
        guard case .newerSchema(let found, let supported) = error else {
            Issue.record("expected newerSchema, got \(String(describing: error))")
            return
        }
        #expect(found == Migrator.latestVersion + 1)
        #expect(supported == Migrator.latestVersion)
    }

    @Test func refusesATruncatedDatabase() throws {
        let temporary = try TemporaryDirectory()
        let directory = try DataDirectory(path: temporary.dataPath)
        do {
            let (connection, _) = try DatabaseOpener.open(directory, now: 1)
            try connection.execute("BEGIN")
            for index in 0..<2_000 {
                try connection.run(
                    "INSERT INTO users (name, display_name, kind, status, created_ms) VALUES (?, ?, 'person', 'active', 1)",
                    .text("user\(index)"), .text(String(repeating: "x", count: 200)))
            }
            try connection.execute("COMMIT")
            // Move everything from the WAL into the main file before cutting it.
            try connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        }
        let size = try #require(FileManager.default.attributesOfItem(atPath: directory.databasePath)[.size] as? Int)
        #expect(size > 100_000)
        #expect(truncate(directory.databasePath, off_t(size / 2)) == 0)

        let error = #expect(throws: StoreError.self) { try DatabaseOpener.open(directory, now: 2) }
        #expect(error?.kind == "corrupt")
    }

    @Test func refusesAWriteAheadLogWithoutItsDatabase() throws {
        let temporary = try TemporaryDirectory()
        let directory = try DataDirectory(path: temporary.dataPath)
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: directory.databasePath + "-wal"))
        let error = #expect(throws: StoreError.self) { try DatabaseOpener.open(directory, now: 1) }
        #expect(error?.kind == "corrupt")
        #expect(!FileManager.default.fileExists(atPath: directory.databasePath))
    }

    private func pragma(_ name: String, _ connection: Connection) throws -> Int64? {
        try connection.queryOne("PRAGMA \(name)") { $0.int(0) }
    }
}

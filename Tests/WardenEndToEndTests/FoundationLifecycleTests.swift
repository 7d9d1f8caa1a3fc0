import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// SPEC §1 "stop" and §4: one server a data directory, refusing a database that is not
/// Warden's without touching it, and a clean stop that a restart builds on.
@Suite struct FoundationLifecycleTests {
    @Test func aSecondServerOnTheSameDataDirectoryExitsWithAnError() throws {
        let first = try WardenProcess()
        defer { first.stopAndClean() }
        let status = startExpectingFailure(dataDirectory: first.dataDirectory)
        #expect(status != nil && status != 0)
        // The first one is unharmed.
        #expect(try first.admin().send("PING").final == "OK PONG")
    }

    /// Files that are not a Warden database.
    enum NotWarden: String, CaseIterable, Sendable {
        case garbage
        case foreignSQLite = "foreign SQLite database"
        case truncatedWarden = "truncated Warden database"
    }

    @Test(arguments: NotWarden.allCases)
    func aDatabaseThatIsNotWardensIsRefusedAndLeftAsItWas(_ kind: NotWarden) throws {
        let directory = WardenProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("warden.db")
        switch kind {
        case .garbage:
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            var generator = SplitMix64(seed: 42)
            let bytes = (0..<65_536).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            try Data(bytes).write(to: database)
        case .foreignSQLite:
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let file = try SQLiteFile(path: database.path)
            try file.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL); INSERT INTO invoices VALUES (1, 9.5);")
        case .truncatedWarden:
            let server = try WardenProcess(dataDirectory: directory)
            #expect(server.terminate() == 0)
            let whole = try Data(contentsOf: database)
            try whole.prefix(whole.count / 2).write(to: database)
        }
        let before = try Data(contentsOf: database)

        let status = startExpectingFailure(dataDirectory: directory)
        #expect(status != nil && status != 0)
        #expect(try Data(contentsOf: database) == before)
    }

    @Test func sigtermExitsZeroAndARestartSeesTheData() throws {
        let server = try WardenProcess()
        defer { server.stopAndClean() }
        let admin = try server.admin()
        try admin.expectOK("USER ADD alice name=\"Alice Archer\" password=Correct-Horse-42")
        try admin.expectOK("SYSTEM ADD wiki")
        try admin.expectOK("GRANT alice wiki edit")
        #expect(server.terminate() == 0)
        #expect(server.process.terminationReason == .exit)

        let restarted = try WardenProcess(dataDirectory: server.dataDirectory)
        defer { restarted.terminate() }
        let again = try restarted.admin()
        #expect(try again.send("CHECK alice wiki edit").final == "OK ALLOW via=direct")
        #expect(try again.send("USER SHOW alice").fields["name"] == "Alice Archer")
        #expect(try restarted.connect().send("AUTH alice Correct-Horse-42").final == "OK user=alice")
        #expect(try again.send("AUDIT VERIFY").isOK)
    }

    @Test func sigintAlsoStopsCleanly() throws {
        let server = try WardenProcess()
        defer { server.stopAndClean() }
        try server.admin().expectOK("USER ADD alice")
        Glibc.kill(server.process.processIdentifier, SIGINT)
        server.process.waitUntilExit()
        #expect(server.process.terminationReason == .exit)
        #expect(server.process.terminationStatus == 0)
    }

    /// Starts `warden serve` on `dataDirectory` and returns its exit status, or `nil`
    /// (with an issue recorded) if it became ready instead of failing.
    private func startExpectingFailure(dataDirectory: URL, sourceLocation: SourceLocation = #_sourceLocation) -> Int32? {
        do {
            let server = try WardenProcess(dataDirectory: dataDirectory)
            Issue.record("a second server started on \(dataDirectory.path)", sourceLocation: sourceLocation)
            server.kill()
            return nil
        } catch WardenProcessError.exited(let status, _) {
            return status
        } catch {
            Issue.record(error, sourceLocation: sourceLocation)
            return nil
        }
    }
}

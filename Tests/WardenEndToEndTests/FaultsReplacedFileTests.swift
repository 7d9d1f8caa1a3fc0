import Foundation
import Testing

/// The database file replaced under a running server (issue #11): SQLite would go on
/// writing to the file it opened, which nobody opens again, so every change
/// acknowledged from then on would be lost at the next start. Warden refuses them.
@Suite struct FaultsReplacedFileTests {
    @Test func aDatabaseFileRenamedOverIsRefusedUntilARestart() throws {
        let server = try WardenProcess()
        defer {
            server.terminate()
            server.removeData()
        }
        let admin = try server.admin()
        try admin.ok("USER ADD alice")
        try admin.ok("SYSTEM ADD wiki")
        try admin.ok("GRANT alice wiki read")

        // Someone restores an old copy over the live file.
        let database = server.dataDirectory.appendingPathComponent("warden.db")
        let copy = server.dataDirectory.appendingPathComponent("restored.db")
        try FileManager.default.copyItem(at: database, to: copy)
        #expect(rename(copy.path, database.path) == 0)

        let refused = try admin.send("USER ADD bob")
        #expect(refused.errorCode == "UNAVAILABLE")
        #expect(try FaultsStorageTests.health(server) == 503)
        // Answers from memory go on (and revocation fails loudly, never silently).
        #expect(try admin.send("CHECK alice wiki read").final == "OK ALLOW via=direct")
        #expect(try admin.send("REVOKE alice wiki read").errorCode == "UNAVAILABLE")
        #expect(server.log.contains("no longer the file Warden opened"))
        // It stays refused: the storage probe must not clear it.
        usleep(6_000_000)
        #expect(try admin.send("USER ADD carol").errorCode == "UNAVAILABLE")
    }
}

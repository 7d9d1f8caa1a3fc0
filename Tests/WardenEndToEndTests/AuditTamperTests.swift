import Foundation
import Testing

/// SPEC §2.5 and §5: an edit, a deletion or a reordering of stored audit entries —
/// made directly in the SQLite file of a stopped server — is found both offline
/// (`warden audit verify`) and online (`AUDIT VERIFY`), and the server keeps working.
@Suite struct AuditTamperTests {
    /// A way to rewrite history, and the entry it should be caught at (see `actions`).
    struct Tampering: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var sql: String
        var seq: Int
    }

    static let tamperings: [Tampering] = [
        Tampering(testDescription: "edit a detail", sql: "UPDATE audit SET detail = 'nothing to see' WHERE seq = 7", seq: 7),
        Tampering(testDescription: "hide a denial", sql: "UPDATE audit SET result = 'ok' WHERE seq = 9", seq: 9),
        Tampering(testDescription: "delete a middle entry", sql: "DELETE FROM audit WHERE seq = 5", seq: 5),
        Tampering(testDescription: "swap two entries", sql: """
            UPDATE audit SET seq = -1 WHERE seq = 4;
            UPDATE audit SET seq = 4 WHERE seq = 7;
            UPDATE audit SET seq = 7 WHERE seq = -1;
            """, seq: 4),
        Tampering(testDescription: "swap two entries' contents", sql: """
            CREATE TEMP TABLE saved AS SELECT * FROM audit WHERE seq IN (6, 7);
            UPDATE audit SET (time, actor, source, action, target, detail, result, prev_hash, hash) =
              (SELECT time, actor, source, action, target, detail, result, prev_hash, hash FROM saved WHERE saved.seq = 7) WHERE seq = 6;
            UPDATE audit SET (time, actor, source, action, target, detail, result, prev_hash, hash) =
              (SELECT time, actor, source, action, target, detail, result, prev_hash, hash FROM saved WHERE saved.seq = 6) WHERE seq = 7;
            """, seq: 6),
    ]

    /// The chain the tamperings work on, entry by entry from seq 1.
    static let actions = [
        "bootstrap ok", "key.create ok", "auth ok", "user.add ok", "grant ok", "auth ok", "user.add ok", "system.add ok",
        "user.delete denied",
    ]

    @Test(arguments: tamperings)
    func tamperingIsFoundOfflineAndOnline(_ tampering: Tampering) throws {
        let server = try WardenProcess()
        defer { server.stopAndClean() }
        let admin = try server.admin()
        let checker = try server.staff("checker", ["check"], admin: admin)
        try admin.runScript(["USER ADD alice", "SYSTEM ADD wiki"])
        #expect(try checker.send("USER DELETE admin").errorCode == "FORBIDDEN")
        let rows = try admin.send("AUDIT since=0").rows
        #expect(rows.map { "\($0["action"] ?? "") \($0["result"] ?? "")" } == Self.actions)
        #expect(try admin.send("AUDIT VERIFY").final.hasPrefix("OK entries=9 "))
        #expect(server.terminate() == 0)

        do {
            let file = try SQLiteFile(dataDirectory: server.dataDirectory)
            try file.execute(tampering.sql)
        }

        let offline = try runWarden(["audit", "verify", "--data", server.dataDirectory.path])
        #expect(offline.status == 1, "\(offline)")
        #expect(offline.stdout.contains("seq=\(tampering.seq)"), "\(offline.stdout)")

        let restarted = try WardenProcess(dataDirectory: server.dataDirectory)
        defer { restarted.terminate() }
        let again = try restarted.admin()
        #expect(try again.send("AUDIT VERIFY").final == "ERR CONFLICT tampered at seq=\(tampering.seq)")
        // A broken chain does not stop the server: access can still be revoked.
        try again.expectOK("USER DISABLE alice")
        #expect(try again.send("CHECK alice wiki read").final == "OK DENY reason=disabled")
    }

    @Test func anUntouchedChainVerifiesTheSameOfflineAndOnline() throws {
        let server = try WardenProcess()
        defer { server.stopAndClean() }
        let admin = try server.admin()
        try admin.runScript(["USER ADD alice", "SYSTEM ADD wiki", "GRANT alice wiki read"])
        let online = try admin.send("AUDIT VERIFY").final
        #expect(server.terminate() == 0)
        let offline = try runWarden(["audit", "verify", "--data", server.dataDirectory.path])
        #expect(offline.status == 0)
        #expect(offline.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == online)
    }

    @Test func offlineVerificationRefusesARunningServersDirectory() throws {
        let server = try WardenProcess()
        defer { server.stopAndClean() }
        let offline = try runWarden(["audit", "verify", "--data", server.dataDirectory.path])
        #expect(offline.status != 0)
        #expect(!offline.stdout.hasPrefix("OK"))
    }
}

import Foundation
import Testing
import WardenCrypto

/// The audit chain is keyed with the master key (issue #11): someone who can rewrite
/// the database but not read the key file cannot recompute the chain after an edit,
/// nor pass it off as an unkeyed one, nor start the server with another key.
@Suite struct AuditKeyTests {
    /// The v1 rule an attacker knows: SHA-256 over the length-prefixed fields.
    static func plainHash(_ fields: [String]) -> String {
        var input: [UInt8] = []
        for field in fields {
            input.append(contentsOf: "\(field.utf8.count):".utf8)
            input.append(contentsOf: field.utf8)
            input.append(UInt8(ascii: "\n"))
        }
        return Hex.encode(Digest.sha256(input))
    }

    /// Rewrites entry `seq`'s detail and recomputes every hash from there on with the
    /// plain rule, as a forger without the key would.
    static func rewriteWithRecomputedHashes(_ file: SQLiteFile, from seq: Int) throws {
        try file.execute("UPDATE audit SET detail = 'nothing to see' WHERE seq = \(seq)")
        let rows = try file.query("SELECT seq, time, actor, source, action, target, detail, result, prev_hash FROM audit ORDER BY seq")
        var previous = try file.query("SELECT hash FROM audit WHERE seq = \(seq - 1)").first?[0] ?? String(repeating: "0", count: 64)
        for row in rows where Int(row[0])! >= seq {
            let hash = plainHash(Array(row.prefix(8)) + [previous])
            try file.execute("UPDATE audit SET prev_hash = '\(previous)', hash = '\(hash)' WHERE seq = \(row[0])")
            previous = hash
        }
    }

    func preparedServer() throws -> WardenProcess {
        let server = try WardenProcess()
        let admin = try server.admin()
        try admin.runScript(["USER ADD alice", "SYSTEM ADD wiki", "GRANT alice wiki read", "USER ADD bob"])
        #expect(try admin.send("AUDIT VERIFY").isOK)
        #expect(server.terminate() == 0)
        return server
    }

    @Test func aRewriteWithRecomputedHashesIsFoundOfflineAndOnline() throws {
        let server = try preparedServer()
        defer { server.removeData() }
        try Self.rewriteWithRecomputedHashes(try SQLiteFile(dataDirectory: server.dataDirectory), from: 5)

        let offline = try runWarden(["audit", "verify", "--data", server.dataDirectory.path])
        #expect(offline.status == 1, "\(offline)")
        #expect(offline.stdout.contains("tampered at seq=5"), "\(offline.stdout)")
        let restarted = try WardenProcess(dataDirectory: server.dataDirectory)
        defer { restarted.terminate() }
        #expect(try restarted.admin().send("AUDIT VERIFY").final == "ERR CONFLICT tampered at seq=5")
    }

    @Test func movingTheKeyedStartPastTheEndIsRefusedAtStart() throws {
        let server = try preparedServer()
        defer { server.removeData() }
        let file = try SQLiteFile(dataDirectory: server.dataDirectory)
        try Self.rewriteWithRecomputedHashes(file, from: 2)
        try file.execute("UPDATE audit_keying SET keyed_from = 1000000")
        let start = try runWarden(["serve", "--data", server.dataDirectory.path, "--listen", "127.0.0.1:0", "--http", "127.0.0.1:0"])
        #expect(start.status != 0)
        #expect(start.stderr.contains("master.key"), "\(start.stderr)")
        #expect(try runWarden(["audit", "verify", "--data", server.dataDirectory.path]).status == 2)
    }

    @Test func aResetKeyCheckIsRefusedWhileTheKeyFileExists() throws {
        let server = try preparedServer()
        defer { server.removeData() }
        try SQLiteFile(dataDirectory: server.dataDirectory).execute("UPDATE audit_keying SET key_check = '', keyed_from = 1000000")
        let start = try runWarden(["serve", "--data", server.dataDirectory.path, "--listen", "127.0.0.1:0", "--http", "127.0.0.1:0"])
        #expect(start.status != 0)
        #expect(start.stderr.contains("is not the key this database was set up with"), "\(start.stderr)")
    }

    @Test func anotherMasterKeyIsRefusedNamingTheFile() throws {
        let server = try preparedServer()
        defer { server.removeData() }
        let keyFile = server.dataDirectory.appendingPathComponent("master.key")
        #expect(FileManager.default.fileExists(atPath: keyFile.path))
        let mode = try FileManager.default.attributesOfItem(atPath: keyFile.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        try Data((0..<32).map { UInt8($0) }).write(to: keyFile)
        let start = try runWarden(["serve", "--data", server.dataDirectory.path, "--listen", "127.0.0.1:0", "--http", "127.0.0.1:0"])
        #expect(start.status != 0)
        #expect(start.stderr.contains(keyFile.path), "\(start.stderr)")
    }

    @Test func aKeyFileKeptElsewhereIsUsedAndOthersMayNotReadIt() throws {
        let keyFile = WardenProcess.temporaryDirectory("key")
        try Data(Array("\(String(repeating: "QUJD", count: 10))REU=\n".utf8)).write(to: keyFile)
        defer { try? FileManager.default.removeItem(at: keyFile) }
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: keyFile.path)
        let data = WardenProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: data) }
        let refused = try runWarden(["serve", "--data", data.path, "--master-key-file", keyFile.path])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("others may read"), "\(refused.stderr)")

        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: keyFile.path)
        let server = try WardenProcess(dataDirectory: data, arguments: ["--master-key-file", keyFile.path])
        try server.admin().ok("USER ADD alice")
        #expect(server.terminate() == 0)
        #expect(!FileManager.default.fileExists(atPath: data.appendingPathComponent("master.key").path))
        let offline = try runWarden(["audit", "verify", "--data", data.path, "--master-key-file", keyFile.path])
        #expect(offline.status == 0, "\(offline)")
        // Without it, the database does not open with a fresh key instead.
        let withoutKey = try runWarden(["serve", "--data", data.path, "--listen", "127.0.0.1:0", "--http", "127.0.0.1:0"])
        #expect(withoutKey.status != 0)
    }
}

import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Storage that fails under a running server, and damaged files at start (SPEC §3
/// `/healthz`, §4): changes are refused with `ERR UNAVAILABLE` and nothing is
/// acknowledged that was not committed; a change and its audit entry are committed
/// together or not at all; health is 503 during the fault and recovers by itself
/// (the server probes storage every 5 s after a failure); a database Warden cannot
/// trust stops `warden serve` with a message and a non-zero exit.
@Suite struct FaultsStorageTests {
    /// The probe runs every 5 s; allow for a slow, busy machine.
    static let recoverySeconds = 20.0

    static func health(_ server: WardenProcess) throws -> Int {
        try httpRequest(port: server.httpPort, method: "GET", path: "/healthz").status
    }

    static func waitForHealth(_ server: WardenProcess, _ status: Int) throws -> Bool {
        let deadline = Date().addingTimeInterval(recoverySeconds)
        while Date() < deadline {
            if try health(server) == status { return true }
            usleep(200_000)
        }
        return false
    }

    /// Changes during the fault are refused; reads and health tell the truth; once the
    /// fault clears the server heals without a restart; nothing refused was written.
    static func expectFaultHandled(
        _ server: WardenProcess, tag: String, inject: () throws -> Void, clear: () throws -> Void,
        duringFault: (WardenProcess) throws -> Void = expectLoginsUnavailable
    ) throws {
        let admin = try server.admin()
        try admin.ok("USER ADD before-\(tag)")
        try inject()
        for index in 0..<3 {
            let reply = try admin.send("USER ADD during-\(tag)-\(index) name=\"written while \(tag)\"")
            #expect(reply.errorCode == "UNAVAILABLE", "\(reply)")
        }
        #expect(try admin.send("GRANT before-\(tag) warden-admin").errorCode == "UNAVAILABLE")
        try duringFault(server)
        #expect(try health(server) == 503)
        #expect(try admin.send("USER SHOW before-\(tag)").isOK)
        #expect(try admin.send("CHECK before-\(tag) warden audit").final == "OK DENY reason=no-grant")

        try clear()
        #expect(try waitForHealth(server, 200), "healthz did not recover within \(recoverySeconds) s")
        try admin.ok("USER ADD after-\(tag)")
        for index in 0..<3 {
            #expect(try admin.send("USER SHOW during-\(tag)-\(index)").errorCode == "NOT-FOUND")
        }
        #expect(try admin.send("CHECK before-\(tag) warden audit").final == "OK DENY reason=no-grant")
        #expect(server.terminate() == 0)

        // In the file: both acknowledged changes with their audit entries; of the
        // refused ones neither a row nor an entry.
        let db = server.dataDirectory.appendingPathComponent("warden.db").path
        #expect(try sqliteInteger(db, "SELECT count(*) FROM users WHERE name IN ('before-\(tag)', 'after-\(tag)')") == 2)
        #expect(try sqliteInteger(db, "SELECT count(*) FROM audit WHERE action = 'user.add' AND target IN ('before-\(tag)', 'after-\(tag)')") == 2)
        #expect(try sqliteInteger(db, "SELECT count(*) FROM users WHERE name LIKE 'during-%'") == 0)
        #expect(try sqliteInteger(db, "SELECT count(*) FROM audit WHERE target LIKE 'during-%'") == 0)
        #expect(try sqliteInteger(db, "SELECT count(*) FROM grants WHERE user_id = (SELECT id FROM users WHERE name = 'before-\(tag)')") == 0)
        #expect(try sqliteInteger(db, "SELECT count(*) FROM audit WHERE action = 'grant' AND target = 'before-\(tag)'") == 0)
        let verify = try runWarden(["audit", "verify", "--data", server.dataDirectory.path])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
    }

    /// A login whose audit entry cannot be written is neither accepted nor refused:
    /// the same answer for the right and a wrong password.
    static func expectLoginsUnavailable(_ server: WardenProcess) throws {
        let login = try server.connect()
        #expect(try login.send("AUTH admin \(WardenProcess.adminPassword)").errorCode == "UNAVAILABLE")
        #expect(try login.send("AUTH admin Wrong-Password-1").errorCode == "UNAVAILABLE")
        #expect(try login.send("LOGIN admin \(WardenProcess.adminPassword)").errorCode == "UNAVAILABLE")
        #expect(try login.send("USER LIST").errorCode == "NOAUTH")
    }

    @Test(.enabled(if: Tmpfs.available, "needs to mount a tmpfs (root); skipped here"))
    func aFullDiskRefusesChangesAsUnavailableAndHealsWhenSpaceReturns() throws {
        let disk = try Tmpfs(megabytes: 8)
        let server = try WardenProcess(dataDirectory: disk.url.appendingPathComponent("data"))
        defer { server.kill() }
        let reserve = server.dataDirectory.appendingPathComponent("reserve").path
        #expect(FileManager.default.fileExists(atPath: reserve), "no offboarding reserve in the data directory")
        try server.admin().runScript(["SYSTEM ADD app", "USER ADD leaver", "GRANT leaver app read"])
        var filler = ""
        try Self.expectFaultHandled(server, tag: "full", inject: { filler = disk.fill() }, clear: {
            try FileManager.default.removeItem(atPath: filler)
        }, duringFault: { server in
            // The room kept for offboarding: an administrator still signs in and takes
            // a leaver's access away; a wrong password, as every ordinary change, waits.
            let login = try server.connect()
            #expect(try login.send("AUTH admin Wrong-Password-1").errorCode == "UNAVAILABLE")
            #expect(try login.send("AUTH admin \(WardenProcess.adminPassword)").isOK)
            #expect(try login.send("USER DISABLE leaver").isOK)
            #expect(try login.send("REVOKE leaver app read").isOK)
            #expect(try login.send("CHECK leaver app read").final == "OK DENY reason=disabled")
            #expect(try login.send("USER ENABLE leaver").errorCode == "UNAVAILABLE")
        })
        #expect(FileManager.default.fileExists(atPath: reserve), "the reserve was not written again once space returned")
        let db = server.dataDirectory.appendingPathComponent("warden.db").path
        #expect(try sqliteInteger(db, "SELECT count(*) FROM users WHERE name = 'leaver' AND status = 'disabled'") == 1)
        #expect(try sqliteInteger(db, "SELECT count(*) FROM audit WHERE action IN ('user.disable', 'revoke') AND target = 'leaver'") == 2)
    }

    @Test(.enabled(if: immutableFilesAvailable, "needs chattr +i on the temporary folder (root, ext4 or similar); skipped here"))
    func aReadOnlyDatabaseRefusesChangesAsUnavailableAndHealsWhenWritable() throws {
        let server = try WardenProcess()
        let files = ["warden.db", "warden.db-wal"].map { server.dataDirectory.appendingPathComponent($0).path }
        defer {
            runTool("chattr", ["-i"] + files)
            server.kill()
            server.removeData()
        }
        try Self.expectFaultHandled(server, tag: "readonly", inject: {
            try #require(runTool("chattr", ["+i"] + files) == 0)
        }, clear: {
            try #require(runTool("chattr", ["-i"] + files) == 0)
        })
    }

    // MARK: Damaged files at start

    /// A data directory whose schema is in the main file (a clean stop) and whose
    /// later changes are only in the write-ahead log (a kill -9): `kept` acknowledged.
    static func crashedDataDirectory(kept users: [String]) throws -> URL {
        let first = try WardenProcess()
        #expect(first.terminate() == 0)
        let second = try WardenProcess(dataDirectory: first.dataDirectory)
        let admin = try second.admin()
        for user in users { try admin.ok("USER ADD \(user)") }
        second.kill()
        return first.dataDirectory
    }

    /// Starts `warden serve` on `data` expecting a refusal; returns its log.
    static func refusedStart(_ data: URL) throws -> (status: Int32, log: String)? {
        do {
            let server = try WardenProcess(dataDirectory: data)
            server.kill()
            return nil
        } catch WardenProcessError.exited(let status, let log) {
            return (status, log)
        }
    }

    @Test func aCorruptDatabaseStopsServeWithAMessageAndANonZeroExit() throws {
        let server = try WardenProcess()
        defer { server.removeData() }
        let admin = try server.admin()
        for index in 0..<50 { try admin.ok("USER ADD filler-\(index) name=\"\(String(repeating: "x", count: 200))\"") }
        #expect(server.terminate() == 0)
        // Garbage over every page but the header page: b-trees that no longer parse.
        let db = server.dataDirectory.appendingPathComponent("warden.db").path
        let handle = try #require(FileHandle(forUpdatingAtPath: db))
        let size = try handle.seekToEnd()
        try handle.seek(toOffset: 4096)
        try handle.write(contentsOf: (0..<Int(size) - 4096).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
        try handle.close()

        let refused = try #require(try Self.refusedStart(server.dataDirectory), "warden serve started on a corrupt database")
        #expect(refused.status != 0)
        #expect(refused.log.contains("cannot start"), "\(refused.log)")
        #expect(refused.log.contains("corrupt"), "\(refused.log)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: db)).count == Int(size), "the file was changed")
    }

    @Test func aWriteAheadLogCutInsideItsHeaderStopsServeWithAMessageAndANonZeroExit() throws {
        let data = try Self.crashedDataDirectory(kept: ["kept-1", "kept-2"])
        defer { try? FileManager.default.removeItem(at: data) }
        let wal = data.appendingPathComponent("warden.db-wal").path
        #expect(truncate(wal, 16) == 0)
        let refused = try #require(try Self.refusedStart(data), "warden serve started without the acknowledged changes in its log")
        #expect(refused.status != 0)
        #expect(refused.log.contains("write-ahead log"), "\(refused.log)")
        #expect(refused.log.contains("damaged"), "\(refused.log)")
    }

    /// What a crash in the middle of a commit leaves: a torn last frame. SQLite drops
    /// that one unfinished commit and Warden starts with everything before it.
    @Test func aWriteAheadLogEndingInATornFrameStartsWithTheChangesBeforeIt() throws {
        let data = try Self.crashedDataDirectory(kept: ["kept-1", "kept-2", "kept-3"])
        defer { try? FileManager.default.removeItem(at: data) }
        let wal = data.appendingPathComponent("warden.db-wal").path
        let size = try #require(FileManager.default.attributesOfItem(atPath: wal)[.size] as? Int)
        #expect(truncate(wal, off_t(size - 100)) == 0)
        let server = try WardenProcess(dataDirectory: data)
        defer { server.kill() }
        let admin = try server.admin()
        #expect(try admin.send("USER SHOW kept-1").isOK)
        #expect(try admin.send("USER SHOW kept-2").isOK)
        #expect(try admin.send("AUDIT VERIFY").isOK)
    }
}

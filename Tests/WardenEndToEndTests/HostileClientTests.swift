import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Clients that try to wear the server down (SPEC §2 limits, §4 "never a crash,
/// hang …"): many idle connections, slowloris, a flood before AUTH, connections
/// dropped mid-command. Each runs against its own server while another client
/// PINGs beside it; that client's latency must stay low.
///
/// Serialized so that the latency each case measures is its own attacker's doing.
@Suite(.serialized) struct HostileClientTests {
    /// Generous: a debug build on two shared cores answers PING in about a millisecond.
    static let p99Bound = 0.2
    static let mebibyte = 1 << 20

    /// Asserts what the bystander saw: every PING answered, p99 under the bound.
    static func expectPrompt(_ pinger: Pinger, _ what: String) {
        let seen = pinger.stop()
        #expect(seen.failures.isEmpty, "\(what): PING failed: \(seen.failures.prefix(3))")
        #expect(seen.count >= 10, "\(what): only \(seen.count) PINGs answered")
        #expect(seen.p99 < p99Bound, "\(what): PING p50 \(seen.p50) s, p99 \(seen.p99) s, max \(seen.max) s")
    }

    /// The `warden_connections` gauge of `/metrics`.
    static func openConnections(_ server: WardenProcess) throws -> Int {
        let metrics = try httpRequest(port: server.httpPort, method: "GET", path: "/metrics")
        let line = metrics.body.split(separator: "\n").first { $0.hasPrefix("warden_connections ") }
        return Int(line?.split(separator: " ").last ?? "") ?? -1
    }

    @Test func threeThousandIdleConnectionsLeaveTheServerUpAndOthersAnsweredPromptly() throws {
        // This process holds one descriptor per connection and the server (which
        // inherits the raised limit) another: with a low hard limit (ulimit -Hn), open
        // fewer rather than fail for the wrong reason.
        let limit = raiseOpenFileLimit(to: 8192)
        let count = min(3000, limit - 256)
        try #require(count >= 200, "ulimit -n is \(limit): too low to hold a few hundred connections")
        // All from 127.0.0.1: the per-address limit (default 64) is lifted with the total.
        let server = try WardenProcess(arguments: ["--max-connections", "4000", "--max-connections-per-source", "4000"])
        defer { server.kill(); server.removeData() }
        let pinger = try Pinger(port: server.linePort)

        var idle: [LineConnection] = []
        for _ in 0..<count { idle.append(try server.connect()) }
        let deadline = Date().addingTimeInterval(10)
        while try Self.openConnections(server) < count + 1, Date() < deadline { usleep(50_000) }
        #expect(try Self.openConnections(server) == count + 1)

        let (reply, seconds) = try Fixture.timed { try server.connect().send("PING") }
        #expect(reply.final == "OK PONG")
        #expect(seconds < 1, "a new connection's PING took \(seconds) s")
        // The idle ones were kept, not dropped, and still answer.
        for connection in stride(from: 0, to: idle.count, by: 97).map({ idle[$0] }) {
            #expect(try connection.send("PING").final == "OK PONG")
        }
        Self.expectPrompt(pinger, "\(count) idle connections")
        #expect(server.process.isRunning)
    }

    @Test func slowlorisClientsSendingOneByteEvery200msDoNotHoldUpOthers() throws {
        let server = try WardenProcess()
        defer { server.kill(); server.removeData() }
        let pinger = try Pinger(port: server.linePort)
        let script = Array("PING\nHELLO\nPING\n".utf8)  // 16 bytes: 3.2 s at 5 bytes a second
        let slow = try (0..<20).map { _ in try server.connect() }
        for byte in script {
            for connection in slow { try connection.write([byte]) }
            usleep(200_000)
        }
        // The slow clients were served too, in order, once their lines were complete.
        for connection in slow {
            #expect(try connection.readReply().final == "OK PONG")
            #expect(try connection.readReply().final.hasPrefix("OK server=warden "))
            #expect(try connection.readReply().final == "OK PONG")
        }
        Self.expectPrompt(pinger, "20 slowloris clients")
    }

    @Test func aFloodOf100000PipelinedLinesBeforeAuthGetsNoauthForEachWithinBoundedMemory() throws {
        let server = try WardenProcess()
        defer { server.kill(); server.removeData() }
        let pid = server.process.processIdentifier
        let baseline = try #require(residentBytes(of: pid))
        let pinger = try Pinger(port: server.linePort)
        let flood = try server.connect()
        let total = 100_000
        // One thread writes as fast as the socket takes it; this one reads the replies.
        let chunk = Array(String(repeating: "USER LIST\n", count: 1000).utf8)
        let descriptor = flood.descriptor
        let writer = Thread {
            for _ in 0..<(total / 1000) {
                var offset = 0
                while offset < chunk.count {
                    let sent = chunk[offset...].withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                    guard sent > 0 else { return }
                    offset += sent
                }
            }
        }
        writer.start()

        let expected = Array("ERR NOAUTH authenticate first".utf8)
        var replies = 0, wrong = 0, peak = baseline, reads = 0
        var line: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while replies < total {
            let count = buffer.withUnsafeMutableBytes { recv(flood.descriptor, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { break }
            for byte in buffer[0..<count] {
                if byte == UInt8(ascii: "\n") {
                    replies += 1
                    if line != expected { wrong += 1 }
                    line.removeAll(keepingCapacity: true)
                } else {
                    line.append(byte)
                }
            }
            reads += 1
            if reads % 16 == 0, let rss = residentBytes(of: pid) { peak = max(peak, rss) }
        }
        peak = max(peak, residentBytes(of: pid) ?? 0)
        #expect(replies == total)
        #expect(wrong == 0)
        // Generous: the server idles at tens of MiB; replies must not pile up in memory.
        #expect(peak < 300 * Self.mebibyte, "VmRSS peaked at \(peak / Self.mebibyte) MiB (baseline \(baseline / Self.mebibyte) MiB)")
        Self.expectPrompt(pinger, "flood of \(total) lines")
        #expect(try server.connect().send("PING").final == "OK PONG")
    }

    @Test func connectionsDroppedMidCommandLeaveTheServerHealthyAndChangesWhole() throws {
        let server = try WardenProcess()
        defer { server.kill(); server.removeData() }
        let pinger = try Pinger(port: server.linePort)
        let rounds = 25
        for round in 0..<rounds {
            // Each connection goes out of scope, and so is closed, right after its write.
            try server.connect().write("USER LI")
            try server.connect().write("AUTH admin \(WardenProcess.adminPassword)\n")
            try server.connect().write("AUTH admin \(WardenProcess.adminPassword)\nUSER ADD half-\(round) pass")
            try server.connect().write("LOGIN admin \(WardenProcess.adminPassword)\n")
            try server.admin().write("USER ADD dropped-\(round) password=\(Fixture.password)\nGRANT dropped-\(round) warden-admin\n")
        }
        let admin = try server.admin()
        #expect(try admin.send("PING").final == "OK PONG")
        // A change whose client left is either whole (user, grant, audit entries) or
        // absent; the half-sent USER ADD never ran.
        for round in 0..<rounds {
            let user = "dropped-\(round)"
            let shown = try admin.send("USER SHOW \(user)")
            let audited = try admin.send("AUDIT target=\(user)").data
            if shown.isOK {
                #expect(audited.contains { $0.contains("action=user.add") && $0.contains("result=ok") }, "\(user): \(audited)")
            } else {
                #expect(shown.errorCode == "NOT-FOUND")
                #expect(audited.isEmpty, "\(user) absent but audited: \(audited)")
            }
            let granted = try admin.send("ACCESS \(user)")
            let grantAudited = audited.contains { $0.contains("action=grant") }
            #expect(grantAudited == (granted.isOK && !granted.data.isEmpty), "\(user): \(granted) vs \(audited)")
            #expect(try admin.send("USER SHOW half-\(round)").errorCode == "NOT-FOUND")
        }
        #expect(try httpRequest(port: server.httpPort, method: "GET", path: "/healthz").status == 200)
        Self.expectPrompt(pinger, "dropped connections")
        #expect(server.process.isRunning)
    }
}

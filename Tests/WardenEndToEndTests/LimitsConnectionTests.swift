import Foundation
import Testing

/// SPEC §2 limits on connections: `--max-connections`, idle timeouts, and a client
/// that stops reading its replies. The timeouts are shortened with the hidden
/// `--idle-timeout-*` and `--stalled-output-seconds` flags of `warden serve`.
@Suite struct LimitsConnectionTests {
    @Test func pastMaxConnectionsANewConnectionIsBusyAndClosed() throws {
        let server = try WardenProcess(arguments: ["--max-connections", "3"])
        defer { server.stopAndClean() }
        var open: [LineConnection] = []
        for _ in 0..<3 {
            let connection = try server.connect()
            #expect(try connection.send("PING").final == "OK PONG")
            open.append(connection)
        }
        let fourth = try server.connect()
        let (lines, closed) = fourth.readUntilClosed(within: 10)
        #expect(lines.count == 1 && lines.first?.hasPrefix("ERR BUSY") == true, "\(lines)")
        #expect(closed)
        // The three are still served.
        for connection in open { #expect(try connection.send("PING").final == "OK PONG") }
    }

    @Test func aFreedSlotIsUsableAgain() throws {
        let server = try WardenProcess(arguments: ["--max-connections", "3"])
        defer { server.stopAndClean() }
        var open: [LineConnection] = []
        for _ in 0..<3 { open.append(try server.connect()) }
        #expect(try open[0].send("QUIT").final == "OK bye")
        open.removeFirst()
        // The server forgets a closed connection a moment after it closes.
        let served = eventually(within: 5) {
            (try? server.connect().send("PING").final) == "OK PONG"
        }
        #expect(served)
    }

    @Test func anUnauthenticatedConnectionIdleForTheTimeoutIsClosed() throws {
        let server = try WardenProcess(arguments: ["--idle-timeout-unauthenticated", "1"])
        defer { server.stopAndClean() }
        let connection = try server.connect()
        let started = Date()
        #expect(connection.isClosedByServer(within: 15))
        let elapsed = Date().timeIntervalSince(started)
        #expect(elapsed > 0.5 && elapsed < 10, "closed after \(elapsed) s")
    }

    /// Authenticated, any line counts as activity; before AUTH it does not (see
    /// PreAuthTimeoutTests).
    @Test func activityKeepsAnAuthenticatedConnectionOpen() throws {
        let server = try WardenProcess(arguments: ["--idle-timeout-authenticated", "2"])
        defer { server.stopAndClean() }
        let connection = try server.admin()
        // Blocking sleeps: an async one may resume late when the other tests keep the
        // test process's threads busy, and a late PING would be an idle connection.
        for _ in 0..<8 {
            usleep(400_000)
            #expect(try connection.send("PING").final == "OK PONG")
        }
    }

    @Test func anAuthenticatedConnectionHasItsOwnLongerTimeout() throws {
        let server = try WardenProcess(arguments: ["--idle-timeout-unauthenticated", "1", "--idle-timeout-authenticated", "4"])
        defer { server.stopAndClean() }
        let connection = try server.admin()
        usleep(2_000_000) // twice the unauthenticated timeout
        #expect(try connection.send("PING").final == "OK PONG")
        let started = Date()
        #expect(connection.isClosedByServer(within: 20))
        let elapsed = Date().timeIntervalSince(started)
        #expect(elapsed > 2.5 && elapsed < 15, "closed after \(elapsed) s")
    }

    @Test func aClientThatNeverReadsIsDisconnectedWhileOthersAreServed() throws {
        let server = try WardenProcess(arguments: ["--stalled-output-seconds", "2"])
        defer { server.stopAndClean() }
        let baseline = try #require(server.peakResidentBytes)
        let hog = try server.admin()
        hog.setSendTimeout(40)
        // About 100 MB of replies if the server kept them all.
        let flood = Array(String(repeating: "HELP\n", count: 20_000).utf8)
        let written = DispatchSemaphore(value: 0)
        writeInBackground(flood, to: hog.descriptor, done: written)
        defer { written.wait() }

        // Meanwhile everybody else is answered promptly.
        let other = try server.connect()
        for _ in 0..<5 {
            let started = Date()
            #expect(try other.send("PING").final == "OK PONG")
            #expect(Date().timeIntervalSince(started) < 2)
            usleep(200_000)
        }

        #expect(hog.peerHangsUp(within: 30), "the server kept a client that does not read")
        let grown = (server.peakResidentBytes ?? .max) - baseline
        #expect(grown < 64 << 20, "the server grew by \(grown >> 20) MB")
        #expect(try other.send("PING").final == "OK PONG")
    }
}

import Foundation
import Testing

/// SPEC §2's "idle 60 s before authenticating" counts only progress toward AUTH
/// (review #11): an unauthenticated connection is closed the timeout after it opened
/// or after its last credential attempt (`AUTH`, `LOGIN`, `ACTIVATE`), however many
/// `PING`s or empty lines it sends meanwhile. Shortened with the hidden
/// `--idle-timeout-unauthenticated`.
@Suite struct PreAuthTimeoutTests {
    @Test func pingsBeforeAuthDoNotKeepAConnectionOpen() throws {
        let server = try WardenProcess(arguments: ["--idle-timeout-unauthenticated", "2"])
        defer { server.stopAndClean() }
        let connection = try server.connect()
        connection.setTimeout(5)
        let started = Date()
        var answered = 0
        while Date().timeIntervalSince(started) < 15 {
            guard let reply = try? connection.send("PING"), reply.final == "OK PONG" else { break }
            answered += 1
            usleep(250_000)
        }
        let elapsed = Date().timeIntervalSince(started)
        #expect(elapsed > 1.5 && elapsed < 10, "closed after \(elapsed) s, \(answered) PINGs answered")
        #expect(answered >= 3, "\(answered) PINGs answered")
    }

    @Test func emptyLinesBeforeAuthDoNotKeepAConnectionOpen() throws {
        let server = try WardenProcess(arguments: ["--idle-timeout-unauthenticated", "2"])
        defer { server.stopAndClean() }
        let connection = try server.connect()
        let started = Date()
        var closed = false
        while !closed, Date().timeIntervalSince(started) < 15 {
            guard (try? connection.write("\n")) != nil else {
                closed = true
                break
            }
            closed = connection.peerHangsUp(within: 0.25)
        }
        let elapsed = Date().timeIntervalSince(started)
        #expect(closed, "still open after \(elapsed) s of empty lines")
        #expect(elapsed > 1.5 && elapsed < 10, "closed after \(elapsed) s")
    }

    @Test func aCredentialAttemptStartsThePeriodAgain() throws {
        let server = try WardenProcess(arguments: ["--idle-timeout-unauthenticated", "4"])
        defer { server.stopAndClean() }
        let connection = try server.connect()
        usleep(2_500_000)
        let attempt = Date()
        #expect(try connection.send("AUTH admin Wrong-Password-1").errorCode == "AUTH-FAILED")
        // 5 s after opening, 2.5 s after the attempt: still open.
        usleep(2_500_000)
        #expect(try connection.send("PING").final == "OK PONG")
        #expect(connection.isClosedByServer(within: 15))
        let elapsed = Date().timeIntervalSince(attempt)
        #expect(elapsed > 3 && elapsed < 10, "closed \(elapsed) s after the AUTH attempt")
    }
}

import Foundation
import Testing

/// The HTTP port's connection slots (review #11): idle HTTP connections used to be
/// kept for ever, without limit, until the process ran out of file descriptors and the
/// line port stopped answering too. Now `--max-http-connections` caps them (beyond it:
/// `503`, closed) and a connection is closed when no whole request arrives within
/// `--http-idle-timeout` (hidden; default 30 s) of its opening or its previous response.
@Suite struct HTTPConnectionLimitsTests {
    static let cap = 16

    /// Reads one response (status line, headers, a body of Content-Length bytes ending
    /// with LF, as `/healthz`'s does) and returns its status.
    static func readStatus(_ connection: LineConnection) throws -> Int {
        let status = Int(try connection.readLine().split(separator: " ").dropFirst().first ?? "") ?? 0
        while try !connection.readLine().trimmingCharacters(in: CharacterSet(charactersIn: "\r")).isEmpty {}
        _ = try connection.readLine()
        return status
    }

    @Test func idleHTTPConnectionsBeyondTheCapAreClosedAndTheLinePortStillAnswers() throws {
        let server = try WardenProcess(arguments: ["--max-http-connections", String(Self.cap)])
        defer { server.stopAndClean() }
        // Low enough that ~400 held connections would exhaust it, as 1,100 did under a
        // ulimit of 1024.
        try #require(try server.limitOpenFiles(to: 256))
        let baseline = server.openDescriptors

        var held: [LineConnection] = []
        for _ in 0..<Self.cap {
            // One request each, so that these are the ones admitted (connections are
            // admitted in the order the event loops get to them), then left idle.
            let connection = try LineConnection(port: server.httpPort, timeout: 5)
            try connection.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            #expect(try Self.readStatus(connection) == 200)
            held.append(connection)
        }
        // 400 more, in batches of 50 so that the listen backlog (256) never overflows
        // (the kernel would then retry handshakes for seconds). Each is closed at once.
        var kept = 0
        for _ in 0..<8 {
            let batch = try (0..<50).map { _ in try LineConnection(port: server.httpPort, timeout: 5) }
            kept += batch.count { !$0.isClosedByServer(within: 5) }
        }
        #expect(kept == 0, "\(kept) connections beyond the cap were kept")
        let descriptors = server.openDescriptors
        #expect(descriptors <= baseline + Self.cap + 8, "the server holds \(descriptors) descriptors (\(baseline) before)")

        // The line port still answers, on a new connection too.
        let line = try server.connect()
        line.setTimeout(5)
        #expect(try line.send("PING").final == "OK PONG")

        // A slot is freed when a held connection goes away: HTTP answers again.
        held.removeAll()
        #expect(eventually(within: 5) { (try? httpRequest(port: server.httpPort, method: "GET", path: "/healthz").status) == 200 })
    }

    @Test func aConnectionBeyondTheCapIsAnswered503() throws {
        let server = try WardenProcess(arguments: ["--max-http-connections", "1"])
        defer { server.stopAndClean() }
        let held = try LineConnection(port: server.httpPort, timeout: 5)
        defer { _ = held }
        try held.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        #expect(try Self.readStatus(held) == 200)
        let extra = try LineConnection(port: server.httpPort, timeout: 5)
        let answer = String(decoding: extra.readToEnd(), as: UTF8.self)
        #expect(answer.hasPrefix("HTTP/1.1 503 "), "\(answer)")
    }

    @Test func anIdleHTTPConnectionIsClosedAfterTheTimeout() throws {
        let server = try WardenProcess(arguments: ["--http-idle-timeout", "2"])
        defer { server.stopAndClean() }
        let connection = try LineConnection(port: server.httpPort)
        let started = Date()
        #expect(connection.isClosedByServer(within: 15))
        let elapsed = Date().timeIntervalSince(started)
        #expect(elapsed > 1.5 && elapsed < 10, "closed after \(elapsed) s")
    }

    @Test func aRequestTrickledAByteAtATimeIsClosedLikeAnIdleOne() throws {
        let server = try WardenProcess(arguments: ["--http-idle-timeout", "2"])
        defer { server.stopAndClean() }
        let connection = try LineConnection(port: server.httpPort)
        let started = Date()
        try connection.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        var closed = false
        for byte in Array(String(repeating: "X-Slow: a\r\n", count: 20).utf8) where !closed {
            if (try? connection.write([byte])) == nil { closed = true }
            if connection.peerHangsUp(within: 0.2) { closed = true }
            if Date().timeIntervalSince(started) > 15 { break }
        }
        let elapsed = Date().timeIntervalSince(started)
        #expect(closed, "still open after \(elapsed) s of trickling")
        #expect(elapsed > 1.5 && elapsed < 10, "closed after \(elapsed) s")
    }

    @Test func aKeepAliveConnectionGetsTheTimeoutAgainAfterEachResponse() throws {
        let server = try WardenProcess(arguments: ["--http-idle-timeout", "2"])
        defer { server.stopAndClean() }
        let connection = try LineConnection(port: server.httpPort)
        let request = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        for _ in 0..<3 {
            usleep(1_200_000) // more than half the timeout, each time
            try connection.write(request)
            #expect(try Self.readStatus(connection) == 200)
        }
        let answered = Date()
        #expect(connection.isClosedByServer(within: 15))
        let elapsed = Date().timeIntervalSince(answered)
        #expect(elapsed > 1.5 && elapsed < 10, "closed \(elapsed) s after the last response")
    }
}

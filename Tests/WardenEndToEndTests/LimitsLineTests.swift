import Foundation
import Testing

/// SPEC §2 limits on what a client may send: the longest line, a line that never
/// ends, and HTTP spoken to the line port.
@Suite struct LimitsLineTests {
    @Test func aLineOfExactly16384BytesIsProcessed() throws {
        let server = try WardenProcess()
        defer { server.stopAndClean() }
        let connection = try server.connect()
        // One long unknown word: refused for what it says, not for its length.
        let reply = try connection.send(String(repeating: "X", count: 16_384))
        #expect(reply.errorCode != nil && reply.errorCode != "TOO-LONG", "\(reply)")
        // The limit does not count the CR LF; PING padded with spaces is still a PING.
        try connection.write("PING" + String(repeating: " ", count: 16_380) + "\r\n")
        #expect(try connection.readReply().final == "OK PONG")
        #expect(try connection.send("PING").final == "OK PONG")
    }

    @Test func aLineOf16385BytesIsTooLongAndClosesTheConnection() throws {
        let server = try WardenProcess()
        defer { server.stopAndClean() }
        let connection = try server.connect()
        try connection.write("PING" + String(repeating: " ", count: 16_381) + "\n")
        let (lines, closed) = connection.readUntilClosed(within: 10)
        #expect(lines.count == 1 && lines.first?.hasPrefix("ERR TOO-LONG") == true, "\(lines)")
        #expect(closed)
    }

    @Test func requestsPipelinedBeforeAnOverlongLineAreAnsweredFirst() throws {
        let server = try WardenProcess()
        defer { server.stopAndClean() }
        let connection = try server.connect()
        try connection.write("PING\nHELLO\n" + String(repeating: "A", count: 20_000) + "\nPING\n")
        let (lines, closed) = connection.readUntilClosed(within: 10)
        #expect(lines.count == 3, "\(lines)")
        #expect(lines.first == "OK PONG")
        #expect(lines.dropFirst().first?.hasPrefix("OK server=warden") == true)
        #expect(lines.last?.hasPrefix("ERR TOO-LONG") == true)
        #expect(closed)
    }

    @Test func aMegabyteWithoutANewlineIsTooLongAndClosesTheConnection() throws {
        let server = try WardenProcess()
        defer { server.stopAndClean() }
        let connection = try server.connect()
        connection.setSendTimeout(20)
        // The server may hang up before all of it is sent; that is the point.
        try? connection.write([UInt8](repeating: UInt8(ascii: "a"), count: 1 << 20))
        let (lines, closed) = connection.readUntilClosed(within: 10)
        #expect(lines.count == 1 && lines.first?.hasPrefix("ERR TOO-LONG") == true, "\(lines)")
        #expect(closed)
        // The server is fine.
        #expect(try server.connect().send("PING").final == "OK PONG")
    }

    static let httpRequests = [
        "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
        "POST /introspect HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n",
        "Host: 127.0.0.1\r\n\r\n",
    ]

    @Test(arguments: httpRequests)
    func httpOnTheLinePortIsClosedWithoutAnAnswer(_ request: String) throws {
        let server = try WardenProcess()
        defer { server.stopAndClean() }
        let connection = try server.connect()
        try connection.write(request)
        let (lines, closed) = connection.readUntilClosed(within: 10)
        #expect(closed)
        #expect(!lines.contains { $0.hasPrefix("OK") }, "\(lines)")
    }
}

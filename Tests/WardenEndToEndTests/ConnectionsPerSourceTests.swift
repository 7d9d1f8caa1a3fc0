import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `--max-connections-per-source` (default 64): one client address cannot take every
/// line-protocol slot (review #11). Past it, a new connection from that address gets
/// `ERR BUSY` and is closed; other addresses are still served.
@Suite struct ConnectionsPerSourceTests {
    @Test func pastTheLimitOfOneAddressItsNewConnectionIsBusyWhileAnotherAddressIsServed() throws {
        let server = try WardenProcess(arguments: ["--max-connections-per-source", "3", "--max-connections", "100"])
        defer { server.stopAndClean() }
        var open: [LineConnection] = []
        for _ in 0..<3 {
            let connection = try server.connect()
            #expect(try connection.send("PING").final == "OK PONG")
            open.append(connection)
        }
        let fourth = try server.connect()
        let (lines, closed) = fourth.readUntilClosed(within: 10)
        #expect(lines == ["ERR BUSY too many connections from your address; retry later"], "\(lines)")
        #expect(closed)

        // Another address of this machine is another source.
        let other = try connect(from: "127.0.0.2", port: server.linePort)
        defer { close(other) }
        #expect(exchange(other, "PING") == "OK PONG")
        for connection in open { #expect(try connection.send("PING").final == "OK PONG") }

        // A slot given back is usable again.
        #expect(try open[0].send("QUIT").final == "OK bye")
        open.removeFirst()
        #expect(eventually(within: 5) { (try? server.connect().send("PING").final) == "OK PONG" })
    }

    @Test func theTotalLimitStillAppliesAcrossAddresses() throws {
        let server = try WardenProcess(arguments: ["--max-connections-per-source", "2", "--max-connections", "3"])
        defer { server.stopAndClean() }
        let first = try server.connect(), second = try server.connect()
        #expect(try first.send("PING").final == "OK PONG")
        #expect(try second.send("PING").final == "OK PONG")
        let third = try connect(from: "127.0.0.3", port: server.linePort)
        defer { close(third) }
        #expect(exchange(third, "PING") == "OK PONG")
        let fourth = try connect(from: "127.0.0.4", port: server.linePort)
        defer { close(fourth) }
        #expect(readLine(fourth) == "ERR BUSY too many connections; retry later")
    }
}

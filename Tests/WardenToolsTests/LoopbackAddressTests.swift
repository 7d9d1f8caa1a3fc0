import Foundation
import Testing

/// `warden serve` without TLS listens only on an address that is loopback without
/// asking DNS: `localhost`, a literal 127.0.0.0/8 address or `::1` (SPEC §1; review
/// #11: `127.evil.example` used to pass because it starts with "127.").
@Suite struct LoopbackAddressTests {
    @Test(arguments: [
        ("--listen", "127.evil.example:0"), ("--http", "127.0.0.1.nip.io:0"), ("--listen", "127.1:0"),
        ("--listen", "[::ffff:10.0.0.1]:0"), ("--http", "localhost.evil.example:0"),
    ])
    func aNameThatOnlyLooksLikeLoopbackIsRefusedWithoutTLS(option: String, address: String) throws {
        let data = WardenProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: data) }
        var arguments = ["serve", "--data", data.path, "--listen", "127.0.0.1:0", "--http", "127.0.0.1:0"]
        arguments[arguments.firstIndex(of: option)! + 1] = address
        let result = try warden(arguments, server: nil)
        #expect(result.status != 0, "\(result)")
        let host = address.hasPrefix("[") ? String(address.dropFirst().prefix { $0 != "]" }) : String(address.dropLast(2))
        #expect(result.stderr.contains("refusing to listen on \(host) without TLS"), "\(result)")
        #expect(!FileManager.default.fileExists(atPath: data.path))
    }

    @Test(arguments: ["127.0.0.1", "127.0.0.2", "localhost", "[::1]"])
    func aLiteralLoopbackAddressOrLocalhostStartsWithoutTLS(host: String) throws {
        // The IPv6 loopback may be missing in a container; only the refusal is the point there.
        let server: WardenProcess
        do {
            server = try WardenProcess(arguments: ["--listen", "\(host):0", "--http", "\(host):0"])
        } catch let error as WardenProcessError {
            #expect(!"\(error)".contains("refusing to listen"), "\(error)")
            return
        }
        defer { server.stop() }
        #expect(!server.log.contains("refusing"))
    }
}

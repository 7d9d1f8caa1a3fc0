import Foundation
import Testing

/// TLS on both ports (`warden serve --tls-cert --tls-key`, SPEC §1) as a client sees
/// it: `warden cli --tls --ca`, plaintext refused, hostname checked, HTTPS health.
@Suite(.enabled(if: TestCertificates.openssl != nil, "needs the openssl CLI to make certificates"))
struct TLSTests {
    @Test func cliTrustingTheCAGetsOKByAddressAndByName() throws {
        let certificates = try TestCertificates()
        defer { certificates.remove() }
        let server = try WardenProcess(arguments: certificates.serveArguments)
        defer { server.stop() }
        let byAddress = try warden(["cli", "--tls", "--ca", certificates.caCertificate.path, "PING"], server: server)
        #expect(byAddress.status == 0, "\(byAddress)")
        #expect(byAddress.stdout == "OK PONG\n")
        let byName = try warden(["cli", "--host", "localhost", "--ca", certificates.caCertificate.path, "HELLO"], server: server)
        #expect(byName.status == 0, "\(byName)")
        #expect(byName.stdout.hasSuffix("user=admin\n"))
    }

    @Test func importWorksOverTLS() throws {
        let certificates = try TestCertificates()
        defer { certificates.remove() }
        let server = try WardenProcess(arguments: certificates.serveArguments)
        defer { server.stop() }
        try withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("users.csv")
            try "username,name,email,roles\numa,Uma,uma@example.com,\n".write(to: file, atomically: true, encoding: .utf8)
            let result = try warden(["import", file.path], server: server, environment: ["WARDEN_CA": certificates.caCertificate.path])
            #expect(result.status == 0, "\(result)")
            #expect(result.stderr.contains("1 created"))
        }
    }

    @Test func plaintextToTheTLSPortNeverGetsOK() throws {
        let certificates = try TestCertificates()
        defer { certificates.remove() }
        let server = try WardenProcess(arguments: certificates.serveArguments)
        defer { server.stop() }
        let connection = try LineConnection(port: server.linePort, timeout: 3)
        try connection.write("AUTH admin \(WardenProcess.adminPassword)\nPING\n")
        var lines: [String] = []
        while let line = try? connection.readLine() { lines.append(line) }
        #expect(!lines.contains { $0.hasPrefix("OK") }, "\(lines)")

        let cli = try warden(["cli", "PING"], server: server)
        #expect(cli.status == 2, "\(cli)")
        #expect(cli.stdout.isEmpty)
    }

    @Test func cliRefusesACertificateItsTrustRootsDidNotSign() throws {
        let certificates = try TestCertificates()
        defer { certificates.remove() }
        let server = try WardenProcess(arguments: certificates.serveArguments)
        defer { server.stop() }
        let result = try warden(["cli", "--tls", "PING"], server: server)
        #expect(result.status == 2, "\(result)")
        #expect(result.stderr.contains("TLS handshake failed"), "\(result)")
    }

    @Test func cliRefusesACertificateForAnotherName() throws {
        let certificates = try TestCertificates(names: "DNS:other.example")
        defer { certificates.remove() }
        let server = try WardenProcess(arguments: certificates.serveArguments)
        defer { server.stop() }
        let result = try warden(["cli", "--ca", certificates.caCertificate.path, "PING"], server: server)
        #expect(result.status == 2, "\(result)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("certificate is not for the host dialled"), "\(result)")
    }

    @Test(.enabled(if: TestCertificates.curl != nil, "needs the curl CLI"))
    func healthzAnswersOverHTTPSToCurlTrustingTheCA() throws {
        let certificates = try TestCertificates()
        defer { certificates.remove() }
        let server = try WardenProcess(arguments: certificates.serveArguments)
        defer { server.stop() }
        let curl = URL(fileURLWithPath: try #require(TestCertificates.curl))
        let result = try run(curl, ["-sS", "--max-time", "10", "-w", " %{http_code}", "--cacert", certificates.caCertificate.path,
                                    "https://localhost:\(server.httpPort)/healthz"])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.hasSuffix(" 200"), "\(result)")
        let plain = try run(curl, ["-sS", "--max-time", "10", "http://127.0.0.1:\(server.httpPort)/healthz"])
        #expect(plain.status != 0 || !plain.stdout.contains("ok"), "\(plain)")
    }

    @Test func serveRefusesAPublicAddressWithoutTLSAndSaysWhy() throws {
        let data = WardenProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: data) }
        let result = try warden(["serve", "--data", data.path, "--listen", "0.0.0.0:0", "--http", "127.0.0.1:0"], server: nil)
        #expect(result.status != 0)
        #expect(result.stderr.contains("refusing to listen on 0.0.0.0 without TLS"), "\(result)")
        #expect(!FileManager.default.fileExists(atPath: data.path))
    }

    @Test func serveStartsOnAPublicAddressWithInsecurePlaintext() throws {
        let server = try WardenProcess(arguments: ["--listen", "0.0.0.0:0", "--insecure-plaintext"])
        defer { server.stop() }
        let result = try warden(["cli", "PING"], server: server)
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout == "OK PONG\n")
    }
}

import Foundation

/// A throwaway CA and a server certificate it signed, made with the `openssl` CLI
/// in a temporary directory (removed by `remove()`).
struct TestCertificates {
    let directory: URL
    var caCertificate: URL { directory.appendingPathComponent("ca.pem") }
    var serverCertificate: URL { directory.appendingPathComponent("server.pem") }
    var serverKey: URL { directory.appendingPathComponent("server.key") }

    static let openssl = ["/usr/bin/openssl", "/usr/local/bin/openssl", "/opt/homebrew/bin/openssl"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }
    static let curl = ["/usr/bin/curl", "/usr/local/bin/curl"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// - Parameter names: the server certificate's subjectAltName entries.
    init(names: String = "DNS:localhost,IP:127.0.0.1") throws {
        directory = WardenProcess.temporaryDirectory("tls")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let extensions = directory.appendingPathComponent("server.ext")
        try "subjectAltName=\(names)\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n"
            .write(to: extensions, atomically: true, encoding: .utf8)
        let p256 = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]
        try openssl(["req", "-x509"] + p256 + ["-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=Warden Test CA",
                     "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
        try openssl(["req"] + p256 + ["-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=warden test server"])
        try openssl(["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                     "-out", "server.pem", "-days", "2", "-extfile", "server.ext"])
    }

    private func openssl(_ arguments: [String]) throws {
        let result = try run(URL(fileURLWithPath: TestCertificates.openssl ?? "openssl"), arguments, directory: directory)
        guard result.status == 0 else { throw TestCertificatesError.openssl(arguments.first ?? "", result.stderr) }
    }

    /// `warden serve` arguments that put both ports on TLS with this certificate.
    var serveArguments: [String] { ["--tls-cert", serverCertificate.path, "--tls-key", serverKey.path] }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }
}

enum TestCertificatesError: Error {
    case openssl(String, String)
}

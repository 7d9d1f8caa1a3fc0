import NIOCore
import NIOSSL

/// TLS for a client connection: TLS 1.2 or later, the server's certificate checked
/// against the trust roots (the system's, or a CA file), and its name checked
/// against the host that was dialled (an IP address is checked against the
/// certificate's IP addresses).
public struct ClientTLS: Sendable {
    let context: NIOSSLContext

    /// - Parameter caFile: a PEM file of the certificates to trust instead of the
    ///   system's roots (a private CA).
    public init(caFile: String? = nil) throws {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        configuration.certificateVerification = .fullVerification
        if let caFile {
            let certificates: [NIOSSLCertificate]
            do {
                certificates = try NIOSSLCertificate.fromPEMFile(caFile)
            } catch {
                throw ClientError.tlsConfiguration("cannot read CA certificates from \(caFile): \(error)")
            }
            guard !certificates.isEmpty else { throw ClientError.tlsConfiguration("no certificate in \(caFile)") }
            configuration.trustRoots = .certificates(certificates)
        }
        do {
            context = try NIOSSLContext(configuration: configuration)
        } catch {
            throw ClientError.tlsConfiguration("\(error)")
        }
    }

    /// The name to send for SNI and to verify: a host name, never an IP address
    /// (NIOSSL then verifies the address the socket is connected to).
    static func serverName(for host: String) -> String? {
        if (try? SocketAddress(ipAddress: host, port: 0)) != nil { return nil }
        return host
    }
}

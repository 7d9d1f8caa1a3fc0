import NIOSSL

/// Where and how the server listens (SPEC §1, §2).
public struct ServerConfiguration: Sendable {
    public var lineHost = "127.0.0.1"
    public var linePort = 7400
    public var httpHost = "127.0.0.1"
    public var httpPort = 7401
    /// Both ports use TLS when set.
    public var tls: NIOSSLContext?
    public var maximumConnections = 1024
    /// Line-protocol connections from one client address beyond this get `ERR BUSY`,
    /// so that one address cannot take every slot.
    public var maximumConnectionsPerSource = 64
    /// A connection that has not authenticated is closed this long after it opened or
    /// after its last credential attempt (`AUTH`, `LOGIN`, `ACTIVATE`), whatever else
    /// it sends: `PING`s and empty lines do not keep it open.
    public var unauthenticatedIdleSeconds: Int64 = 60
    /// An authenticated connection is closed after this long without a line.
    public var authenticatedIdleSeconds: Int64 = 15 * 60
    /// Output waiting for a client beyond this pauses its connection…
    public var outputHighWaterMark = 1 << 20
    /// …and a connection paused this long (its client not reading) is closed.
    public var stalledOutputSeconds: Int64 = 10
    /// Requests read but not yet answered, past which the server stops reading.
    public var maximumQueuedRequests = 1024
    /// Open HTTP connections beyond this are answered `503` and closed.
    public var maximumHTTPConnections = 512
    /// An HTTP connection is closed when no whole request arrives this long after it
    /// opened or after its previous response.
    public var httpIdleSeconds: Int64 = 30
    public var threads = 2
    /// The address clients reach the HTTP port by (`--public-url`, no trailing `/`);
    /// nil: the listener's own.
    public var publicURL: String?

    public init() {}

    /// Builds a TLS context (TLS 1.2 or later) from PEM files.
    public static func tlsContext(certificatePath: String, keyPath: String) throws -> NIOSSLContext {
        let certificates = try NIOSSLCertificate.fromPEMFile(certificatePath).map { NIOSSLCertificateSource.certificate($0) }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: certificates, privateKey: .privateKey(try NIOSSLPrivateKey(file: keyPath, format: .pem)))
        configuration.minimumTLSVersion = .tlsv12
        return try NIOSSLContext(configuration: configuration)
    }
}

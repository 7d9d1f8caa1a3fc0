import Logging
import NIOSSL
import PostgresNIO
import Synchronization

/// Makes the node's dedicated connections to the cluster's database (the writer's and
/// the change feed's, which live longer than a pooled connection's turn), with the URL's
/// `sslmode` and the password from `$WARDEN_POSTGRES_PASSWORD`.
struct PostgresConnector: Sendable {
    let url: PostgresURL
    let password: String?
    let logger: Logger
    private static let nextID = Atomic<Int>(1)

    init(url: PostgresURL, password: String?, logger: Logger) {
        self.url = url
        self.password = password
        self.logger = logger
    }

    func connect(purpose: String) async throws -> PostgresConnection {
        try await connectFuture(purpose: purpose).get()
    }

    /// The same, as a future on one of postgres-nio's event loops: for the writer's
    /// thread, which waits on it without needing a thread of Swift's cooperative pool
    /// (blocked threads of that pool — a test or a shutdown closing stores — would
    /// otherwise leave none to run the connect, and both would wait for ever).
    func connectFuture(purpose: String) throws -> EventLoopFuture<PostgresConnection> {
        var configuration = PostgresConnection.Configuration(
            host: url.host, port: url.port, username: url.user, password: password, database: url.database,
            tls: try Self.tls(url))
        configuration.options.connectTimeout = .seconds(3)
        // A node that stops (hangs, loses its host or its network) while it holds the
        // cluster's write lock must not stop the others for long: the server ends its
        // session after 10 s idle inside a transaction, and notices a vanished peer by
        // TCP keepalives within about 25 s, instead of hours with the system's defaults.
        configuration.options.additionalStartupParameters = [
            ("idle_in_transaction_session_timeout", "10000"),
            ("tcp_keepalives_idle", "10"), ("tcp_keepalives_interval", "5"), ("tcp_keepalives_count", "3"),
        ]
        var logger = logger
        logger[metadataKey: "postgres.purpose"] = "\(purpose)"
        return PostgresConnection.connect(
            on: PostgresConnection.defaultEventLoopGroup.any(), configuration: configuration,
            id: Self.nextID.add(1, ordering: .relaxed).oldValue, logger: logger)
    }

    private static func tls(_ url: PostgresURL) throws -> PostgresConnection.Configuration.TLS {
        switch url.sslMode {
        case .disable: return .disable
        case .prefer: return .prefer(try NIOSSLContext(configuration: url.tlsConfiguration))
        case .require, .verifyFull: return .require(try NIOSSLContext(configuration: url.tlsConfiguration))
        }
    }
}

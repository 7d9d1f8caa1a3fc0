import Logging
import NIOSSL
import PostgresNIO
import ServiceLifecycle

/// The PostgreSQL database that a cluster's nodes share: a postgres-nio connection
/// pool for one URL.
///
/// The pool does its work in `run()`, a service of `warden serve`'s group (or a task
/// of a test): queries wait for a connection until it runs.
public final class ClusterDatabase: Sendable, Service {
    public let url: PostgresURL
    public let client: PostgresClient
    let logger: Logger

    /// `password` comes from `$WARDEN_POSTGRES_PASSWORD`, never from the URL.
    public init(url: PostgresURL, password: String?, maximumConnections: Int = 8, logger: Logger) {
        self.url = url
        self.logger = logger
        var configuration = PostgresClient.Configuration(
            host: url.host, port: url.port, username: url.user, password: password, database: url.database,
            tls: Self.tls(url))
        configuration.options.maximumConnections = maximumConnections
        configuration.options.connectTimeout = .seconds(5)
        // The pool's own chatter (a lease asked for a moment before `run()` starts, each
        // failed reconnection during an outage) stays out of the log; the store logs
        // what an operator needs once.
        var background = logger
        background.logLevel = .error
        client = PostgresClient(configuration: configuration, backgroundLogger: background)
    }

    public func run() async {
        await client.run()
    }

    private static func tls(_ url: PostgresURL) -> PostgresClient.Configuration.TLS {
        switch url.sslMode {
        case .disable: return .disable
        case .prefer: return .prefer(url.tlsConfiguration)
        case .require, .verifyFull: return .require(url.tlsConfiguration)
        }
    }
}

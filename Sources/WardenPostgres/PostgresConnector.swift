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
        var configuration = PostgresConnection.Configuration(
            host: url.host, port: url.port, username: url.user, password: password, database: url.database,
            tls: try Self.tls(url))
        configuration.options.connectTimeout = .seconds(3)
        var logger = logger
        logger[metadataKey: "postgres.purpose"] = "\(purpose)"
        return try await PostgresConnection.connect(
            configuration: configuration, id: Self.nextID.add(1, ordering: .relaxed).oldValue, logger: logger)
    }

    private static func tls(_ url: PostgresURL) throws -> PostgresConnection.Configuration.TLS {
        switch url.sslMode {
        case .disable: return .disable
        case .prefer: return .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
        case .require:
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.certificateVerification = .none
            return .require(try NIOSSLContext(configuration: configuration))
        case .verifyFull: return .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
    }
}

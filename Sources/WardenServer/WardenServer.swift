import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import ServiceLifecycle
import WardenService

/// The network edges of Warden: the line protocol and the HTTP side, on one
/// event-loop group. Commands that hash or write leave the loops (see `Outcome`).
public final class WardenServer: Sendable, Service {
    private let service: WardenService
    private let configuration: ServerConfiguration
    private let group: MultiThreadedEventLoopGroup
    private let tracker: ConnectionTracker
    private let logger: Logger
    private let lineChannel: any Channel
    private let httpChannel: any Channel

    /// The ports actually bound (useful with port 0 in tests).
    public let linePort: Int
    public let httpPort: Int

    public static func start(service: WardenService, configuration: ServerConfiguration, logger: Logger) async throws -> WardenServer {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: configuration.threads)
        let tracker = ConnectionTracker(maximum: configuration.maximumConnections,
                                        maximumPerSource: configuration.maximumConnectionsPerSource)
        let httpTracker = ConnectionTracker(maximum: configuration.maximumHTTPConnections)
        do {
            // HTTP first: the links that `USER INVITE` hands out name its real port, so
            // the service learns it before the line protocol takes any command.
            let http = try await bindHTTP(service, configuration, httpTracker, group)
            service.httpListenerBound(at: WardenServer.listenerURL(
                scheme: configuration.tls == nil ? "http" : "https", host: configuration.httpHost,
                port: http.localAddress?.port ?? configuration.httpPort))
            let line = try await bindLine(service, configuration, tracker, group)
            return WardenServer(service: service, configuration: configuration, group: group, tracker: tracker,
                                logger: logger, line: line, http: http)
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
    }

    private init(service: WardenService, configuration: ServerConfiguration, group: MultiThreadedEventLoopGroup,
                 tracker: ConnectionTracker, logger: Logger, line: any Channel, http: any Channel) {
        self.service = service
        self.configuration = configuration
        self.group = group
        self.tracker = tracker
        self.logger = logger
        self.lineChannel = line
        self.httpChannel = http
        self.linePort = line.localAddress?.port ?? configuration.linePort
        self.httpPort = http.localAddress?.port ?? configuration.httpPort
    }

    private static func bindLine(_ service: WardenService, _ configuration: ServerConfiguration, _ tracker: ConnectionTracker,
                                 _ group: MultiThreadedEventLoopGroup) async throws -> any Channel {
        let tls = configuration.tls
        return try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.writeBufferWaterMark, value: .init(low: configuration.outputHighWaterMark / 2, high: configuration.outputHighWaterMark))
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let handlers = channel.pipeline.syncOperations
                    if let tls { try handlers.addHandler(NIOSSLServerHandler(context: tls)) }
                    let admission = tracker.open(channel)
                    guard admission == .admitted else {
                        try handlers.addHandler(RefuseHandler(admission))
                        return
                    }
                    channel.closeFuture.whenComplete { _ in tracker.closed(channel) }
                    try handlers.addHandler(CommandHandler(service: service, configuration: configuration, tracker: tracker))
                }
            }
            .bind(host: configuration.lineHost, port: configuration.linePort)
            .get()
    }

    private static func bindHTTP(_ service: WardenService, _ configuration: ServerConfiguration, _ tracker: ConnectionTracker,
                                 _ group: MultiThreadedEventLoopGroup) async throws -> any Channel {
        let tls = configuration.tls
        let scheme = tls == nil ? "http" : "https"
        return try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let handlers = channel.pipeline.syncOperations
                    // Counted before TLS: a connection past the limit costs no handshake
                    // (and, under TLS, gets no plaintext answer either: it is just closed).
                    guard tracker.open(channel) == .admitted else {
                        try handlers.addHandler(HTTPRefuseHandler(answers: tls == nil))
                        return
                    }
                    channel.closeFuture.whenComplete { _ in tracker.closed(channel) }
                    if let tls { try handlers.addHandler(NIOSSLServerHandler(context: tls)) }
                    try handlers.configureHTTPServerPipeline(withErrorHandling: true)
                    try handlers.addHandler(HTTPIdleTimeout(timeout: .seconds(configuration.httpIdleSeconds)))
                    try handlers.addHandler(HTTPHandler(
                        service: service, publicURL: configuration.publicURL, scheme: scheme, listenHost: configuration.httpHost))
                }
            }
            .bind(host: configuration.httpHost, port: configuration.httpPort)
            .get()
    }

    /// `scheme://host:port`, an IPv6 host in brackets.
    static func listenerURL(scheme: String, host: String, port: Int) -> String {
        "\(scheme)://\(host.contains(":") ? "[\(host)]" : host):\(port)"
    }

    /// As a service of `warden serve`'s group, started last and stopped first: the
    /// ports answer until graceful shutdown, then drain.
    public func run() async throws {
        try? await gracefulShutdown()
        await shutdown()
    }

    /// Stops accepting, lets in-flight commands finish (up to `grace`), closes every
    /// connection and stops the event loops. The store is closed by the service's own
    /// shutdown, after this.
    public func shutdown(grace: Duration = .seconds(10)) async {
        logger.notice("shutting down: no new connections; finishing in-flight commands")
        try? await lineChannel.close()
        try? await httpChannel.close()
        let clock = ContinuousClock()
        let deadline = clock.now + grace
        while tracker.commandsInFlight > 0, clock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        tracker.closeAll()
        try? await group.shutdownGracefully()
        logger.notice("ports closed")
    }
}

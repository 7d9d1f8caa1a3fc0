import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import WardenCore
import WardenCrypto
import WardenPostgres
import WardenServer
import WardenService
import WardenStore

/// `warden serve` (SPEC §1).
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the Warden server.")

    @Option(help: "Data directory (created mode 0700 on first start).")
    var data = "./warden-data"

    @Option(help: "Line-protocol address, HOST:PORT.")
    var listen = "127.0.0.1:7400"

    @Option(help: "HTTP address (JWKS, introspection, health, metrics, web pages), HOST:PORT.")
    var http = "127.0.0.1:7401"

    @Option(help: "PEM certificate chain: puts both ports on TLS (with --tls-key).")
    var tlsCert: String?

    @Option(help: "PEM private key for --tls-cert.")
    var tlsKey: String?

    @Option(help: "The iss claim of issued tokens.")
    var issuer = "warden"

    @Option(help: "Who must use TOTP MFA with a password: optional, admins (holders of any warden permission) or everyone. Covered users without MFA may only enrol.")
    var mfa = "optional"

    @Option(help: "How clients reach the HTTP port (https://id.example.com), for the URLs Warden hands out. Default: the HTTP listener's own address.")
    var publicUrl: String?

    @Option(help: "The master key (32 random bytes, raw or base64; not readable by others). Default: DATA/master.key, created on first start. Required with --postgres.")
    var masterKeyFile: String?

    @Option(help: "Keep the directory in a PostgreSQL database shared by several nodes: postgres://USER@HOST:PORT/DB[?sslmode=disable|require|verify-full]. The password comes from $WARDEN_POSTGRES_PASSWORD.")
    var postgres: String?

    @Option(help: "scrypt cost as log2(N) (r=8, p=1). 17 is OWASP's minimum; tests may lower it.")
    var scryptLn = 17

    @Option(help: "Default token lifetime (90s, 15m, 8h, 30d).")
    var tokenTtl = "15m"

    @Option(help: "Longest lifetime a request's ttl= may ask for.")
    var tokenMaxTtl = "12h"

    @Option(help: "Signing algorithm of new keys: EdDSA (Ed25519) or ES256.")
    var tokenAlg = "EdDSA"

    @Option(help: "Line-protocol connections beyond this get ERR BUSY.")
    var maxConnections = 1024

    @Option(help: "Line-protocol connections from one client address beyond this get ERR BUSY.")
    var maxConnectionsPerSource = 64

    @Option(help: "Open HTTP connections beyond this are answered 503 and closed.")
    var maxHttpConnections = 512

    @Option(help: "Threads that hash passwords (scrypt), at a lower priority than the event loops. Default: one fewer than the cores, at least one.")
    var hashingThreads: Int?

    @Flag(help: "Allow listening on a non-loopback address without TLS.")
    var insecurePlaintext = false

    // Hidden: the SPEC fixes these limits; the flags exist so that tests need not wait
    // a minute (or fifteen) to see them work.
    @Option(help: .hidden)
    var idleTimeoutUnauthenticated: Int64 = 60

    @Option(help: .hidden)
    var idleTimeoutAuthenticated: Int64 = 900

    @Option(help: .hidden)
    var stalledOutputSeconds: Int64 = 10

    @Option(help: .hidden)
    var httpIdleTimeout: Int64 = 30

    /// Web sessions (SPEC §11): 15 min idle, 8 h in all; seconds, and only shorter.
    @Option(help: .hidden)
    var webIdleTimeout: Int64 = 900

    @Option(help: .hidden)
    var webSessionLifetime: Int64 = 28_800

    func validate() throws {
        guard (1...30).contains(scryptLn) else { throw ValidationError("--scrypt-ln must be from 1 to 30") }
        guard Lifetime.parse(tokenTtl) != nil else { throw ValidationError("--token-ttl must be a duration such as 15m") }
        guard Lifetime.parse(tokenMaxTtl) != nil else { throw ValidationError("--token-max-ttl must be a duration such as 12h") }
        guard SigningAlgorithm(rawValue: tokenAlg) != nil else { throw ValidationError("--token-alg must be EdDSA or ES256") }
        guard MFAPolicy(rawValue: mfa) != nil else { throw ValidationError("--mfa must be optional, admins or everyone") }
        guard (tlsCert == nil) == (tlsKey == nil) else { throw ValidationError("--tls-cert and --tls-key go together") }
        guard maxConnections >= 1 else { throw ValidationError("--max-connections must be at least 1") }
        if let postgres {
            do {
                _ = try PostgresURL(postgres)
            } catch {
                throw ValidationError("--postgres: \(error)")
            }
            guard masterKeyFile != nil else {
                throw ValidationError("--postgres needs --master-key-file: every node of a cluster is given the same master key file")
            }
        }
        if let publicUrl, PublicURL.normalised(publicUrl) == nil {
            throw ValidationError("--public-url must be an http:// or https:// URL without query or fragment, such as https://id.example.com")
        }
        guard maxConnectionsPerSource >= 1 else { throw ValidationError("--max-connections-per-source must be at least 1") }
        guard maxHttpConnections >= 1 else { throw ValidationError("--max-http-connections must be at least 1") }
        if let hashingThreads, !(1...256).contains(hashingThreads) {
            throw ValidationError("--hashing-threads must be from 1 to 256")
        }
        for (value, option) in [(idleTimeoutUnauthenticated, "--idle-timeout-unauthenticated"),
                                (idleTimeoutAuthenticated, "--idle-timeout-authenticated"),
                                (stalledOutputSeconds, "--stalled-output-seconds"),
                                (httpIdleTimeout, "--http-idle-timeout")] where value < 1 {
            throw ValidationError("\(option) must be at least 1 second")
        }
        guard (1...900).contains(webIdleTimeout), (1...28_800).contains(webSessionLifetime) else {
            throw ValidationError("--web-idle-timeout may be from 1 to 900 seconds, --web-session-lifetime from 1 to 28800 (SPEC §11's limits)")
        }
        let (lineHost, _) = try Address.parse(listen, option: "--listen")
        let (httpHost, _) = try Address.parse(http, option: "--http")
        if tlsCert == nil, !insecurePlaintext {
            for host in [lineHost, httpHost] where !Address.isLoopback(host) {
                throw ValidationError("""
                    refusing to listen on \(host) without TLS: passwords and tokens would cross the network in clear. \
                    Give --tls-cert and --tls-key, or --insecure-plaintext if something else encrypts the traffic.
                    """)
            }
        }
    }

    func run() async throws {
        // First, before any thread of ours could read the environment at the same time.
        let bootstrapAdminPassword = EnvironmentSecret.take("WARDEN_ADMIN_PASSWORD")
        let postgresPassword = EnvironmentSecret.take("WARDEN_POSTGRES_PASSWORD")
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .info
            return handler
        }
        let logger = Logger(label: "warden")
        var service = ServiceConfiguration()
        service.issuer = issuer
        service.scrypt = ScryptParameters(ln: scryptLn, r: 8, p: 1)
        service.tokenTTL = Lifetime.parse(tokenTtl) ?? 900
        service.maximumTokenTTL = Lifetime.parse(tokenMaxTtl) ?? 43_200
        service.signingAlgorithm = SigningAlgorithm(rawValue: tokenAlg) ?? .edDSA
        service.bootstrapAdminPassword = bootstrapAdminPassword
        service.mfa = MFAPolicy(rawValue: mfa) ?? .optional
        // One core is left to the event loops (and the writer): see docs/architecture.md.
        service.hashingThreads = hashingThreads ?? max(1, ProcessInfo.processInfo.activeProcessorCount - 1)
        service.version = WardenVersion.current
        // The links Warden hands out (`USER INVITE … link=`); without it, the HTTP
        // listener's own address once bound (WardenServer tells the service).
        service.publicURL = publicUrl.flatMap(PublicURL.normalised)
        service.webIdleSeconds = webIdleTimeout
        service.webLifetimeSeconds = webSessionLifetime

        var server = ServerConfiguration()
        (server.lineHost, server.linePort) = try Address.parse(listen, option: "--listen")
        (server.httpHost, server.httpPort) = try Address.parse(http, option: "--http")
        server.maximumConnections = maxConnections
        server.maximumConnectionsPerSource = maxConnectionsPerSource
        server.maximumHTTPConnections = maxHttpConnections
        server.httpIdleSeconds = httpIdleTimeout
        server.publicURL = publicUrl.flatMap(PublicURL.normalised)
        if publicUrl == nil, ["0.0.0.0", "::"].contains(server.httpHost) {
            logger.warning("no --public-url: invite links name the listener's wildcard address, which no browser can open; give --public-url")
        }
        server.unauthenticatedIdleSeconds = idleTimeoutUnauthenticated
        server.authenticatedIdleSeconds = idleTimeoutAuthenticated
        server.stalledOutputSeconds = stalledOutputSeconds
        server.threads = max(1, ProcessInfo.processInfo.activeProcessorCount)

        // Both ports' connections, and the database's and keys' files besides.
        OpenFileLimit.ensure(maxConnections + maxHttpConnections + 128, logger: logger)

        var opened: OpenedStorage?
        do {
            if let tlsCert, let tlsKey {
                server.tls = try ServerConfiguration.tlsContext(certificatePath: tlsCert, keyPath: tlsKey)
            }
            if let postgres, let masterKeyFile {
                opened = try await PostgresStore.open(
                    url: try PostgresURL(postgres), password: postgresPassword, dataPath: data, masterKeyFile: masterKeyFile,
                    logger: logger)
            } else {
                opened = try SQLiteStore.open(path: data, masterKeyFile: masterKeyFile, logger: logger)
            }
        } catch {
            logger.critical("cannot start", metadata: ["error": "\(PostgresStore.describe(error))"])
            throw ExitCode(1)
        }
        // Handed over, not kept: a copy of the snapshot left here would share the
        // directory's tables with the service, and its first change would copy them whole
        // (hundreds of MiB at a million users).
        // (`opened` is set: the `do` above either sets it or exits.)
        let warden: WardenService
        do {
            warden = try await WardenService.start(opened: opened.take()!, configuration: service, logger: logger)
        } catch {
            logger.critical("cannot start", metadata: ["error": "\(error)"])
            throw ExitCode(1)
        }
        let running: WardenServer
        do {
            running = try await WardenServer.start(service: warden, configuration: server, logger: logger)
        } catch {
            logger.critical("cannot listen", metadata: ["error": "\(error)"])
            warden.shutdown()
            throw ExitCode(1)
        }
        // "warden ready" is said from inside the group, once its signal handlers are
        // installed: a SIGTERM sent on seeing the line is a clean shutdown, never a kill.
        let ready = ClosureService { [server, service, data, running, logger] in
            logger.notice("warden ready", metadata: [
                "line": "\(server.lineHost):\(running.linePort)", "http": "\(server.httpHost):\(running.httpPort)",
                "tls": "\(server.tls != nil)", "data": "\(data)",
                "threads.event_loops": "\(server.threads)", "threads.hashing": "\(service.hashingThreads)",
            ])
            try? await gracefulShutdown()
        }
        // SIGTERM or SIGINT stops the services in reverse order: the ports drain
        // (in-flight commands get 10 s), upkeep stops, then the store closes. Should that
        // ever stall, it is cancelled, and past that the process ends (a crash, not a
        // hang) rather than linger holding the data directory's lock.
        var group = ServiceGroupConfiguration(
            services: [.init(service: warden), .init(service: Maintenance(warden)), .init(service: running), .init(service: ready)],
            gracefulShutdownSignals: [.sigterm, .sigint], cancellationSignals: [], logger: logger)
        group.maximumGracefulShutdownDuration = .seconds(25)
        group.maximumCancellationDuration = .seconds(5)
        do {
            try await ServiceGroup(configuration: group).run()
        } catch {
            logger.critical("stopped on an error", metadata: ["error": "\(error)"])
            throw ExitCode(1)
        }
    }
}

/// `HOST:PORT` (or `[v6]:PORT`).
enum Address {
    static func parse(_ text: String, option: String) throws -> (String, Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65_535).contains(port) else {
            throw ValidationError("\(option) must be HOST:PORT")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw ValidationError("\(option) must be HOST:PORT") }
        return (host, port)
    }

    /// Whether `host` is certainly loopback without asking DNS: `localhost`, or a
    /// literal address in 127.0.0.0/8 (dotted quad) or `::1`. A name such as
    /// `127.evil.example` is not: it is resolved, and could point anywhere.
    static func isLoopback(_ host: String) -> Bool {
        if host.lowercased() == "localhost" { return true }
        var v4 = in_addr()
        if inet_pton(AF_INET, host, &v4) == 1 {
            return UInt32(bigEndian: v4.s_addr) >> 24 == 127
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, host, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { $0.elementsEqual([UInt8](repeating: 0, count: 15) + [1]) }
        }
        return false
    }
}

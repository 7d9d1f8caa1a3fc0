import Logging
import ServiceLifecycle
import Synchronization
import WardenCore
import WardenCrypto
import WardenProtocol
import WardenStore

/// Warden's use cases: every command of the line protocol (and the HTTP side's
/// introspection) with the authorization of its caller.
///
/// Reads are answered from memory on the caller's thread; changes go to the
/// store's single writer, which commits them (with their audit entries), applies
/// them to memory, and only then lets the reply go.
public final class WardenService: Sendable, Service {
    let store: any Storage
    let configuration: ServiceConfiguration
    let logger: Logger
    let state: Mutex<ServiceState>
    let hashing: WorkerPool
    /// Builds the replies that grow with the directory (`WHO`, `USER LIST`, reports), at
    /// a lower priority than the event loops and apart from hashing, so that neither a
    /// login storm delays them nor they the `CHECK`s beside them.
    let scans = WorkerPool(threads: 1, name: "warden-scan", niceness: 5)
    /// Scans holding a copy of the state (see `apply(_:committedAt:)`).
    let scansHoldingState = Atomic<Int>(0)
    let throttle = LoginThrottle()
    let tokenCache = TokenCache()
    public let metrics = Metrics()
    /// The HTTP listener's own address, set once it is bound (see `publicBaseURL`).
    let httpListenerURL = Mutex<String?>(nil)
    /// When each web session was last used on this node (SPEC §11's idle limit): per
    /// node, so that a page view writes nothing (docs/architecture.md, "Web pages").
    let webActivity = Mutex<[String: Timestamp]>([:])

    /// Loads the state of `opened`, bootstraps a new data directory, and makes sure
    /// there is an active signing key.
    public static func start(opened: OpenedStorage, configuration: ServiceConfiguration, logger: Logger) async throws -> WardenService {
        let service = try WardenService(opened: opened, configuration: configuration, logger: logger)
        try await service.bootstrapIfNeeded(isNew: opened.isNew)
        try await service.ensureActiveKey()
        let head = service.store.writer.storageFailure == nil ? await service.auditHead() : nil
        if let head {
            logger.notice("audit chain head", metadata: ["audit.seq": "\(head.seq)", "audit.head": "\(head.head)"])
        }
        return service
    }

    private init(opened: OpenedStorage, configuration: ServiceConfiguration, logger: Logger) throws {
        self.store = opened.store
        self.configuration = configuration
        self.logger = logger
        self.hashing = WorkerPool(threads: configuration.hashingThreads, name: "warden-hash", niceness: configuration.hashingNiceness)
        var state = ServiceState(snapshot: opened.snapshot)
        let now = Timestamp.now()
        for record in opened.snapshot.signingKeys where Keyring.isPublished(record, at: now) {
            guard let algorithm = SigningAlgorithm(rawValue: record.algorithm),
                  let pem = try opened.store.secrets.pem(of: record) else {
                logger.error("signing key missing; tokens it signed cannot be verified", metadata: ["kid": "\(record.kid)"])
                continue
            }
            let signer = try SigningKey(pkcs8PEM: pem, algorithm: algorithm)
            state.keyring.add(Keyring.Entry(record: record, signer: signer))
        }
        self.state = Mutex(state)
        store.writer.setReducer { [weak self] changes, now in self?.apply(changes, committedAt: now) }
        store.writer.setEntryObserver { [weak self] entry in self?.observe(entry) }
    }

    /// Finishes queued changes and closes the database.
    public func shutdown() {
        store.close()
    }

    /// As a service of `warden serve`'s group, the first one started and the last one
    /// stopped: at graceful shutdown, once the ports have drained, it closes the store.
    public func run() async throws {
        try? await gracefulShutdown()
        shutdown()
        logger.notice("stopped; database closed")
    }

    /// Whether storage answers (for `/healthz`).
    public func isHealthy() async -> Bool { await store.isHealthy() }

    // MARK: Dispatch

    /// Answers one request of a connection. A session whose user has been disabled
    /// or deleted since it authenticated falls back to the unauthenticated state.
    public func handle(_ request: Request, session: inout Session) -> Outcome {
        let now = Timestamp.now()
        let (caller, mustEnrol) = sessionCaller(&session, at: now)
        let command = WardenService.commandsByName[request.command]
        guard caller != nil || command?.acceptedBeforeAuth == true else {
            return .reply(.error(.noAuth))
        }
        do {
            guard let command else {
                if Request.commandGroups.contains(request.command) {
                    throw WardenError.syntax("\(request.command) needs a subcommand; try HELP")
                }
                throw WardenError(.unknownCommand, "unknown command; try HELP")
            }
            let context = CommandContext(session: session, caller: caller?.name, callerID: caller?.id, now: now, usage: command.usage)
            if mustEnrol, !WardenService.allowedBeforeEnrolment(command) {
                return deny(context, action: "mfa.enrolment-required", target: command.name.lowercased(),
                            message: "mfa enrolment required")
            }
            return try command.run(self)(context, request.arguments)
        } catch {
            return .reply(.error(error))
        }
    }

    /// The session's user, checked against memory on every request: still there,
    /// enabled, of the same session generation, and still holding the credential the
    /// session was opened with; `nil` (and the session reset to unauthenticated)
    /// otherwise. `mustEnrol`: SPEC §7's `--mfa` applies and their MFA is not on yet.
    func sessionCaller(_ session: inout Session, at now: Timestamp) -> (user: User?, mustEnrol: Bool) {
        let found = session.userID == nil ? nil : state.withLock { sessionUser(&session, in: $0, at: now) }
        if found == nil {
            session.userID = nil
            session.permissions = nil
            session.credential = .password
        }
        return (found?.user, found?.mustEnrol ?? false)
    }

    /// `sessionCaller`'s test, under the state lock: the session's user while it is
    /// active, of the session's generation and still holding its credential, with the
    /// session's permissions brought up to date; `nil` when the session no longer holds.
    func sessionUser(_ session: inout Session, in state: ServiceState, at now: Timestamp) -> (user: User, mustEnrol: Bool)? {
        guard let id = session.userID, let user = state.directory.user(id: id), user.status == .active,
              user.sessionGeneration == session.generation,
              state.holds(session.credential, of: id, at: now) else { return nil }
        if session.permissions?.isCurrent(userID: id, revision: state.revision, at: now) != true {
            session.permissions = CallerPermissions(userID: id, name: user.name, in: state, at: now)
        }
        // SPEC §7: a password session of a user whom `--mfa` covers, until their
        // MFA is on (API keys and tokens are not asked for a code).
        var mustEnrol = false
        let policy = configuration.mfa
        if policy != .optional, session.credential == .password, !state.mfaIsOn(id) {
            mustEnrol = policy.requiresMFA(holdsWarden: session.permissions?.holdsAny == true)
        }
        return (user, mustEnrol)
    }

    /// What a session that must enrol MFA first may still send (SPEC §7).
    static func allowedBeforeEnrolment(_ command: Command) -> Bool {
        command.name.hasPrefix("MFA ") || ["HELLO", "PING", "HELP", "QUIT", "PASSWD"].contains(command.name)
    }

    func hello(_ context: CommandContext, _ words: [Word]) -> Outcome {
        var words: [Reply.Field] = [
            .pair("server", "warden"), .pair("version", configuration.version), .pair("proto", "1"),
            .pair("user", context.caller ?? "none"),
        ]
        // SPEC §6: a node that lost its database says so, and answers reads from memory.
        if store.isDegraded { words.append(.pair("degraded", "true")) }
        return .reply(.ok(words))
    }

    /// `SYNC` (SPEC §6): once this node has applied every change committed anywhere
    /// before the request arrived, `OK rev=N`; at most 5 s.
    func sync(_ context: CommandContext, _ words: [Word]) throws(WardenError) -> Outcome {
        _ = try Arguments(words, count: 0...0, usage: context.usage)
        return .later { [self] in
            do {
                let revision = try await store.sync(timeout: .seconds(5))
                return .ok(.pair("rev", String(revision)))
            } catch {
                return .error(error)
            }
        }
    }
}

/// Who asks, from where, and when: fixed when the request is read.
struct CommandContext: Sendable {
    var session: Session
    /// The authenticated, enabled user, or `nil`.
    var caller: String?
    var callerID: Int64?
    var now: Timestamp
    /// The command's usage line from `WardenService.commands`, for `ERR SYNTAX`.
    var usage: String

    var source: String { session.source }

    /// Whether the caller holds `warden <permission>` at this request's instant.
    func holds(_ permission: BuiltIn.Permission) -> Bool {
        caller != nil && session.permissions?.holds(permission) == true
    }
}

extension Reply {
    /// `ERR CODE message` for a use-case error: the one place where the use cases'
    /// codes become the protocol's.
    public static func error(_ error: WardenError) -> Reply {
        .error(ErrorCode(error.code), error.message)
    }

    /// Any other error is an internal one; its text stays in the server's log.
    static func error(_ error: any Error) -> Reply {
        if let error = error as? WardenError { return .error(error) }
        return .error(.internalError("internal error"))
    }
}

extension ErrorCode {
    init(_ code: WardenError.Code) {
        switch code {
        case .syntax: self = .syntax
        case .unknownCommand: self = .unknownCommand
        case .noAuth: self = .noAuth
        case .forbidden: self = .forbidden
        case .authFailed: self = .authFailed
        case .notFound: self = .notFound
        case .exists: self = .exists
        case .invalid: self = .invalid
        case .conflict: self = .conflict
        case .tooLong: self = .tooLong
        case .busy: self = .busy
        case .unavailable: self = .unavailable
        case .internalError: self = .internalError
        case .mfaRequired: self = .mfaRequired
        }
    }
}

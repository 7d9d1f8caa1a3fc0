import Logging
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
public final class WardenService: Sendable {
    let store: Store
    let configuration: ServiceConfiguration
    let logger: Logger
    let state: Mutex<ServiceState>
    let hashing: WorkerPool
    let throttle = LoginThrottle()
    let tokenCache = TokenCache()
    public let metrics = Metrics()

    /// Loads the state of `opened`, bootstraps a new data directory, and makes sure
    /// there is an active signing key.
    public static func start(opened: Store.Opened, configuration: ServiceConfiguration, logger: Logger) async throws -> WardenService {
        let service = try WardenService(opened: opened, configuration: configuration, logger: logger)
        try await service.bootstrapIfNeeded(isNew: opened.isNew)
        try await service.ensureActiveKey()
        service.startMaintenance()
        let head = service.store.writer.storageFailure == nil ? await service.auditHead() : nil
        if let head {
            logger.notice("audit chain head", metadata: ["audit.seq": "\(head.seq)", "audit.head": "\(head.head)"])
        }
        return service
    }

    private init(opened: Store.Opened, configuration: ServiceConfiguration, logger: Logger) throws {
        self.store = opened.store
        self.configuration = configuration
        self.logger = logger
        self.hashing = WorkerPool(threads: configuration.hashingThreads, name: "warden-hash", niceness: configuration.hashingNiceness)
        var state = ServiceState(snapshot: opened.snapshot)
        let now = Timestamp.now()
        for record in opened.snapshot.signingKeys where Keyring.isPublished(record, at: now) {
            guard let algorithm = SigningAlgorithm(rawValue: record.algorithm),
                  let pem = opened.store.dataDirectory.readFile("keys/\(record.kid).pem") else {
                logger.error("signing key file missing; tokens it signed cannot be verified", metadata: ["kid": "\(record.kid)"])
                continue
            }
            let signer = try SigningKey(pkcs8PEM: pem, algorithm: algorithm)
            state.keyring.add(Keyring.Entry(record: record, signer: signer))
        }
        self.state = Mutex(state)
    }

    /// Finishes queued changes and closes the database.
    public func shutdown() {
        store.close()
    }

    /// Whether storage answers (for `/healthz`).
    public func isHealthy() async -> Bool { await store.isHealthy() }

    // MARK: Dispatch

    /// Commands accepted before `AUTH` (SPEC §2.1).
    static let preAuthCommands: Set<String> = ["HELLO", "PING", "AUTH", "LOGIN", "ACTIVATE", "HELP", "QUIT"]

    /// Answers one request of a connection. A session whose user has been disabled
    /// or deleted since it authenticated falls back to the unauthenticated state.
    public func handle(_ request: Request, session: inout Session) -> Outcome {
        let now = Timestamp.now()
        let caller = session.userID.flatMap { id in
            state.withLock { state -> User? in
                guard let user = state.directory.user(id: id), user.status == .active,
                      user.sessionGeneration == session.generation,
                      state.holds(session.credential, of: id, at: now) else { return nil }
                if session.permissions?.isCurrent(userID: id, revision: state.revision, at: now) != true {
                    session.permissions = CallerPermissions(userID: id, name: user.name, in: state, at: now)
                }
                return user
            }
        }
        if caller == nil {
            session.userID = nil
            session.permissions = nil
            session.credential = .password
        }
        let context = CommandContext(session: session, caller: caller?.name, callerID: caller?.id, now: now)
        guard caller != nil || WardenService.preAuthCommands.contains(request.command) else {
            return .reply(.error(.noAuth))
        }
        do {
            return try dispatch(request, context)
        } catch {
            return .reply(.error(error))
        }
    }

    private func dispatch(_ request: Request, _ context: CommandContext) throws(WardenError) -> Outcome {
        let words = request.arguments
        switch request.command {
        case "HELLO": return hello(context, words)
        case "PING": return .reply(.ok("PONG"))
        case "QUIT": return .now(.ok("bye"), .close)
        case "HELP": return try help(words)
        case "AUTH": return try authenticate(context, words)
        case "LOGIN": return try login(context, words)
        case "ACTIVATE": return try activate(context, words)
        case "PASSWD": return try changeOwnPassword(context, words)

        case "USER ADD": return try addUser(context, words)
        case "USER SET": return try setUser(context, words)
        case "USER PASSWD": return try setPassword(context, words)
        case "USER SHOW": return try showUser(context, words)
        case "USER LIST": return try listUsers(context, words)
        case "USER DISABLE": return try disableUser(context, words)
        case "USER ENABLE": return try enableUser(context, words)
        case "USER DELETE": return try deleteUser(context, words)
        case "USER INVITE": return try inviteUser(context, words)

        case "SYSTEM ADD": return try addSystem(context, words)
        case "SYSTEM SET": return try setSystem(context, words)
        case "SYSTEM SHOW": return try showSystem(context, words)
        case "SYSTEM LIST": return try listSystems(context, words)
        case "SYSTEM DELETE": return try deleteSystem(context, words)

        case "ROLE ADD": return try addRole(context, words)
        case "ROLE SHOW": return try showRole(context, words)
        case "ROLE LIST": return try listRoles(context, words)
        case "ROLE DELETE": return try deleteRole(context, words)
        case "ROLE GRANT": return try changeRoleEntitlement(context, words, adding: true)
        case "ROLE REVOKE": return try changeRoleEntitlement(context, words, adding: false)
        case "ROLE INCLUDE": return try changeRoleInclusion(context, words, including: true)
        case "ROLE EXCLUDE": return try changeRoleInclusion(context, words, including: false)

        case "GRANT": return try grant(context, words)
        case "REVOKE": return try revoke(context, words)
        case "CHECK": return try check(context, words)
        case "ACCESS": return try access(context, words)
        case "WHO": return try who(context, words)

        case "TOKEN ISSUE": return try issueToken(context, words)
        case "TOKEN REVOKE": return try revokeToken(context, words)
        case "VALIDATE": return try validate(context, words)
        case "KEY ROTATE": return try rotateKey(context, words)
        case "KEY LIST": return try listKeys(context, words)
        case "APIKEY CREATE": return try createAPIKey(context, words)
        case "APIKEY LIST": return try listAPIKeys(context, words)
        case "APIKEY REVOKE": return try revokeAPIKey(context, words)

        case "AUDIT": return try audit(context, words)
        case "AUDIT VERIFY": return try verifyAudit(context, words)
        default:
            if Request.commandGroups.contains(request.command) {
                throw .syntax("\(request.command) needs a subcommand; try HELP")
            }
            throw WardenError(.unknownCommand, "unknown command; try HELP")
        }
    }

    private func hello(_ context: CommandContext, _ words: [Word]) -> Outcome {
        .reply(.ok(
            .pair("server", "warden"), .pair("version", configuration.version), .pair("proto", "1"),
            .pair("user", context.caller ?? "none")))
    }
}

/// Who asks, from where, and when: fixed when the request is read.
struct CommandContext: Sendable {
    var session: Session
    /// The authenticated, enabled user, or `nil`.
    var caller: String?
    var callerID: Int64?
    var now: Timestamp

    var source: String { session.source }

    /// Whether the caller holds `warden <permission>` at this request's instant.
    func holds(_ permission: BuiltIn.Permission) -> Bool {
        caller != nil && session.permissions?.holds(permission) == true
    }
}

extension Reply {
    /// `ERR CODE message` for a use-case error: the one place that maps them.
    public static func error(_ error: WardenError) -> Reply {
        .error(error.code.rawValue, error.message)
    }

    /// Any other error is an internal one; its text stays in the server's log.
    static func error(_ error: any Error) -> Reply {
        if let error = error as? WardenError { return .error(error) }
        return .error(.internalError("internal error"))
    }
}

import Foundation
import WardenCore
import WardenCrypto
import WardenProtocol
import WardenStore

/// Who is signed in on a request of the web pages (SPEC §11): a live web session's user.
public struct WebCaller: Sendable {
    public let userID: Int64
    public let name: String
    public let displayName: String
    /// `--mfa` covers the user and their MFA is not on: only the MFA setup is reachable.
    public let mustEnrol: Bool
    /// Whether they hold `warden user-admin` (who may open `/admin`).
    public let isUserAdmin: Bool
    /// The client's address: the audit `source` and the throttling key of every action.
    public let source: String
    let digest: String
    let generation: Int
}

/// How a sign-in of the web pages ended.
public enum WebSignIn: Sendable, Equatable {
    /// Signed in: the new session's id, for the cookie (shown nowhere else).
    case signedIn(sessionID: String, mustEnrol: Bool)
    /// The password is right and the user's MFA is on: ask for the code.
    case codeRequired
    /// Any credential failure, one answer for all (no hint whether the user exists).
    case failed
    /// Storage failure: nothing was recorded.
    case unavailable
}

extension WardenService {
    /// A web sign-in: exactly `AUTH user password [otp=CODE]` (the throttle, the same
    /// hashing time for unknown users, the audit entry with `source`), which on
    /// success also starts a session, committed with the audit entry.
    public func webSignIn(username: String, password: String, code: String?, source: String) async -> WebSignIn {
        let id = Base64URL.encode(SecureRandom.bytes(32))
        let result = await attempt(username: username, secret: password, otp: code, source: source, action: "auth",
                                   webSession: WardenService.webSessionDigest(id))
        switch result {
        case .success(_, _, _, let mustEnrol): return .signedIn(sessionID: id, mustEnrol: mustEnrol)
        case .mfaRequired: return .codeRequired
        // A web sign-in asks for no token: `tokenRefused` cannot happen; it fails.
        case .failure, .tokenRefused: return .failed
        case .unavailable: return .unavailable
        }
    }

    /// The caller of a request carrying session id `sessionID`, while the session lives:
    /// its user exists and is active, it began less than the lifetime ago and was used
    /// on this node less than the idle limit ago (its start counts as a use). Every
    /// such request counts as a use. Nil once it has ended, for good.
    public func webCaller(sessionID: String, source: String) -> WebCaller? {
        let digest = WardenService.webSessionDigest(sessionID)
        let now = Timestamp.now()
        let policy = configuration.mfa
        let found = state.withLock { state -> (WebSession, User, mustEnrol: Bool, userAdmin: Bool)? in
            guard let session = state.webSessions[digest], let user = state.directory.user(id: session.userID),
                  user.status == .active else { return nil }
            let permissions = state.directory.wardenPermissions(of: user.name, at: now)
            let mustEnrol = policy != .optional && !state.mfaIsOn(user.id) && policy.requiresMFA(holdsWarden: !permissions.isEmpty)
            return (session, user, mustEnrol, permissions.contains(BuiltIn.Permission.userAdmin.rawValue))
        }
        guard let (session, user, mustEnrol, userAdmin) = found,
              now < session.started.adding(seconds: configuration.webLifetimeSeconds) else { return nil }
        let idle = configuration.webIdleSeconds
        let fresh = webActivity.withLock { seen in
            // An expired session is not refreshed: once idle too long, it stays ended here.
            guard now < (seen[digest] ?? session.started).adding(seconds: idle) else { return false }
            seen[digest] = now
            return true
        }
        guard fresh else { return nil }
        return WebCaller(userID: user.id, name: user.name, displayName: user.displayName, mustEnrol: mustEnrol,
                         isUserAdmin: userAdmin, source: source, digest: digest, generation: user.sessionGeneration)
    }

    /// Runs one line-protocol command as the caller, through `handle`: the command's own
    /// permissions, escalation rules, policy, throttling and audit (`source` the client).
    public func run(_ command: String, _ arguments: [Word], as caller: WebCaller) async -> Reply {
        var session = Session(source: caller.source, userID: caller.userID)
        session.generation = caller.generation
        switch handle(Request(command: command, arguments: arguments), session: &session) {
        case .now(let reply, _): return reply
        case .later(let work): return await work().0
        }
    }

    /// Sign-out: the session ends on every node (audited as `web.signout`). Here it ends
    /// at once, even when storage cannot record it.
    public func webSignOut(_ caller: WebCaller) async {
        webActivity.withLock { $0[caller.digest] = Timestamp(milliseconds: 0) }
        let digest = caller.digest
        _ = try? await store.writer.submit(.user(caller.name)) { transaction in
            try transaction.write(.webSessionEnded(digest: digest))
            try transaction.audit(actor: caller.name, source: caller.source, action: "web.signout", target: caller.name)
            return Committed(true)
        }
    }

    /// Forgets the sessions past their lifetime (the maintenance loop).
    func forgetExpiredWebSessions() {
        let cutoff = Timestamp.now().adding(seconds: -configuration.webLifetimeSeconds)
        let live = state.withLock { state in
            state.forgetWebSessions(startedBefore: cutoff)
            return Set(state.webSessions.keys)
        }
        webActivity.withLock { seen in seen = seen.filter { live.contains($0.key) } }
    }

    // MARK: A sign-in waiting for its code

    /// How long the browser may hold a sign-in waiting for its TOTP code.
    static let pendingSignInSeconds: Int64 = 300

    /// The username and password of a sign-in that needs its code, sealed with the
    /// master key for the browser to hold (a cookie) until it sends the code: the code
    /// then goes through the whole `AUTH` again, on any node of a cluster. Bound to the
    /// client's address and good for five minutes.
    public func sealPendingSignIn(username: String, password: String, source: String) -> String? {
        let expires = Timestamp.now().adding(seconds: WardenService.pendingSignInSeconds).milliseconds
        let plaintext = Array("\(expires)\n\(username)\n\(password)".utf8)
        return try? store.secrets.sealWebSignIn(plaintext, context: source)
    }

    /// The username and password of a sealed pending sign-in still good.
    public func openPendingSignIn(_ sealed: String, source: String) -> (username: String, password: String)? {
        guard let bytes = store.secrets.openWebSignIn(sealed, context: source) else { return nil }
        let parts = String(decoding: bytes, as: UTF8.self).split(separator: "\n", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, let expires = Int64(parts[0]), Timestamp.now().milliseconds < expires else { return nil }
        return (String(parts[1]), String(parts[2]))
    }

    static func webSessionDigest(_ id: String) -> String {
        Hex.encode(Digest.sha256(Array(id.utf8)))
    }
}

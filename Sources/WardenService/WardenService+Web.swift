import Synchronization
import WardenCore
import WardenProtocol

/// How an activation from the web page (SPEC §11) ended, in the page's terms.
public enum ActivationResult: Sendable, Equatable {
    case activated(user: String)
    /// The password policy's reason (`ERR INVALID`), to show next to the password field.
    case refusedByPolicy(reason: String)
    /// Anything else: a wrong, used or expired code, an unknown user, storage. One
    /// message for all, as `ACTIVATE` gives one `AUTH-FAILED` for all.
    case failed
}

extension WardenService {
    /// `POST /activate`: exactly the line protocol's `ACTIVATE user code password`, sent
    /// through `handle` as a connection from `source` would send it: the same policy,
    /// throttling by (username, source), hashing on the hashing pool, and audit entry.
    public func activateFromPage(username: String, code: String, password: String, source: String) async -> ActivationResult {
        let request = Request(command: "ACTIVATE", arguments: [
            Word(text: username, quoted: true), Word(text: code, quoted: true), Word(text: password, quoted: true),
        ])
        var session = Session(source: source)
        let reply: Reply
        switch handle(request, session: &session) {
        case .now(let now, _): reply = now
        case .later(let work): reply = await work().0
        }
        switch reply.status {
        case .ok: return .activated(user: Identifier.fold(username))
        case .error(.invalid, let message): return .refusedByPolicy(reason: message)
        default: return .failed
        }
    }

    /// The base of the links Warden hands out (`USER INVITE … link=`): `--public-url`,
    /// else the HTTP listener's own address once it is bound.
    public var publicBaseURL: String? {
        configuration.publicURL ?? httpListenerURL.withLock { $0 }
    }

    /// Called by the server once the HTTP port is bound, with its real address (the
    /// real port, when `--http HOST:0` asked the system for one).
    public func httpListenerBound(at url: String) {
        httpListenerURL.withLock { $0 = url }
    }

    /// `/activate?user=NAME#code=CODE`: the code rides in the fragment, which browsers
    /// never send, so it reaches neither Warden's nor a proxy's request log.
    static func inviteLink(base: String?, user: String, code: String) -> String? {
        base.map { "\($0)/activate?user=\(user)#code=\(code)" }
    }
}

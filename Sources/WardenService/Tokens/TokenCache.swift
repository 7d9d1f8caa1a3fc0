import Synchronization
import WardenCrypto

/// Tokens whose signature has been checked, so that validating the same token
/// again within its lifetime costs no signature check. Only the signature is
/// cached: expiry, revocation and the user's status are checked on every call.
final class TokenCache: Sendable {
    static let capacity = 100_000
    private let entries = Mutex<[String: DecodedJWS]>([:])

    func lookup(_ token: String) -> DecodedJWS? {
        entries.withLock { $0[token] }
    }

    func insert(_ token: String, _ decoded: DecodedJWS) {
        entries.withLock { entries in
            // A full cache starts over: simpler than LRU, and a miss only costs one verify.
            if entries.count >= TokenCache.capacity { entries.removeAll(keepingCapacity: true) }
            entries[token] = decoded
        }
    }
}

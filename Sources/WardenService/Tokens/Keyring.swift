import WardenCore
import WardenCrypto
import WardenStore

/// The signing keys: the active one signs new tokens; retired ones stay published
/// and keep verifying until the last token they signed has expired.
struct Keyring: Sendable {
    struct Entry: Sendable {
        var record: SigningKeyRecord
        var signer: SigningKey
        var verifier: VerifyingKey { signer.verifier }
    }

    var entries: [String: Entry] = [:]
    var activeKid: String?

    var active: Entry? { activeKid.flatMap { entries[$0] } }

    mutating func add(_ entry: Entry) {
        entries[entry.record.kid] = entry
        if entry.record.retired == nil { activeKid = entry.record.kid }
    }

    mutating func retire(kid: String, at time: Timestamp) {
        entries[kid]?.record.retired = time
        if activeKid == kid { activeKid = nil }
    }

    mutating func noteExpiry(kid: String, _ expires: Timestamp) {
        guard let current = entries[kid]?.record.lastExpiry, current < expires else { return }
        entries[kid]?.record.lastExpiry = expires
    }

    /// Whether a key may still verify a live token: active, or retired with a token
    /// that has not yet expired.
    static func isPublished(_ record: SigningKeyRecord, at now: Timestamp) -> Bool {
        record.retired == nil || now < record.lastExpiry
    }

    /// The key that verifies `kid`, if it is still published.
    func verifier(kid: String, at now: Timestamp) -> VerifyingKey? {
        guard let entry = entries[kid], Keyring.isPublished(entry.record, at: now) else { return nil }
        return entry.verifier
    }

    /// Published keys, oldest first.
    func published(at now: Timestamp) -> [Entry] {
        entries.values.filter { Keyring.isPublished($0.record, at: now) }.sorted { $0.record.created < $1.record.created }
    }
}

import WardenCrypto

/// One entry of the audit log as stored: what happened, who did it, from where,
/// and its link in the hash chain.
///
/// Two rules make an entry's hash, over the same canonical content (every field and
/// the previous hash, length-prefixed): the keyed rule, HMAC-SHA256 under the audit
/// key derived from the master key, for every entry from `audit_keying.keyed_from` on;
/// and the plain SHA-256 rule of v1, for the entries an upgraded database had before.
public struct AuditRecord: Sendable, Equatable {
    public enum Result: String, Sendable { case ok, denied, failed }

    public var seq: Int64
    public var time: String
    public var actor: String
    public var source: String
    public var action: String
    public var target: String
    public var detail: String
    public var result: String
    public var previousHash: String
    public var hash: String

    public init(
        seq: Int64, time: String, actor: String, source: String, action: String, target: String,
        detail: String, result: String, previousHash: String, hash: String
    ) {
        self.seq = seq
        self.time = time
        self.actor = actor
        self.source = source
        self.action = action
        self.target = target
        self.detail = detail
        self.result = result
        self.previousHash = previousHash
        self.hash = hash
    }

    /// The hash before the first entry.
    public static let genesisHash = String(repeating: "0", count: 64)

    /// Every field and the previous hash, each length-prefixed so that no two
    /// different entries encode alike.
    static func canonicalContent(
        seq: Int64, time: String, actor: String, source: String, action: String,
        target: String, detail: String, result: String, previousHash: String
    ) -> [UInt8] {
        var input: [UInt8] = []
        for field in [String(seq), time, actor, source, action, target, detail, result, previousHash] {
            input.append(contentsOf: "\(field.utf8.count):".utf8)
            input.append(contentsOf: field.utf8)
            input.append(UInt8(ascii: "\n"))
        }
        return input
    }

    /// The v1 rule: SHA-256 of the canonical content. Anyone can recompute it, so it
    /// only shows accidental damage, not a deliberate rewrite.
    public static func computeHash(
        seq: Int64, time: String, actor: String, source: String, action: String,
        target: String, detail: String, result: String, previousHash: String
    ) -> String {
        Hex.encode(Digest.sha256(canonicalContent(
            seq: seq, time: time, actor: actor, source: source, action: action, target: target,
            detail: detail, result: result, previousHash: previousHash)))
    }

    /// The keyed rule: HMAC-SHA256 of the canonical content under the audit key.
    public static func computeKeyedHash(
        key: HMACKey, seq: Int64, time: String, actor: String, source: String, action: String,
        target: String, detail: String, result: String, previousHash: String
    ) -> String {
        Hex.encode(key.tag(canonicalContent(
            seq: seq, time: time, actor: actor, source: source, action: action, target: target,
            detail: detail, result: result, previousHash: previousHash)))
    }

    /// Whether the stored hash matches the stored content under the plain rule, or,
    /// given `key`, under the keyed rule; compared in constant time.
    public func isSelfConsistent(key: HMACKey? = nil) -> Bool {
        let expected = if let key {
            AuditRecord.computeKeyedHash(
                key: key, seq: seq, time: time, actor: actor, source: source, action: action,
                target: target, detail: detail, result: result, previousHash: previousHash)
        } else {
            AuditRecord.computeHash(
                seq: seq, time: time, actor: actor, source: source, action: action,
                target: target, detail: detail, result: result, previousHash: previousHash)
        }
        return ConstantTime.equals(Array(expected.utf8), Array(hash.utf8))
    }
}

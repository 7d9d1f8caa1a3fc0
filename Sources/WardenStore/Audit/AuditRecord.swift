import WardenCrypto

/// One entry of the audit log as stored: what happened, who did it, from where,
/// and its link in the SHA-256 hash chain.
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

    /// SHA-256 over every field and the previous hash, each length-prefixed so that
    /// no two different entries encode alike.
    public static func computeHash(
        seq: Int64, time: String, actor: String, source: String, action: String,
        target: String, detail: String, result: String, previousHash: String
    ) -> String {
        var input: [UInt8] = []
        for field in [String(seq), time, actor, source, action, target, detail, result, previousHash] {
            input.append(contentsOf: "\(field.utf8.count):".utf8)
            input.append(contentsOf: field.utf8)
            input.append(UInt8(ascii: "\n"))
        }
        return Hex.encode(Digest.sha256(input))
    }

    /// Whether the stored hash matches the stored content.
    public var isSelfConsistent: Bool {
        hash == AuditRecord.computeHash(
            seq: seq, time: time, actor: actor, source: source, action: action,
            target: target, detail: detail, result: result, previousHash: previousHash)
    }
}

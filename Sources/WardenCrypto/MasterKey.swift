/// The master key (SPEC §6): 32 random bytes kept outside the database, from which
/// Warden derives one key per purpose with HKDF-SHA256 and a distinct `info` label,
/// so that no derived key tells anything about another or about the master key.
///
/// It keys the audit chain, proves which key a database was set up with, and seals
/// the secrets kept in the database (private signing keys; MFA secrets next).
/// Its `description` never shows the bytes, so logging it by mistake leaks nothing.
public struct MasterKey: Sendable, CustomStringConvertible, CustomReflectable {
    public static let length = 32

    /// What each derived key is for: one label each, never reused for another purpose.
    public enum Purpose: Sendable {
        /// The HMAC-SHA256 key of the audit chain.
        case auditChain
        /// A public value stored in the database that tells a wrong master key from the
        /// right one at start, without revealing either.
        case keyCheck
        /// The AES-256-GCM key that seals secrets kept in the database (`SecretSealer`).
        case secretSealing

        var info: StaticString {
            switch self {
            case .auditChain: "warden v1 audit-chain hmac-sha256"
            case .keyCheck: "warden v1 master-key check"
            case .secretSealing: "warden v1 secret sealing aes-256-gcm"
            }
        }
    }

    private let bytes: [UInt8]

    /// A key from exactly 32 bytes.
    public init(bytes: [UInt8]) throws {
        guard bytes.count == Self.length else { throw CryptoError.invalidKey }
        self.bytes = bytes
    }

    /// A new random key.
    public static func generate() -> MasterKey {
        // 32 bytes from the DRBG: `init(bytes:)` cannot refuse them.
        try! MasterKey(bytes: SecureRandom.bytes(length))
    }

    /// A key from a key file's contents: the 32 raw bytes, or their base64 (standard or
    /// URL-safe alphabet, padded or not) with optional surrounding white space.
    public init(fileContents: [UInt8]) throws {
        if fileContents.count == Self.length {
            try self.init(bytes: fileContents)
            return
        }
        let spaces: Set<UInt8> = [0x20, 0x09, 0x0A, 0x0D]
        var text = ArraySlice(fileContents)
        while let first = text.first, spaces.contains(first) { text = text.dropFirst() }
        while let last = text.last, spaces.contains(last) { text = text.dropLast() }
        while text.last == UInt8(ascii: "=") { text = text.dropLast() }
        guard let decoded = Base64Codec.standard.decode(text) ?? Base64Codec.url.decode(text) else {
            throw CryptoError.invalidKey
        }
        try self.init(bytes: decoded)
    }

    /// What Warden writes to a new key file: the raw bytes (SPEC §6: 32 random bytes).
    public var fileContents: [UInt8] { bytes }

    /// The key derived for `purpose`.
    public func derive(_ purpose: Purpose) -> [UInt8] {
        // HKDF over a 32-byte key for 32 bytes cannot be refused; it fails only when
        // OpenSSL is unusable, and then no key Warden could go on with would be right.
        do {
            return try HKDF.sha256(key: bytes, info: purpose.info)
        } catch {
            fatalError("HKDF-SHA256 failed: OpenSSL is unusable")
        }
    }

    /// The HMAC key of the audit chain.
    public func auditChainKey() -> HMACKey {
        do {
            return try HMACKey(key: derive(.auditChain))
        } catch {
            fatalError("HMAC-SHA256 could not be keyed: OpenSSL is unusable")
        }
    }

    /// Hex of the key-check value (public; see `Purpose.keyCheck`).
    public var check: String { Hex.encode(derive(.keyCheck)) }

    /// Never the key.
    public var description: String { "MasterKey(redacted)" }
    /// Nor through `dump` or a debugger's mirror.
    public var customMirror: Mirror { Mirror(self, children: []) }
}

/// Time-based one-time passwords (RFC 6238) as authenticator apps make them:
/// HMAC-SHA1 (through EVP) of the 30-second step since the epoch, dynamically
/// truncated (RFC 4226 §5.3) to 6 digits.
///
/// This type only computes and compares codes; which steps a verifier accepts, and
/// that each is accepted once, is the caller's rule (it must be decided where the
/// record of used steps is, in the writer).
public struct TOTP: Sendable {
    /// Seconds in a step (RFC 6238's default, and what `otpauth` URIs say: `period=30`).
    public static let period: Int64 = 30
    /// Bits of a new secret: RFC 4226 §4 recommends 160, the HMAC-SHA1 block's output.
    public static let secretBytes = 20

    private let key: HMACKey
    public let digits: Int

    public init(secret: [UInt8], digits: Int = 6) throws {
        guard (6...8).contains(digits) else { throw CryptoError.invalidParameters }
        key = try HMACKey(key: secret, function: .sha1)
        self.digits = digits
    }

    /// A fresh secret from the CSPRNG.
    public static func newSecret() -> [UInt8] { SecureRandom.bytes(secretBytes) }

    /// The step that `unixSeconds` falls in.
    public static func step(at unixSeconds: Int64) -> Int64 {
        unixSeconds >= 0 ? unixSeconds / period : (unixSeconds - period + 1) / period
    }

    /// The code of `step`, zero-padded to `digits`.
    public func code(step: Int64) -> String {
        var counter = [UInt8](repeating: 0, count: 8)
        for index in 0..<8 { counter[7 - index] = UInt8(truncatingIfNeeded: UInt64(bitPattern: step) >> UInt64(index * 8)) }
        let mac = key.tag(counter)
        let offset = Int(mac[mac.count - 1] & 0x0F)
        let binary = (UInt32(mac[offset] & 0x7F) << 24) | (UInt32(mac[offset + 1]) << 16)
            | (UInt32(mac[offset + 2]) << 8) | UInt32(mac[offset + 3])
        var modulus: UInt32 = 1
        for _ in 0..<digits { modulus *= 10 }
        let text = String(binary % modulus)
        return String(repeating: "0", count: digits - text.count) + text
    }

    /// The steps among `steps` whose code is `code`, each compared in constant time
    /// (every candidate is computed and compared, found or not).
    public func steps(matching code: String, among steps: ClosedRange<Int64>) -> [Int64] {
        let given = Array(code.utf8)
        var matching: [Int64] = []
        for step in steps where ConstantTime.equals(Array(self.code(step: step).utf8), given) {
            matching.append(step)
        }
        return matching
    }
}

import COpenSSL

/// HMAC (RFC 2104) under one fixed key, through OpenSSL's `EVP_MAC`: SHA-256 for
/// Warden's own keys (the audit chain), SHA-1 where a standard asks for it (TOTP,
/// RFC 6238's default, which every authenticator app speaks).
///
/// The key is set once, in a template context that is never updated itself; each MAC
/// works on a duplicate of it (`EVP_MAC_CTX_dup`), so callers on several threads share
/// nothing mutable and no call fetches the algorithm or re-keys again.
///
/// `@unchecked Sendable` is sound because the template is immutable after init and
/// freed in `deinit`. The key bytes live only inside OpenSSL, which cleanses them on
/// free; nothing here can print them.
public final class HMACKey: @unchecked Sendable, CustomStringConvertible {
    /// The hash function under the MAC.
    public enum Function: Sendable {
        case sha1, sha256

        /// OpenSSL's name of it (static: `OSSL_PARAM` keeps the pointer).
        var name: StaticString {
            switch self {
            case .sha1: "SHA1"
            case .sha256: "SHA256"
            }
        }

        public var tagLength: Int {
            switch self {
            case .sha1: 20
            case .sha256: 32
            }
        }
    }

    /// Bytes in an HMAC-SHA256 tag.
    public static let tagLength = 32

    public let function: Function
    private let template: OpaquePointer

    /// Keys the MAC with `key` (any length but zero).
    public init(key: [UInt8], function: Function = .sha256) throws {
        self.function = function
        guard !key.isEmpty else { throw CryptoError.invalidKey }
        guard let mac = EVP_MAC_fetch(nil, "HMAC", nil) else { throw OpenSSLError.drain("EVP_MAC_fetch(HMAC)") }
        defer { EVP_MAC_free(mac) }
        guard let context = EVP_MAC_CTX_new(mac) else { throw OpenSSLError.drain("EVP_MAC_CTX_new") }
        // OSSL_PARAM keeps the pointers: static strings outlive the call.
        var parameters = [
            OSSL_PARAM_construct_utf8_string(
                StaticString("digest").cString, UnsafeMutablePointer(mutating: function.name.cString), 0),
            OSSL_PARAM_construct_end(),
        ]
        let status = key.withUnsafeBufferPointer { buffer in
            EVP_MAC_init(context, buffer.baseAddress, buffer.count, &parameters)
        }
        guard status == 1 else {
            EVP_MAC_CTX_free(context)
            throw OpenSSLError.drain("EVP_MAC_init(HMAC)")
        }
        template = context
    }

    deinit { EVP_MAC_CTX_free(template) }

    /// The tag of `message` (`function.tagLength` bytes).
    ///
    /// A keyed MAC over a memory buffer fails only when OpenSSL itself is unusable (out
    /// of memory); a wrong tag would silently corrupt every caller, so, as for
    /// `Digest.sha256`, that case stops the process.
    public func tag(_ message: [UInt8]) -> [UInt8] {
        guard let context = EVP_MAC_CTX_dup(template) else { fatalError("EVP_MAC_CTX_dup failed: OpenSSL is unusable") }
        defer { EVP_MAC_CTX_free(context) }
        var output = [UInt8](repeating: 0, count: function.tagLength)
        var length = 0
        let status = message.withNonNullBytes { pointer, count in
            output.withUnsafeMutableBufferPointer { out in
                EVP_MAC_update(context, pointer, count) == 1
                    && EVP_MAC_final(context, out.baseAddress, &length, out.count) == 1
            }
        }
        guard status, length == function.tagLength else { fatalError("HMAC failed: OpenSSL is unusable") }
        return output
    }

    /// Whether `tag` is the tag of `message`, compared in constant time.
    public func verify(_ tag: [UInt8], of message: [UInt8]) -> Bool {
        ConstantTime.equals(self.tag(message), tag)
    }

    /// Never the key.
    public var description: String { "HMACKey(\(function), redacted)" }
}

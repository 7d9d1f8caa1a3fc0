import COpenSSL

/// HMAC-SHA256 (RFC 2104) under one fixed key, through OpenSSL's `EVP_MAC`.
///
/// The key is set once, in a template context that is never updated itself; each MAC
/// works on a duplicate of it (`EVP_MAC_CTX_dup`), so callers on several threads share
/// nothing mutable and no call fetches the algorithm or re-keys again.
///
/// `@unchecked Sendable` is sound because the template is immutable after init and
/// freed in `deinit`. The key bytes live only inside OpenSSL, which cleanses them on
/// free; nothing here can print them.
public final class HMACKey: @unchecked Sendable, CustomStringConvertible {
    /// Bytes in an HMAC-SHA256 tag.
    public static let tagLength = 32

    private let template: OpaquePointer

    /// Keys the MAC with `key` (any length but zero).
    public init(key: [UInt8]) throws {
        guard !key.isEmpty else { throw CryptoError.invalidKey }
        guard let mac = EVP_MAC_fetch(nil, "HMAC", nil) else { throw OpenSSLError.drain("EVP_MAC_fetch(HMAC)") }
        defer { EVP_MAC_free(mac) }
        guard let context = EVP_MAC_CTX_new(mac) else { throw OpenSSLError.drain("EVP_MAC_CTX_new") }
        // OSSL_PARAM keeps the pointers: static strings outlive the call.
        var parameters = [
            OSSL_PARAM_construct_utf8_string(
                StaticString("digest").cString, UnsafeMutablePointer(mutating: StaticString("SHA256").cString), 0),
            OSSL_PARAM_construct_end(),
        ]
        let status = key.withUnsafeBufferPointer { buffer in
            EVP_MAC_init(context, buffer.baseAddress, buffer.count, &parameters)
        }
        guard status == 1 else {
            EVP_MAC_CTX_free(context)
            throw OpenSSLError.drain("EVP_MAC_init(HMAC-SHA256)")
        }
        template = context
    }

    deinit { EVP_MAC_CTX_free(template) }

    /// The 32-byte tag of `message`.
    ///
    /// A keyed MAC over a memory buffer fails only when OpenSSL itself is unusable (out
    /// of memory); a wrong tag would silently corrupt every caller, so, as for
    /// `Digest.sha256`, that case stops the process.
    public func tag(_ message: [UInt8]) -> [UInt8] {
        guard let context = EVP_MAC_CTX_dup(template) else { fatalError("EVP_MAC_CTX_dup failed: OpenSSL is unusable") }
        defer { EVP_MAC_CTX_free(context) }
        var output = [UInt8](repeating: 0, count: Self.tagLength)
        var length = 0
        let status = message.withNonNullBytes { pointer, count in
            output.withUnsafeMutableBufferPointer { out in
                EVP_MAC_update(context, pointer, count) == 1
                    && EVP_MAC_final(context, out.baseAddress, &length, out.count) == 1
            }
        }
        guard status, length == Self.tagLength else { fatalError("HMAC-SHA256 failed: OpenSSL is unusable") }
        return output
    }

    /// Whether `tag` is the tag of `message`, compared in constant time.
    public func verify(_ tag: [UInt8], of message: [UInt8]) -> Bool {
        ConstantTime.equals(self.tag(message), tag)
    }

    /// Never the key.
    public var description: String { "HMACKey(SHA-256, redacted)" }
}

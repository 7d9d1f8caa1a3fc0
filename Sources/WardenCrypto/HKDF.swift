import COpenSSL

/// HKDF-SHA256 (RFC 5869) through OpenSSL's `EVP_KDF`: one secret in, independent
/// keys out, one for each `info` label.
public enum HKDF {
    /// Derives `length` bytes (1…255·32) from `key` for the purpose named by `info`.
    /// No salt: the input is already a uniformly random key (RFC 5869 §3.1).
    public static func sha256(key: [UInt8], info: StaticString, length: Int = 32) throws -> [UInt8] {
        guard !key.isEmpty, (1...(255 * 32)).contains(length) else { throw CryptoError.invalidParameters }
        // OSSL_PARAM keeps pointers: the key is copied into memory that outlives the
        // derive call and is cleansed after it; the label is a static string.
        let keyCopy = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: key.count)
        defer {
            OPENSSL_cleanse(keyCopy.baseAddress, keyCopy.count)
            keyCopy.deallocate()
        }
        _ = keyCopy.initialize(from: key)
        var parameters = [
            OSSL_PARAM_construct_utf8_string(
                StaticString("digest").cString, UnsafeMutablePointer(mutating: StaticString("SHA256").cString), 0),
            OSSL_PARAM_construct_octet_string(StaticString("key").cString, keyCopy.baseAddress, keyCopy.count),
            OSSL_PARAM_construct_octet_string(
                StaticString("info").cString, UnsafeMutableRawPointer(mutating: info.utf8Start), info.utf8CodeUnitCount),
            OSSL_PARAM_construct_end(),
        ]
        return try KeyDerivation.derive("HKDF", length: length, parameters: &parameters)
    }
}

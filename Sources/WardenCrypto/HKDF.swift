import COpenSSL

/// HKDF-SHA256 (RFC 5869) through OpenSSL's `EVP_KDF`: one secret in, independent
/// keys out, one for each `info` label.
public enum HKDF {
    /// Derives `length` bytes (1…255·32) from `key` for the purpose named by `info`.
    /// No salt: the input is already a uniformly random key (RFC 5869 §3.1).
    public static func sha256(key: [UInt8], info: StaticString, length: Int = 32) throws -> [UInt8] {
        guard !key.isEmpty, (1...(255 * 32)).contains(length) else { throw CryptoError.invalidParameters }
        guard let kdf = EVP_KDF_fetch(nil, "HKDF", nil) else { throw OpenSSLError.drain("EVP_KDF_fetch(HKDF)") }
        defer { EVP_KDF_free(kdf) }
        guard let context = EVP_KDF_CTX_new(kdf) else { throw OpenSSLError.drain("EVP_KDF_CTX_new") }
        defer { EVP_KDF_CTX_free(context) }
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
        var output = [UInt8](repeating: 0, count: length)
        let status = output.withUnsafeMutableBufferPointer { buffer in
            EVP_KDF_derive(context, buffer.baseAddress, length, &parameters)
        }
        guard status == 1 else { throw OpenSSLError.drain("EVP_KDF_derive(HKDF)") }
        return output
    }
}

import COpenSSL

/// One run of an OpenSSL key-derivation function (`EVP_KDF`, by name: `HKDF`,
/// `SCRYPT`), shared by `HKDF` and `Scrypt`, which build its parameters.
enum KeyDerivation {
    /// Derives `length` bytes. `parameters` hold pointers that must stay valid until
    /// this returns.
    static func derive(_ name: StaticString, length: Int, parameters: inout [OSSL_PARAM]) throws -> [UInt8] {
        guard let kdf = EVP_KDF_fetch(nil, name.cString, nil) else { throw OpenSSLError.drain("EVP_KDF_fetch(\(name))") }
        defer { EVP_KDF_free(kdf) }
        guard let context = EVP_KDF_CTX_new(kdf) else { throw OpenSSLError.drain("EVP_KDF_CTX_new") }
        defer { EVP_KDF_CTX_free(context) }
        var output = [UInt8](repeating: 0, count: length)
        let status = output.withUnsafeMutableBufferPointer { buffer in
            EVP_KDF_derive(context, buffer.baseAddress, length, &parameters)
        }
        guard status == 1 else { throw OpenSSLError.drain("EVP_KDF_derive(\(name))") }
        return output
    }
}

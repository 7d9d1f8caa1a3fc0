import COpenSSL

/// Operations on raw `EVP_PKEY` handles shared by `SigningKey` and `VerifyingKey`.
///
/// Kept in one place so that key-type checks, signing and verification follow
/// exactly the same rules for keys from every source (generated, PEM, raw bytes).
enum EVPKey {
    /// Generates a fresh key pair for `algorithm`. The caller owns the result.
    static func generate(_ algorithm: SigningAlgorithm) throws -> OpaquePointer {
        let typeName = algorithm == .edDSA ? "ED25519" : "EC"
        guard let context = EVP_PKEY_CTX_new_from_name(nil, typeName, nil) else {
            throw OpenSSLError.drain("EVP_PKEY_CTX_new_from_name")
        }
        defer { EVP_PKEY_CTX_free(context) }
        guard EVP_PKEY_keygen_init(context) == 1 else { throw OpenSSLError.drain("EVP_PKEY_keygen_init") }
        if algorithm == .es256, EVP_PKEY_CTX_set_group_name(context, "P-256") != 1 {
            throw OpenSSLError.drain("EVP_PKEY_CTX_set_group_name")
        }
        var key: OpaquePointer?
        guard EVP_PKEY_generate(context, &key) == 1, let key else {
            throw OpenSSLError.drain("EVP_PKEY_generate")
        }
        return key
    }

    /// True if `key` is of the type `algorithm` needs: Ed25519, or EC on the named
    /// curve P-256 (an EC key on another curve, or with explicit parameters, is not
    /// an ES256 key).
    static func matches(_ key: OpaquePointer, _ algorithm: SigningAlgorithm) -> Bool {
        switch algorithm {
        case .edDSA:
            return EVP_PKEY_is_a(key, "ED25519") == 1
        case .es256:
            guard EVP_PKEY_is_a(key, "EC") == 1 else { return false }
            var name = [CChar](repeating: 0, count: 64)
            var length = 0
            guard EVP_PKEY_get_group_name(key, &name, name.count, &length) == 1 else {
                OpenSSLError.clear()
                return false
            }
            let group = String(decoding: name.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            return group == "prime256v1" || group == "P-256"
        }
    }

    /// A new handle holding only the public half of `key`, made by a round trip
    /// through SubjectPublicKeyInfo DER so no private material is carried over.
    static func publicOnly(_ key: OpaquePointer) throws -> OpaquePointer {
        let length = i2d_PUBKEY(key, nil)
        guard length > 0 else { throw OpenSSLError.drain("i2d_PUBKEY") }
        var der = [UInt8](repeating: 0, count: Int(length))
        let written = der.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var cursor = buffer.baseAddress
            return i2d_PUBKEY(key, &cursor)
        }
        guard written == length else { throw OpenSSLError.drain("i2d_PUBKEY") }
        let publicKey = der.withUnsafeBufferPointer { buffer -> OpaquePointer? in
            var cursor = buffer.baseAddress
            return d2i_PUBKEY(nil, &cursor, buffer.count)
        }
        guard let publicKey else { throw OpenSSLError.drain("d2i_PUBKEY") }
        return publicKey
    }

    /// One-shot `EVP_DigestSign`: the raw signature as OpenSSL emits it (DER for ECDSA).
    static func sign(_ message: [UInt8], with key: OpaquePointer, algorithm: SigningAlgorithm) throws -> [UInt8] {
        guard let context = EVP_MD_CTX_new() else { throw OpenSSLError.drain("EVP_MD_CTX_new") }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestSignInit_ex(context, nil, algorithm.digestName, nil, nil, key, nil) == 1 else {
            throw OpenSSLError.drain("EVP_DigestSignInit_ex")
        }
        return try message.withNonNullBytes { pointer, count in
            var length = 0
            guard EVP_DigestSign(context, nil, &length, pointer, count) == 1, length > 0 else {
                throw OpenSSLError.drain("EVP_DigestSign")
            }
            var signature = [UInt8](repeating: 0, count: length)
            let status = signature.withUnsafeMutableBufferPointer { buffer in
                EVP_DigestSign(context, buffer.baseAddress, &length, pointer, count)
            }
            guard status == 1, length <= signature.count else { throw OpenSSLError.drain("EVP_DigestSign") }
            return Array(signature.prefix(length))
        }
    }

    /// One-shot `EVP_DigestVerify` on `context`, a digest context already
    /// initialised for verification with the key; any failure is `false` and leaves
    /// no queued error.
    static func verify(_ signature: [UInt8], _ message: [UInt8], context: OpaquePointer) -> Bool {
        defer { OpenSSLError.clear() }
        guard !signature.isEmpty else { return false }
        return signature.withNonNullBytes { signaturePointer, signatureCount in
            message.withNonNullBytes { messagePointer, messageCount in
                EVP_DigestVerify(context, signaturePointer, signatureCount, messagePointer, messageCount) == 1
            }
        }
    }
}

import COpenSSL

/// Seals secrets kept in the database (private signing keys, later MFA secrets) with
/// AES-256-GCM through EVP, under a key derived from the master key, so that the
/// database alone (a dump, a backup, its administrator) holds none of them in clear.
///
/// A sealed value is `01 ‖ nonce (12) ‖ ciphertext ‖ tag (16)`: a fresh random nonce
/// each time. The `context` (e.g. `signing-key:KID`) is authenticated with it, so a
/// sealed value moved to another row does not open there.
public struct SecretSealer: Sendable {
    static let version: UInt8 = 1
    static let nonceLength = 12
    static let tagLength = 16

    private let key: [UInt8]

    public init(masterKey: MasterKey) {
        key = masterKey.derive(.secretSealing)
    }

    /// For the test vectors: a raw 32-byte AES key.
    init(rawKey: [UInt8]) { key = rawKey }

    public func seal(_ plaintext: [UInt8], context: String) throws -> [UInt8] {
        let nonce = SecureRandom.bytes(Self.nonceLength)
        let (ciphertext, tag) = try Self.encrypt(key: key, nonce: nonce, aad: Array(context.utf8), plaintext: plaintext)
        return [Self.version] + nonce + ciphertext + tag
    }

    /// The secret, or `CryptoError.sealBroken` when the value was altered, belongs to
    /// another context, or was sealed under another master key.
    public func open(_ sealed: [UInt8], context: String) throws -> [UInt8] {
        guard sealed.count >= 1 + Self.nonceLength + Self.tagLength, sealed[0] == Self.version else { throw CryptoError.sealBroken }
        let nonce = Array(sealed[1..<(1 + Self.nonceLength)])
        let ciphertext = Array(sealed[(1 + Self.nonceLength)..<(sealed.count - Self.tagLength)])
        let tag = Array(sealed.suffix(Self.tagLength))
        return try Self.decrypt(key: key, nonce: nonce, aad: Array(context.utf8), ciphertext: ciphertext, tag: tag)
    }

    // MARK: AES-256-GCM through EVP

    static func encrypt(key: [UInt8], nonce: [UInt8], aad: [UInt8], plaintext: [UInt8]) throws -> (ciphertext: [UInt8], tag: [UInt8]) {
        guard key.count == 32, nonce.count == nonceLength else { throw CryptoError.invalidParameters }
        guard let context = EVP_CIPHER_CTX_new() else { throw OpenSSLError.drain("EVP_CIPHER_CTX_new") }
        defer { EVP_CIPHER_CTX_free(context) }
        guard EVP_EncryptInit_ex(context, EVP_aes_256_gcm(), nil, nil, nil) == 1,
              EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_AEAD_SET_IVLEN, Int32(nonceLength), nil) == 1,
              EVP_EncryptInit_ex(context, nil, nil, key, nonce) == 1 else {
            throw OpenSSLError.drain("EVP_EncryptInit_ex(AES-256-GCM)")
        }
        var length: Int32 = 0
        if !aad.isEmpty {
            guard EVP_EncryptUpdate(context, nil, &length, aad, Int32(aad.count)) == 1 else { throw OpenSSLError.drain("EVP_EncryptUpdate(aad)") }
        }
        // GCM is a stream mode: the ciphertext is as long as the plaintext (+1 so that
        // an empty plaintext still has a buffer to point at).
        var ciphertext = [UInt8](repeating: 0, count: plaintext.count + 1)
        var written: Int32 = 0
        if !plaintext.isEmpty {
            guard EVP_EncryptUpdate(context, &ciphertext, &written, plaintext, Int32(plaintext.count)) == 1 else {
                throw OpenSSLError.drain("EVP_EncryptUpdate")
            }
        }
        var final: Int32 = 0
        let finished = ciphertext.withUnsafeMutableBufferPointer { EVP_EncryptFinal_ex(context, $0.baseAddress! + Int(written), &final) }
        guard finished == 1 else { throw OpenSSLError.drain("EVP_EncryptFinal_ex") }
        var tag = [UInt8](repeating: 0, count: tagLength)
        guard EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_AEAD_GET_TAG, Int32(tagLength), &tag) == 1 else {
            throw OpenSSLError.drain("EVP_CIPHER_CTX_ctrl(GET_TAG)")
        }
        return (Array(ciphertext.prefix(Int(written + final))), tag)
    }

    static func decrypt(key: [UInt8], nonce: [UInt8], aad: [UInt8], ciphertext: [UInt8], tag: [UInt8]) throws -> [UInt8] {
        guard key.count == 32, nonce.count == nonceLength, tag.count == tagLength else { throw CryptoError.sealBroken }
        guard let context = EVP_CIPHER_CTX_new() else { throw OpenSSLError.drain("EVP_CIPHER_CTX_new") }
        defer { EVP_CIPHER_CTX_free(context) }
        guard EVP_DecryptInit_ex(context, EVP_aes_256_gcm(), nil, nil, nil) == 1,
              EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_AEAD_SET_IVLEN, Int32(nonceLength), nil) == 1,
              EVP_DecryptInit_ex(context, nil, nil, key, nonce) == 1 else {
            throw OpenSSLError.drain("EVP_DecryptInit_ex(AES-256-GCM)")
        }
        var length: Int32 = 0
        if !aad.isEmpty {
            guard EVP_DecryptUpdate(context, nil, &length, aad, Int32(aad.count)) == 1 else { throw CryptoError.sealBroken }
        }
        var plaintext = [UInt8](repeating: 0, count: ciphertext.count + 1)
        var written: Int32 = 0
        if !ciphertext.isEmpty {
            guard EVP_DecryptUpdate(context, &plaintext, &written, ciphertext, Int32(ciphertext.count)) == 1 else { throw CryptoError.sealBroken }
        }
        var expected = tag
        guard EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_AEAD_SET_TAG, Int32(tagLength), &expected) == 1 else { throw CryptoError.sealBroken }
        var final: Int32 = 0
        // The tag is checked here: a mismatch returns 0 and nothing may be used.
        let verified = plaintext.withUnsafeMutableBufferPointer { EVP_DecryptFinal_ex(context, $0.baseAddress! + Int(written), &final) }
        guard verified == 1 else {
            OPENSSL_cleanse(&plaintext, plaintext.count)
            ERR_clear_error()
            throw CryptoError.sealBroken
        }
        return Array(plaintext.prefix(Int(written + final)))
    }
}

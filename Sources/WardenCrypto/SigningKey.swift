import COpenSSL

/// A private signing key: an `EVP_PKEY` handle, immutable, freed in `deinit`.
///
/// `@unchecked Sendable` is sound because the handle is never mutated after init
/// and OpenSSL 3 allows concurrent signing with one shared `EVP_PKEY`.
public final class SigningKey: @unchecked Sendable {
    public let algorithm: SigningAlgorithm
    private let key: OpaquePointer
    private let publicKey: VerifyingKey

    /// Larger inputs cannot be a single EdDSA or P-256 key in PEM.
    private static let maximumPEMBytes = 16 * 1024

    /// Takes ownership of `key` (freed here even if init fails).
    private init(taking key: OpaquePointer, algorithm: SigningAlgorithm) throws {
        guard EVPKey.matches(key, algorithm) else {
            EVP_PKEY_free(key)
            throw CryptoError.invalidKey
        }
        do {
            publicKey = try VerifyingKey(taking: EVPKey.publicOnly(key), algorithm: algorithm)
        } catch {
            EVP_PKEY_free(key)
            throw error
        }
        self.key = key
        self.algorithm = algorithm
    }

    deinit {
        EVP_PKEY_free(key)  // cleanses the private scalar
    }

    /// Generates a new random key for `algorithm`.
    public static func generate(_ algorithm: SigningAlgorithm) throws -> SigningKey {
        try SigningKey(taking: EVPKey.generate(algorithm), algorithm: algorithm)
    }

    /// Loads an unencrypted private key from PEM (PKCS#8, or SEC1 for EC).
    ///
    /// - Throws: `CryptoError.invalidKey` if the PEM does not decode to a private
    ///   key, is encrypted (there is no passphrase to give, and OpenSSL must never
    ///   prompt on a terminal), or is not the key type `algorithm` needs (so a
    ///   key file cannot silently change the algorithm tokens are signed with).
    public convenience init(pkcs8PEM: String, algorithm: SigningAlgorithm) throws {
        let bytes = Array(pkcs8PEM.utf8)
        guard !bytes.isEmpty, bytes.count <= Self.maximumPEMBytes else { throw CryptoError.invalidKey }
        let loaded = bytes.withUnsafeBytes { buffer -> OpaquePointer? in
            guard let bio = BIO_new_mem_buf(buffer.baseAddress, Int32(buffer.count)) else { return nil }
            defer { BIO_free(bio) }
            // A callback that refuses to supply a passphrase, instead of the default
            // one that reads from the controlling terminal.
            return PEM_read_bio_PrivateKey(bio, nil, { _, _, _, _ in -1 }, nil)
        }
        guard let loaded else {
            OpenSSLError.clear()
            throw CryptoError.invalidKey
        }
        try self.init(taking: loaded, algorithm: algorithm)
    }

    /// Ed25519 key from its 32-byte seed (RFC 8032 private key), as in RFC 8037's examples.
    public convenience init(ed25519RawPrivateKey: [UInt8]) throws {
        guard ed25519RawPrivateKey.count == 32 else { throw CryptoError.invalidKey }
        let loaded = ed25519RawPrivateKey.withUnsafeBufferPointer { buffer in
            EVP_PKEY_new_raw_private_key_ex(nil, "ED25519", nil, buffer.baseAddress, buffer.count)
        }
        guard let loaded else {
            OpenSSLError.clear()
            throw CryptoError.invalidKey
        }
        try self.init(taking: loaded, algorithm: .edDSA)
    }

    /// The key as unencrypted PKCS#8 PEM, for a 0600 key file. Secret: never log it.
    public func pkcs8PEM() throws -> String {
        guard let bio = BIO_new(BIO_s_mem()) else { throw OpenSSLError.drain("BIO_new") }
        defer { BIO_free(bio) }  // a memory BIO clears its buffer when freed
        guard PEM_write_bio_PKCS8PrivateKey(bio, key, nil, nil, 0, nil, nil) == 1 else {
            throw OpenSSLError.drain("PEM_write_bio_PKCS8PrivateKey")
        }
        let pending = Int(BIO_ctrl_pending(bio))
        guard pending > 0, pending <= Int(Int32.max) else { throw OpenSSLError.drain("BIO_ctrl_pending") }
        var buffer = [UInt8](repeating: 0, count: pending)
        defer { OPENSSL_cleanse(&buffer, buffer.count) }
        let read = buffer.withUnsafeMutableBytes { BIO_read(bio, $0.baseAddress, Int32(pending)) }
        guard Int(read) == pending else { throw OpenSSLError.drain("BIO_read") }
        return String(decoding: buffer, as: UTF8.self)
    }

    /// Signs `message`. Ed25519 gives its 64-byte signature; ES256 gives ECDSA
    /// P-256/SHA-256 as the fixed 64-byte R||S that JWS uses (RFC 7518 §3.4), always
    /// in its low-S form (see `ECDSASignature`), the only one `VerifyingKey` accepts.
    public func sign(_ message: [UInt8]) throws -> [UInt8] {
        let signature = try EVPKey.sign(message, with: key, algorithm: algorithm)
        switch algorithm {
        case .edDSA:
            guard signature.count == algorithm.signatureLength else { throw CryptoError.openSSL("unexpected Ed25519 signature length") }
            return signature
        case .es256:
            guard let raw = ECDSASignature.raw(fromDER: signature).flatMap(ECDSASignature.lowS) else {
                throw CryptoError.openSSL("unexpected ECDSA signature encoding")
            }
            return raw
        }
    }

    /// The matching public key.
    public var verifier: VerifyingKey { publicKey }
}

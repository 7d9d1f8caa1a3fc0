import COpenSSL

/// A public key that verifies signatures: an `EVP_PKEY` handle holding no private
/// part, immutable, freed in `deinit`.
///
/// `@unchecked Sendable` is sound because the handle is never mutated after init
/// and OpenSSL 3 allows concurrent verification with one shared `EVP_PKEY`.
public final class VerifyingKey: @unchecked Sendable {
    public let algorithm: SigningAlgorithm
    private let key: OpaquePointer
    /// Public coordinates for the JWK, extracted once so `jwk` cannot fail:
    /// Ed25519 has only `x`; P-256 has 32-byte `x` and `y`.
    private let x: [UInt8]
    private let y: [UInt8]?

    /// Takes ownership of `key` (freed here even if init fails).
    init(taking key: OpaquePointer, algorithm: SigningAlgorithm) throws {
        do {
            guard EVPKey.matches(key, algorithm) else { throw CryptoError.invalidKey }
            switch algorithm {
            case .edDSA:
                x = try Self.rawPublicKey(key)
                y = nil
            case .es256:
                x = try Self.coordinate(key, "qx")
                y = try Self.coordinate(key, "qy")
            }
        } catch {
            EVP_PKEY_free(key)
            throw error
        }
        self.key = key
        self.algorithm = algorithm
    }

    deinit {
        EVP_PKEY_free(key)
    }

    /// Ed25519 public key from its 32 raw bytes (RFC 8032).
    public convenience init(ed25519RawPublicKey: [UInt8]) throws {
        guard ed25519RawPublicKey.count == 32 else { throw CryptoError.invalidKey }
        let loaded = ed25519RawPublicKey.withUnsafeBufferPointer { buffer in
            EVP_PKEY_new_raw_public_key_ex(nil, "ED25519", nil, buffer.baseAddress, buffer.count)
        }
        guard let loaded else {
            OpenSSLError.clear()
            throw CryptoError.invalidKey
        }
        try self.init(taking: loaded, algorithm: .edDSA)
    }

    /// True only if `signature` is a valid signature of `message` under this key.
    /// ES256 signatures must be exactly the 64-byte R||S form; DER or any other
    /// length is refused. Never throws: anything malformed is simply `false`.
    public func verify(signature: [UInt8], message: [UInt8]) -> Bool {
        guard signature.count == algorithm.signatureLength else { return false }
        switch algorithm {
        case .edDSA:
            return EVPKey.verify(signature, message, with: key, algorithm: algorithm)
        case .es256:
            guard let der = ECDSASignature.der(fromRaw: signature) else { return false }
            return EVPKey.verify(der, message, with: key, algorithm: algorithm)
        }
    }

    /// The public JWK (RFC 7517; RFC 8037 for Ed25519, RFC 7518 §6.2 for P-256)
    /// with `kid`, `alg` and `use: sig`. Never contains private parts.
    public func jwk(kid: String) -> [String: String] {
        var jwk = ["kid": kid, "alg": algorithm.rawValue, "use": "sig", "x": Base64URL.encode(x)]
        switch algorithm {
        case .edDSA:
            jwk["kty"] = "OKP"
            jwk["crv"] = "Ed25519"
        case .es256:
            jwk["kty"] = "EC"
            jwk["crv"] = "P-256"
            jwk["y"] = Base64URL.encode(y ?? [])
        }
        return jwk
    }

    private static func rawPublicKey(_ key: OpaquePointer) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 32)
        var length = bytes.count
        guard EVP_PKEY_get_raw_public_key(key, &bytes, &length) == 1, length == 32 else {
            throw OpenSSLError.drain("EVP_PKEY_get_raw_public_key")
        }
        return bytes
    }

    /// An affine coordinate of an EC public point, left-padded to 32 bytes.
    private static func coordinate(_ key: OpaquePointer, _ name: String) throws -> [UInt8] {
        var number: OpaquePointer?
        guard EVP_PKEY_get_bn_param(key, name, &number) == 1, let number else {
            throw OpenSSLError.drain("EVP_PKEY_get_bn_param(\(name))")
        }
        defer { BN_free(number) }
        var bytes = [UInt8](repeating: 0, count: 32)
        guard BN_bn2binpad(number, &bytes, 32) == 32 else { throw OpenSSLError.drain("BN_bn2binpad") }
        return bytes
    }
}

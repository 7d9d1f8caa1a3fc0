import COpenSSL
import Synchronization

/// A public key that verifies signatures: an `EVP_PKEY` handle holding no private
/// part, immutable, freed in `deinit`, and the verification contexts made for it.
///
/// `@unchecked Sendable` is sound because the handle is never mutated after init,
/// OpenSSL 3 allows concurrent verification with one shared `EVP_PKEY`, and each
/// reusable context is used by one thread at a time (taken out of a `Mutex`).
public final class VerifyingKey: @unchecked Sendable {
    public let algorithm: SigningAlgorithm
    private let key: OpaquePointer
    /// `EVP_MD_CTX`s already set up for verifying with `key`, free for reuse.
    /// Setting one up from scratch creates an `EVP_PKEY_CTX` and fetches the
    /// algorithm from the provider; re-initialising a used one for the same key
    /// (a NULL key) skips both.
    private let idleContexts = Mutex<[IdleContext]>([])
    /// Contexts kept beyond this are freed: one per thread that verifies at once.
    private static let maximumIdleContexts = 16
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
        idleContexts.withLock { contexts in
            for idle in contexts { EVP_MD_CTX_free(idle.context) }
        }
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
    /// ES256 signatures must be exactly the 64-byte R||S form with a low S (S ≤ n/2,
    /// the form `SigningKey` makes); DER, any other length and the high-S twin of a
    /// valid signature are refused. Never throws: anything malformed is simply `false`.
    public func verify(signature: [UInt8], message: [UInt8]) -> Bool {
        guard signature.count == algorithm.signatureLength else { return false }
        let encoded: [UInt8]
        switch algorithm {
        case .edDSA:
            encoded = signature
        case .es256:
            guard ECDSASignature.hasLowS(signature), let der = ECDSASignature.der(fromRaw: signature) else { return false }
            encoded = der
        }
        guard let context = takeContext() else { return false }
        let verified = EVPKey.verify(encoded, message, context: context)
        let kept = idleContexts.withLock { contexts in
            guard contexts.count < Self.maximumIdleContexts else { return false }
            contexts.append(IdleContext(context: context))
            return true
        }
        if !kept { EVP_MD_CTX_free(context) }
        return verified
    }

    /// A context ready for one `EVP_DigestVerify` with this key: an idle one
    /// re-initialised, or a new one. Nil (with no queued error) if OpenSSL fails.
    private func takeContext() -> OpaquePointer? {
        if let idle = idleContexts.withLock({ $0.popLast() })?.context {
            // A NULL key re-initialises with the key and digest already set.
            if EVP_DigestVerifyInit_ex(idle, nil, nil, nil, nil, nil, nil) == 1 { return idle }
            EVP_MD_CTX_free(idle)
            OpenSSLError.clear()
        }
        guard let fresh = EVP_MD_CTX_new() else {
            OpenSSLError.clear()
            return nil
        }
        guard EVP_DigestVerifyInit_ex(fresh, nil, algorithm.digestName, nil, nil, key, nil) == 1 else {
            EVP_MD_CTX_free(fresh)
            OpenSSLError.clear()
            return nil
        }
        return fresh
    }

    /// An `EVP_MD_CTX` no thread is using. `@unchecked Sendable`: it moves between
    /// threads only through `idleContexts`, and whoever takes it out is its only user.
    private struct IdleContext: @unchecked Sendable {
        let context: OpaquePointer
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

/// The JWS signature algorithms Warden issues and accepts (RFC 7518 / RFC 8037).
///
/// The list is closed on purpose: RFC 8725 §3.1 asks verifiers to accept only
/// algorithms they chose, so `none`, HMAC and RSA are not representable at all.
public enum SigningAlgorithm: String, Sendable, CaseIterable {
    /// Ed25519 (RFC 8037).
    case edDSA = "EdDSA"
    /// ECDSA on P-256 with SHA-256 (RFC 7518 §3.4).
    case es256 = "ES256"

    /// Byte size of a raw signature (Ed25519 signature, or ES256 R||S).
    var signatureLength: Int { 64 }

    /// Digest name for `EVP_DigestSignInit_ex`; Ed25519 hashes internally.
    var digestName: String? {
        switch self {
        case .edDSA: nil
        case .es256: "SHA256"
        }
    }
}

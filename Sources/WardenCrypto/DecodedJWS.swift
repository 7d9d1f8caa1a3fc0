/// A JWS whose structure has been checked by `JWS.decode` but whose signature has
/// NOT been verified yet.
///
/// Decoding and verifying are separate so the caller can pick the key by `kid`
/// in between; nothing in here may be trusted until `JWS.verify` returns true.
public struct DecodedJWS: Sendable, Equatable {
    /// The header's `alg`, exactly as written (always "EdDSA" or "ES256").
    public let algorithm: String
    /// The header's `kid`.
    public let kid: String
    /// The payload's claims.
    public let claims: JWTClaims
    /// The ASCII bytes `header.payload` that the signature covers.
    public let signingInput: [UInt8]
    /// The decoded signature bytes.
    public let signature: [UInt8]

    init(algorithm: String, kid: String, claims: JWTClaims, signingInput: [UInt8], signature: [UInt8]) {
        self.algorithm = algorithm
        self.kid = kid
        self.claims = claims
        self.signingInput = signingInput
        self.signature = signature
    }
}

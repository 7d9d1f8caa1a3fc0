import Foundation
import FuzzSupport
import WardenCrypto

// Fuzz target for token decoding (RFC 7515/7519/8725 as Warden narrows them): for
// any text offered as a token,
//
//  1. JWS.decode returns a DecodedJWS or JWSError.malformed, never crashes;
//  2. what it accepts has one spelling: three parts whose base64url re-encodes
//     to the same text, an accepted alg, non-negative time claims;
//  3. JWS.verify never accepts a signature the fixed keys did not make: an EdDSA
//     token verifies only if its signature is exactly the key's (deterministic)
//     signature of its signing input, and never under the other algorithm's key;
//  4. the decoded claims, signed again, decode to the same claims and verify.

/// Fixed keys, so that valid seeds stay valid across runs. Test keys only.
let edKey = try! SigningKey(ed25519RawPrivateKey: Array(0..<32))
let esKey = try! SigningKey(pkcs8PEM: """
    -----BEGIN PRIVATE KEY-----
    MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgQrljm6wR90E76QLc
    RgYWFk3P4fDsAJ/Zooc5OnXwGdqhRANCAAThUhCGgmubU9G6OS9Xgzvs2tDSdjTa
    eovzEmWONJvcQur3g/rwdlwM0AY5LnWjzRE5tnCbh/QzB/1OlFn4CNBm
    -----END PRIVATE KEY-----
    """, algorithm: .es256)

func check(_ token: String) {
    let decoded: DecodedJWS
    do {
        decoded = try JWS.decode(token)
    } catch {
        return
    }
    let bytes = Array(token.utf8)
    guard bytes.count <= JWS.maximumTokenBytes else { FuzzDriver.violated("accepted a token of \(bytes.count) bytes") }
    let parts = token.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count == 3 else { FuzzDriver.violated("accepted \(parts.count) parts") }
    guard Base64URL.encode(decoded.signature) == parts[2] else { FuzzDriver.violated("signature has a second spelling: \(parts[2])") }
    guard decoded.signingInput == Array((parts[0] + "." + parts[1]).utf8) else { FuzzDriver.violated("signing input differs") }
    for part in parts.prefix(2) {
        guard let raw = Base64URL.decodeStrict(part), Base64URL.encode(raw) == part else {
            FuzzDriver.violated("part \(part) accepted but not canonical")
        }
    }
    guard ["EdDSA", "ES256"].contains(decoded.algorithm) else { FuzzDriver.violated("accepted alg \(decoded.algorithm)") }
    let claims = decoded.claims
    guard claims.iat >= 0, claims.nbf >= 0, claims.exp >= 0 else { FuzzDriver.violated("negative time claim") }

    let edValid = JWS.verify(decoded, with: edKey.verifier)
    let esValid = JWS.verify(decoded, with: esKey.verifier)
    if edValid {
        guard decoded.algorithm == "EdDSA" else { FuzzDriver.violated("Ed25519 key accepted alg \(decoded.algorithm)") }
        guard (try? edKey.sign(decoded.signingInput)) == decoded.signature else {
            FuzzDriver.violated("a second Ed25519 signature verified")
        }
    }
    if esValid, decoded.algorithm != "ES256" { FuzzDriver.violated("P-256 key accepted alg \(decoded.algorithm)") }

    // Claims that decode are claims that can be signed, and they come back unchanged.
    guard let again = try? JWS.sign(claims, key: edKey, kid: decoded.kid) else { FuzzDriver.violated("cannot sign decoded claims") }
    // Escaping may grow the JSON past the size limit; only shorter tokens must round-trip.
    guard again.utf8.count <= JWS.maximumTokenBytes else { return }
    guard let reread = try? JWS.decode(again) else { FuzzDriver.violated("own token does not decode: \(again)") }
    guard reread.claims == claims, reread.kid == decoded.kid, JWS.verify(reread, with: edKey.verifier) else {
        FuzzDriver.violated("claims changed in a sign/decode round trip: \(claims) → \(reread.claims)")
    }
}

if CommandLine.arguments.count == 3, CommandLine.arguments[1] == "--write-seeds" {
    JWSSeeds.write(to: CommandLine.arguments[2])
    exit(0)
}

FuzzDriver.run { data, count in
    check(String(decoding: FuzzDriver.bytes(data, count), as: UTF8.self))
    return 0
}

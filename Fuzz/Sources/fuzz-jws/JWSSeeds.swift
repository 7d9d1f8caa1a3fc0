import Foundation
import WardenCrypto

/// The seed corpus of fuzz-jws (`fuzz-jws --write-seeds corpus/jws`): valid tokens of
/// both fixed keys, and the forgeries and odd spellings RFC 8725 warns about, so
/// that the fuzzer starts next to every branch of the decoder.
enum JWSSeeds {
    static let header = #"{"alg":"EdDSA","kid":"k1","typ":"JWT"}"#
    static let esHeader = #"{"alg":"ES256","kid":"k2","typ":"JWT"}"#
    static let payload = #"{"aud":"warden","exp":1900000000,"iat":1800000000,"iss":"warden","jti":"0123456789abcdef0123456789abcdef","nbf":1800000000,"sub":"alice"}"#

    static func b64(_ text: String) -> String { Base64URL.encode(Array(text.utf8)) }

    /// `header.payload.signature`, signed by `key` over whatever JSON is given.
    static func signed(_ header: String, _ payload: String, key: SigningKey = edKey) -> String {
        let input = b64(header) + "." + b64(payload)
        let signature = (try? key.sign(Array(input.utf8))) ?? []
        return input + "." + Base64URL.encode(signature)
    }

    static func withPayload(_ change: String) -> String {
        signed(header, payload.replacingOccurrences(of: #""sub":"alice""#, with: change))
    }

    static var all: [String: String] {
        let valid = signed(header, payload)
        let parts = valid.split(separator: ".").map(String.init)
        var seeds: [String: String] = [
            "valid-eddsa": valid,
            "valid-es256": signed(esHeader, payload, key: esKey),
            "valid-claims-api": (try? JWS.sign(JWTClaims(iss: "warden", sub: "svc", aud: "billing", iat: 1, nbf: 1, exp: 2, jti: "j"), key: edKey, kid: "k1")) ?? "",
            "alg-none": b64(#"{"alg":"none","kid":"k1","typ":"JWT"}"#) + "." + parts[1] + ".",
            "alg-none-sig": b64(#"{"alg":"none","kid":"k1"}"#) + "." + parts[1] + "." + parts[2],
            "alg-hs256": b64(#"{"alg":"HS256","kid":"k1","typ":"JWT"}"#) + "." + parts[1] + "." + parts[2],
            "alg-swap-es256": b64(esHeader) + "." + parts[1] + "." + parts[2],
            "header-jku": signed(#"{"alg":"EdDSA","kid":"k1","jku":"http://x/jwks"}"#, payload),
            "header-jwk": signed(#"{"alg":"EdDSA","kid":"k1","jwk":{"kty":"OKP","crv":"Ed25519","x":"AA"}}"#, payload),
            "header-crit": signed(#"{"alg":"EdDSA","kid":"k1","crit":["exp"]}"#, payload),
            "header-typ-other": signed(#"{"alg":"EdDSA","kid":"k1","typ":"at+jwt"}"#, payload),
            "header-no-kid": signed(#"{"alg":"EdDSA"}"#, payload),
            "header-kid-number": signed(#"{"alg":"EdDSA","kid":7}"#, payload),
            "header-duplicate-alg": signed(#"{"alg":"none","alg":"EdDSA","kid":"k1"}"#, payload),
            "header-array": signed("[1,2,3]", payload),
            "header-nested": signed(#"{"alg":"EdDSA","kid":"k1","x":[[[[[[[[[[[[[[[[{}]]]]]]]]]]]]]]]]}"#, payload),
            "payload-float-exp": withPayload(#""sub":"alice","exp":1.9e9"#),
            "payload-bool-iat": signed(header, payload.replacingOccurrences(of: #""iat":1800000000"#, with: #""iat":true"#)),
            "payload-negative-nbf": signed(header, payload.replacingOccurrences(of: #""nbf":1800000000"#, with: #""nbf":-1"#)),
            "payload-huge-exp": signed(header, payload.replacingOccurrences(of: #""exp":1900000000"#, with: #""exp":184467440737095516160"#)),
            "payload-uint64-exp": signed(header, payload.replacingOccurrences(of: #""exp":1900000000"#, with: #""exp":18446744073709551615"#)),
            "payload-exp-1e400": signed(header, payload.replacingOccurrences(of: #""exp":1900000000"#, with: #""exp":1e400"#)),
            "payload-string-exp": signed(header, payload.replacingOccurrences(of: #""exp":1900000000"#, with: #""exp":"1900000000""#)),
            "payload-aud-array": signed(header, payload.replacingOccurrences(of: #""aud":"warden""#, with: #""aud":["warden","x"]"#)),
            "payload-escapes": withPayload(#""sub":"al\u0069ce\n\t\"\\\/\u00e9""#),
            "payload-lone-surrogate": withPayload(#""sub":"\ud800""#),
            "payload-surrogate-pair": withPayload(#""sub":"\ud83d\ude00""#),
            "payload-duplicate-sub": withPayload(#""sub":"mallory","sub":"alice""#),
            "payload-extra-claims": withPayload(#""sub":"alice","scope":"admin","roles":["a"],"n":null"#),
            "payload-empty-object": signed(header, "{}"),
            "payload-not-json": signed(header, "not json"),
            "payload-bom": signed(header, "\u{FEFF}" + payload),
            "padding": valid + "==",
            "padded-part": parts[0] + "=." + parts[1] + "." + parts[2],
            "standard-alphabet": valid.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/"),
            "stray-bits": parts[0] + "." + parts[1] + "." + String(parts[2].dropLast()) + "B",
            "empty-signature": parts[0] + "." + parts[1] + ".",
            "two-parts": parts[0] + "." + parts[1],
            "four-parts": valid + "." + parts[2],
            "whitespace": parts[0] + " ." + parts[1] + "." + parts[2],
            "short-signature": parts[0] + "." + parts[1] + "." + String(parts[2].prefix(20)),
            "es256-der-signature": b64(esHeader) + "." + parts[1] + "." + b64("0D\u{02} \u{01}\u{02}"),
            "empty": "",
            "dots": "..",
        ]
        // A few truncations and single-character edits of a valid token.
        for cut in [1, 10, 40, valid.count / 2, valid.count - 1] {
            seeds["truncated-\(cut)"] = String(valid.prefix(cut))
        }
        return seeds
    }

    static func write(to folder: String) {
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (name, token) in all {
            _ = FileManager.default.createFile(atPath: folder + "/" + name, contents: Data(token.utf8))
        }
        print("wrote \(all.count) seeds to \(folder)")
    }
}

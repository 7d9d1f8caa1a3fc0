import Foundation
import Testing
import WardenCrypto

/// A forgery made from a genuine token, and the reason SPEC §2.4 says VALIDATE gives.
struct Attack: Sendable, CustomTestStringConvertible {
    var name: String
    var reason: String
    /// Makes the forged token from a genuine one and the server's public key bytes.
    var forge: @Sendable (_ genuine: String, _ publicKey: [UInt8]) throws -> String

    var testDescription: String { "\(name) → \(reason)" }

    static let all: [Attack] = [
        Attack(name: "alg none keeping the signature", reason: "malformed") { token, _ in
            try JWT.withHeader(token) { $0["alg"] = "none" }
        },
        Attack(name: "alg none without a signature", reason: "malformed") { token, _ in
            let parts = JWT.parts(try JWT.withHeader(token) { $0["alg"] = "none" })
            return parts[0] + "." + parts[1] + "."
        },
        Attack(name: "alg None, capitalised", reason: "malformed") { token, _ in
            try JWT.withHeader(token) { $0["alg"] = "None" }
        },
        Attack(name: "HS256 keyed with the public key", reason: "malformed") { token, publicKey in
            let parts = JWT.parts(try JWT.withHeader(token) { $0["alg"] = "HS256" })
            let input = parts[0] + "." + parts[1]
            return input + "." + Base64URL.encode(JWT.hmacSHA256(key: publicKey, message: Array(input.utf8)))
        },
        Attack(name: "unknown kid", reason: "unknown-key") { token, _ in
            try JWT.withHeader(token) { $0["kid"] = "no-such-key" }
        },
        Attack(name: "jku header", reason: "malformed") { token, _ in
            try JWT.withHeader(token) { $0["jku"] = "https://attacker.example/jwks.json" }
        },
        Attack(name: "embedded jwk header", reason: "malformed") { token, publicKey in
            try JWT.withHeader(token) { $0["jwk"] = ["kty": "OKP", "crv": "Ed25519", "x": Base64URL.encode(publicKey)] }
        },
        Attack(name: "x5u header", reason: "malformed") { token, _ in
            try JWT.withHeader(token) { $0["x5u"] = "https://attacker.example/cert.pem" }
        },
        Attack(name: "subject changed", reason: "bad-signature") { token, _ in
            try JWT.withPayload(token) { $0["sub"] = "admin" }
        },
        Attack(name: "expiry extended", reason: "bad-signature") { token, _ in
            try JWT.withPayload(token) { $0["exp"] = (($0["exp"] as? Int) ?? 0) + 86_400 }
        },
        Attack(name: "padded base64url signature", reason: "malformed") { token, _ in
            token + "=="
        },
        Attack(name: "non-canonical trailing bits in the signature", reason: "malformed") { token, _ in
            // 64 signature bytes leave 4 unused low bits in the last symbol; a strict
            // decoder requires them to be zero, a lenient one decodes the same bytes.
            let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
            let last = try #require(token.last.flatMap { alphabet.firstIndex(of: $0) })
            return String(token.dropLast()) + String(alphabet[last | 1])
        },
        Attack(name: "over 8 KiB", reason: "malformed") { token, _ in
            try JWT.withPayload(token) { $0["pad"] = String(repeating: "a", count: 9000) }
        },
        Attack(name: "truncated before the signature", reason: "malformed") { token, _ in
            let parts = JWT.parts(token)
            return parts[0] + "." + parts[1]
        },
        Attack(name: "empty signature", reason: "malformed") { token, _ in
            let parts = JWT.parts(token)
            return parts[0] + "." + parts[1] + "."
        },
        Attack(name: "cut in the header", reason: "malformed") { token, _ in
            String(token.prefix(10))
        },
        Attack(name: "garbage", reason: "malformed") { _, _ in "not-a-token" },
        Attack(name: "three garbage parts", reason: "malformed") { _, _ in "a.b.c" },
    ]
}

/// SPEC §2.4: forged and mangled tokens are refused with the first reason that
/// applies; none of them ever validates.
@Suite struct TokenAttackTests {
    static let shared = SharedWarden { server in
        try Fixture.person("victim", on: server)
    }

    @Test(arguments: Attack.all)
    func aForgedTokenIsInvalidForTheRightReason(attack: Attack) throws {
        let server = try Self.shared.get()
        let admin = try server.admin()
        let genuine = try admin.login("victim")
        let key = try #require(try jwks(of: server).first?["x"] as? String)
        let forged = try attack.forge(genuine, try #require(Base64URL.decodeStrict(key)))
        #expect(forged != genuine)
        #expect(try admin.validate(forged) == "OK INVALID reason=\(attack.reason)")
    }

    @Test func theGenuineTokenTheAttacksStartFromIsValid() throws {
        let server = try Self.shared.get()
        let admin = try server.admin()
        #expect(try admin.validate(try admin.login("victim")).hasPrefix("OK VALID sub=victim "))
    }

    @Test func anotherTokensSignatureDoesNotVerify() throws {
        let server = try Self.shared.get()
        let admin = try server.admin()
        let first = JWT.parts(try admin.login("victim"))
        let second = JWT.parts(try admin.login("victim"))
        #expect(try admin.validate(first[0] + "." + first[1] + "." + second[2]) == "OK INVALID reason=bad-signature")
    }
}

import Foundation
import Testing
import WardenCrypto

/// A token is this Warden's only if it names this Warden's issuer, and it has one
/// valid encoding (ES256's high-S twin is refused).
@Suite struct TokenBindingTests {
    @Test func aTokenOfAnotherIssuerIsMalformedEvenWhenOurKeySignedIt() throws {
        let first = try WardenProcess(arguments: ["--issuer", "https://old.example"])
        let token = try first.admin().issue("admin")
        #expect(try first.admin().send("VALIDATE \(token)").final.hasPrefix("OK VALID"))
        #expect(first.terminate() == 0)

        // The same data directory, so the same signing key, under another issuer.
        let renamed = try WardenProcess(dataDirectory: first.dataDirectory, arguments: ["--issuer", "https://new.example"])
        defer {
            renamed.terminate()
            renamed.removeData()
        }
        #expect(try renamed.admin().send("VALIDATE \(token)").final == "OK INVALID reason=malformed")
        #expect(try renamed.connect().send("AUTH TOKEN \(token)").errorCode == "AUTH-FAILED")
    }

    /// The order n of P-256, big-endian.
    static let order: [UInt8] = [
        0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0xBC, 0xE6, 0xFA, 0xAD, 0xA7, 0x17, 0x9E, 0x84, 0xF3, 0xB9, 0xCA, 0xC2, 0xFC, 0x63, 0x25, 0x51,
    ]

    /// n − S on 32-byte big-endian numbers (S < n).
    static func negated(_ s: ArraySlice<UInt8>) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: 32)
        var borrow = 0
        for index in (0..<32).reversed() {
            var digit = Int(order[index]) - Int(s[s.startIndex + index]) - borrow
            borrow = digit < 0 ? 1 : 0
            if digit < 0 { digit += 256 }
            result[index] = UInt8(digit)
        }
        return result
    }

    @Test func theHighSTwinOfAnES256TokenIsRefused() throws {
        let server = try WardenProcess(arguments: ["--token-alg", "ES256"])
        defer {
            server.terminate()
            server.removeData()
        }
        let admin = try server.admin()
        let token = try admin.issue("admin")
        #expect(try admin.send("VALIDATE \(token)").final.hasPrefix("OK VALID"))

        let parts = JWT.parts(token)
        let signature = try #require(Base64URL.decodeStrict(parts[2]))
        #expect(signature.count == 64)
        let twin = Array(signature.prefix(32)) + Self.negated(signature[32...])
        let forged = parts[0] + "." + parts[1] + "." + Base64URL.encode(twin)
        #expect(try admin.send("VALIDATE \(forged)").final == "OK INVALID reason=bad-signature")
    }
}

import Foundation
import Testing

/// SPEC §2.4 `KEY ROTATE`/`KEY LIST` and §3 JWKS: a rotation changes the key new
/// tokens are signed with, and older keys stay published exactly as long as a token
/// they signed may still be live. Each case rotates, so each has its own server.
@Suite struct TokenKeyTests {
    /// Members of a JWK that would disclose a private key (RFC 7518 §6).
    static let privateMembers = ["d", "p", "q", "dp", "dq", "qi", "k", "oth"]

    @Test func aNewServerHasOneActiveEdDSAKey() throws {
        let server = try WardenProcess()
        defer { server.terminate(); server.removeData() }
        let keys = try server.admin().send("KEY LIST")
        #expect(keys.final == "OK count=1")
        let line = try #require(keys.data.first)
        let kid = try #require(WireReply.value("kid", in: line))
        let created = try #require(WireReply.value("created", in: line))
        #expect(line == "kid=\(kid) alg=EdDSA status=active created=\(created)")
        #expect(Fixture.isTime(created))
    }

    @Test func rotationAnswersANewKidThatSignsNewTokens() throws {
        let server = try WardenProcess()
        defer { server.terminate(); server.removeData() }
        let admin = try server.admin()
        try admin.ok("USER ADD rotor kind=service")
        let before = try #require(try JWT.header(admin.issue("rotor"))["kid"] as? String)
        let rotated = try admin.ok("KEY ROTATE")
        let kid = try #require(rotated.value("kid"))
        #expect(rotated.final == "OK kid=\(kid)")
        #expect(kid != before)
        #expect(try JWT.header(admin.issue("rotor"))["kid"] as? String == kid)
    }

    @Test func afterRotationOldTokensStillValidateAndBothKeysArePublished() throws {
        let server = try WardenProcess()
        defer { server.terminate(); server.removeData() }
        let admin = try server.admin()
        try admin.ok("USER ADD rotor kind=service")
        let old = try admin.issue("rotor")
        let oldKid = try #require(try JWT.header(old)["kid"] as? String)
        let newKid = try #require(try admin.ok("KEY ROTATE").value("kid"))
        #expect(try admin.validate(old).hasPrefix("OK VALID sub=rotor "))
        #expect(Set(try jwks(of: server).compactMap { $0["kid"] as? String }) == [oldKid, newKid])
        let list = try admin.send("KEY LIST")
        #expect(list.data.contains { $0.hasPrefix("kid=\(oldKid) alg=EdDSA status=retired ") })
        #expect(list.data.contains { $0.hasPrefix("kid=\(newKid) alg=EdDSA status=active ") })
    }

    @Test func aRetiredKeyIsDroppedOnceEveryTokenItSignedHasExpired() throws {
        let server = try WardenProcess()
        defer { server.terminate(); server.removeData() }
        let admin = try server.admin()
        try admin.ok("USER ADD rotor kind=service")
        let old = try admin.issue("rotor", "ttl=2s")
        let oldKid = try #require(try JWT.header(old)["kid"] as? String)
        let newKid = try #require(try admin.ok("KEY ROTATE").value("kid"))
        #expect(try jwks(of: server).contains { $0["kid"] as? String == oldKid })
        Thread.sleep(forTimeInterval: 2.2)
        #expect(try jwks(of: server).compactMap { $0["kid"] as? String } == [newKid])
        let list = try admin.send("KEY LIST")
        #expect(list.final == "OK count=1")
        #expect(list.data.first?.hasPrefix("kid=\(newKid) ") == true)
        #expect(try admin.validate(old).hasPrefix("OK INVALID "))
    }

    @Test func theEdDSAKeySetHoldsOnlyPublicOKPKeys() throws {
        let server = try WardenProcess()
        defer { server.terminate(); server.removeData() }
        let admin = try server.admin()
        try admin.ok("KEY ROTATE")
        let keys = try jwks(of: server)
        #expect(keys.count == 1)
        for key in keys {
            #expect(key["kty"] as? String == "OKP")
            #expect(key["crv"] as? String == "Ed25519")
            #expect(key["alg"] as? String == "EdDSA")
            #expect(key["use"] as? String == "sig")
            #expect((key["x"] as? String)?.count == 43)
            #expect(Self.privateMembers.allSatisfy { key[$0] == nil })
        }
    }

    @Test func anES256ServerSignsES256TokensAndPublishesAP256Key() throws {
        let server = try WardenProcess(arguments: ["--token-alg", "ES256"])
        defer { server.terminate(); server.removeData() }
        let admin = try server.admin()
        try admin.ok("USER ADD ec-user kind=service")
        let token = try admin.issue("ec-user")
        let header = try JWT.header(token)
        #expect(header["alg"] as? String == "ES256")
        #expect(header["typ"] as? String == "JWT")
        #expect(try admin.validate(token).hasPrefix("OK VALID sub=ec-user "))
        #expect(try admin.send("KEY LIST").data.first?.contains(" alg=ES256 status=active ") == true)
        let key = try #require(try jwks(of: server).first { $0["kid"] as? String == header["kid"] as? String })
        #expect(key["kty"] as? String == "EC")
        #expect(key["crv"] as? String == "P-256")
        #expect(key["alg"] as? String == "ES256")
        #expect((key["x"] as? String)?.count == 43)
        #expect((key["y"] as? String)?.count == 43)
        #expect(Self.privateMembers.allSatisfy { key[$0] == nil })
    }
}

import Foundation
import Testing

/// SPEC §2.4 API keys, invitations and PASSWD: secrets shown once, usable for
/// `AUTH`, and refused once revoked, used or expired. Distinct users share a server.
@Suite struct TokenCredentialTests {
    static let shared = SharedWarden()

    // MARK: API keys

    @Test func anAPIKeyIsShownOnceAndAuthenticatesItsServiceUser() throws {
        let server = try Self.shared.get()
        try Fixture.service("cred-svc", on: server)
        let created = try server.admin().ok("APIKEY CREATE cred-svc")
        let id = try #require(created.value("id"))
        let key = try #require(created.value("key"))
        #expect(created.final == "OK id=\(id) key=\(key)")
        #expect(try server.connect().send("AUTH cred-svc \(key)").final == "OK user=cred-svc")
    }

    @Test func listingAPIKeysShowsTheirIDsButNeverTheSecret() throws {
        let server = try Self.shared.get()
        try Fixture.service("cred-list", on: server)
        let admin = try server.admin()
        let created = try admin.ok("APIKEY CREATE cred-list")
        let id = try #require(created.value("id"))
        let key = try #require(created.value("key"))
        let list = try admin.send("APIKEY LIST cred-list")
        #expect(list.final == "OK count=1")
        #expect(list.data.first.map { WireReply.value("id", in: $0) } == id)
        #expect(!list.description.contains(key))
    }

    @Test func aRevokedAPIKeyNoLongerAuthenticates() throws {
        let server = try Self.shared.get()
        try Fixture.service("cred-revoke", on: server)
        let admin = try server.admin()
        let created = try admin.ok("APIKEY CREATE cred-revoke")
        let id = try #require(created.value("id"))
        let key = try #require(created.value("key"))
        try admin.ok("APIKEY REVOKE cred-revoke \(id)")
        #expect(try server.connect().send("AUTH cred-revoke \(key)").final.hasPrefix("ERR AUTH-FAILED"))
        #expect(try admin.send("APIKEY LIST cred-revoke").final == "OK count=0")
    }

    @Test func aPersonGetsNoAPIKey() throws {
        let server = try Self.shared.get()
        try Fixture.person("cred-person", on: server)
        #expect(try server.admin().send("APIKEY CREATE cred-person").errorCode == "INVALID")
    }

    // MARK: Invitations

    /// Adds a user without a password and invites them; returns the code.
    private func invite(_ name: String, _ options: String = "", on server: WardenProcess) throws -> String {
        let admin = try server.admin()
        try admin.ok("USER ADD \(name)")
        let reply = try admin.ok("USER INVITE \(name) \(options)")
        let code = try #require(reply.value("code"))
        let expires = try #require(reply.value("expires"))
        // `link=` (v2, SPEC §11): the listener's address, the code in the fragment.
        let link = "http://127.0.0.1:\(server.httpPort)/activate?user=\(name)#code=\(code)"
        #expect(reply.final == "OK code=\(code) expires=\(expires) link=\(link)")
        #expect(Fixture.isTime(expires))
        return code
    }

    @Test func activatingBeforeAuthSetsTheFirstPassword() throws {
        let server = try Self.shared.get()
        let code = try invite("cred-hire", on: server)
        let connection = try server.connect()
        #expect(try connection.send("ACTIVATE cred-hire \(code) \(Fixture.password)").isOK)
        #expect(try connection.send("LOGIN cred-hire \(Fixture.password)").final.hasPrefix("OK token="))
    }

    @Test func anInvitationCodeWorksOnlyOnce() throws {
        let server = try Self.shared.get()
        let code = try invite("cred-once", on: server)
        try server.connect().ok("ACTIVATE cred-once \(code) \(Fixture.password)")
        let again = try server.connect().send("ACTIVATE cred-once \(code) \(Fixture.newPassword)")
        #expect(again.final.hasPrefix("ERR AUTH-FAILED"))
        #expect(try server.connect().send("LOGIN cred-once \(Fixture.newPassword)").errorCode == "AUTH-FAILED")
    }

    @Test func aWrongInvitationCodeFails() throws {
        let server = try Self.shared.get()
        let code = try invite("cred-wrong-code", on: server)
        let wrong = String(code.reversed())
        #expect(try server.connect().send("ACTIVATE cred-wrong-code \(wrong) \(Fixture.password)").final.hasPrefix("ERR AUTH-FAILED"))
    }

    @Test func aWeakFirstPasswordIsInvalidAndLeavesTheCodeUsable() throws {
        let server = try Self.shared.get()
        let code = try invite("cred-weak", on: server)
        let connection = try server.connect()
        #expect(try connection.send("ACTIVATE cred-weak \(code) password").errorCode == "INVALID")
        #expect(try connection.send("ACTIVATE cred-weak \(code) \(Fixture.password)").isOK)
    }

    @Test func anExpiredInvitationFails() throws {
        let server = try Self.shared.get()
        let code = try invite("cred-late", "ttl=1s", on: server)
        Thread.sleep(forTimeInterval: 1.5)
        #expect(try server.connect().send("ACTIVATE cred-late \(code) \(Fixture.password)").final.hasPrefix("ERR AUTH-FAILED"))
    }

    // MARK: PASSWD

    @Test func aUserChangesTheirOwnPassword() throws {
        let server = try Self.shared.get()
        try Fixture.person("cred-passwd", on: server)
        let connection = try server.connect()
        try connection.ok("AUTH cred-passwd \(Fixture.password)")
        #expect(try connection.send("PASSWD \(Fixture.password) \(Fixture.newPassword)").isOK)
        #expect(try server.connect().send("AUTH cred-passwd \(Fixture.newPassword)").final == "OK user=cred-passwd")
        #expect(try server.connect().send("AUTH cred-passwd \(Fixture.password)").errorCode == "AUTH-FAILED")
    }

    @Test func changingThePasswordWithAWrongCurrentOneFails() throws {
        let server = try Self.shared.get()
        try Fixture.person("cred-passwd-wrong", on: server)
        let connection = try server.connect()
        try connection.ok("AUTH cred-passwd-wrong \(Fixture.password)")
        #expect(try connection.send("PASSWD Not-The-Password-1 \(Fixture.newPassword)").final.hasPrefix("ERR AUTH-FAILED"))
        #expect(try server.connect().send("AUTH cred-passwd-wrong \(Fixture.password)").isOK)
    }
}

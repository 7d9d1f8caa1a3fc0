import Testing
import WardenService

/// A session, an invite and a token live no longer than what they were made from
/// (issue #11's adversarial pass): each case below passed before its fix.
@Suite struct CredentialLifetimeTests {
    static let password = "Carol-Password-1"

    /// The value of `key=` in a reply line.
    func value(_ key: String, in reply: String) throws -> String {
        let field = try #require(reply.split(separator: " ").first { $0.hasPrefix(key + "=") })
        return String(field.dropFirst(key.count + 1))
    }

    func admin(_ harness: ServiceHarness) async throws -> Session {
        try await harness.session(as: "admin", password: ServiceHarness.adminPassword)
    }

    // MARK: USER PASSWD (SPEC §2.2, v2)

    @Test func anAdminsPasswordResetRevokesTheUsersTokens() async throws {
        let harness = try await ServiceHarness.start()
        defer { harness.stop() }
        var admin = try await admin(harness)
        #expect(try await harness.send("USER ADD carol password=\(Self.password)", on: &admin) == "OK user=carol")
        var anonymous = Session(source: "127.0.0.1")
        let token = try value("token", in: try await harness.send("LOGIN carol \(Self.password)", on: &anonymous))
        #expect(try await harness.send("VALIDATE \(token)", on: &admin).hasPrefix("OK VALID sub=carol"))

        #expect(try await harness.send("USER PASSWD carol Carol-Password-2", on: &admin) == "OK")
        #expect(try await harness.send("VALIDATE \(token)", on: &admin) == "OK INVALID reason=revoked")
    }

    // MARK: Invites

    /// Adds `name` without a password and invites them; returns the code.
    func invite(_ name: String, _ harness: ServiceHarness, _ admin: inout Session) async throws -> String {
        #expect(try await harness.send("USER ADD \(name)", on: &admin) == "OK user=\(name)")
        return try value("code", in: try await harness.send("USER INVITE \(name)", on: &admin))
    }

    @Test func anInviteDiesWhenItsUserIsGrantedAWardenPermission() async throws {
        let harness = try await ServiceHarness.start()
        defer { harness.stop() }
        var admin = try await admin(harness)
        let code = try await invite("dave", harness, &admin)
        #expect(try await harness.send("GRANT dave warden-admin", on: &admin).hasPrefix("OK user=dave"))

        var anonymous = Session(source: "127.0.0.1")
        #expect(try await harness.send("ACTIVATE dave \(code) Dave-Password-1", on: &anonymous) == "ERR AUTH-FAILED authentication failed")
    }

    @Test func anInviteDiesWhenARoleOfItsUserGainsAWardenPermission() async throws {
        let harness = try await ServiceHarness.start()
        defer { harness.stop() }
        var admin = try await admin(harness)
        #expect(try await harness.send("ROLE ADD helpers", on: &admin) == "OK role=helpers")
        #expect(try await harness.send("ROLE ADD support", on: &admin) == "OK role=support")
        #expect(try await harness.send("ROLE INCLUDE support helpers", on: &admin).hasPrefix("OK"))
        let dave = try await invite("dave", harness, &admin)
        let erin = try await invite("erin", harness, &admin)
        #expect(try await harness.send("GRANT dave support", on: &admin).hasPrefix("OK user=dave"))
        #expect(try await harness.send("GRANT erin helpers", on: &admin).hasPrefix("OK user=erin"))

        // dave's role gains a warden permission through the role it includes.
        #expect(try await harness.send("ROLE GRANT helpers warden user-admin", on: &admin).hasPrefix("OK"))
        var anonymous = Session(source: "127.0.0.1")
        #expect(try await harness.send("ACTIVATE dave \(dave) Dave-Password-1", on: &anonymous) == "ERR AUTH-FAILED authentication failed")
        #expect(try await harness.send("ACTIVATE erin \(erin) Erin-Password-1", on: &anonymous) == "ERR AUTH-FAILED authentication failed")
    }

    @Test func anInviteStillWorksWhenARoleChangeGivesNoWardenPermission() async throws {
        let harness = try await ServiceHarness.start()
        defer { harness.stop() }
        var admin = try await admin(harness)
        #expect(try await harness.send("SYSTEM ADD crm permissions=read", on: &admin).hasPrefix("OK"))
        #expect(try await harness.send("ROLE ADD sales", on: &admin) == "OK role=sales")
        let code = try await invite("dave", harness, &admin)
        #expect(try await harness.send("GRANT dave sales", on: &admin).hasPrefix("OK user=dave"))
        #expect(try await harness.send("ROLE GRANT sales crm read", on: &admin).hasPrefix("OK"))

        var anonymous = Session(source: "127.0.0.1")
        #expect(try await harness.send("ACTIVATE dave \(code) Dave-Password-1", on: &anonymous) == "OK user=dave")
    }

    @Test func anInviteDiesWhenAPasswordIsSet() async throws {
        let harness = try await ServiceHarness.start()
        defer { harness.stop() }
        var admin = try await admin(harness)
        let code = try await invite("dave", harness, &admin)
        #expect(try await harness.send("USER PASSWD dave Dave-Password-1", on: &admin) == "OK")

        var anonymous = Session(source: "127.0.0.1")
        #expect(try await harness.send("ACTIVATE dave \(code) Dave-Password-2", on: &anonymous) == "ERR AUTH-FAILED authentication failed")
        _ = try await harness.session(as: "dave", password: "Dave-Password-1")
    }

    @Test func aUserWithAPasswordGetsNoInvite() async throws {
        let harness = try await ServiceHarness.start()
        defer { harness.stop() }
        var admin = try await admin(harness)
        #expect(try await harness.send("USER ADD carol password=\(Self.password)", on: &admin) == "OK user=carol")
        #expect(try await harness.send("USER INVITE carol", on: &admin) == "ERR CONFLICT user carol has a password; use USER PASSWD")
    }

    @Test func activateEndsTheUsersOtherSessions() async throws {
        let harness = try await ServiceHarness.start()
        defer { harness.stop() }
        var admin = try await admin(harness)
        let code = try await invite("svc", harness, &admin)
        // A session opened without a password: a token issued by an administrator.
        let token = try value("token", in: try await harness.send("TOKEN ISSUE svc", on: &admin))
        var tokenSession = Session(source: "127.0.0.1")
        #expect(try await harness.send("AUTH TOKEN \(token)", on: &tokenSession) == "OK user=svc")

        var anonymous = Session(source: "127.0.0.1")
        #expect(try await harness.send("ACTIVATE svc \(code) Svc-Password-1", on: &anonymous) == "OK user=svc")
        #expect(try await harness.send("HELLO", on: &tokenSession) == "OK server=warden version=1.0.0 proto=1 user=none")
    }

    // MARK: Sessions tied to their credential

    @Test func aTokenSessionEndsWhenItsTokenIsRevoked() async throws {
        let harness = try await ServiceHarness.start()
        defer { harness.stop() }
        var admin = try await admin(harness)
        #expect(try await harness.send("USER ADD carol password=\(Self.password)", on: &admin) == "OK user=carol")
        let token = try value("token", in: try await harness.send("TOKEN ISSUE carol", on: &admin))
        var session = Session(source: "127.0.0.1")
        #expect(try await harness.send("AUTH TOKEN \(token)", on: &session) == "OK user=carol")
        #expect(try await harness.send("HELLO", on: &session) == "OK server=warden version=1.0.0 proto=1 user=carol")

        #expect(try await harness.send("TOKEN REVOKE \(token)", on: &admin).hasPrefix("OK jti="))
        #expect(try await harness.send("HELLO", on: &session) == "OK server=warden version=1.0.0 proto=1 user=none")
        #expect(try await harness.send("PASSWD \(Self.password) Carol-Password-2", on: &session) == "ERR NOAUTH authenticate first")
    }

    @Test func aTokenSessionEndsWhenItsTokenExpires() async throws {
        let harness = try await ServiceHarness.start()
        defer { harness.stop() }
        var admin = try await admin(harness)
        let token = try value("token", in: try await harness.send("TOKEN ISSUE admin ttl=2s", on: &admin))
        var session = Session(source: "127.0.0.1")
        #expect(try await harness.send("AUTH TOKEN \(token)", on: &session) == "OK user=admin")
        #expect(try await harness.send("USER ADD early", on: &session) == "OK user=early")

        try await Task.sleep(for: .seconds(3))
        #expect(try await harness.send("USER ADD late", on: &session) == "ERR NOAUTH authenticate first")
        #expect(try await harness.send("USER SHOW late", on: &admin).hasPrefix("ERR NOT-FOUND"))
    }

    @Test func anAPIKeySessionEndsWhenItsKeyIsRevoked() async throws {
        let harness = try await ServiceHarness.start()
        defer { harness.stop() }
        var admin = try await admin(harness)
        #expect(try await harness.send("USER ADD gateway kind=service", on: &admin) == "OK user=gateway")
        let created = try await harness.send("APIKEY CREATE gateway", on: &admin)
        let (id, key) = (try value("id", in: created), try value("key", in: created))
        var session = Session(source: "127.0.0.1")
        #expect(try await harness.send("AUTH gateway \(key)", on: &session) == "OK user=gateway")

        #expect(try await harness.send("APIKEY REVOKE gateway \(id)", on: &admin).hasPrefix("OK"))
        #expect(try await harness.send("HELLO", on: &session) == "OK server=warden version=1.0.0 proto=1 user=none")
    }

    @Test func aPasswordSessionOutlivesARevokedAPIKeyOfTheSameUser() async throws {
        let harness = try await ServiceHarness.start()
        defer { harness.stop() }
        var admin = try await admin(harness)
        #expect(try await harness.send("USER ADD gateway kind=service password=Gateway-Password-1", on: &admin) == "OK user=gateway")
        let created = try await harness.send("APIKEY CREATE gateway", on: &admin)
        var session = try await harness.session(as: "gateway", password: "Gateway-Password-1")

        #expect(try await harness.send("APIKEY REVOKE gateway \(try value("id", in: created))", on: &admin).hasPrefix("OK"))
        #expect(try await harness.send("HELLO", on: &session) == "OK server=warden version=1.0.0 proto=1 user=gateway")
    }
}

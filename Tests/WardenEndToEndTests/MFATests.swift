import Foundation
import Testing

/// TOTP MFA (SPEC §7) against the real server, with codes computed by pyotp, an
/// independent implementation: enrolment, sign-in with a code, replay, the window of
/// one step either side, recovery codes, throttling, `--mfa admins`, help-desk resets.
@Suite struct MFATests {
    /// A server with `alice` (a plain user with a password) whose MFA is on; her secret
    /// and recovery codes.
    struct Enrolled {
        var server: WardenProcess
        var secret: String
        var recovery: [String]
    }

    static func enrolledAlice(_ arguments: [String] = []) throws -> Enrolled {
        let server = try WardenProcess(arguments: arguments)
        try server.setUp(["USER ADD alice password=\(Fixture.password)"])
        let alice = try server.connect()
        try alice.ok("AUTH alice \(Fixture.password)")
        let (secret, recovery) = try enrol(alice)
        return Enrolled(server: server, secret: secret, recovery: recovery)
    }

    /// `MFA ENROLL` then `MFA CONFIRM` with pyotp's code of this step.
    static func enrol(_ connection: LineConnection) throws -> (secret: String, recovery: [String]) {
        let enrolment = try connection.ok("MFA ENROLL")
        let secret = try #require(enrolment.value("secret"))
        PyOTP.waitForFreshStep()
        let confirmed = try connection.ok("MFA CONFIRM \(try PyOTP.code(secret))")
        #expect(confirmed.value("mfa") == "on")
        let recovery = try #require(confirmed.value("recovery")).split(separator: ",").map(String.init)
        return (secret, recovery)
    }

    @Test func enrolmentGivesASecretAndAURIThatPyOTPReads() throws {
        let server = try WardenProcess(arguments: ["--issuer", "Acme Corp"])
        defer { server.terminate(); server.removeData() }
        try server.setUp(["USER ADD alice password=\(Fixture.password)"])
        let alice = try server.connect()
        try alice.ok("AUTH alice \(Fixture.password)")
        try alice.ok("MFA STATUS").expectFields(["mfa": "off", "recovery-left": "0"])
        let reply = try alice.ok("MFA ENROLL")
        let secret = try #require(reply.value("secret"))
        #expect(secret.count == 32 && secret.allSatisfy { $0.isUppercase || ("2"..."7").contains($0) }, "160 bits of base32: \(secret)")
        let uri = try #require(reply.value("uri"))
        #expect(uri.hasPrefix("otpauth://totp/Acme%20Corp:alice?secret=\(secret)&issuer=Acme%20Corp"))
        let parsed = try PyOTP.parse(uri)
        #expect(parsed == ["secret": secret, "issuer": "Acme Corp", "name": "alice", "digits": "6", "interval": "30", "digest": "sha1"])
        try alice.ok("MFA STATUS").expectFields(["mfa": "pending"])
        // Pending is not on: a password alone still signs in, and USER SHOW says off.
        try server.connect().ok("AUTH alice \(Fixture.password)")
        #expect(try server.admin().ok("USER SHOW alice").value("mfa") == "off")
        // A new ENROLL replaces the unconfirmed one: the first secret's codes no longer confirm.
        let second = try #require(try alice.ok("MFA ENROLL").value("secret"))
        #expect(second != secret)
        PyOTP.waitForFreshStep()
        try alice.expectError("AUTH-FAILED", "MFA CONFIRM \(try PyOTP.code(secret))")
        try alice.ok("MFA CONFIRM \(try PyOTP.code(second))")
        try alice.expectError("CONFLICT", "MFA ENROLL")
        try alice.ok("MFA STATUS").expectFields(["mfa": "on", "recovery-left": "10"])
        #expect(try server.admin().ok("USER SHOW alice").value("mfa") == "on")
    }

    @Test func aSignInNeedsTheCodeOnceMFAIsOn() throws {
        let alice = try Self.enrolledAlice()
        defer { alice.server.terminate(); alice.server.removeData() }
        let server = alice.server
        #expect(alice.recovery.count == 10)
        let connection = try server.connect()
        try connection.expectError("MFA-REQUIRED", "AUTH alice \(Fixture.password)")
        try connection.expectError("MFA-REQUIRED", "LOGIN alice \(Fixture.password)")
        try connection.expectError("AUTH-FAILED", "AUTH alice Wrong-Password-1")
        // A right code with a wrong password is a wrong password (and the code is not spent).
        PyOTP.waitForFreshStep()
        let now = Int(Date().timeIntervalSince1970)
        let codes = try PyOTP.codes(alice.secret, at: [now - 30, now + 30, now - 60, now + 90])
        try connection.expectError("AUTH-FAILED", "AUTH alice Wrong-Password-1 otp=\(codes[0])")
        // The step before and the step after are accepted …
        try server.connect().ok("AUTH alice \(Fixture.password) otp=\(codes[0])")
        let token = try server.connect().ok("LOGIN alice \(Fixture.password) otp=\(codes[1])").value("token")
        #expect(token != nil)
        // … each once, on any connection …
        try server.connect().expectError("AUTH-FAILED", "AUTH alice \(Fixture.password) otp=\(codes[0])")
        try server.connect().expectError("AUTH-FAILED", "LOGIN alice \(Fixture.password) otp=\(codes[1])")
        // … and two steps away is refused.
        try server.connect().expectError("AUTH-FAILED", "AUTH alice \(Fixture.password) otp=\(codes[2])")
        try server.connect().expectError("AUTH-FAILED", "AUTH alice \(Fixture.password) otp=\(codes[3])")
        try server.connect().expectError("AUTH-FAILED", "AUTH alice \(Fixture.password) otp=000000x")
        let audit = try server.admin().send("AUDIT target=alice limit=100").data.joined(separator: "\n")
        #expect(audit.contains("mfa code already used"))
        #expect(audit.contains("wrong mfa code"))
        #expect(audit.contains("mfa code required"))
        for code in codes { #expect(!audit.contains(code), "the audit log holds a code") }
    }

    @Test func aRecoveryCodeSignsInOnceInPlaceOfACode() throws {
        let alice = try Self.enrolledAlice()
        defer { alice.server.terminate(); alice.server.removeData() }
        let code = alice.recovery[3]
        try alice.server.connect().ok("AUTH alice \(Fixture.password) otp=\(code)")
        try alice.server.connect().expectError("AUTH-FAILED", "AUTH alice \(Fixture.password) otp=\(code)")
        let connection = try alice.server.connect()
        try connection.ok("AUTH alice \(Fixture.password) otp=\(alice.recovery[4].uppercased())")
        try connection.ok("MFA STATUS").expectFields(["mfa": "on", "recovery-left": "8"])
        // MFA DISABLE takes a recovery code too; then the password alone signs in again.
        try connection.expectError("AUTH-FAILED", "MFA DISABLE \(code)")
        try connection.ok("MFA DISABLE \(alice.recovery[5])")
        try connection.ok("MFA STATUS").expectFields(["mfa": "off"])
        try alice.server.connect().ok("AUTH alice \(Fixture.password)")
        try connection.expectError("CONFLICT", "MFA DISABLE \(alice.recovery[6])")
    }

    @Test func fiveWrongCodesSlowTheSourceLikeWrongPasswords() throws {
        let alice = try Self.enrolledAlice()
        defer { alice.server.terminate(); alice.server.removeData() }
        let connection = try alice.server.connect()
        for _ in 0..<5 { try connection.expectError("AUTH-FAILED", "AUTH alice \(Fixture.password) otp=000000") }
        let started = Date()
        try connection.expectError("AUTH-FAILED", "AUTH alice \(Fixture.password) otp=000001")
        #expect(Date().timeIntervalSince(started) >= 0.9, "the sixth attempt waits about a second")
        #expect(try alice.server.admin().ok("USER SHOW alice").value("failed-logins") == "6")
    }

    @Test func apiKeysAndTokensAreNotAskedForACodeButHTTPBasicWithAPasswordIsRefused() throws {
        let alice = try Self.enrolledAlice()
        defer { alice.server.terminate(); alice.server.removeData() }
        let server = alice.server
        let admin = try server.admin()
        try admin.ok("GRANT alice warden introspect")
        let token = try admin.issue("alice")
        try server.connect().ok("AUTH TOKEN \(token)")
        try server.connect().expectError("SYNTAX", "AUTH TOKEN \(token) otp=123456")
        let refused = try httpRequest(port: server.httpPort, method: "POST", path: "/introspect",
                                      headers: basic("alice", Fixture.password), body: "token=\(token)")
        #expect(refused.status == 401)
        let audit = try admin.send("AUDIT actor=alice limit=100").data.joined(separator: "\n")
        #expect(audit.contains("action=http.basic"))
    }

    @Test func mfaAdminsHoldsTheBootstrapAdminToEnrolmentFirst() throws {
        let server = try WardenProcess(arguments: ["--mfa", "admins"])
        defer { server.terminate(); server.removeData() }
        let admin = try server.connect()
        let reply = try admin.ok("AUTH admin \(WardenProcess.adminPassword)")
        #expect(reply.final == "OK user=admin mfa=enrol-required")
        try admin.expectError("FORBIDDEN", "USER ADD bob password=\(Fixture.password)")
        try admin.expectError("FORBIDDEN", "CHECK admin warden grant")
        try admin.ok("HELLO")
        try admin.ok("PING")
        try server.connect().expectError("MFA-REQUIRED", "LOGIN admin \(WardenProcess.adminPassword)")
        let (secret, _) = try Self.enrol(admin)
        try admin.ok("USER ADD bob password=\(Fixture.password)")
        // A plain user is not covered by `admins`.
        #expect(try server.connect().ok("AUTH bob \(Fixture.password)").final == "OK user=bob")
        PyOTP.waitForFreshStep()
        try server.connect().ok("AUTH admin \(WardenProcess.adminPassword) otp=\(try PyOTP.code(secret, offset: 1))")
        let audit = try admin.send("AUDIT actor=admin limit=100").data.joined(separator: "\n")
        #expect(audit.contains("mfa enrolment required"))
    }

    @Test func mfaEveryoneCoversPlainUsers() throws {
        let server = try WardenProcess(arguments: ["--mfa", "everyone"])
        defer { server.terminate(); server.removeData() }
        let admin = try server.connect()
        try admin.ok("AUTH admin \(WardenProcess.adminPassword)")
        _ = try Self.enrol(admin)
        try admin.ok("USER ADD bob password=\(Fixture.password)")
        let bob = try server.connect()
        #expect(try bob.ok("AUTH bob \(Fixture.password)").final == "OK user=bob mfa=enrol-required")
        try bob.expectError("FORBIDDEN", "SYNC")
        try bob.ok("MFA STATUS")
    }

    @Test func aHelpDeskResetsAPlainUserButNotAnAdministrator() throws {
        let alice = try Self.enrolledAlice()
        defer { alice.server.terminate(); alice.server.removeData() }
        let server = alice.server
        try server.setUp(["USER ADD helpdesk password=\(Fixture.password)", "GRANT helpdesk warden user-admin"])
        let admin = try server.connect()
        try admin.ok("AUTH admin \(WardenProcess.adminPassword)")
        _ = try Self.enrol(admin)
        let helpdesk = try server.connect()
        try helpdesk.ok("AUTH helpdesk \(Fixture.password)")
        try helpdesk.ok("USER MFA-RESET alice").expectFields(["user": "alice", "mfa": "off"])
        #expect(try helpdesk.ok("USER SHOW alice").value("mfa") == "off")
        try server.connect().ok("AUTH alice \(Fixture.password)")
        try helpdesk.expectError("FORBIDDEN", "USER MFA-RESET admin")
        try helpdesk.expectError("FORBIDDEN", "USER MFA-RESET helpdesk")
        try helpdesk.expectError("NOT-FOUND", "USER MFA-RESET nobody")
        #expect(try helpdesk.ok("USER SHOW admin").value("mfa") == "on")
        let audit = try admin.send("AUDIT actor=helpdesk limit=100").data.joined(separator: "\n")
        #expect(audit.contains("action=user.mfa-reset target=alice"))
        #expect(audit.contains("result=denied"))
    }

    @Test func badInputGetsClearErrors() throws {
        let server = try WardenProcess()
        defer { server.terminate(); server.removeData() }
        try server.setUp(["USER ADD svc kind=service", "USER ADD alice password=\(Fixture.password)"])
        let alice = try server.connect()
        try alice.expectError("NOAUTH", "MFA ENROLL")
        try alice.ok("AUTH alice \(Fixture.password)")
        try alice.expectError("CONFLICT", "MFA CONFIRM 123456")
        try alice.expectError("CONFLICT", "MFA DISABLE 123456")
        try alice.expectError("SYNTAX", "MFA CONFIRM")
        try alice.expectError("SYNTAX", "MFA ENROLL now")
        try alice.expectError("SYNTAX", "MFA")
        try alice.expectError("UNKNOWN-COMMAND", "MFA FROB")
        try alice.ok("MFA ENROLL")
        try alice.expectError("AUTH-FAILED", "MFA CONFIRM 12345")
        try alice.expectError("AUTH-FAILED", "MFA CONFIRM abcdef")
        // A user without a password has nothing for MFA to protect.
        let admin = try server.admin()
        let key = try #require(try admin.ok("APIKEY CREATE svc").value("key"))
        let svc = try server.connect()
        try svc.ok("AUTH svc \(key)")
        try svc.expectError("CONFLICT", "MFA ENROLL")
    }
}

extension WireReply {
    /// Requires each `key=value` of `fields` in the final line.
    func expectFields(_ fields: [String: String], sourceLocation: SourceLocation = #_sourceLocation) {
        for (key, value) in fields {
            #expect(self.value(key) == value, "\(key)= in \(final)", sourceLocation: sourceLocation)
        }
    }
}

import Foundation
import Testing
import WardenCrypto

/// SPEC §7: "The secret is never shown after ENROLL, never logged, and stored encrypted
/// with the master key; recovery codes are stored only as salted hashes", and codes are
/// audited without the code. After a scenario that enrols, confirms, signs in with
/// codes and a recovery code and fails with wrong ones, none of them is in the server's
/// log, in a later reply, in the audit log, or (SQLite) in the database files.
@Suite struct MFASecretsTests {
    @Test func noMFASecretOrCodeIsInTheLogTheAuditLogOrTheDatabase() throws {
        let server = try WardenProcess()
        defer { server.terminate(); server.removeData() }
        try server.setUp(["USER ADD alice password=\(Fixture.password)"])
        let alice = try server.connect()
        try alice.ok("AUTH alice \(Fixture.password)")
        let enrolment = try alice.ok("MFA ENROLL")
        let secret = try #require(enrolment.value("secret"))
        PyOTP.waitForFreshStep()
        let now = Int(Date().timeIntervalSince1970)
        let codes = try PyOTP.codes(secret, at: [now, now - 30, now + 30])
        let recovery = try #require(try alice.ok("MFA CONFIRM \(codes[0])").value("recovery")).split(separator: ",").map(String.init)

        var later: [WireReply] = []
        later.append(try server.connect().send("AUTH alice \(Fixture.password) otp=\(codes[1])"))
        later.append(try server.connect().send("AUTH alice \(Fixture.password) otp=\(codes[1])"))
        later.append(try server.connect().send("LOGIN alice \(Fixture.password) otp=\(recovery[0])"))
        later.append(try server.connect().send("AUTH alice \(Fixture.password) otp=987654"))
        later.append(try server.connect().send("AUTH alice \(Fixture.password)"))
        for line in ["MFA STATUS", "HELLO", "HELP MFA ENROLL"] { later.append(try alice.send(line)) }
        let admin = try server.admin()
        for line in ["USER SHOW alice", "AUDIT limit=1000", "AUDIT target=alice", "AUDIT VERIFY"] { later.append(try admin.send(line)) }
        #expect(later.filter(\.isOK).count >= 6, "\(later.map(\.final))")
        let audit = try admin.send("AUDIT limit=1000").data.joined(separator: "\n")
        #expect(audit.contains("action=mfa.confirm") && audit.contains("action=mfa.enroll"))

        let secretBytes = try #require(Base32.decode(secret))
        var secrets = ["TOTP secret": secret, "TOTP secret, lower case": secret.lowercased()]
        for (index, code) in recovery.enumerated() {
            secrets["recovery code \(index)"] = code
            secrets["recovery code \(index) without dashes"] = code.replacingOccurrences(of: "-", with: "")
        }
        let replies = later.map(\.description).joined(separator: "\n")
        for (name, value) in secrets {
            #expect(!server.log.contains(value), "the log holds the \(name)")
            #expect(!replies.contains(value), "a later reply holds the \(name)")
            #expect(!audit.contains(value), "the audit log holds the \(name)")
        }
        // Codes are six digits, which timestamps and ports may contain: looked for as words.
        for code in codes + ["987654"] {
            let word = try Regex("(^|[^0-9])\(code)([^0-9]|$)")
            #expect(server.log.firstMatch(of: word) == nil, "the log holds a code")
            #expect(audit.firstMatch(of: word) == nil, "the audit log holds a code")
        }

        guard TestBackend.isSQLite else { return }
        guard server.terminate() == 0 else { Issue.record("the server did not stop cleanly"); return }
        for file in ["warden.db", "warden.db-wal"] {
            let path = server.dataDirectory.appendingPathComponent(file)
            guard let bytes = try? Array(Data(contentsOf: path)) else { continue }
            for (name, value) in secrets { #expect(!bytes.contains(value), "\(file) holds the \(name)") }
            #expect(!bytes.contains(secretBytes), "\(file) holds the raw TOTP secret")
        }
        let rows = try sqliteRows(server.dataDirectory.appendingPathComponent("warden.db").path,
                                  "SELECT sealed_secret, recovery_codes, used_steps FROM mfa")
        #expect(rows.count == 1)
        #expect(rows.first?[1].split(separator: ",").count == 9, "nine unused recovery codes, hashed")
        #expect(rows.first?[1].split(separator: ",").allSatisfy { $0.hasPrefix("sha256$") } == true)
    }
}

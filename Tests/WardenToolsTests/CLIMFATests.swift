import Foundation
import Testing

/// `warden cli` for a user whose MFA is on (SPEC §7): it asks nothing interactively;
/// the code comes from `WARDEN_OTP` (pyotp computes it here).
@Suite struct CLIMFATests {
    @Test func theCodeComesFromWardenOTPAndNothingIsAsked() throws {
        let server = try WardenProcess()
        defer { server.stop() }
        let admin = try server.admin()
        let secret = try #require(try admin.send("MFA ENROLL").value("secret"))
        PyOTP.waitForFreshStep()
        let now = Int(Date().timeIntervalSince1970)
        let codes = try PyOTP.codes(secret, at: [now, now - 30])
        #expect(try admin.send("MFA CONFIRM \(codes[0])").value("mfa") == "on")

        let without = try warden(["cli", "HELLO"], server: server, stdin: "")
        #expect(without.status == 2, "\(without)")
        #expect(without.stderr.contains("MFA-REQUIRED") && without.stderr.contains("WARDEN_OTP"), "\(without)")
        let with = try warden(["cli", "HELLO"], server: server, environment: ["WARDEN_OTP": codes[1]], stdin: "")
        #expect(with.status == 0, "\(with)")
        #expect(with.stdout.hasSuffix("user=admin\n"))
        // The same code again is spent.
        let again = try warden(["cli", "HELLO"], server: server, environment: ["WARDEN_OTP": codes[1]], stdin: "")
        #expect(again.status == 2, "\(again)")
        #expect(!again.stderr.contains(codes[1]))
    }

    @Test func aUserWhoMustEnrolIsToldSo() throws {
        let server = try WardenProcess(arguments: ["--mfa", "admins"])
        defer { server.stop() }
        let result = try warden(["cli", "MFA", "STATUS"], server: server, stdin: "")
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout == "OK mfa=off recovery-left=0\n")
        #expect(result.stderr.contains("must turn on MFA"), "\(result)")
    }
}

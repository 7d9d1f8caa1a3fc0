import Foundation
import Testing

/// SPEC §11 under TLS, with curl as the browser: the session cookie (and the sign-in
/// form's CSRF cookie) carry `Secure` and the `__Host-` prefix.
@Suite struct WebTLSTests {
    @Test(.enabled(if: TestCertificates.curl != nil, "needs the curl CLI"))
    func underTLSTheCookiesAreSecureAndHostPrefixed() throws {
        let certificates = try TestCertificates()
        defer { certificates.remove() }
        let server = try WardenProcess(arguments: certificates.serveArguments)
        defer { server.stop() }
        let jar = WardenProcess.temporaryDirectory("cookies").path
        defer { try? FileManager.default.removeItem(atPath: jar) }
        let curl = URL(fileURLWithPath: try #require(TestCertificates.curl))
        let base = "https://localhost:\(server.httpPort)"
        func fetch(_ path: String, form: String? = nil) throws -> String {
            let result = try run(curl, ["-sS", "--max-time", "10", "--cacert", certificates.caCertificate.path, "-c", jar, "-b", jar,
                                        "-D", "-"] + (form.map { ["-d", $0] } ?? []) + [base + path])
            #expect(result.status == 0, "\(result)")
            return result.stdout
        }
        let form = try fetch("/account")
        #expect(form.contains("__Host-warden-csrf="))
        #expect(form.contains("; Path=/; HttpOnly; SameSite=Strict; Secure"))
        let csrf = try #require(form.firstMatch(of: #/name="csrf" value="([^"]+)"/#)).1
        let signedIn = try fetch("/account/signin", form: "csrf=\(csrf)&username=admin&password=\(WardenProcess.adminPassword)")
        let cookie = try #require(signedIn.firstMatch(of: #/(?i)set-cookie: (__Host-warden-session=[^\r\n]+)/#)).1
        #expect(cookie.hasSuffix("; Path=/; HttpOnly; SameSite=Strict; Secure"), "\(cookie)")
        #expect(try fetch("/account").contains("Your account"))
    }
}

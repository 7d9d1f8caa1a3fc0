import Foundation
import Testing

/// SPEC §11 in a real browser: headless Chromium driven by Selenium (scripts/test
/// installs Debian's chromium and chromium-driver, and Selenium from PyPI).
@Suite(.serialized) struct WebBrowserTests {
    static let shared = SharedWarden()
    static let journey = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("web/activate_journey.py")
    static let available: Bool = FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium")
        && FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver")
        && (try? Python.run(["-c", "import selenium"], input: "").status) == 0

    /// Runs the journey script; with `WARDEN_SCREENSHOTS=1` the form is saved to `docs/screenshots/`.
    static func drive(_ input: [String: Any]) throws -> [String: Any] {
        let data = try JSONSerialization.data(withJSONObject: input)
        let result = try Python.run([journey.path], input: String(decoding: data, as: UTF8.self))
        guard result.status == 0, let output = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] else {
            Issue.record("the browser journey failed: \(result.stderr)")
            return [:]
        }
        return output
    }

    static var screenshotPath: Any {
        guard ProcessInfo.processInfo.environment["WARDEN_SCREENSHOTS"] == "1" else { return NSNull() }
        let folder = WardenProcess.packageRoot.appendingPathComponent("docs/screenshots")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.appendingPathComponent("activate.png").path
    }

    @Test(.enabled(if: available)) func aNewHireOpensTheInviteLinkAndSetsTheirPassword() throws {
        let server = try Self.shared.get()
        let (code, link) = try server.invite("browser-hire", "name=\"New Hire\"")
        let password = "Harbor-Lantern-3391"
        let seen = try Self.drive(["url": link, "password": password, "javascript": true, "screenshot": Self.screenshotPath])
        #expect(seen["username_field"] as? String == "browser-hire")
        #expect(seen["code_field"] as? String == code, "the script filled the code from the fragment")
        #expect(seen["address_after_load"] as? String == "http://127.0.0.1:\(server.httpPort)/activate?user=browser-hire",
                "the script took the code out of the address bar")
        #expect(seen["focused"] as? String == "password")
        #expect(seen["heading"] as? String == "Your password is set")
        #expect(seen["account_link"] as? Bool == true)
        #expect((seen["console_errors"] as? [String])?.isEmpty == true, "\(seen["console_errors"] ?? "")")
        try server.connect().ok("AUTH browser-hire \(password)")
    }

    @Test(.enabled(if: available)) func withoutJavaScriptTheCodeIsTypedByHand() throws {
        let server = try Self.shared.get()
        let (code, link) = try server.invite("browser-noscript")
        let password = "Meadow-Compass-5172"
        let seen = try Self.drive(["url": link, "password": password, "javascript": false, "code": code, "screenshot": NSNull()])
        #expect(seen["username_field"] as? String == "browser-noscript")
        #expect(seen["code_field"] as? String == "", "no script, no code filled")
        #expect(seen["focused"] as? String == "password")
        #expect(seen["heading"] as? String == "Your password is set")
        try server.connect().ok("AUTH browser-noscript \(password)")
    }
}

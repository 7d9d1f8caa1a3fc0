import Foundation
import Testing

/// SPEC §11's signed-in pages in a real browser (headless Chromium, Selenium), with the
/// keyboard alone: a new hire's whole first day, an access request approved and a review
/// item decided, and the help desk offboarding someone whose page is open. With
/// `WARDEN_SCREENSHOTS=1` each page is saved to `docs/screenshots/`.
@Suite(.serialized) struct WebJourneyTests {
    static let shared = SharedWarden()
    static let journey = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("web/pages_journey.py")
    static let available = WebBrowserTests.available && PyOTP.isAvailable
    static let password = "Harbor-Lantern-3391"

    static func drive(_ input: [String: Any]) throws -> [String: Any] {
        var input = input
        input["screenshots"] = screenshots
        let data = try JSONSerialization.data(withJSONObject: input)
        let result = try Python.run([journey.path], input: String(decoding: data, as: UTF8.self))
        guard result.status == 0, let output = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] else {
            Issue.record("the browser journey failed: \(result.stderr)")
            return [:]
        }
        #expect((output["console_errors"] as? [String])?.isEmpty == true, "\(output["console_errors"] ?? "")")
        return output
    }

    static var screenshots: Any {
        guard ProcessInfo.processInfo.environment["WARDEN_SCREENSHOTS"] == "1" else { return NSNull() }
        let folder = WardenProcess.packageRoot.appendingPathComponent("docs/screenshots")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.path
    }

    static func base(_ server: WardenProcess) -> String { "http://127.0.0.1:\(server.httpPort)" }

    @Test(.enabled(if: available)) func aNewHireActivatesSignsInEnrolsMFAAndChangesTheirPassword() throws {
        let server = try Self.shared.get()
        let (_, link) = try server.invite("journey-hire", "name=\"Noor Haddad\"")
        let seen = try Self.drive([
            "journey": "account", "base": Self.base(server), "link": link, "user": "journey-hire",
            "password": Self.password, "new_password": "Compass-Meadow-7742",
        ])
        #expect(seen["signed_in_heading"] as? String == "Your account")
        #expect(seen["qr_code"] as? Bool == true)
        #expect(seen["recovery_codes"] as? Int == 10)
        #expect(seen["after_sign_out"] as? String == "You are signed out")
        #expect(seen["code_asked"] as? Bool == true)
        #expect(seen["mfa_sign_in_heading"] as? String == "Your account")
        #expect(seen["password_changed_heading"] as? String == "Your password is changed")
        #expect(seen["after_password_change_signed_out"] as? Bool == true)
        let admin = try server.admin()
        #expect(try admin.ok("USER SHOW journey-hire").value("mfa") == "on")
        #expect(try server.connect().send("AUTH journey-hire Compass-Meadow-7742").errorCode == "MFA-REQUIRED", "the new password")
    }

    @Test(.enabled(if: available)) func aRequestIsApprovedAndAReviewItemDecidedInTheBrowser() throws {
        let server = try Self.shared.get()
        try server.setUp([
            "SYSTEM ADD journey-erp permissions=post", "ROLE ADD journey-posters", "ROLE GRANT journey-posters journey-erp post",
            "ROLE ADD journey-leads", "ROLE SET journey-posters requestable=yes approvers=journey-leads max=8h",
            "USER ADD journey-clerk password=\(Self.password)", "USER ADD journey-lead password=\(Self.password)",
            "USER ADD journey-auditor password=\(Self.password)", "GRANT journey-lead journey-leads",
        ])
        let started = try server.admin().ok("REVIEW START role=journey-leads reviewer=journey-auditor")
        let review = try #require(started.value("review"))
        let seen = try Self.drive([
            "journey": "governance", "base": Self.base(server), "password": Self.password, "role": "journey-posters",
            "requester": "journey-clerk", "approver": "journey-lead", "reviewer": "journey-auditor", "review": review,
        ])
        #expect((seen["request_notice"] as? String)?.contains("waiting for approval") == true)
        #expect((seen["approve_notice"] as? String)?.contains("is approved") == true)
        #expect((seen["review_notice"] as? String)?.contains("keep") == true)
        #expect(try server.admin().ok("CHECK journey-clerk journey-erp post").final.hasPrefix("OK ALLOW via=role:journey-posters"))
        #expect(try server.admin().ok("REVIEW ITEMS \(review)").data.first?.contains("decision=keep by=journey-auditor") == true)
    }

    @Test(.enabled(if: available)) func theHelpDeskDisablesSomeoneAndTheirOpenPageSignsOut() throws {
        let server = try Self.shared.get()
        try server.setUp([
            "USER ADD journey-desk password=\(Self.password)", "GRANT journey-desk warden user-admin", "GRANT journey-desk warden check",
            "USER ADD jane-leaver name=\"Jane Leaver\" password=\(Self.password)",
        ])
        let seen = try Self.drive([
            "journey": "helpdesk", "base": Self.base(server), "password": Self.password,
            "employee": "jane-leaver", "helpdesk": "journey-desk",
        ])
        #expect(seen["status_before"] as? String == "active")
        #expect(seen["status_after"] as? String == "disabled")
        #expect(seen["employee_signed_out"] as? Bool == true)
        #expect(try server.admin().ok("USER SHOW jane-leaver").value("status") == "disabled")
    }
}

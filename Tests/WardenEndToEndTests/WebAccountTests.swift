import Foundation
import Testing

/// `/account` (SPEC §11) over HTTP: MFA set up and used at sign-in, access requests
/// approved on the page, review items decided on it — each through its command.
@Suite struct WebAccountTests {
    static let shared = SharedWarden()
    static let password = Fixture.password

    @Test(.enabled(if: PyOTP.isAvailable)) func mfaIsSetUpOnThePageAndThenAskedForAtSignIn() throws {
        let server = try Self.shared.get()
        try server.admin().ok("USER ADD web-mfa password=\(Self.password)")
        var browser = PageClient(port: server.httpPort)
        _ = try browser.signIn("web-mfa", Self.password)
        let setup = try browser.post("/account/mfa/enrol", [])
        #expect(setup.status == 200)
        let secret = try #require(PageClient.text(ofID: "mfa-secret", in: setup))
        #expect(setup.body.contains("<svg") && setup.body.contains("class=\"qr\""), "a QR code drawn on the server")
        #expect(try server.admin().ok("USER SHOW web-mfa").value("mfa") == "off", "pending until confirmed")
        let wrong = try browser.post("/account/mfa/confirm", [("otp", "000000"), ("secret", secret), ("uri", "x")])
        #expect(wrong.status == 400)
        #expect(PageClient.text(ofID: "otp-error", in: wrong)?.isEmpty == false, "the error next to the field")
        PyOTP.waitForFreshStep()
        let done = try browser.post("/account/mfa/confirm", [("otp", try PyOTP.code(secret)), ("secret", secret), ("uri", "x")])
        #expect(done.status == 200)
        #expect(done.body.ranges(of: #/<li><code>[^<]+</code></li>/#).count == 10, "ten recovery codes, shown once")
        #expect(try server.admin().ok("USER SHOW web-mfa").value("mfa") == "on")

        _ = try browser.post("/account/signout", [])
        var again = PageClient(port: server.httpPort)
        let asked = try again.signIn("web-mfa", Self.password)
        #expect(asked.status == 200)
        #expect(asked.body.contains("name=\"otp\""))
        #expect(again.sessionID == nil, "no session before the code")
        let pending = try #require(asked.setCookies.first { $0.hasPrefix("warden-signin=") })
        #expect(pending.hasSuffix("; Path=/; HttpOnly; SameSite=Strict"))
        #expect(!pending.contains(Self.password), "the password is held sealed")
        #expect(try again.enterCode("123456").status == 400)
        #expect(try server.admin().ok("USER SHOW web-mfa").value("failed-logins") == "1", "a wrong code counts as a failure")
        let page = try again.enterCode(try PyOTP.code(secret, offset: 1))
        #expect(page.body.contains("Your account"))
        #expect(again.sessionID != nil)
    }

    @Test(.enabled(if: PyOTP.isAvailable)) func withMFARequiredOnlyTheSetUpIsReachable() throws {
        let server = try WardenProcess(arguments: ["--mfa", "everyone"])
        defer { server.terminate(); server.removeData() }
        let admin = try server.connect()
        try admin.ok("AUTH admin \(WardenProcess.adminPassword)")
        _ = try MFATests.enrol(admin)
        try admin.ok("USER ADD web-enrol password=\(Self.password)")
        try admin.ok("GRANT web-enrol warden check")
        var browser = PageClient(port: server.httpPort)
        let page = try browser.signIn("web-enrol", Self.password)
        #expect(page.body.contains("requires two-step sign-in"))
        #expect(page.body.contains("/account/mfa/enrol"))
        #expect(!page.body.contains("/account/request"), "nothing else until MFA is on")
        #expect(try browser.get("/admin").status == 403)
        _ = try browser.get("/account")
        #expect(try browser.post("/account/mfa/enrol", []).status == 200)
    }

    @Test func aRequestMadeOnThePageIsApprovedOnThePageAndThenAllowed() throws {
        let server = try Self.shared.get()
        try server.setUp([
            "SYSTEM ADD web-payroll permissions=read", "ROLE ADD web-payroll-reader", "ROLE GRANT web-payroll-reader web-payroll read",
            "ROLE ADD web-payroll-owners", "ROLE SET web-payroll-reader requestable=yes approvers=web-payroll-owners max=4h",
            "USER ADD web-asker password=\(Self.password)", "USER ADD web-owner password=\(Self.password)",
            "GRANT web-owner web-payroll-owners",
        ])
        var asker = PageClient(port: server.httpPort)
        let page = try asker.signIn("web-asker", Self.password)
        #expect(page.body.contains("<option value=\"web-payroll-reader\">"))
        let missing = try asker.post("/account/request", [("role", "web-payroll-reader"), ("for", "2h"), ("reason", "")])
        #expect(missing.status == 400)
        #expect(PageClient.text(ofID: "reason-error", in: missing)?.isEmpty == false)
        let made = try asker.post("/account/request", [("role", "web-payroll-reader"), ("for", "2h"), ("reason", "Quarter <close>")])
        #expect(made.status == 200)
        #expect(made.body.contains("Quarter &lt;close&gt;"))
        let number = try #require(made.body.firstMatch(of: #/Request #(\d+)/#)).1

        var owner = PageClient(port: server.httpPort)
        let decide = try owner.signIn("web-owner", Self.password)
        #expect(decide.body.contains("id=\"approve-\(number)\""))
        let approved = try owner.post("/account/request/decide", [("request", String(number)), ("decision", "approve"), ("reason", "ok")])
        #expect(approved.status == 200)
        #expect(approved.body.contains("is approved"))
        #expect(try server.admin().ok("CHECK web-asker web-payroll read").final.hasPrefix("OK ALLOW via=role:web-payroll-reader"))
        // REQUEST's own refusal, on the page: the role is held now.
        let own = try asker.post("/account/request", [("role", "web-payroll-reader"), ("reason", "again")])
        #expect(own.status == 409, "already held: CONFLICT")
        let audit = try server.admin().ok("AUDIT actor=web-owner").data
        #expect(audit.contains { $0.contains("action=request.approve") && $0.contains("source=127.0.0.1") }, "\(audit)")
    }

    @Test func aReviewerDecidesTheItemsAssignedToThem() throws {
        let server = try Self.shared.get()
        try server.setUp([
            "SYSTEM ADD web-ledger permissions=write", "ROLE ADD web-ledger-writer", "ROLE GRANT web-ledger-writer web-ledger write",
            "USER ADD web-clerk", "USER ADD web-reviewer password=\(Self.password)", "GRANT web-clerk web-ledger-writer",
        ])
        let started = try server.admin().ok("REVIEW START role=web-ledger-writer reviewer=web-reviewer")
        let review = try #require(started.value("review"))
        var reviewer = PageClient(port: server.httpPort)
        let page = try reviewer.signIn("web-reviewer", Self.password)
        #expect(page.body.contains("id=\"revoke-\(review)-1\""))
        let decided = try reviewer.post("/account/review/decide", [("review", review), ("item", "1"), ("decision", "revoke"),
                                                                    ("reason", "left the team")])
        #expect(decided.status == 200)
        let items = try server.admin().ok("REVIEW ITEMS \(review)").data
        #expect(items.first?.contains("decision=revoke by=web-reviewer") == true, "\(items)")
        var stranger = PageClient(port: server.httpPort)
        try server.admin().ok("USER ADD web-stranger password=\(Self.password)")
        _ = try stranger.signIn("web-stranger", Self.password)
        let refused = try stranger.post("/account/review/decide", [("review", review), ("item", "1"), ("decision", "keep")])
        #expect(refused.status == 403, "REVIEW DECIDE's own FORBIDDEN")
    }

    @Test func myAccessIsShownWithWhereItComesFrom() throws {
        let server = try Self.shared.get()
        try server.setUp([
            "SYSTEM ADD web-wiki permissions=edit", "ROLE ADD web-editors", "ROLE GRANT web-editors web-wiki edit",
            "USER ADD web-editor password=\(Self.password)", "GRANT web-editor web-editors",
        ])
        var browser = PageClient(port: server.httpPort)
        let page = try browser.signIn("web-editor", Self.password)
        #expect(page.body.contains("<tr><td>web-wiki</td><td>edit</td><td>role:web-editors</td><td>never</td></tr>"))
    }
}

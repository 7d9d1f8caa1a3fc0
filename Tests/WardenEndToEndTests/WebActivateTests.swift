import Foundation
import Testing

/// SPEC §11 `/activate`, over HTTP without a browser: headers, CSRF, escaping, the
/// same policy, throttling and audit as `ACTIVATE`.
@Suite struct WebActivateTests {
    static let shared = SharedWarden()
    static let password = "Lantern-Meadow-4821"

    @Test func theInviteCarriesALinkToTheListenerWithTheCodeInTheFragment() throws {
        let server = try Self.shared.get()
        let (code, link) = try server.invite("web-link")
        #expect(link == "http://127.0.0.1:\(server.httpPort)/activate?user=web-link#code=\(code)")
    }

    @Test func theInviteLinkStartsWithThePublicURLWhenOneIsGiven() throws {
        let server = try WardenProcess(arguments: ["--public-url", "https://id.example.com/"])
        defer { server.stop() }
        let (code, link) = try server.invite("web-public")
        #expect(link == "https://id.example.com/activate?user=web-public#code=\(code)")
    }

    @Test func theFormHasEveryHeaderAndAStrictCSRFCookie() throws {
        let server = try Self.shared.get()
        let form = try ActivateForm.open(on: server, user: "web-headers")
        #expect(form.page.status == 200)
        #expect(form.page.headers["content-type"] == "text/html; charset=utf-8")
        WebPageExpectations.expectSecurityHeaders(form.page)
        let cookie = try #require(form.page.headers["set-cookie"])
        #expect(cookie.hasPrefix("warden-csrf="))
        #expect(cookie.hasSuffix("; Path=/; HttpOnly; SameSite=Strict"), "no Secure without TLS: \(cookie)")
        #expect(form.cookie == "warden-csrf=\(form.csrf)")
        #expect(form.csrf.count == 43)
        #expect(form.page.body.contains("value=\"web-headers\""))
        #expect(form.page.body.contains("<script src=\"/static/activate.js\" defer></script>"))
        #expect(form.page.body.ranges(of: "<script").count == 1, "one script, a file")
        for id in ["username", "code", "password", "confirm"] {
            #expect(form.page.body.contains("<label for=\"\(id)\">"), "label for \(id)")
        }
    }

    @Test func aSecondVisitKeepsTheTokenSoThatTwoTabsBothWork() throws {
        let server = try Self.shared.get()
        let first = try ActivateForm.open(on: server)
        let again = try httpRequest(port: server.httpPort, method: "GET", path: "/activate", headers: ["Cookie": first.cookie])
        #expect(again.body.contains("value=\"\(first.csrf)\""))
    }

    @Test func theStaticFilesCarryTheHeadersToo() throws {
        let server = try Self.shared.get()
        for (path, type) in [("/static/warden.css", "text/css"), ("/static/activate.js", "text/javascript")] {
            let response = try httpRequest(port: server.httpPort, method: "GET", path: path)
            #expect(response.status == 200)
            #expect(response.headers["content-type"]?.hasPrefix(type) == true)
            WebPageExpectations.expectSecurityHeaders(response)
        }
        let missing = try httpRequest(port: server.httpPort, method: "GET", path: "/static/nothing.js")
        #expect(missing.status == 404)
        #expect(missing.body == "{\"error\":\"not found\"}", "unknown paths keep the HTTP side's answer")
    }

    @Test func otherMethodsAreNotAllowed() throws {
        let server = try Self.shared.get()
        let response = try httpRequest(port: server.httpPort, method: "PUT", path: "/activate")
        #expect(response.status == 405)
        #expect(response.headers["allow"] == "GET, HEAD, POST")
        WebPageExpectations.expectSecurityHeaders(response)
    }

    @Test func aPostWithoutAMatchingCSRFTokenIsRefusedAndChangesNothing() throws {
        let server = try Self.shared.get()
        let (code, _) = try server.invite("web-csrf")
        let admin = try server.admin()
        let auditBefore = try admin.ok("AUDIT target=web-csrf").data.count
        let form = try ActivateForm.open(on: server)
        let fields: [(String, String?)] = [("username", "web-csrf"), ("code", code), ("password", Self.password), ("confirm", Self.password)]
        let other = try ActivateForm.open(on: server)
        let attempts = [
            try form.post(on: server, fields, withCSRF: false),
            try form.post(on: server, fields + [("csrf", other.csrf)], withCSRF: false),
            try form.post(on: server, fields, cookie: "unrelated=1"),
            try form.post(on: server, fields, cookie: other.cookie),
        ]
        for response in attempts {
            #expect(response.status == 403)
            WebPageExpectations.expectSecurityHeaders(response)
            #expect(!response.body.contains("Your password is set"))
        }
        #expect(try admin.ok("AUDIT target=web-csrf").data.count == auditBefore, "no audit entry")
        // The code was not used up: the real form still works.
        let done = try form.activate(on: server, user: "web-csrf", code: code, password: Self.password)
        #expect(done.status == 200)
        #expect(done.body.contains("Your password is set"))
    }

    @Test func aMalformedFormIsRefusedWhole() throws {
        let server = try Self.shared.get()
        let form = try ActivateForm.open(on: server)
        for body in ["csrf=\(form.csrf)&username=a&username=b", "csrf=\(form.csrf)&extra=1", "csrf=\(form.csrf)&code=%zz"] {
            let response = try httpRequest(port: server.httpPort, method: "POST", path: "/activate", headers: [
                "Content-Type": "application/x-www-form-urlencoded", "Cookie": form.cookie,
            ], body: body)
            #expect(response.status == 400, "\(body)")
        }
        let json = try httpRequest(port: server.httpPort, method: "POST", path: "/activate", headers: [
            "Content-Type": "application/json", "Cookie": form.cookie,
        ], body: "{}")
        #expect(json.status == 400)
    }

    @Test func markupInAUsernameIsShownEscaped() throws {
        let server = try Self.shared.get()
        let hostile = "<script>alert(1)</script>\"'"
        let form = try ActivateForm.open(on: server, user: hostile)
        #expect(form.page.body.contains("value=\"&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;\""))
        #expect(!form.page.body.contains("<script>alert"))
        let posted = try form.activate(on: server, user: hostile, code: "x", password: "a", confirm: "b")
        #expect(posted.status == 400)
        #expect(posted.body.contains("&lt;script&gt;alert(1)"))
        #expect(!posted.body.contains("<script>alert"))
    }

    @Test func mismatchedPasswordsAreShownWithoutCallingTheService() throws {
        let server = try Self.shared.get()
        let (code, _) = try server.invite("web-mismatch")
        let auditBefore = try server.admin().ok("AUDIT target=web-mismatch").data.count
        let form = try ActivateForm.open(on: server)
        let response = try form.activate(on: server, user: "web-mismatch", code: code, password: Self.password, confirm: Self.password + "x")
        #expect(response.status == 400)
        #expect(response.body.contains("id=\"confirm-error\">The two passwords are not the same.</p>"))
        #expect(response.body.contains("value=\"\(code)\""), "the code is kept for the next try")
        #expect(!response.body.contains(Self.password), "a password is never sent back")
        WebPageExpectations.expectSecurityHeaders(response)
        #expect(try server.admin().ok("AUDIT target=web-mismatch").data.count == auditBefore)
    }

    @Test func aPolicyRefusalIsShownNextToThePasswordField() throws {
        let server = try Self.shared.get()
        let (code, _) = try server.invite("web-policy")
        let form = try ActivateForm.open(on: server)
        let common = try form.activate(on: server, user: "web-policy", code: code, password: "password123")
        #expect(common.status == 400)
        #expect(common.body.contains("id=\"password-error\">Password is on the list of common passwords.</p>"))
        let short = try form.activate(on: server, user: "web-policy", code: code, password: "Ab1")
        #expect(short.body.contains("id=\"password-error\">Password shorter than 8 characters.</p>"))
        #expect(try server.connect().send("AUTH web-policy password123").errorCode == "AUTH-FAILED")
    }

    @Test func aWrongCodeGetsOneGenericMessage() throws {
        let server = try Self.shared.get()
        _ = try server.invite("web-wrong")
        let form = try ActivateForm.open(on: server)
        for user in ["web-wrong", "web-nobody"] {
            let response = try form.activate(on: server, user: user, code: "0123456789abcdef0123456789abcdef", password: Self.password)
            #expect(response.status == 400)
            #expect(response.body.contains("This invite code does not work for this username"))
            #expect(!response.body.contains("value=\"0123456789abcdef"), "a wrong code is not kept")
        }
    }

    @Test func activationSetsThePasswordAndIsAuditedWithTheClientAddress() throws {
        let server = try Self.shared.get()
        let (code, _) = try server.invite("web-ok", "name=\"<b>New Hire</b>\"")
        let form = try ActivateForm.open(on: server, user: "web-ok")
        let response = try form.activate(on: server, user: "WEB-OK", code: code, password: Self.password)
        #expect(response.status == 200)
        WebPageExpectations.expectSecurityHeaders(response)
        #expect(response.body.contains("<strong>web-ok</strong>"))
        #expect(response.body.contains("href=\"/account\""))
        try server.connect().ok("AUTH web-ok \(Self.password)")
        let entry = try #require(try server.admin().ok("AUDIT target=web-ok").rows.last { $0["action"] == "activate" })
        #expect(entry["result"] == "ok")
        #expect(entry["source"] == "127.0.0.1")
        let again = try form.activate(on: server, user: "web-ok", code: code, password: "Other-Lantern-7733")
        #expect(again.body.contains("This invite code does not work"), "the code is single-use")
        #expect(!server.log.contains(code), "the code never reaches the log")
        #expect(!server.log.contains(Self.password))
    }

    @Test func wrongCodesAreThrottledLikeActivate() throws {
        let server = try Self.shared.get()
        _ = try server.invite("web-throttle")
        let form = try ActivateForm.open(on: server)
        for _ in 0..<5 {
            _ = try form.activate(on: server, user: "web-throttle", code: "wrong", password: Self.password)
        }
        let (sixth, seconds) = try Fixture.timed {
            try form.activate(on: server, user: "web-throttle", code: "wrong", password: Self.password)
        }
        #expect(sixth.status == 400)
        #expect(seconds >= 0.9, "the sixth failure waits (\(seconds) s)")
    }

    @Test func theSuccessLinkLeadsToTheAccountSignIn() throws {
        let server = try Self.shared.get()
        let page = try httpRequest(port: server.httpPort, method: "GET", path: "/account")
        #expect(page.status == 200)
        #expect(page.body.contains("action=\"/account/signin\""))
    }
}

import Foundation
import Testing

/// SPEC §11's sessions over HTTP without a browser: the cookie, the headers of every
/// page, the per-session CSRF token, and every way a session ends.
@Suite struct WebSessionTests {
    static let shared = SharedWarden()
    static let password = Fixture.password

    /// A user with a password, on the shared server.
    static func user(_ name: String, _ extra: String = "", on server: WardenProcess) throws {
        try server.admin().ok("USER ADD \(name) password=\(password) \(extra)")
    }

    @Test func signingInSetsAStrictSessionCookieAndAuditsTheClientAddress() throws {
        let server = try Self.shared.get()
        try Self.user("web-cookie", on: server)
        var browser = PageClient(port: server.httpPort)
        _ = try browser.get("/account")
        let answer = try browser.post("/account/signin", [("username", "web-cookie"), ("password", Self.password)])
        #expect(answer.status == 303)
        #expect(answer.headers["location"] == "/account")
        WebPageExpectations.expectSecurityHeaders(answer)
        let cookie = try #require(answer.setCookies.first { $0.hasPrefix("warden-session=") })
        let id = try #require(cookie.firstMatch(of: #/^warden-session=([A-Za-z0-9_-]{43}); Path=/; HttpOnly; SameSite=Strict$/#))
        #expect(browser.sessionID == String(id.1))
        let entry = try #require(try server.admin().ok("AUDIT target=web-cookie").data.last)
        #expect(entry.contains("action=auth") && entry.contains("source=127.0.0.1") && entry.contains("result=ok"), "\(entry)")
        #expect(!entry.contains(String(id.1)), "the session id is never audited")
    }

    @Test func everyPageCarriesTheHeadersAndEscapesWhatItShows() throws {
        let server = try Self.shared.get()
        try Self.user("web-markup", "name=\"<script>alert(1)</script> & 'Co'\"", on: server)
        try server.admin().ok("USER ADD web-helpdesk password=\(Self.password)")
        var browser = PageClient(port: server.httpPort)
        let account = try browser.signIn("web-markup", Self.password)
        #expect(account.status == 200)
        #expect(account.body.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#39;Co&#39;"))
        #expect(!account.body.contains("<script>alert"))
        for page in [account, try browser.get("/admin"), try browser.post("/account/mfa/enrol", [])] {
            WebPageExpectations.expectSecurityHeaders(page)
            #expect(page.headers["content-type"] == "text/html; charset=utf-8")
            #expect(!page.body.contains("<script"), "no script on the signed-in pages")
            #expect(!page.body.contains("style="), "no inline style")
        }
        var signedOut = PageClient(port: server.httpPort)
        for path in ["/account", "/admin"] { WebPageExpectations.expectSecurityHeaders(try signedOut.get(path)) }
    }

    @Test func aPostWithoutOrWithAWrongTokenIsRefusedAndChangesNothing() throws {
        let server = try Self.shared.get()
        try Self.user("web-forged", on: server)
        var victim = PageClient(port: server.httpPort)
        _ = try victim.signIn("web-forged", Self.password)
        var other = PageClient(port: server.httpPort)
        try Self.user("web-forger", on: server)
        _ = try other.signIn("web-forger", Self.password)
        let admin = try server.admin()
        let auditBefore = try admin.ok("AUDIT target=web-forged limit=1000").data.count
        let change = [("current", Self.password), ("new", Fixture.newPassword), ("confirm", Fixture.newPassword)]
        let wrongCurrent = [("current", "Wrong-Guess-1234"), ("new", Fixture.newPassword), ("confirm", Fixture.newPassword)]
        for (path, fields) in [("/account/password", change), ("/account/password", wrongCurrent), ("/account/signout", []),
                               ("/account/mfa/enrol", []), ("/account/request", [("role", "x"), ("reason", "y")])] {
            for token: String?? in [.some(nil), .some(other.csrf), .some("A" + String(repeating: "b", count: 42))] {
                let answer = try victim.post(path, fields, csrf: token)
                #expect(answer.status == 403, "\(path) with \(String(describing: token))")
                WebPageExpectations.expectSecurityHeaders(answer)
            }
        }
        // The sign-in form's own token (the double-submit cookie) is checked first too.
        var forger = PageClient(port: server.httpPort)
        _ = try forger.get("/account")
        for token: String?? in [.some(nil), .some(other.csrf)] {
            let answer = try forger.post("/account/signin", [("username", "web-forged"), ("password", "Wrong-Guess-1234")], csrf: token)
            #expect(answer.status == 403)
        }
        #expect(try admin.ok("AUDIT target=web-forged limit=1000").data.count == auditBefore, "nothing audited")
        #expect(try admin.ok("USER SHOW web-forged").value("failed-logins") == "0", "not even a failure counted")
        #expect(try admin.ok("USER SHOW web-forged").value("mfa") == "off", "no enrolment began")
        try server.connect().ok("AUTH web-forged \(Self.password)")
        #expect(try victim.get("/account").body.contains("Your account"), "the session goes on")
    }

    @Test func theSameAnswerForAWrongPasswordAndAnUnknownUser() throws {
        let server = try Self.shared.get()
        try Self.user("web-same", on: server)
        var browser = PageClient(port: server.httpPort)
        let wrong = try browser.signIn("web-same", "Not-The-Password-1")
        let unknown = try browser.signIn("web-nobody", "Not-The-Password-1")
        #expect(wrong.status == 400 && unknown.status == 400)
        let strip = { (page: HTTPResponse) in page.body.replacing(#/value="[^"]*"/#, with: "") }
        #expect(strip(wrong) == strip(unknown))
        #expect(browser.sessionID == nil)
        let audit = try server.admin().ok("AUDIT target=web-same").data
        #expect(audit.last?.contains("result=failed") == true)
    }

    @Test func webSignInsAreThrottledLikeAUTH() throws {
        let server = try Self.shared.get()
        try Self.user("web-throttled", on: server)
        var browser = PageClient(port: server.httpPort)
        for _ in 0..<5 { #expect(try browser.signIn("web-throttled", "Wrong-Guess-9876").status == 400) }
        let started = Date()
        let sixth = try browser.signIn("web-throttled", Self.password)
        #expect(Date().timeIntervalSince(started) >= 0.9, "the sixth attempt waits about a second")
        #expect(sixth.status == 200, "a right password still signs in, after the wait")
        #expect(try server.admin().ok("USER SHOW web-throttled").value("failed-logins") == "0")
    }

    @Test func signingOutEndsTheSession() throws {
        let server = try Self.shared.get()
        try Self.user("web-signout", on: server)
        var browser = PageClient(port: server.httpPort)
        _ = try browser.signIn("web-signout", Self.password)
        let id = try #require(browser.sessionID)
        let token = try #require(browser.csrf)
        let answer = try browser.post("/account/signout", [])
        #expect(answer.status == 200)
        #expect(browser.sessionID == nil, "the cookie is dropped")
        var replay = PageClient(port: server.httpPort)
        replay.setCookie("warden-session", id)
        #expect(try replay.get("/account").body.contains("action=\"/account/signin\""), "the old id signs nobody in")
        #expect(try replay.post("/account/mfa/enrol", [], csrf: token).status == 403)
        #expect(try server.admin().ok("AUDIT target=web-signout").data.last?.contains("action=web.signout") == true)
    }

    @Test func signingInAgainEndsTheBrowsersPreviousSession() throws {
        let server = try Self.shared.get()
        try Self.user("web-again", on: server)
        try Self.user("web-again-2", on: server)
        // Two tabs: the sign-in form open in the second while the first signs in.
        var browser = PageClient(port: server.httpPort)
        let form = try #require(PageClient.csrf(in: try browser.get("/account")))
        _ = try browser.post("/account/signin", [("username", "web-again"), ("password", Self.password)])
        let first = try #require(browser.sessionID)
        let again = try browser.post("/account/signin", [("username", "web-again-2"), ("password", Self.password)], csrf: .some(form))
        #expect(again.status == 303)
        #expect(try browser.get("/account").body.contains("(web-again-2)"))
        #expect(browser.sessionID != first)
        var replay = PageClient(port: server.httpPort)
        replay.setCookie("warden-session", first)
        #expect(try replay.get("/account").body.contains("action=\"/account/signin\""))
    }

    @Test(arguments: ["password", "disable", "delete", "reset"])
    func aSessionEndsWhenThePasswordChangesOrTheUserIsDisabledOrDeleted(_ how: String) throws {
        let server = try Self.shared.get()
        let name = "web-ends-\(how)"
        try Self.user(name, on: server)
        var browser = PageClient(port: server.httpPort)
        _ = try browser.signIn(name, Self.password)
        let id = try #require(browser.sessionID)
        let admin = try server.admin()
        switch how {
        case "password":
            let answer = try browser.post("/account/password", [("current", Self.password), ("new", Fixture.newPassword),
                                                                 ("confirm", Fixture.newPassword)])
            #expect(answer.status == 200)
            #expect(answer.body.contains("Sign in again"))
            try server.connect().ok("AUTH \(name) \(Fixture.newPassword)")
        case "disable":
            try admin.ok("USER DISABLE \(name)")
            try admin.ok("USER ENABLE \(name)")  // an enable does not bring the session back
        case "delete":
            try admin.ok("USER DELETE \(name)")
            try Self.user(name, on: server)  // nor does a new user of the same name
        default:
            try admin.ok("USER PASSWD \(name) \(Fixture.newPassword)")
        }
        var stolen = PageClient(port: server.httpPort)
        stolen.setCookie("warden-session", id)
        let page = try stolen.get("/account")
        #expect(page.body.contains("action=\"/account/signin\""), "\(how): signed out")
    }

    @Test func aSessionEndsAfterItsIdleLimit() throws {
        let server = try WardenProcess(arguments: ["--web-idle-timeout", "3"])
        defer { server.stop() }
        try Self.user("web-idle", on: server)
        var browser = PageClient(port: server.httpPort)
        #expect(try browser.signIn("web-idle", Self.password).body.contains("Your account"))
        Thread.sleep(forTimeInterval: 4)
        #expect(try browser.get("/account").body.contains("action=\"/account/signin\""))
    }

    @Test func aSessionEndsAfterItsLifetimeEvenWhenInUse() throws {
        let server = try WardenProcess(arguments: ["--web-session-lifetime", "5"])
        defer { server.stop() }
        try Self.user("web-lifetime", on: server)
        var browser = PageClient(port: server.httpPort)
        #expect(try browser.signIn("web-lifetime", Self.password).body.contains("Your account"))
        for _ in 0..<6 {
            Thread.sleep(forTimeInterval: 1)
            _ = try browser.get("/account")
        }
        #expect(try browser.get("/account").body.contains("action=\"/account/signin\""))
    }

    @Test func limitsLongerThanTheSpecsAreRefused() throws {
        let result = try runWarden(["serve", "--web-idle-timeout", "901"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("--web-idle-timeout"))
    }
}

import Foundation
import Testing

/// `/admin` (SPEC §11) over HTTP: the help desk finds, shows, disables, enables, invites
/// and resets MFA through the `USER …` commands, with §2.6's escalation rules.
@Suite struct WebAdminTests {
    static let shared = SharedWarden(setUp: { server in
        try server.setUp([
            "USER ADD web-desk password=\(Fixture.password)", "GRANT web-desk warden user-admin", "GRANT web-desk warden check",
            "USER ADD web-plain password=\(Fixture.password)",
        ])
    })
    static let password = Fixture.password

    @Test func onlyHoldersOfUserAdminGetThePage() throws {
        let server = try Self.shared.get()
        var plain = PageClient(port: server.httpPort)
        let refused = try plain.signIn("web-plain", Self.password, home: "/admin")
        #expect(refused.status == 403)
        WebPageExpectations.expectSecurityHeaders(refused)
        var desk = PageClient(port: server.httpPort)
        let page = try desk.signIn("web-desk", Self.password, home: "/admin")
        #expect(page.status == 200)
        #expect(page.body.contains("<label for=\"prefix\">"))
    }

    @Test func theHelpDeskFindsAUserAndSeesTheirStatusMFAAndAccess() throws {
        let server = try Self.shared.get()
        try server.setUp(["USER ADD web-find-ann name=\"Ann <Admin>\"", "USER ADD web-find-bob", "USER ADD web-other",
                          "SYSTEM ADD web-crm permissions=read", "GRANT web-find-ann web-crm read"])
        var desk = PageClient(port: server.httpPort)
        _ = try desk.signIn("web-desk", Self.password, home: "/admin")
        let found = try desk.get("/admin?prefix=web-find")
        #expect(found.body.contains("/admin/user?name=web-find-ann") && found.body.contains("/admin/user?name=web-find-bob"))
        #expect(!found.body.contains("web-other"))
        #expect(found.body.contains("Ann &lt;Admin&gt;"))
        let shown = try desk.get("/admin/user?name=web-find-ann")
        #expect(PageClient.text(ofID: "user-status", in: shown) == "active")
        #expect(PageClient.text(ofID: "user-mfa", in: shown) == "off")
        #expect(shown.body.contains("<tr><td>web-crm</td><td>read</td><td>direct</td><td>never</td></tr>"))
    }

    @Test func disablingOnThePageEndsTheUsersOpenSession() throws {
        let server = try Self.shared.get()
        try server.setUp(["USER ADD web-leaver password=\(Self.password)"])
        var leaver = PageClient(port: server.httpPort)
        #expect(try leaver.signIn("web-leaver", Self.password).body.contains("Your account"))
        var desk = PageClient(port: server.httpPort)
        _ = try desk.signIn("web-desk", Self.password, home: "/admin")
        _ = try desk.get("/admin/user?name=web-leaver")
        let disabled = try desk.post("/admin/user/disable", [("name", "web-leaver"), ("reason", "left the company")])
        #expect(disabled.status == 200)
        #expect(PageClient.text(ofID: "user-status", in: disabled) == "disabled")
        #expect(try leaver.get("/account").body.contains("action=\"/account/signin\""), "their session ended")
        let entry = try #require(try server.admin().ok("AUDIT target=web-leaver").data.last)
        #expect(entry.contains("actor=web-desk") && entry.contains("action=user.disable") && entry.contains("left the company"), "\(entry)")
        let enabled = try desk.post("/admin/user/enable", [("name", "web-leaver")])
        #expect(PageClient.text(ofID: "user-status", in: enabled) == "active")
    }

    @Test func aNewInviteShowsItsLinkAndAnMFAResetWorks() throws {
        let server = try Self.shared.get()
        try server.setUp(["USER ADD web-newhire"])
        var desk = PageClient(port: server.httpPort)
        _ = try desk.signIn("web-desk", Self.password, home: "/admin")
        _ = try desk.get("/admin/user?name=web-newhire")
        let invited = try desk.post("/admin/user/invite", [("name", "web-newhire")])
        #expect(invited.status == 200)
        #expect(invited.body.contains("http://127.0.0.1:\(server.httpPort)/activate?user=web-newhire#code="))
        let reset = try desk.post("/admin/user/mfa-reset", [("name", "web-newhire")])
        #expect(reset.status == 200)
        #expect(try server.admin().ok("AUDIT target=web-newhire").data.last?.contains("action=user.mfa-reset") == true)
    }

    @Test func theHelpDeskCannotActOnAnAdministrator() throws {
        let server = try Self.shared.get()
        var desk = PageClient(port: server.httpPort)
        _ = try desk.signIn("web-desk", Self.password, home: "/admin")
        _ = try desk.get("/admin/user?name=admin")
        let refused = try desk.post("/admin/user/disable", [("name", "admin"), ("reason", "test")])
        #expect(refused.status == 403)
        #expect(refused.body.contains("class=\"notice error\""))
        #expect(try server.admin().ok("USER SHOW admin").value("status") == "active")
        let audit = try server.admin().ok("AUDIT actor=web-desk target=admin").data
        #expect(audit.contains { $0.contains("action=user.disable") && $0.contains("result=denied") }, "\(audit)")
    }

    @Test func aPostWithoutTheTokenChangesNothingHereEither() throws {
        let server = try Self.shared.get()
        try server.setUp(["USER ADD web-kept password=\(Self.password)"])
        var desk = PageClient(port: server.httpPort)
        _ = try desk.signIn("web-desk", Self.password, home: "/admin")
        for path in AdminPaths.all {
            #expect(try desk.post(path, [("name", "web-kept")], csrf: .some(nil)).status == 403, "\(path)")
        }
        #expect(try server.admin().ok("USER SHOW web-kept").value("status") == "active")
    }
}

enum AdminPaths {
    static let all = ["/admin/user/disable", "/admin/user/enable", "/admin/user/invite", "/admin/user/mfa-reset"]
}

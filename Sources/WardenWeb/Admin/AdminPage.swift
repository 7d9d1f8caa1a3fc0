import WardenProtocol
import WardenService

/// `/admin` (SPEC §11): the help desk's page, for holders of `warden user-admin`. Find
/// users by name prefix (`USER LIST`), see one (`USER SHOW`, `ACCESS`), disable or
/// enable, invite, reset MFA — each the command itself, run as the signed-in operator,
/// so that §2.6's escalation rules decide as they do on the line protocol.
struct AdminPage: Sendable {
    let service: WardenService

    static let actions: [String: Set<String>] = [
        "/admin/user/disable": ["name", "reason"],
        "/admin/user/enable": ["name"],
        "/admin/user/invite": ["name"],
        "/admin/user/mfa-reset": ["name"],
    ]

    func show(_ request: WebRequest) async -> HTTPAnswer {
        guard let signedIn = WebPages.signedIn(request, service: service) else {
            return SignInPage(service: service, home: "/admin").show(request)
        }
        if let refusal = AdminPage.refusal(signedIn) { return refusal }
        let query = request.query.flatMap { FormBody(Array($0.utf8), allowed: ["prefix", "name"]) }
        if request.path == "/admin/user" {
            return await user(signedIn, name: query?["name"] ?? "")
        }
        return await search(signedIn, prefix: query?["prefix"] ?? "")
    }

    /// Only holders of `user-admin` who need not enrol MFA first get the page.
    static func refusal(_ signedIn: SignedIn) -> HTTPAnswer? {
        if signedIn.caller.mustEnrol {
            return PageResponse.message(status: 403, title: "Set up two-step sign-in first",
                                        text: "Your organisation requires two-step sign-in. Set it up on your account page (/account) first.")
        }
        guard signedIn.caller.isUserAdmin else {
            return PageResponse.message(status: 403, title: "Not allowed",
                                        text: "User administration is for holders of the warden user-admin permission. Your own page is /account.")
        }
        return nil
    }

    func search(_ signedIn: SignedIn, prefix: String, status: Int = 200) async -> HTTPAnswer {
        var results = HTML.empty
        if !prefix.isEmpty {
            let reply = ReplyView(await service.run("USER LIST", [Word(key: "prefix", quotedValue: prefix), Word(text: "limit=50")],
                                                    as: signedIn.caller))
            if reply.error != nil {
                results = AccountPage.render(AccountPage.Notice(text: reply.sentence, isError: true))
            } else if reply.rows.isEmpty {
                results = AccountPage.empty("No user's name starts with that.")
            } else {
                let rows = reply.rows.map { row in
                    WebAssets.template("user-row.html").render([
                        "user": .text(row["user"] ?? ""), "name": .text(row["name"] ?? ""),
                        "kind": .text(row["kind"] ?? ""), "status": .text(row["status"] ?? ""),
                    ])
                }
                results = WebAssets.template("users-table.html").render(["rows": .html(HTML.joined(rows))])
            }
        }
        let content = WebAssets.template("admin.html").render([
            "csrf": .text(signedIn.csrf), "prefix": .text(prefix), "results": .html(results),
            "operator": .text(signedIn.caller.name),
        ])
        return PageResponse.page(status: status, title: "User administration", content: content)
    }

    func user(_ signedIn: SignedIn, name: String, status: Int = 200, notice: AccountPage.Notice? = nil) async -> HTTPAnswer {
        let caller = signedIn.caller
        let shown = ReplyView(await service.run("USER SHOW", [Word(text: name, quoted: true)], as: caller))
        guard shown.isOK else {
            let content = WebAssets.template("admin-missing.html").render([
                "text": .text(shown.sentence), "notice": .html(AccountPage.render(notice)),
            ])
            return PageResponse.page(status: notice == nil ? AccountPage.status(shown) : status, title: "User administration", content: content)
        }
        let user = shown.fields
        let access = ReplyView(await service.run("ACCESS", [Word(text: name, quoted: true)], as: caller))
        let accessHTML: HTML
        if !access.isOK {
            accessHTML = AccountPage.empty("Their access cannot be shown: \(access.sentence)")
        } else if access.rows.isEmpty {
            accessHTML = AccountPage.empty("No access.")
        } else {
            accessHTML = WebAssets.template("access-table.html").render(["rows": .html(HTML.joined(access.rows.map { row in
                WebAssets.template("access-row.html").render([
                    "system": .text(row["system"] ?? ""), "permission": .text(row["permission"] ?? ""),
                    "via": .text(row["via"] ?? ""), "until": .text(row["until"] ?? ""),
                ])
            }))])
        }
        let username = user["user"] ?? name
        let toggle = user["status"] == "disabled" ? "user-enable.html" : "user-disable.html"
        let content = WebAssets.template("admin-user.html").render([
            "csrf": .text(signedIn.csrf), "notice": .html(AccountPage.render(notice)),
            "user": .text(username), "name": .text(user["name"] ?? ""), "email": .text(user["email"] ?? ""),
            "kind": .text(user["kind"] ?? ""), "status": .text(user["status"] ?? ""), "mfa": .text(user["mfa"] ?? ""),
            "created": .text(user["created"] ?? ""), "lastLogin": .text(user["last-login"] ?? ""),
            "failedLogins": .text(user["failed-logins"] ?? ""), "access": .html(accessHTML),
            "toggle": .html(WebAssets.template(toggle).render(["csrf": .text(signedIn.csrf), "user": .text(username)])),
        ])
        return PageResponse.page(status: status, title: "User \(username)", content: content)
    }

    func act(_ request: WebRequest) async -> HTTPAnswer {
        guard let fields = AdminPage.actions[request.path] else {
            return PageResponse.message(status: 404, title: "Not found", text: "There is no page here.")
        }
        let signedIn: SignedIn, body: FormBody
        switch WebPages.gate(request, fields: fields, service: service) {
        case .refused(let answer): return answer
        case .pass(let s, let b): (signedIn, body) = (s, b)
        }
        if signedIn.caller.mustEnrol, let refusal = AdminPage.refusal(signedIn) { return refusal }
        let name = body["name"] ?? ""
        let target = Word(text: name, quoted: true)
        let command: String, arguments: [Word]
        switch request.path {
        case "/admin/user/disable":
            let reason = body["reason"] ?? ""
            (command, arguments) = ("USER DISABLE", reason.isEmpty ? [target] : [target, Word(key: "reason", quotedValue: reason)])
        case "/admin/user/enable": (command, arguments) = ("USER ENABLE", [target])
        case "/admin/user/invite": (command, arguments) = ("USER INVITE", [target])
        default: (command, arguments) = ("USER MFA-RESET", [target])
        }
        let reply = ReplyView(await service.run(command, arguments, as: signedIn.caller))
        guard reply.isOK else {
            return await user(signedIn, name: name, status: AccountPage.status(reply), notice: AccountPage.Notice(text: reply.sentence, isError: true))
        }
        let text: String
        switch command {
        case "USER DISABLE": text = "\(name) is disabled: their sessions and tokens ended."
        case "USER ENABLE": text = "\(name) is enabled again."
        case "USER INVITE":
            let link = reply.fields["link"] ?? "code \(reply.fields["code"] ?? "")"
            text = "New invite for \(name), good until \(reply.fields["expires"] ?? ""). Send them this link: \(link)"
        default: text = "\(name)'s MFA is reset: they set it up again at their next sign-in."
        }
        return await user(signedIn, name: name, notice: AccountPage.Notice(text: text, isError: false))
    }
}

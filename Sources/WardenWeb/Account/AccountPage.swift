import WardenProtocol
import WardenService

/// `/account` (SPEC §11): a signed-in employee's own page — their access, password,
/// MFA, access requests, the requests and review items they decide, sign-out. Every
/// action is the line-protocol command run as them (`WardenService.run(_:_:as:)`).
struct AccountPage: Sendable {
    let service: WardenService

    /// What the page says after an action, above the sections.
    struct Notice {
        var text: String
        var isError: Bool
    }

    /// Errors next to the fields of the forms that keep some (password, MFA, request).
    struct FieldErrors {
        var values: [String: String] = [:]
        subscript(name: String) -> String {
            get { values[name] ?? "" }
            set { values[name] = newValue }
        }
        var isEmpty: Bool { values.values.allSatisfy(\.isEmpty) }
    }

    func show(_ request: WebRequest) async -> HTTPAnswer {
        guard let signedIn = WebPages.signedIn(request, service: service) else {
            return SignInPage(service: service, home: "/account").show(request)
        }
        return await dashboard(signedIn)
    }

    /// The whole page. `kept`: values to put back in the request form.
    func dashboard(_ signedIn: SignedIn, status: Int = 200, notice: Notice? = nil, errors: FieldErrors = FieldErrors(),
                   kept: [String: String] = [:]) async -> HTTPAnswer {
        let caller = signedIn.caller
        var sections: [HTML] = []
        if caller.mustEnrol {
            sections.append(section("mfa", "Two-step sign-in (MFA)", mfaSection(signedIn, errors: errors)))
        } else {
            sections.append(section("access", "My access", accessSection(caller)))
            sections.append(section("mfa", "Two-step sign-in (MFA)", mfaSection(signedIn, errors: errors)))
            let requests = await requests(signedIn)
            sections.append(section("request", "Request access", requestSection(signedIn, requests: requests, errors: errors, kept: kept)))
            if let approvals = approvalSection(signedIn, requests: requests) {
                sections.append(section("approvals", "Requests to decide", approvals))
            }
            if let reviews = await reviewSection(signedIn) { sections.append(section("reviews", "Access reviews", reviews)) }
            sections.append(section("password", "Change password", passwordForm(signedIn, errors: errors)))
            if caller.isUserAdmin {
                sections.append(section("admin", "User administration", WebAssets.template("admin-link.html").render([:])))
            }
        }
        let enrolNotice = Notice(text: "Your organisation requires two-step sign-in. Set it up to continue.", isError: false)
        let content = WebAssets.template("account.html").render([
            "displayName": .text(caller.displayName.isEmpty ? caller.name : caller.displayName), "username": .text(caller.name),
            "csrf": .text(signedIn.csrf), "heading": .text("Your account"),
            "notice": .html(AccountPage.render(notice ?? (caller.mustEnrol ? enrolNotice : nil))),
            "sections": .html(HTML.joined(sections)),
        ])
        return PageResponse.page(status: status, title: "Your account", content: content)
    }

    static func render(_ notice: Notice?) -> HTML {
        guard let notice else { return .empty }
        return WebAssets.template("notice.html").render(["kind": .text(notice.isError ? "error" : "ok"), "text": .text(notice.text)])
    }

    func section(_ id: String, _ heading: String, _ body: HTML) -> HTML {
        WebAssets.template("section.html").render(["id": .text(id), "heading": .text(heading), "body": .html(body)])
    }

    static func empty(_ text: String) -> HTML { WebAssets.template("empty.html").render(["text": .text(text)]) }

    static func invalid(_ error: String) -> TemplateValue { .text(error.isEmpty ? "false" : "true") }

    private func accessSection(_ caller: WebCaller) -> HTML {
        let lines = service.ownAccess(caller)
        guard !lines.isEmpty else { return AccountPage.empty("You have no access yet.") }
        let rows = lines.map { line in
            WebAssets.template("access-row.html").render([
                "system": .text(line.system), "permission": .text(line.permission), "via": .text(line.via), "until": .text(line.until),
            ])
        }
        return WebAssets.template("access-table.html").render(["rows": .html(HTML.joined(rows))])
    }

    private func mfaSection(_ signedIn: SignedIn, errors: FieldErrors) -> HTML {
        let mfa = service.mfaState(signedIn.caller)
        guard mfa.status == "on" else { return WebAssets.template("mfa-off.html").render(["csrf": .text(signedIn.csrf)]) }
        return WebAssets.template("mfa-on.html").render([
            "csrf": .text(signedIn.csrf), "left": .text(String(mfa.recoveryLeft)),
            "error": .text(errors["disable"]), "invalid": AccountPage.invalid(errors["disable"]),
        ])
    }

    private func passwordForm(_ signedIn: SignedIn, errors: FieldErrors) -> HTML {
        var values: [String: TemplateValue] = ["csrf": .text(signedIn.csrf)]
        for field in ["current", "new", "confirm"] {
            values[field + "Error"] = .text(errors[field])
            values[field + "Invalid"] = AccountPage.invalid(errors[field])
        }
        return WebAssets.template("password-form.html").render(values)
    }
}

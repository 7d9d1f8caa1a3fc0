import WardenService

/// `/activate` (SPEC §11): a new hire sets their first password with the invite code.
/// `GET` shows the form (and hands out the CSRF cookie); `POST` does `ACTIVATE`.
struct ActivatePage: Sendable {
    let service: WardenService

    static let formFields: Set<String> = ["csrf", "username", "code", "password", "confirm"]
    static let wrongCode = "This invite code does not work for this username: it may be mistyped, already used or expired. Ask your IT team for a new invite."

    /// What the form shows: the values worth keeping and an error per field. Passwords
    /// are never sent back.
    struct Form {
        var username = ""
        var code = ""
        var usernameError = ""
        var codeError = ""
        var passwordError = ""
        var confirmError = ""
        var formError = ""

        var hasErrors: Bool {
            !(usernameError.isEmpty && codeError.isEmpty && passwordError.isEmpty && confirmError.isEmpty && formError.isEmpty)
        }
    }

    func show(_ request: WebRequest) -> HTTPAnswer {
        // `?user=` only fills a field; a malformed query is no reason to refuse the page.
        let username = request.query.flatMap { FormBody(Array($0.utf8), allowed: ["user"]) }?["user"] ?? ""
        // An existing token is kept, so that two open tabs do not invalidate each other.
        let token = CSRFToken.fromCookies(request.cookieHeader, secure: request.isSecure) ?? .random()
        return render(Form(username: username), token: token, status: 200, secure: request.isSecure)
    }

    func submit(_ request: WebRequest) async -> HTTPAnswer {
        guard request.hasFormBody, let body = FormBody(request.body, allowed: ActivatePage.formFields) else {
            return PageResponse.message(status: 400, title: "Bad request", text: "The form could not be read. Reload the page and try again.")
        }
        // Before anything else: a forged POST changes nothing, not even a throttle count.
        guard let token = CSRFToken.fromCookies(request.cookieHeader, secure: request.isSecure), token.matches(body["csrf"]) else {
            return PageResponse.message(
                status: 403, title: "Form expired",
                text: "This form was not sent from this site's page, or its page is too old. Open the invite link again and retry.")
        }
        var form = Form(username: body["username"] ?? "", code: body["code"] ?? "")
        let password = body["password"] ?? ""
        if form.username.isEmpty { form.usernameError = "Enter your username." }
        if form.code.isEmpty { form.codeError = "Enter the invite code from your invite link." }
        if password.isEmpty { form.passwordError = "Choose a password." }
        if password != body["confirm"] { form.confirmError = "The two passwords are not the same." }
        guard !form.hasErrors else { return render(form, token: token, status: 400, secure: request.isSecure) }

        switch await service.activateFromPage(username: form.username, code: form.code, password: password, source: request.source) {
        case .activated(let user):
            let content = WebAssets.template("activate-done.html").render(["username": .text(user)])
            return PageResponse.page(title: "Password set", content: content)
        case .refusedByPolicy(let reason):
            form.passwordError = reason.prefix(1).uppercased() + reason.dropFirst() + "."
            return render(form, token: token, status: 400, secure: request.isSecure)
        case .failed:
            form.code = ""
            form.formError = ActivatePage.wrongCode
            return render(form, token: token, status: 400, secure: request.isSecure)
        }
    }

    private func render(_ form: Form, token: CSRFToken, status: Int, secure: Bool) -> HTTPAnswer {
        func invalid(_ error: String) -> TemplateValue { .text(error.isEmpty ? "false" : "true") }
        let content = WebAssets.template("activate.html").render([
            "csrf": .text(token.value),
            "username": .text(form.username), "usernameError": .text(form.usernameError), "usernameInvalid": invalid(form.usernameError),
            "code": .text(form.code), "codeError": .text(form.codeError), "codeInvalid": invalid(form.codeError),
            "passwordError": .text(form.passwordError), "passwordInvalid": invalid(form.passwordError),
            "confirmError": .text(form.confirmError), "confirmInvalid": invalid(form.confirmError),
            "formError": .text(form.formError),
        ])
        return PageResponse.page(status: status, title: "Set your password", content: content, script: "/static/activate.js",
                                 extraHeaders: [("Set-Cookie", token.setCookie(secure: secure))])
    }
}

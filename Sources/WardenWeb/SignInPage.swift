import WardenService

/// The sign-in of `/account` and `/admin` (SPEC §11): username and password, then the
/// TOTP code when the user's MFA is on. Both steps are `AUTH` itself (`webSignIn`): the
/// throttle, the audit entry with the client's address, one answer for every failure.
struct SignInPage: Sendable {
    let service: WardenService

    static let passwordFields: Set<String> = ["csrf", "username", "password"]
    static let codeFields: Set<String> = ["csrf", "otp"]
    static let wrongCredentials = "The username or password is not right."

    /// `/account` or `/admin`: where a sign-in started and returns to.
    let home: String

    func show(_ request: WebRequest, status: Int = 200, username: String = "", error: String = "") -> HTTPAnswer {
        let token = CSRFToken.fromCookies(request.cookieHeader, secure: request.isSecure) ?? .random()
        let content = WebAssets.template("signin.html").render([
            "action": .text(home + "/signin"), "csrf": .text(token.value), "username": .text(username),
            "formError": .text(error), "invalid": .text(error.isEmpty ? "false" : "true"),
            "heading": .text(home == "/admin" ? "Sign in to user administration" : "Sign in to your account"),
        ])
        return PageResponse.page(status: status, title: "Sign in", content: content,
                                 extraHeaders: [("Set-Cookie", token.setCookie(secure: request.isSecure))])
    }

    /// `POST …/signin`: the password step.
    func submitPassword(_ request: WebRequest) async -> HTTPAnswer {
        guard let token = CSRFToken.fromCookies(request.cookieHeader, secure: request.isSecure), request.hasFormBody,
              token.matches(FormBody.field("csrf", in: request.body)) else {
            return PageResponse.message(status: 403, title: "Form expired",
                                        text: "This form was not sent from this site's page, or its page is too old. Open the page again and retry.")
        }
        guard let body = FormBody(request.body, allowed: SignInPage.passwordFields) else {
            return PageResponse.message(status: 400, title: "Bad request", text: "The form could not be read. Reload the page and try again.")
        }
        let username = body["username"] ?? "", password = body["password"] ?? ""
        guard !username.isEmpty, !password.isEmpty else {
            return show(request, status: 400, username: username, error: "Enter your username and password.")
        }
        let result = await service.webSignIn(username: username, password: password, code: nil, source: request.source)
        if result == .codeRequired, let sealed = service.sealPendingSignIn(username: username, password: password, source: request.source) {
            let name = WebCookie.pendingSignIn(secure: request.isSecure)
            return showCode(request, status: 200, error: "", cookie: WebCookie.set(name, sealed, secure: request.isSecure))
        }
        return await finish(result, request, username: username)
    }

    /// `POST …/signin/code`: the TOTP step, `AUTH user password otp=CODE` again.
    func submitCode(_ request: WebRequest) async -> HTTPAnswer {
        guard let token = CSRFToken.fromCookies(request.cookieHeader, secure: request.isSecure), request.hasFormBody,
              token.matches(FormBody.field("csrf", in: request.body)) else {
            return PageResponse.message(status: 403, title: "Form expired",
                                        text: "This form was not sent from this site's page, or its page is too old. Open the page again and retry.")
        }
        guard let body = FormBody(request.body, allowed: SignInPage.codeFields) else {
            return PageResponse.message(status: 400, title: "Bad request", text: "The form could not be read. Reload the page and try again.")
        }
        let cookieName = WebCookie.pendingSignIn(secure: request.isSecure)
        guard let sealed = WebCookie.value(of: cookieName, in: request.cookieHeader),
              let pending = service.openPendingSignIn(sealed, source: request.source) else {
            return show(request, status: 400, error: "Your sign-in took too long. Start again with your username and password.")
        }
        let code = (body["otp"] ?? "").filter { !$0.isWhitespace }
        guard !code.isEmpty else { return showCode(request, status: 400, error: "Enter the code from your authenticator app.") }
        let result = await service.webSignIn(username: pending.username, password: pending.password, code: code, source: request.source)
        switch result {
        case .failed, .codeRequired:
            return showCode(request, status: 400, error: "That code is not right, or was used already. Enter the current code, or a recovery code.")
        default:
            return await finish(result, request, username: pending.username)
        }
    }

    private func finish(_ result: WebSignIn, _ request: WebRequest, username: String) async -> HTTPAnswer {
        let secure = request.isSecure
        switch result {
        case .signedIn(let id, let mustEnrol):
            // A browser holds one session: the one its cookie named before ends now.
            if let previous = WebPages.signedIn(request, service: service) { await service.webSignOut(previous.caller) }
            return PageResponse.redirect(to: mustEnrol ? "/account" : home, extraHeaders: [
                ("Set-Cookie", WebCookie.set(WebCookie.session(secure: secure), id, secure: secure)),
                ("Set-Cookie", WebCookie.clear(WebCookie.pendingSignIn(secure: secure), secure: secure)),
            ])
        case .unavailable:
            return show(request, status: 503, username: username, error: "Sign-in is not available right now. Try again in a moment.")
        case .failed, .codeRequired:
            return show(request, status: 400, username: username, error: SignInPage.wrongCredentials)
        }
    }

    private func showCode(_ request: WebRequest, status: Int, error: String, cookie: String? = nil) -> HTTPAnswer {
        let token = CSRFToken.fromCookies(request.cookieHeader, secure: request.isSecure) ?? .random()
        let content = WebAssets.template("signin-code.html").render([
            "action": .text(home + "/signin/code"), "csrf": .text(token.value),
            "error": .text(error), "invalid": .text(error.isEmpty ? "false" : "true"), "home": .text(home),
        ])
        var headers = [("Set-Cookie", token.setCookie(secure: request.isSecure))]
        if let cookie { headers.append(("Set-Cookie", cookie)) }
        return PageResponse.page(status: status, title: "Sign in", content: content, extraHeaders: headers)
    }
}

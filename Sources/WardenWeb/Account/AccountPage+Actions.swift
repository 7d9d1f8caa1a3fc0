import WardenProtocol
import WardenService

/// The `POST`s of `/account`, each the line-protocol command it names, run as the
/// signed-in user; the page then says what the command said, next to the field it is about.
extension AccountPage {
    static let actions: [String: Set<String>] = [
        "/account/signout": [],
        "/account/password": ["current", "new", "confirm"],
        "/account/mfa/enrol": [],
        "/account/mfa/confirm": ["otp", "secret", "uri"],
        "/account/mfa/disable": ["otp"],
        "/account/request": ["role", "for", "reason"],
        "/account/request/cancel": ["request"],
        "/account/request/decide": ["request", "decision", "reason"],
        "/account/review/decide": ["review", "item", "decision", "reason"],
    ]

    func act(_ request: WebRequest) async -> HTTPAnswer {
        guard let fields = AccountPage.actions[request.path] else {
            return PageResponse.message(status: 404, title: "Not found", text: "There is no page here.")
        }
        let signedIn: SignedIn, body: FormBody
        switch WebPages.gate(request, fields: fields, service: service) {
        case .refused(let answer): return answer
        case .pass(let s, let b): (signedIn, body) = (s, b)
        }
        let caller = signedIn.caller
        let secure = request.isSecure
        switch request.path {
        case "/account/signout":
            await service.webSignOut(caller)
            return signedOutPage(secure: secure, heading: "You are signed out", text: "Your session has ended on this device.")
        case "/account/password":
            return await changePassword(signedIn, body, secure: secure)
        case "/account/mfa/enrol":
            let reply = ReplyView(await service.run("MFA ENROLL", [], as: caller))
            guard reply.isOK, let secret = reply.fields["secret"], let uri = reply.fields["uri"] else {
                return await dashboard(signedIn, status: AccountPage.status(reply), notice: Notice(text: reply.sentence, isError: true))
            }
            return mfaSetup(signedIn, secret: secret, uri: uri)
        case "/account/mfa/confirm":
            let code = (body["otp"] ?? "").filter { !$0.isWhitespace }
            let reply = ReplyView(await service.run("MFA CONFIRM", [Word(text: code, quoted: true)], as: caller))
            guard reply.isOK else {
                let error = reply.error?.code == .authFailed || code.isEmpty
                    ? "That code is not right. Enter the code your app shows now." : reply.sentence
                return mfaSetup(signedIn, secret: body["secret"] ?? "", uri: body["uri"] ?? "", error: error, status: 400)
            }
            let codes = (reply.fields["recovery"] ?? "").split(separator: ",").map { code in
                WebAssets.template("code-item.html").render(["code": .text(String(code))])
            }
            let content = WebAssets.template("mfa-done.html").render(["codes": .html(HTML.joined(codes))])
            return PageResponse.page(title: "Two-step sign-in is on", content: content)
        case "/account/mfa/disable":
            let code = (body["otp"] ?? "").filter { !$0.isWhitespace }
            let reply = ReplyView(await service.run("MFA DISABLE", [Word(text: code, quoted: true)], as: caller))
            guard reply.isOK else {
                var errors = FieldErrors()
                errors["disable"] = reply.error?.code == .authFailed || code.isEmpty ? "That code is not right." : reply.sentence
                return await dashboard(signedIn, status: 400, errors: errors)
            }
            return await dashboard(signedIn, notice: Notice(text: "Two-step sign-in is off.", isError: false))
        default:
            return await actOnGovernance(signedIn, body, path: request.path)
        }
    }

    private func changePassword(_ signedIn: SignedIn, _ body: FormBody, secure: Bool) async -> HTTPAnswer {
        var errors = FieldErrors()
        let current = body["current"] ?? "", new = body["new"] ?? ""
        if current.isEmpty { errors["current"] = "Enter your current password." }
        if new.isEmpty { errors["new"] = "Choose a new password." }
        if new != body["confirm"] { errors["confirm"] = "The two passwords are not the same." }
        guard errors.isEmpty else { return await dashboard(signedIn, status: 400, errors: errors) }
        let reply = ReplyView(await service.run("PASSWD", [Word(text: current, quoted: true), Word(text: new, quoted: true)],
                                                as: signedIn.caller))
        switch reply.error?.code {
        case nil:
            // PASSWD ended every session of the user, this one too (SPEC §11).
            return signedOutPage(secure: secure, heading: "Your password is changed",
                                 text: "Sign in again with your new password.")
        case .authFailed?:
            errors["current"] = "Your current password is not right."
        case .invalid?:
            errors["new"] = reply.sentence
        default:
            return await dashboard(signedIn, status: AccountPage.status(reply), notice: Notice(text: reply.sentence, isError: true))
        }
        return await dashboard(signedIn, status: 400, errors: errors)
    }

    private func actOnGovernance(_ signedIn: SignedIn, _ body: FormBody, path: String) async -> HTTPAnswer {
        let caller = signedIn.caller
        let command: String, arguments: [Word]
        switch path {
        case "/account/request":
            var errors = FieldErrors()
            let role = body["role"] ?? "", duration = body["for"] ?? "", reason = body["reason"] ?? ""
            if role.isEmpty { errors["role"] = "Choose a role." }
            if reason.isEmpty { errors["reason"] = "Say why you need it." }
            let kept = ["role": role, "for": duration, "reason": reason]
            guard errors.isEmpty else { return await dashboard(signedIn, status: 400, errors: errors, kept: kept) }
            var words = [Word(text: role, quoted: true)]
            if !duration.isEmpty { words.append(Word(key: "for", quotedValue: duration)) }
            words.append(Word(key: "reason", quotedValue: reason))
            let reply = ReplyView(await service.run("REQUEST", words, as: caller))
            guard reply.isOK else {
                if reply.error?.code == .invalid, reply.sentence.lowercased().contains("for") { errors["for"] = reply.sentence }
                return await dashboard(signedIn, status: AccountPage.status(reply), notice: Notice(text: reply.sentence, isError: true),
                                       errors: errors, kept: kept)
            }
            let id = reply.fields["request"] ?? ""
            return await dashboard(signedIn, notice: Notice(text: "Request #\(id) for \(role) is waiting for approval.", isError: false))
        case "/account/request/cancel":
            (command, arguments) = ("REQUEST CANCEL", [Word(text: body["request"] ?? "", quoted: true)])
        case "/account/request/decide":
            let approve = body["decision"] == "approve"
            guard approve || body["decision"] == "deny" else { return await dashboard(signedIn, status: 400) }
            var words = [Word(text: body["request"] ?? "", quoted: true)]
            if let reason = body["reason"], !reason.isEmpty { words.append(Word(key: "reason", quotedValue: reason)) }
            if !approve, body["reason"]?.isEmpty != false {
                return await dashboard(signedIn, status: 400, notice: Notice(text: "Give a reason to deny a request.", isError: true))
            }
            (command, arguments) = (approve ? "REQUEST APPROVE" : "REQUEST DENY", words)
        default:  // "/account/review/decide"
            let decision = body["decision"] ?? ""
            guard decision == "keep" || decision == "revoke" else { return await dashboard(signedIn, status: 400) }
            var words = [Word(text: body["review"] ?? "", quoted: true), Word(text: body["item"] ?? "", quoted: true), Word(text: decision)]
            if let reason = body["reason"], !reason.isEmpty { words.append(Word(key: "reason", quotedValue: reason)) }
            (command, arguments) = ("REVIEW DECIDE", words)
        }
        let reply = ReplyView(await service.run(command, arguments, as: caller))
        guard reply.isOK else {
            return await dashboard(signedIn, status: AccountPage.status(reply), notice: Notice(text: reply.sentence, isError: true))
        }
        return await dashboard(signedIn, notice: Notice(text: AccountPage.describe(reply.fields), isError: false))
    }

    /// What a successful governance command did, in words.
    static func describe(_ fields: [String: String]) -> String {
        if let review = fields["review"], let item = fields["item"], let decision = fields["decision"] {
            return "Review #\(review), item \(item): \(decision)."
        }
        if let request = fields["request"], let status = fields["status"] {
            let approvals = fields["approvals"].map { ", approvals \($0)" } ?? ""
            let until = fields["until"].map { ", until \($0)" } ?? ""
            return "Request #\(request) is \(status)\(approvals)\(until)."
        }
        return "Done."
    }

    /// The page's status for a refused command.
    static func status(_ reply: ReplyView) -> Int {
        switch reply.error?.code {
        case .forbidden?, .noAuth?: 403
        case .notFound?: 404
        case .conflict?: 409
        case .unavailable?, .busy?: 503
        case nil: 200
        default: 400
        }
    }

    func mfaSetup(_ signedIn: SignedIn, secret: String, uri: String, error: String = "", status: Int = 200) -> HTTPAnswer {
        let qr = (try? QRCode(encoding: uri))?.svg(label: "QR code for your authenticator app") ?? .empty
        let content = WebAssets.template("mfa-setup.html").render([
            "csrf": .text(signedIn.csrf), "qr": .html(qr), "secret": .text(secret), "uri": .text(uri),
            "error": .text(error), "invalid": AccountPage.invalid(error),
        ])
        return PageResponse.page(status: status, title: "Set up two-step sign-in", content: content)
    }

    func signedOutPage(secure: Bool, heading: String, text: String) -> HTTPAnswer {
        let content = WebAssets.template("done.html").render([
            "heading": .text(heading), "text": .text(text), "href": .text("/account"), "link": .text("Sign in"),
        ])
        return PageResponse.page(title: heading, content: content, extraHeaders: [
            ("Set-Cookie", WebCookie.clear(WebCookie.session(secure: secure), secure: secure)),
        ])
    }
}

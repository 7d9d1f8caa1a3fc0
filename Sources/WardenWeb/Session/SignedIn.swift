import WardenService

/// A request of a live web session: its caller and the token its forms carry.
struct SignedIn: Sendable {
    let caller: WebCaller
    let csrf: String
}

extension WebPages {
    /// The session id of the request's cookie, when it has a well-formed one.
    static func sessionID(of request: WebRequest) -> String? {
        WebCookie.value(of: WebCookie.session(secure: request.isSecure), in: request.cookieHeader).flatMap {
            WebCookie.isSessionID($0) ? $0 : nil
        }
    }

    /// The signed-in caller of a `GET`, while the session lives.
    static func signedIn(_ request: WebRequest, service: WardenService) -> SignedIn? {
        guard let id = sessionID(of: request), let caller = service.webCaller(sessionID: id, source: request.source) else { return nil }
        return SignedIn(caller: caller, csrf: SessionCSRF.token(forSession: id))
    }

    /// What a `POST` of a signed-in page may do: a token that matches its session's,
    /// checked before anything else (so that a forged POST changes nothing, not even
    /// the session's last use), then a live session, then a form of our own.
    enum Gate {
        case pass(SignedIn, FormBody)
        case refused(HTTPAnswer)
    }

    static func gate(_ request: WebRequest, fields: Set<String>, service: WardenService) -> Gate {
        let id = sessionID(of: request)
        guard let id, request.hasFormBody, SessionCSRF.matches(FormBody.field("csrf", in: request.body), session: id) else {
            return .refused(PageResponse.message(
                status: 403, title: "Form refused",
                text: "This form was not sent from this site's page, or your session has ended. Open the page again and retry."))
        }
        guard let caller = service.webCaller(sessionID: id, source: request.source) else {
            return .refused(PageResponse.signedOut(secure: request.isSecure))
        }
        guard let body = FormBody(request.body, allowed: fields.union(["csrf"])) else {
            return .refused(PageResponse.message(status: 400, title: "Bad request", text: "The form could not be read. Reload the page and try again."))
        }
        return .pass(SignedIn(caller: caller, csrf: SessionCSRF.token(forSession: id)), body)
    }
}

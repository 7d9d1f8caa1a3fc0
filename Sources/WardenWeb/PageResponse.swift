import WardenService

/// Builds the HTTP answers of the pages, each with SPEC §11's headers.
enum PageResponse {
    /// Sent with every page and static file. `default-src 'self'` forbids inline script
    /// and style; the other directives close what `default-src` does not cover (where
    /// forms may post, who may frame us, what `<base>` may do). `X-Content-Type-Options:
    /// nosniff` is added to every answer by the HTTP side.
    static let securityHeaders: [(String, String)] = [
        ("Content-Security-Policy", "default-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
        ("X-Frame-Options", "DENY"),
        ("Cache-Control", "no-store"),
        ("Referrer-Policy", "no-referrer"),
    ]

    /// A page: `content` (a rendered template) inside the layout.
    static func page(status: Int = 200, title: String, content: HTML, script: String? = nil,
                     extraHeaders: [(String, String)] = []) -> HTTPAnswer {
        let scriptTag = script.map { WebAssets.template("script.html").render(["src": .text($0)]) } ?? .empty
        let body = WebAssets.template("layout.html").render([
            "title": .text(title), "content": .html(content), "script": .html(scriptTag),
        ])
        return HTTPAnswer(status: status, contentType: "text/html; charset=utf-8", body: body.markup,
                          headers: securityHeaders + extraHeaders)
    }

    /// A page that only says something: a refused form, a body too large.
    static func message(status: Int, title: String, text: String) -> HTTPAnswer {
        page(status: status, title: title, content: WebAssets.template("message.html").render([
            "heading": .text(title), "message": .text(text),
        ]))
    }

    /// `303 See Other` to `location` (a path of ours), after a sign-in.
    static func redirect(to location: String, extraHeaders: [(String, String)] = []) -> HTTPAnswer {
        var answer = message(status: 303, title: "Signed in", text: "Continue to \(location).")
        answer.headers.append(("Location", location))
        answer.headers += extraHeaders
        return answer
    }

    /// A POST of a session that has ended (signed out elsewhere, expired, password
    /// changed, disabled): `403`, nothing done, the cookie dropped.
    static func signedOut(secure: Bool) -> HTTPAnswer {
        var answer = page(status: 403, title: "Signed out", content: WebAssets.template("signed-out.html").render([:]))
        answer.headers.append(("Set-Cookie", WebCookie.clear(WebCookie.session(secure: secure), secure: secure)))
        return answer
    }

    static func staticFile(contentType: String, body: String) -> HTTPAnswer {
        HTTPAnswer(status: 200, contentType: contentType, body: body, headers: securityHeaders)
    }

    static func methodNotAllowed(allow: String) -> HTTPAnswer {
        var answer = message(status: 405, title: "Method not allowed", text: "This address does not take that kind of request.")
        answer.headers.append(("Allow", allow))
        return answer
    }
}

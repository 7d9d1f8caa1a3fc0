import Foundation
import Testing

/// The activate form as a browser holds it: the CSRF cookie `GET /activate` set and
/// the same token in the form's hidden field.
struct ActivateForm {
    var cookie: String
    var csrf: String
    var page: HTTPResponse

    /// `GET /activate[?user=NAME]`.
    static func open(on server: WardenProcess, user: String? = nil) throws -> ActivateForm {
        let path = "/activate" + (user.map { "?user=" + formEncoded($0) } ?? "")
        let page = try httpRequest(port: server.httpPort, method: "GET", path: path)
        let setCookie = try #require(page.headers["set-cookie"])
        let cookie = String(try #require(setCookie.split(separator: ";").first))
        let csrf = try #require(page.body.firstMatch(of: #/name="csrf" value="([^"]+)"/#)).1
        return ActivateForm(cookie: cookie, csrf: String(csrf), page: page)
    }

    /// `POST /activate` with the cookie and these fields (`csrf` added unless given as nil).
    func post(on server: WardenProcess, _ fields: [(String, String?)], withCSRF: Bool = true, cookie: String? = nil) throws -> HTTPResponse {
        var pairs = fields.compactMap { name, value in value.map { (name, $0) } }
        if withCSRF { pairs.insert(("csrf", csrf), at: 0) }
        let body = pairs.map { formEncoded($0.0) + "=" + formEncoded($0.1) }.joined(separator: "&")
        return try httpRequest(port: server.httpPort, method: "POST", path: "/activate", headers: [
            "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie ?? self.cookie,
        ], body: body)
    }

    /// The four fields of a submission.
    func activate(on server: WardenProcess, user: String, code: String, password: String, confirm: String? = nil) throws -> HTTPResponse {
        try post(on: server, [("username", user), ("code", code), ("password", password), ("confirm", confirm ?? password)])
    }
}

/// `application/x-www-form-urlencoded` as browsers write it.
func formEncoded(_ text: String) -> String {
    var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(127)))
    allowed.insert(charactersIn: "-._*")
    return (text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text).replacingOccurrences(of: "%20", with: "+")
}

enum WebPageExpectations {
    /// SPEC §11's headers (and the two more Warden adds), on a page or static file.
    static func expectSecurityHeaders(_ response: HTTPResponse, sourceLocation: SourceLocation = #_sourceLocation) {
        let csp = response.headers["content-security-policy"] ?? ""
        #expect(csp.hasPrefix("default-src 'self'"), sourceLocation: sourceLocation)
        #expect(!csp.contains("unsafe-inline"), sourceLocation: sourceLocation)
        #expect(csp.contains("frame-ancestors 'none'"), sourceLocation: sourceLocation)
        #expect(response.headers["x-frame-options"] == "DENY", sourceLocation: sourceLocation)
        #expect(response.headers["cache-control"] == "no-store", sourceLocation: sourceLocation)
        #expect(response.headers["x-content-type-options"] == "nosniff", sourceLocation: sourceLocation)
        #expect(response.headers["referrer-policy"] == "no-referrer", sourceLocation: sourceLocation)
    }
}

extension WardenProcess {
    /// `USER ADD` + `USER INVITE`: the invite's code and link.
    func invite(_ user: String, _ extra: String = "") throws -> (code: String, link: String) {
        let admin = try self.admin()
        try admin.ok("USER ADD \(user) \(extra)")
        let reply = try admin.ok("USER INVITE \(user)")
        return (try #require(reply.value("code")), try #require(reply.value("link")))
    }
}

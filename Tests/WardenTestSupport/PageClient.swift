import Foundation

/// A browser without a browser, for the web pages (SPEC §11) over plain HTTP: it keeps
/// the cookies the pages set (dropping those set with `Max-Age=0`), sends them back,
/// and posts forms with the CSRF token of the last page it read.
public struct PageClient {
    public let port: Int
    public private(set) var cookies: [String: String] = [:]
    public private(set) var last: HTTPResponse?

    public init(port: Int) { self.port = port }

    public var cookieHeader: String { cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }

    /// The web session's id, while the client holds one.
    public var sessionID: String? { cookies["warden-session"] ?? cookies["__Host-warden-session"] }

    /// The CSRF token in the last page's forms (the first `name="csrf"` field).
    public var csrf: String? { last.flatMap(PageClient.csrf(in:)) }

    public static func csrf(in page: HTTPResponse) -> String? {
        page.body.firstMatch(of: #/name="csrf" value="([^"]+)"/#).map { String($0.1) }
    }

    public mutating func get(_ path: String) throws -> HTTPResponse {
        try send("GET", path, body: "")
    }

    /// `POST path` with `fields`, the last page's CSRF token first unless `csrf` says
    /// otherwise (`.some(nil)`: none at all).
    public mutating func post(_ path: String, _ fields: [(String, String)], csrf: String?? = .none) throws -> HTTPResponse {
        var pairs = fields
        switch csrf {
        case .none: if let token = self.csrf { pairs.insert(("csrf", token), at: 0) }
        case .some(.some(let token)): pairs.insert(("csrf", token), at: 0)
        case .some(.none): break
        }
        return try send("POST", path, body: pairs.map { PageClient.encoded($0.0) + "=" + PageClient.encoded($0.1) }.joined(separator: "&"))
    }

    /// Opens `home` (`/account` or `/admin`), signs in with the password, and follows
    /// the redirect; the answer is the page signed in to, or the form with its error.
    public mutating func signIn(_ user: String, _ password: String, home: String = "/account") throws -> HTTPResponse {
        _ = try get(home)
        let answer = try post(home + "/signin", [("username", user), ("password", password)])
        guard answer.status == 303, let location = answer.headers["location"] else { return answer }
        return try get(location)
    }

    /// The code step of a sign-in, after `signIn` answered with the code form.
    public mutating func enterCode(_ code: String, home: String = "/account") throws -> HTTPResponse {
        let answer = try post(home + "/signin/code", [("otp", code)])
        guard answer.status == 303, let location = answer.headers["location"] else { return answer }
        return try get(location)
    }

    /// Forgets a cookie, or puts one in (another browser's stolen session, say).
    public mutating func setCookie(_ name: String, _ value: String?) { cookies[name] = value }

    private mutating func send(_ method: String, _ path: String, body: String) throws -> HTTPResponse {
        var headers: [String: String] = [:]
        if !cookies.isEmpty { headers["Cookie"] = cookieHeader }
        if method == "POST" { headers["Content-Type"] = "application/x-www-form-urlencoded" }
        let response = try httpRequest(port: port, method: method, path: path, headers: headers, body: body)
        for cookie in response.setCookies {
            let pair = cookie.split(separator: ";", maxSplits: 1)[0]
            guard let equals = pair.firstIndex(of: "=") else { continue }
            let name = String(pair[..<equals]), value = String(pair[pair.index(after: equals)...])
            cookies[name] = cookie.contains("Max-Age=0") ? nil : value
        }
        last = response
        return response
    }

    /// `application/x-www-form-urlencoded` as browsers write it.
    public static func encoded(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(127)))
        allowed.insert(charactersIn: "-._*")
        return (text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text).replacingOccurrences(of: "%20", with: "+")
    }

    /// The text of the element with this id (tags inside removed), if the page has one.
    public static func text(ofID id: String, in page: HTTPResponse) -> String? {
        guard let start = page.body.range(of: "id=\"\(id)\"") else { return nil }
        let rest = page.body[start.upperBound...]
        guard let open = rest.firstIndex(of: ">") else { return nil }
        let inner = rest[rest.index(after: open)...]
        guard let close = inner.range(of: "</") else { return nil }
        return String(inner[..<close.lowerBound])
    }
}

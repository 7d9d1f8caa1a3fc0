import Foundation
import Testing

/// Requests to the OAuth 2.0 endpoints of SPEC §13, over real HTTP, for the tests.
enum OAuth {
    /// `application/x-www-form-urlencoded`, every name and value escaped.
    static func form(_ pairs: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        func escape(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text }
        return pairs.map { "\(escape($0.0))=\(escape($0.1))" }.joined(separator: "&")
    }

    static func post(_ path: String, on server: WardenProcess, _ body: String, headers: [String: String] = [:],
                     contentType: String = "application/x-www-form-urlencoded") throws -> HTTPResponse {
        var headers = headers
        headers["Content-Type"] = contentType
        return try httpRequest(port: server.httpPort, method: "POST", path: path, headers: headers, body: body)
    }

    /// `POST /oauth/token` with the client credentials grant and `pairs` besides.
    static func token(on server: WardenProcess, _ pairs: [(String, String)], headers: [String: String] = [:]) throws -> HTTPResponse {
        try post("/oauth/token", on: server, form([("grant_type", "client_credentials")] + pairs), headers: headers)
    }

    /// A token by HTTP Basic, which must succeed.
    static func accessToken(_ client: String, _ key: String, on server: WardenProcess, _ pairs: [(String, String)] = [],
                            sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let response = try token(on: server, pairs, headers: basic(client, key))
        #expect(response.status == 200, "\(response.body)", sourceLocation: sourceLocation)
        return try #require(response.json?["access_token"] as? String, sourceLocation: sourceLocation)
    }

    static func revoke(_ token: String, on server: WardenProcess, as client: String, _ key: String) throws -> HTTPResponse {
        try post("/oauth/revoke", on: server, form([("token", token)]), headers: basic(client, key))
    }

    /// A service user with an API key (returned) and each grant of `grants` (`GRANT`'s words).
    static func client(_ name: String, on server: WardenProcess, grants: [String] = []) throws -> String {
        let admin = try server.admin()
        try admin.ok("USER ADD \(name) kind=service")
        for grant in grants { try admin.ok("GRANT \(name) \(grant)") }
        return try #require(try admin.ok("APIKEY CREATE \(name)").value("key"))
    }

    /// `GET /forward-auth` with `Authorization: Bearer token` when a token is given.
    static func forwardAuth(_ query: String, token: String?, on server: WardenProcess, method: String = "GET") throws -> HTTPResponse {
        let headers = token.map { ["Authorization": "Bearer \($0)"] } ?? [:]
        return try httpRequest(port: server.httpPort, method: method, path: "/forward-auth?\(query)", headers: headers)
    }

    /// The `error` member of an OAuth error response.
    static func error(_ response: HTTPResponse) -> String? {
        response.json?["error"] as? String
    }
}

/// Whether python3 has the OAuth client libraries (scripts/test installs them).
enum OAuthLibraries {
    static let isAvailable = (try? Python.run(["-c", "import authlib, requests_oauthlib, jwt, cryptography"], input: "").status) == 0
}

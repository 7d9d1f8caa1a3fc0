import NIOHTTP1
import WardenService

/// The HTTP routes of SPEC §13: the OAuth 2.0 token and revocation endpoints, their
/// metadata document (RFC 8414), and the reverse proxies' `/forward-auth`. What they
/// answer is decided in `WardenService` (`+OAuth`, `+ForwardAuth`); this only reads
/// the request off the wire.
enum OAuthRoutes {
    static let paths: Set<String> = ["/oauth/token", "/oauth/revoke", "/.well-known/oauth-authorization-server", "/forward-auth"]

    static func handles(_ path: String) -> Bool { paths.contains(path) }

    /// `body` is nil when it was over the HTTP side's limit.
    static func route(
        _ service: WardenService, _ head: HTTPRequestHead, path: String, body: [UInt8]?, source: String, baseURL: @autoclosure () -> String
    ) -> HTTPOutcome {
        let authorizations = head.headers[canonicalForm: "authorization"]
        switch (head.method, path) {
        case (.GET, "/.well-known/oauth-authorization-server"), (.HEAD, "/.well-known/oauth-authorization-server"):
            return .now(service.authorizationServerMetadata(baseURL: baseURL()))
        case (_, "/forward-auth"):
            // Any method: a proxy asks with the method of the request it gates (Traefik),
            // or its subrequest's (nginx). The body, if any, is not read.
            let query = head.uri.firstIndex(of: "?").map { String(head.uri[head.uri.index(after: $0)...]) }
            // Two Authorization headers are no credentials: which one counts is not guessed.
            let authorization = authorizations.count == 1 ? String(authorizations[0]) : nil
            return service.forwardAuth(query: query, authorization: authorization)
        case (.POST, "/oauth/token"), (.POST, "/oauth/revoke"):
            guard let body else { return .now(WardenService.oauthBodyTooLarge) }
            guard authorizations.count <= 1 else { return .now(WardenService.oauthRepeatedAuthorization) }
            let request = OAuthRequest(
                authorization: authorizations.first.map(String.init), contentType: head.headers.first(name: "content-type"),
                body: body, source: source)
            let isToken = path == "/oauth/token"
            return .later { isToken ? await service.oauthToken(request) : await service.oauthRevoke(request) }
        default:
            return .now(WardenService.oauthMethodNotAllowed)
        }
    }
}

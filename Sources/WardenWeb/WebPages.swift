import WardenService

/// The pages of SPEC §11 on the HTTP port: a small routing table from path to page, and
/// the static files. The HTTP side asks `handles(path:)` first; any other path keeps
/// its own answer (the JSON `404`).
public struct WebPages: Sendable {
    private let activate: ActivatePage

    public init(service: WardenService) {
        activate = ActivatePage(service: service)
    }

    /// The paths that are pages. `/account` and `/admin` come next, each a page type of
    /// its own beside `ActivatePage`.
    static let pagePaths: Set<String> = ["/activate"]

    public static func handles(path: String) -> Bool {
        pagePaths.contains(path) || WebAssets.staticFile(at: path) != nil
    }

    public func respond(to request: WebRequest) async -> HTTPAnswer {
        if let file = WebAssets.staticFile(at: request.path) {
            guard request.method == "GET" || request.method == "HEAD" else { return PageResponse.methodNotAllowed(allow: "GET, HEAD") }
            return PageResponse.staticFile(contentType: file.contentType, body: file.body)
        }
        switch (request.path, request.method) {
        case ("/activate", "GET"), ("/activate", "HEAD"): return activate.show(request)
        case ("/activate", "POST"): return await activate.submit(request)
        case ("/activate", _): return PageResponse.methodNotAllowed(allow: "GET, HEAD, POST")
        default: return PageResponse.message(status: 404, title: "Not found", text: "There is no page here.")
        }
    }

    /// The answer to a page request whose body passed the HTTP side's limit.
    public static func bodyTooLarge() -> HTTPAnswer {
        PageResponse.message(status: 413, title: "Too large", text: "The form sent was larger than any of Warden's forms can be.")
    }
}

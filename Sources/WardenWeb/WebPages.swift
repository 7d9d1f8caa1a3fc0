import WardenService

/// The pages of SPEC §11 on the HTTP port: a small routing table from path to page, and
/// the static files. The HTTP side asks `handles(path:)` first; any other path keeps
/// its own answer (the JSON `404`).
public struct WebPages: Sendable {
    private let activate: ActivatePage
    private let account: AccountPage
    private let admin: AdminPage
    private let service: WardenService

    public init(service: WardenService) {
        self.service = service
        activate = ActivatePage(service: service)
        account = AccountPage(service: service)
        admin = AdminPage(service: service)
    }

    /// The paths that are pages: `/activate`, and everything under `/account` and `/admin`.
    static let pagePaths: Set<String> = ["/activate", "/account", "/admin"]

    public static func handles(path: String) -> Bool {
        pagePaths.contains(path) || path.hasPrefix("/account/") || path.hasPrefix("/admin/") || WebAssets.staticFile(at: path) != nil
    }

    public func respond(to request: WebRequest) async -> HTTPAnswer {
        if let file = WebAssets.staticFile(at: request.path) {
            guard request.method == "GET" || request.method == "HEAD" else { return PageResponse.methodNotAllowed(allow: "GET, HEAD") }
            return PageResponse.staticFile(contentType: file.contentType, body: file.body)
        }
        let isGet = request.method == "GET" || request.method == "HEAD"
        switch (request.path, request.method) {
        case ("/activate", "GET"), ("/activate", "HEAD"): return activate.show(request)
        case ("/activate", "POST"): return await activate.submit(request)
        case ("/activate", _): return PageResponse.methodNotAllowed(allow: "GET, HEAD, POST")
        case ("/account", _) where isGet: return await account.show(request)
        case ("/admin", _) where isGet, ("/admin/user", _) where isGet: return await admin.show(request)
        case ("/account/signin", "POST"): return await SignInPage(service: service, home: "/account").submitPassword(request)
        case ("/admin/signin", "POST"): return await SignInPage(service: service, home: "/admin").submitPassword(request)
        case ("/account/signin/code", "POST"): return await SignInPage(service: service, home: "/account").submitCode(request)
        case ("/admin/signin/code", "POST"): return await SignInPage(service: service, home: "/admin").submitCode(request)
        case (_, "POST") where request.path.hasPrefix("/account"): return await account.act(request)
        case (_, "POST") where request.path.hasPrefix("/admin"): return await admin.act(request)
        case ("/account", _), ("/admin", _), ("/admin/user", _): return PageResponse.methodNotAllowed(allow: "GET, HEAD")
        default:
            if AccountPage.actions[request.path] != nil || AdminPage.actions[request.path] != nil || request.path.hasSuffix("/signin")
                || request.path.hasSuffix("/signin/code") {
                return PageResponse.methodNotAllowed(allow: "POST")
            }
            return PageResponse.message(status: 404, title: "Not found", text: "There is no page here.")
        }
    }

    /// The answer to a page request whose body passed the HTTP side's limit.
    public static func bodyTooLarge() -> HTTPAnswer {
        PageResponse.message(status: 413, title: "Too large", text: "The form sent was larger than any of Warden's forms can be.")
    }
}

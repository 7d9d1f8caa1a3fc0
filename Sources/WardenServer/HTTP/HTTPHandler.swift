import NIOCore
import NIOHTTP1
import WardenService
import WardenWeb

/// The HTTP side (SPEC §3): JWKS and discovery for offline validators, RFC 7662
/// introspection, health and metrics, and the web pages of SPEC §11 (`WebPages`).
/// Bodies are small; anything over 64 KiB is refused (1 MiB on `/scim/v2`, `SCIMRoutes`).
final class HTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    static let maximumBody = 64 * 1024

    private let service: WardenService
    private let pages: WebPages
    /// Where the discovery document says the endpoints are (see `baseURL`).
    private let publicURL: String?
    private let scheme: String
    private let listenHost: String
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []
    private var tooLarge = false
    private var bodyLimit = HTTPHandler.maximumBody

    init(service: WardenService, publicURL: String?, scheme: String, listenHost: String) {
        self.service = service
        self.pages = WebPages(service: service)
        self.publicURL = publicURL
        self.scheme = scheme
        self.listenHost = listenHost
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            // A kept-alive connection does not keep a SCIM-sized buffer between requests.
            if body.capacity > HTTPHandler.maximumBody { body = [] } else { body.removeAll(keepingCapacity: true) }
            tooLarge = false
            bodyLimit = SCIMRoutes.maximumBody(uri: head.uri, otherwise: HTTPHandler.maximumBody)
        case .body(var chunk):
            if body.count + chunk.readableBytes > bodyLimit {
                tooLarge = true
            } else {
                body.append(contentsOf: chunk.readBytes(length: chunk.readableBytes) ?? [])
            }
        case .end:
            guard let head else { return }
            self.head = nil
            respond(to: head, context: context)
        }
    }

    private func respond(to head: HTTPRequestHead, context: ChannelHandlerContext) {
        service.metrics.increment("http_requests")
        let path = head.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? head.uri
        if WebPages.handles(path: path) { return respondWithPage(head, path: path, context) }
        if SCIMRoutes.handles(path: path) {
            if tooLarge { return send(SCIMRoutes.tooLarge, head, context) }
            let request = SCIMRoutes.request(head, path: path, body: body, source: context.channel.remoteAddress?.ipAddress ?? "unknown")
            return later(head, context) { service in await service.scim(request) }
        }
        if OAuthRoutes.handles(path) {
            let source = context.channel.remoteAddress?.ipAddress ?? "unknown"
            switch OAuthRoutes.route(service, head, path: path, body: tooLarge ? nil : body, source: source, baseURL: baseURL(context)) {
            case .now(let answer): return send(answer, head, context)
            case .later(let work): return later(head, context) { _ in await work() }
            }
        }
        if tooLarge { return send(HTTPAnswer(status: 413, body: "{\"error\":\"request too large\"}"), head, context) }
        switch (head.method, path) {
        case (.GET, "/healthz"), (.HEAD, "/healthz"):
            later(head, context) { service in
                await service.isHealthy()
                    ? HTTPAnswer(status: 200, contentType: "text/plain", body: "ok\n")
                    : HTTPAnswer(status: 503, contentType: "text/plain", body: "unavailable\n")
            }
        case (.GET, "/.well-known/jwks.json"):
            send(service.jwksDocument(), head, context)
        case (.GET, "/.well-known/openid-configuration"):
            send(service.openIDConfiguration(baseURL: baseURL(context)), head, context)
        case (.GET, "/metrics"):
            send(HTTPAnswer(status: 200, contentType: "text/plain; version=0.0.4", body: service.metricsText()), head, context)
        case (.POST, "/introspect"):
            let authorization = head.headers.first(name: "authorization")
            let source = context.channel.remoteAddress?.ipAddress ?? "unknown"
            let body = self.body
            later(head, context) { service in
                await service.introspect(authorization: authorization, body: body, source: source)
            }
        case (_, "/healthz"), (_, "/.well-known/jwks.json"), (_, "/.well-known/openid-configuration"), (_, "/metrics"), (_, "/introspect"):
            send(HTTPAnswer(status: 405, body: "{\"error\":\"method not allowed\"}"), head, context)
        default:
            send(HTTPAnswer(status: 404, body: "{\"error\":\"not found\"}"), head, context)
        }
    }

    /// A page or static file (SPEC §11). Nothing of a page request is logged: its query
    /// may hold a username, its body a password or an invite code.
    private func respondWithPage(_ head: HTTPRequestHead, path: String, _ context: ChannelHandlerContext) {
        if tooLarge { return send(WebPages.bodyTooLarge(), head, context) }
        let query = head.uri.firstIndex(of: "?").map { String(head.uri[head.uri.index(after: $0)...]) }
        let request = WebRequest(
            method: head.method.rawValue, path: path, query: query,
            cookieHeader: head.headers[canonicalForm: "cookie"].joined(separator: "; "),
            contentType: head.headers.first(name: "content-type"), body: body,
            source: context.channel.remoteAddress?.ipAddress ?? "unknown", isSecure: scheme == "https")
        let pages = self.pages
        later(head, context) { _ in await pages.respond(to: request) }
    }

    private func later(_ head: HTTPRequestHead, _ context: ChannelHandlerContext, _ work: @escaping @Sendable (WardenService) async -> HTTPAnswer) {
        let service = self.service
        let promise = context.eventLoop.makePromise(of: HTTPAnswer.self)
        promise.completeWithTask { await work(service) }
        promise.futureResult.assumeIsolated().whenSuccess { [self] answer in
            send(answer, head, context)
        }
    }

    private func send(_ answer: HTTPAnswer, _ request: HTTPRequestHead, _ context: ChannelHandlerContext) {
        guard context.channel.isActive else { return }
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: answer.contentType)
        headers.add(name: "Content-Length", value: String(answer.body.utf8.count))
        headers.add(name: "X-Content-Type-Options", value: "nosniff")
        for (name, value) in answer.headers { headers.add(name: name, value: value) }
        let keepAlive = request.isKeepAlive
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        // HTTP/1.0 keeps a connection only when the reply says so (ab -k waits otherwise).
        if keepAlive, request.version == .http1_0 { headers.add(name: "Connection", value: "keep-alive") }
        let head = HTTPResponseHead(version: request.version, status: HTTPResponseStatus(statusCode: answer.status), headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if request.method != .HEAD {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: answer.body)))), promise: nil)
        }
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
            if !keepAlive { context.close(promise: nil) }
        }
    }

    /// The base of the discovery document's URLs: `--public-url`, else the listener's
    /// own address (SPEC §11). Never the request's `Host` header, which the client
    /// chooses: a document that a client could point at another server is not one a
    /// validator may trust.
    private func baseURL(_ context: ChannelHandlerContext) -> String {
        if let publicURL { return publicURL }
        return WardenServer.listenerURL(scheme: scheme, host: listenHost, port: context.channel.localAddress?.port ?? 0)
    }
}

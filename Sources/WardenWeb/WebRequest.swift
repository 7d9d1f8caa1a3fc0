/// One HTTP request to a page, in the terms the pages need: the HTTP side (NIO) makes it,
/// so that nothing here depends on a server framework.
public struct WebRequest: Sendable {
    public var method: String
    /// The path without the query.
    public var path: String
    /// The raw query string (after `?`), if any.
    public var query: String?
    public var cookieHeader: String?
    public var contentType: String?
    public var body: [UInt8]
    /// The client's address (no port): the audit `source` and the throttling key.
    public var source: String
    /// Whether the connection is TLS (cookies then carry `Secure` and `__Host-`).
    public var isSecure: Bool

    public init(method: String, path: String, query: String?, cookieHeader: String?, contentType: String?,
                body: [UInt8], source: String, isSecure: Bool) {
        self.method = method
        self.path = path
        self.query = query
        self.cookieHeader = cookieHeader
        self.contentType = contentType
        self.body = body
        self.source = source
        self.isSecure = isSecure
    }

    /// Whether the body is declared as a plain form (a `charset` parameter is allowed).
    var hasFormBody: Bool {
        guard let contentType else { return false }
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first?.trimmingCharacters(in: .whitespaces)
        return mediaType?.lowercased() == "application/x-www-form-urlencoded"
    }
}

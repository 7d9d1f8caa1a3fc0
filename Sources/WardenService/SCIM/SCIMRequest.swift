/// One request to `/scim/v2` (SPEC §12), in HTTP's terms, as the server read it.
public struct SCIMRequest: Sendable {
    public var method: String
    /// The path after `/scim/v2`, e.g. `/Users/42` (no query).
    public var path: String
    /// The query string after `?`, undecoded, or nil.
    public var query: String?
    public var contentType: String?
    public var authorization: String?
    public var ifMatch: String?
    public var body: [UInt8]
    /// The client's address, for the audit log and the throttle.
    public var source: String

    public init(method: String, path: String, query: String?, contentType: String?, authorization: String?,
                ifMatch: String?, body: [UInt8], source: String) {
        self.method = method
        self.path = path
        self.query = query
        self.contentType = contentType
        self.authorization = authorization
        self.ifMatch = ifMatch
        self.body = body
        self.source = source
    }

    /// The decoded query parameters (`+` is a space, as in forms); the last of a repeated name wins.
    var parameters: [String: String] {
        var result: [String: String] = [:]
        for pair in (query ?? "").split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String? { text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding }
            guard let name = decode(parts[0]) else { continue }
            result[name] = parts.count == 2 ? decode(parts[1]) ?? "" : ""
        }
        return result
    }

    /// The parameter `name`, matched case-insensitively (`startIndex`, `startindex`).
    func parameter(_ name: String) -> String? {
        let folded = name.lowercased()
        return parameters.first { $0.key.lowercased() == folded }?.value
    }
}

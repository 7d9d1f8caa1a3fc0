import NIOCore
import NIOHTTP1
import WardenService

/// The routes of `/scim/v2` (SPEC §12): which requests are SCIM's, how large their
/// bodies may be, and the request the service answers.
enum SCIMRoutes {
    static let prefix = "/scim/v2"

    static func handles(path: String) -> Bool {
        path == prefix || path.hasPrefix(prefix + "/")
    }

    /// 1 MiB for SCIM (a group's members, a bulk of PATCH operations); 64 KiB elsewhere.
    static func maximumBody(uri: String, otherwise: Int) -> Int {
        handles(path: uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? uri) ? WardenService.scimMaximumBody : otherwise
    }

    static func request(_ head: HTTPRequestHead, path: String, body: [UInt8], source: String) -> SCIMRequest {
        SCIMRequest(
            method: head.method.rawValue, path: String(path.dropFirst(prefix.count)),
            query: head.uri.firstIndex(of: "?").map { String(head.uri[head.uri.index(after: $0)...]) },
            contentType: head.headers.first(name: "content-type"), authorization: head.headers.first(name: "authorization"),
            ifMatch: head.headers[canonicalForm: "if-match"].isEmpty ? nil : head.headers[canonicalForm: "if-match"].joined(separator: ", "),
            body: body, source: source)
    }

    /// `413` as a SCIM error body (RFC 7644 §3.12).
    static let tooLarge = HTTPAnswer(
        status: 413, contentType: "application/scim+json",
        body: #"{"detail":"the request body is larger than 1 MiB","schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"413"}"#)
}

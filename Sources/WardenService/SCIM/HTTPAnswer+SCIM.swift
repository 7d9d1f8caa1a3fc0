import Foundation
import WardenSCIM

extension HTTPAnswer {
    static let scimContentType = "application/scim+json"

    /// A SCIM response: `application/scim+json`, never cached.
    static func scim(_ body: JSONValue, status: Int = 200, etag: String? = nil, location: String? = nil) -> HTTPAnswer {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(body)) ?? Data("{}".utf8)
        var headers = [("Cache-Control", "no-store")]
        if let etag { headers.append(("ETag", etag)) }
        if let location { headers.append(("Location", location)) }
        return HTTPAnswer(status: status, contentType: scimContentType, body: String(decoding: data, as: UTF8.self), headers: headers)
    }

    /// `204 No Content` (a DELETE, a group PATCH).
    static let scimNoContent = HTTPAnswer(status: 204, contentType: scimContentType, body: "", headers: [("Cache-Control", "no-store")])
}

import Foundation
import Testing

/// A SCIM client of the real server (SPEC §12): a service user holding `user-admin`,
/// `role-admin` and `grant`, authenticated with its API key as a Bearer token.
struct SCIMClient {
    var port: Int
    var key: String

    /// Creates the service user `name` with `permissions` and an API key on `server`.
    static func provision(_ name: String, permissions: [String] = ["user-admin", "role-admin", "grant"],
                          on server: WardenProcess) throws -> SCIMClient {
        let admin = try server.admin()
        try admin.ok("USER ADD \(name) kind=service")
        for permission in permissions { try admin.ok("GRANT \(name) warden \(permission)") }
        let key = try #require(try admin.ok("APIKEY CREATE \(name)").value("key"))
        return SCIMClient(port: server.httpPort, key: key)
    }

    @discardableResult
    func send(_ method: String, _ path: String, _ body: String? = nil, headers: [String: String] = [:]) throws -> HTTPResponse {
        var all = ["Authorization": "Bearer \(key)"]
        if body != nil { all["Content-Type"] = "application/scim+json" }
        for (name, value) in headers { all[name] = value }
        return try httpRequest(port: port, method: method, path: "/scim/v2" + path, headers: all, body: body ?? "")
    }

    /// `GET /Users?filter=…` with the filter percent-encoded.
    func list(_ resource: String, filter: String? = nil, extra: String = "") throws -> HTTPResponse {
        var query: [String] = []
        if let filter { query.append("filter=" + Self.encode(filter)) }
        if !extra.isEmpty { query.append(extra) }
        return try send("GET", "/\(resource)" + (query.isEmpty ? "" : "?" + query.joined(separator: "&")))
    }

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }

    /// Creates a user; returns its resource.
    @discardableResult
    func createUser(_ userName: String, name: String = "", email: String? = nil, externalID: String? = nil,
                    extra: String = "", sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        var fields = [#""schemas":["urn:ietf:params:scim:schemas:core:2.0:User"]"#, #""userName":"\#(userName)""#]
        if !name.isEmpty { fields.append(#""displayName":"\#(name)""#) }
        if let email { fields.append(#""emails":[{"value":"\#(email)","type":"work","primary":true}]"#) }
        if let externalID { fields.append(#""externalId":"\#(externalID)""#) }
        if !extra.isEmpty { fields.append(extra) }
        let response = try send("POST", "/Users", "{" + fields.joined(separator: ",") + "}")
        #expect(response.status == 201, "\(response.body)", sourceLocation: sourceLocation)
        return try #require(response.json, sourceLocation: sourceLocation)
    }

    static func patchBody(_ operations: String) -> String {
        #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":["# + operations + "]}"
    }
}

extension HTTPResponse {
    /// The `Resources` of a ListResponse.
    var resources: [[String: Any]] { json?["Resources"] as? [[String: Any]] ?? [] }
    var scimType: String? { json?["scimType"] as? String }
}

extension Dictionary where Key == String, Value == Any {
    var scimID: String { self["id"] as? String ?? "" }
    var primaryEmail: String? { (self["emails"] as? [[String: Any]])?.first?["value"] as? String }
    var memberIDs: [String] { (self["members"] as? [[String: Any]] ?? []).compactMap { $0["value"] as? String } }
}

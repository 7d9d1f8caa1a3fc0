import Foundation
import WardenCore
import WardenCrypto
import WardenProtocol
import WardenSCIM
import WardenStore

/// SCIM 2.0 provisioning at `/scim/v2` (SPEC §12, RFC 7643, RFC 7644).
///
/// Every change is the line protocol's own command (`USER ADD`, `USER SET`, `USER DISABLE`,
/// `GRANT`, `ROLE ADD`, …) run through `handle(_:session:)` with a session of the
/// service user whose API key authenticated the request: the same permissions,
/// escalation rules, policy, separation of duties and audit entries. Reads check the
/// permission themselves and are answered from a copy of the directory, off the event loops.
extension WardenService {
    /// The largest request body accepted on `/scim/v2` (the server refuses more with `413`).
    public static let scimMaximumBody = 1024 * 1024
    /// The most resources one list response holds (`filter.maxResults`).
    static let scimMaximumResults = 1000

    /// The authenticated caller of one SCIM request.
    struct SCIMCaller: Sendable {
        var user: User
        var session: Session
    }

    public func scim(_ request: SCIMRequest) async -> HTTPAnswer {
        metrics.increment("scim_requests")
        do {
            let caller = try await scimCaller(request)
            return try await scimRoute(request, caller: caller)
        } catch let failure as SCIMFailure {
            return failure.answer
        } catch {
            return SCIMFailure(500, nil, "internal error").answer
        }
    }

    private func scimRoute(_ request: SCIMRequest, caller: SCIMCaller) async throws -> HTTPAnswer {
        let parts = request.path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        if parts.first == "Me" || parts.first == "Bulk" {
            throw SCIMFailure(501, nil, "/\(parts[0]) is not supported")
        }
        if parts == [".search"] {
            // RFC 7644 §3.4.3: a search of every resource type at once is optional.
            throw SCIMFailure(501, nil, "search each resource type at /Users/.search or /Groups/.search")
        }
        let id = parts.count == 2 ? parts[1].removingPercentEncoding : nil
        guard parts.count <= 2, let resource = parts.first, parts.count == 1 || id != nil else {
            throw SCIMFailure.notFound("no such endpoint")
        }
        switch (request.method, resource, id) {
        case ("GET", "Users", nil): return try await scimListUsers(request, caller: caller)
        case ("POST", "Users", ".search"): return try await scimListUsers(Self.scimSearch(request), caller: caller)
        case ("POST", "Groups", ".search"): return try await scimListGroups(Self.scimSearch(request), caller: caller)
        case ("POST", "Users", nil): return try await scimCreateUser(request, caller: caller)
        case ("GET", "Users", let id?): return try await scimGetUser(id, request, caller: caller)
        case ("PUT", "Users", let id?): return try await scimReplaceUser(id, request, caller: caller)
        case ("PATCH", "Users", let id?): return try await scimPatchUser(id, request, caller: caller)
        case ("DELETE", "Users", let id?): return try await scimDeleteUser(id, request, caller: caller)
        case ("GET", "Groups", nil): return try await scimListGroups(request, caller: caller)
        case ("POST", "Groups", nil): return try await scimCreateGroup(request, caller: caller)
        case ("GET", "Groups", let id?): return try await scimGetGroup(id, request, caller: caller)
        case ("PUT", "Groups", let id?): return try await scimReplaceGroup(id, request, caller: caller)
        case ("PATCH", "Groups", let id?): return try await scimPatchGroup(id, request, caller: caller)
        case ("DELETE", "Groups", let id?): return try await scimDeleteGroup(id, request, caller: caller)
        case ("GET", "ServiceProviderConfig", nil): return scimServiceProviderConfig()
        case ("GET", "Schemas", let id): return try scimSchemas(id)
        case ("GET", "ResourceTypes", let id): return try scimResourceTypes(id)
        case (_, "Users", _), (_, "Groups", _), (_, "ServiceProviderConfig", _), (_, "Schemas", _), (_, "ResourceTypes", _):
            throw SCIMFailure(405, nil, "\(request.method) is not supported here")
        default:
            throw SCIMFailure.notFound("no such endpoint")
        }
    }

    /// Request bodies are `application/scim+json` or `application/json` (SPEC §12).
    static func requireJSONBody(_ request: SCIMRequest) throws(SCIMFailure) {
        let type = request.contentType?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard type == "application/scim+json" || type == "application/json" else {
            throw SCIMFailure(415, "invalidSyntax", "the body must be application/scim+json or application/json")
        }
    }

    /// The request's body as JSON.
    static func scimBody(_ request: SCIMRequest) throws(SCIMFailure) -> JSONValue {
        try requireJSONBody(request)
        guard let body = try? JSONDecoder().decode(JSONValue.self, from: Data(request.body)) else {
            throw SCIMFailure.invalidSyntax("the body is not JSON")
        }
        guard case .object = body else { throw SCIMFailure.invalidSyntax("the body must be a JSON object") }
        return body
    }

    /// A `POST …/.search` (RFC 7644 §3.4.3) as the `GET` with the same parameters.
    static func scimSearch(_ request: SCIMRequest) throws(SCIMFailure) -> SCIMRequest {
        let body = try scimBody(request)
        var parameters: [String] = []
        func add(_ name: String, _ value: String) {
            let allowed = CharacterSet.alphanumerics
            parameters.append(name + "=" + (value.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""))
        }
        for name in ["filter", "startIndex", "count", "attributes", "excludedAttributes"] {
            switch body[name] {
            case .string(let text)?: add(name, text)
            case .number(let number)? where number.rounded() == number && abs(number) < 1e9: add(name, String(Int(number)))
            case .array(let items)?: add(name, items.compactMap(\.stringValue).joined(separator: ","))
            case nil, .null?: break
            default: throw .invalidValue("\(name) has the wrong type")
            }
        }
        var search = request
        search.method = "GET"
        search.query = parameters.joined(separator: "&")
        return search
    }

    // MARK: Authentication

    /// `Authorization: Bearer KEY`, an API key of an enabled user, checked as `AUTH` checks
    /// one: throttled by (user, source), every failure audited (`action=scim`).
    func scimCaller(_ request: SCIMRequest) async throws(SCIMFailure) -> SCIMCaller {
        guard let header = request.authorization, header.utf8.count <= 4096 else { throw .unauthorized }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { throw .unauthorized }
        let key = parts[1].trimmingCharacters(in: .whitespaces)
        // The key names no user: find whose it is (API keys are few), then check it as `AUTH` would.
        let owner = apiKeyOwner(key)
        let result = await attempt(username: owner ?? "-", secret: key, source: request.source, action: "scim", recordSuccess: false)
        guard case .success(let user, _, let credential, _) = result, case .apiKey = credential else {
            if case .unavailable = result { throw SCIMFailure(503, nil, "storage failure; try again") }
            throw .unauthorized
        }
        var session = Session(source: request.source, userID: user.id)
        session.generation = user.sessionGeneration
        session.credential = credential
        return SCIMCaller(user: user, session: session)
    }

    /// The user holding the API key `key`, compared in constant time with each stored digest.
    private func apiKeyOwner(_ key: String) -> String? {
        guard key.hasPrefix(WardenService.apiKeyPrefix) else { return nil }
        let digest = Array(Hex.encode(Digest.sha256(Array(key.utf8))).utf8)
        return state.withLock { state in
            for (userID, keys) in state.apiKeys where keys.contains(where: { ConstantTime.equals(Array($0.keyHash.utf8), digest) }) {
                return state.directory.user(id: userID)?.name
            }
            return nil
        }
    }

    // MARK: Permissions and commands

    /// `403` (audited as denied, as the protocol's refusals are) unless the caller holds
    /// every one of `permissions` now.
    func scimRequire(_ permissions: [BuiltIn.Permission], _ caller: SCIMCaller, action: String, target: String) async throws(SCIMFailure) {
        let now = Timestamp.now()
        let missing = state.withLock { state in permissions.first { !state.directory.allows(caller.user.name, $0, at: now) } }
        guard let missing else { return }
        let message = "requires warden \(missing.rawValue)"
        _ = try? await store.writer.submit(.keys([])) { transaction in
            try transaction.audit(actor: caller.user.name, source: caller.session.source, action: action, target: target,
                                  detail: message, result: .denied)
            return Committed(true)
        }
        throw SCIMFailure(403, nil, message)
    }

    /// Runs one protocol command as the caller; a refusal becomes its SCIM failure.
    @discardableResult
    func scimRun(
        _ command: String, _ positional: [String], options: [(String, String)] = [], as caller: SCIMCaller
    ) async throws(SCIMFailure) -> Reply {
        // Values quoted, as a client would quote them: none is ever read as an option.
        let words = positional.map { Word(text: $0, quoted: true) } + options.map { Word(key: $0.0, quotedValue: $0.1) }
        let request = Request(command: command, arguments: words)
        var session = caller.session
        let reply: Reply
        switch handle(request, session: &session) {
        case .now(let now, _): reply = now
        case .later(let work): reply = await work().0
        }
        if case .error(let code, let message) = reply.status {
            throw SCIMFailure(WardenError(WardenError.Code(rawValue: code.rawValue) ?? .internalError, message))
        }
        return reply
    }

    /// `If-Match` (RFC 7644 §3.14): `*`, or one of the listed tags, compared weakly.
    static func scimRequireVersion(_ ifMatch: String?, current: String) throws(SCIMFailure) {
        guard let ifMatch else { return }
        func opaque(_ tag: Substring) -> Substring {
            let trimmed = tag.trimmingCharacters(in: .whitespaces)
            return Substring(trimmed.hasPrefix("W/") ? String(trimmed.dropFirst(2)) : trimmed)
        }
        let tags = ifMatch.split(separator: ",")
        guard tags.contains(where: { opaque($0) == "*" || opaque($0) == opaque(Substring(current)) }) else {
            throw .versionMismatch
        }
    }

    /// The weak entity tag of a rendered resource: a digest of everything it shows.
    static func scimVersion(of resource: [String: JSONValue]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(JSONValue.object(resource))) ?? Data()
        return "W/\"" + String(Hex.encode(Digest.sha256(Array(data))).prefix(16)) + "\""
    }

    /// `https://host/scim/v2` (`--public-url`, else the listener's address).
    var scimBaseURL: String { (publicBaseURL ?? "") + "/scim/v2" }
}

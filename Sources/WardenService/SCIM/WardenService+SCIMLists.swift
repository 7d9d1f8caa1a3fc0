import WardenCore
import WardenSCIM

/// `GET /Users` and `GET /Groups` (RFC 7644 §3.4.2): `filter`, `startIndex`, `count`,
/// `attributes`, `excludedAttributes`. Resources come in id order (users by number,
/// groups by name), so that pages are stable. The scan runs on the worker pool over a
/// copy of the directory (a copy-on-write value: taking it holds the lock for no scan).
extension WardenService {
    /// `startIndex` (1-based, at least 1) and `count` (0…`scimMaximumResults`).
    struct SCIMPage: Sendable {
        var startIndex: Int
        var count: Int

        init(_ request: SCIMRequest) throws(SCIMFailure) {
            func number(_ name: String) throws(SCIMFailure) -> Int? {
                guard let text = request.parameter(name) else { return nil }
                guard let value = Int(text) else { throw .invalidValue("\(name) must be an integer") }
                return value
            }
            startIndex = max(1, try number("startIndex") ?? 1)
            count = min(WardenService.scimMaximumResults, max(0, try number("count") ?? WardenService.scimMaximumResults))
        }

        func response(total: Int, resources: [JSONValue]) -> HTTPAnswer {
            .scim(.object([
                "schemas": .array([.string("urn:ietf:params:scim:api:messages:2.0:ListResponse")]),
                "totalResults": .number(Double(total)),
                "startIndex": .number(Double(startIndex)),
                "itemsPerPage": .number(Double(resources.count)),
                "Resources": .array(resources),
            ]))
        }

        func slice<T>(_ items: [T]) -> ArraySlice<T> {
            let start = min(items.count, startIndex - 1)
            return items[start..<min(items.count, start + count)]
        }
    }

    /// Whether a filter looks at `meta` anywhere.
    static func namesMeta(_ filter: SCIMFilter) -> Bool {
        switch filter {
        case .compare(let path, _, _), .present(let path): path.attribute.lowercased() == "meta"
        case .valuePath(let path, let inner): path.attribute.lowercased() == "meta" || namesMeta(inner)
        case .not(let inner): namesMeta(inner)
        case .and(let left, let right), .or(let left, let right): namesMeta(left) || namesMeta(right)
        }
    }

    static func scimFilter(_ request: SCIMRequest) throws(SCIMFailure) -> SCIMFilter? {
        guard let text = request.parameter("filter") else { return nil }
        do { return try SCIMFilter.parse(text) } catch { throw .invalidFilter(error) }
    }

    func scimListUsers(_ request: SCIMRequest, caller: SCIMCaller) async throws -> HTTPAnswer {
        try await scimRequire([.userAdmin], caller, action: "scim.user.list", target: "-")
        let filter = try Self.scimFilter(request)
        let page = try SCIMPage(request)
        let selection = try Self.scimSelection(request)
        let base = scimBaseURL
        let showsGroups = scimShowsGroups(to: caller)
        return await onScanThread { state in
            let directory = state.directory
            let now = Timestamp.now()
            let roles = { (user: User) in showsGroups ? Self.directRoles(of: user.name, in: directory, at: now) : [] }
            let candidates: [User]
            if case .compare(let path, .eq, .string(let value))? = filter, path.attribute.lowercased() == "username",
               path.subAttribute == nil, SCIMResourceSchema.user.isCore(path.schema) {
                // `userName eq "…"`, what every identity provider asks first: no scan.
                candidates = directory.users[Identifier.fold(value)].map { [$0] } ?? []
            } else {
                candidates = directory.users.values.sorted { $0.id < $1.id }
            }
            guard let filter else {
                // No filter: only the page is rendered.
                let shown = page.slice(candidates).map { user in
                    JSONValue.object(selection.apply(
                        to: Self.scimUserResource(user, roles: roles(user), base: base),
                        schema: .user))
                }
                return page.response(total: candidates.count, resources: Array(shown))
            }
            // Matched without `meta` unless the filter names it; only matches get their version.
            let withMeta = Self.namesMeta(filter)
            var matching: [[String: JSONValue]] = []
            for user in candidates {
                let resource = Self.scimUserResource(user, roles: roles(user), base: base, withMeta: withMeta)
                guard filter.matches(.object(resource), schema: .user) else { continue }
                matching.append(withMeta ? resource : Self.scimUserResource(user, roles: roles(user), base: base))
            }
            let shown = page.slice(matching).map { JSONValue.object(selection.apply(to: $0, schema: .user)) }
            return page.response(total: matching.count, resources: Array(shown))
        }
    }

    func scimListGroups(_ request: SCIMRequest, caller: SCIMCaller) async throws -> HTTPAnswer {
        try await scimRequire([.roleAdmin], caller, action: "scim.group.list", target: "-")
        let filter = try Self.scimFilter(request)
        let page = try SCIMPage(request)
        let selection = try Self.scimSelection(request)
        let base = scimBaseURL
        return await onScanThread { state in
            let directory = state.directory
            let now = Timestamp.now()
            let roles = directory.roles.values.sorted { $0.name < $1.name }
            // Members always: `meta.version` covers them, shown or not.
            let members = Self.directMembers(of: Set(roles.map(\.name)), in: directory, at: now)
            var matching: [[String: JSONValue]] = []
            for role in roles {
                let resource = Self.scimGroupResource(role, members: members[role.name] ?? [], base: base)
                if filter?.matches(.object(resource), schema: .group) ?? true { matching.append(resource) }
            }
            let shown = page.slice(matching).map { JSONValue.object(selection.apply(to: $0, schema: .group)) }
            return page.response(total: matching.count, resources: Array(shown))
        }
    }
}

import WardenCore
import WardenSCIM

/// A Warden user as a SCIM User resource (RFC 7643 §4.1).
extension WardenService {
    /// The resource of `user`, whose direct live role grants are `roles`. `meta.version`
    /// is a digest of everything else, so that any change the resource shows changes it.
    /// `withMeta` false leaves `meta` out (and the digest its version costs): what a
    /// filter that does not name `meta` is evaluated against, user after user.
    static func scimUserResource(_ user: User, roles: [String], base: String, withMeta: Bool = true) -> [String: JSONValue] {
        var resource: [String: JSONValue] = [
            "schemas": .array([.string(SCIMResourceSchema.userSchemaID)]),
            "id": .string(String(user.id)),
            "userName": .string(user.name),
            "active": .bool(user.status == .active),
        ]
        if !user.displayName.isEmpty {
            resource["displayName"] = .string(user.displayName)
            resource["name"] = .object(["formatted": .string(user.displayName)])
        }
        if !user.email.isEmpty {
            resource["emails"] = .array([.object(["value": .string(user.email), "primary": .bool(true), "type": .string("work")])])
        }
        if let externalID = user.externalID { resource["externalId"] = .string(externalID) }
        if !roles.isEmpty {
            resource["groups"] = .array(roles.map { .object(["value": .string($0), "display": .string($0)]) })
        }
        guard withMeta else { return resource }
        var meta: [String: JSONValue] = [
            "resourceType": .string("User"),
            "created": .string(user.created.rfc3339),
            "lastModified": .string((user.modified ?? user.created).rfc3339),
        ]
        // The version covers what the user is, not where the server is reached.
        resource["meta"] = .object(meta)
        meta["version"] = .string(scimVersion(of: resource))
        meta["location"] = .string(base + "/Users/" + String(user.id))
        resource["meta"] = .object(meta)
        return resource
    }

    /// The roles `name` holds through a live direct grant, sorted.
    static func directRoles(of name: String, in directory: Directory, at now: Timestamp) -> [String] {
        directory.heldGrants(name).compactMap { grant -> String? in
            guard grant.isLive(at: now), case .role(let role) = grant.target else { return nil }
            return role
        }.sorted()
    }

    /// Whether the caller may see who holds which role: `groups` on a user shows it, which
    /// the line protocol shows only to holders of `check` (`ACCESS`) or `role-admin`
    /// (a group's members). Without either, a user's resource has no `groups`.
    func scimShowsGroups(to caller: SCIMCaller) -> Bool {
        let now = Timestamp.now()
        return state.withLock { state in
            state.directory.allows(caller.user.name, .check, at: now) || state.directory.allows(caller.user.name, .roleAdmin, at: now)
        }
    }

    /// The user with SCIM id `id` and their resource, from memory.
    func scimUser(_ id: String, for caller: SCIMCaller) throws(SCIMFailure) -> (User, [String: JSONValue]) {
        guard let number = Int64(id), String(number) == id else { throw .notFound("no user \(id)") }
        let now = Timestamp.now()
        let showsGroups = scimShowsGroups(to: caller)
        let found = state.withLock { state -> (User, [String])? in
            guard let user = state.directory.user(id: number) else { return nil }
            return (user, showsGroups ? Self.directRoles(of: user.name, in: state.directory, at: now) : [])
        }
        guard let (user, roles) = found else { throw .notFound("no user \(id)") }
        return (user, Self.scimUserResource(user, roles: roles, base: scimBaseURL))
    }

    /// A resource as a response: `attributes`/`excludedAttributes` applied, `ETag` and `Location` set.
    func scimResourceAnswer(
        _ resource: [String: JSONValue], schema: SCIMResourceSchema, _ request: SCIMRequest, status: Int = 200
    ) throws(SCIMFailure) -> HTTPAnswer {
        let selection = try Self.scimSelection(request)
        let meta = resource["meta"]
        return .scim(.object(selection.apply(to: resource, schema: schema)), status: status,
                     etag: meta?["version"]?.stringValue, location: meta?["location"]?.stringValue)
    }

    static func scimSelection(_ request: SCIMRequest) throws(SCIMFailure) -> SCIMAttributeSelection {
        do {
            return try SCIMAttributeSelection(attributes: request.parameter("attributes"),
                                              excludedAttributes: request.parameter("excludedAttributes"))
        } catch {
            throw SCIMFailure(400, "invalidSyntax", "attributes: \(error.description)")
        }
    }
}

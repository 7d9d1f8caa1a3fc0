import WardenCore
import WardenSCIM

/// A Warden role as a SCIM Group resource (RFC 7643 §4.2): `id` and `displayName` are
/// the role's name (roles are never renamed); `members` the users holding a live grant
/// of the role itself (not through another role).
extension WardenService {
    struct SCIMMember: Sendable, Equatable {
        var id: Int64
        var name: String
        var displayName: String
    }

    static func scimGroupResource(_ role: Role, members: [SCIMMember], base: String) -> [String: JSONValue] {
        func listed(_ withReferences: Bool) -> JSONValue {
            .array(members.map { member in
                // No `display`: a read-only sub-attribute the client did not send, which
                // the conformance suite expects back as sent (value and type).
                var value: [String: JSONValue] = ["value": .string(String(member.id)), "type": .string("User")]
                if withReferences { value["$ref"] = .string(base + "/Users/" + String(member.id)) }
                return .object(value)
            })
        }
        var resource: [String: JSONValue] = [
            "schemas": .array([.string(SCIMResourceSchema.groupSchemaID)]),
            "id": .string(role.name),
            "displayName": .string(role.name),
            "members": listed(false),
        ]
        if let externalID = role.externalID { resource["externalId"] = .string(externalID) }
        // The version covers what the group is, not where the server is reached.
        var meta: [String: JSONValue] = ["resourceType": .string("Group")]
        resource["meta"] = .object(meta)
        meta["version"] = .string(scimVersion(of: resource))
        meta["location"] = .string(base + "/Groups/" + role.name)
        resource["meta"] = .object(meta)
        resource["members"] = listed(true)
        return resource
    }

    /// The direct holders of each of `roles`, in id order: one pass over the directory.
    static func directMembers(of roles: Set<String>, in directory: Directory, at now: Timestamp) -> [String: [SCIMMember]] {
        var members: [String: [SCIMMember]] = [:]
        guard !roles.isEmpty else { return members }
        for user in directory.users.values {
            for grant in directory.heldGrants(user.name) where grant.isLive(at: now) {
                if case .role(let role) = grant.target, roles.contains(role) {
                    members[role, default: []].append(SCIMMember(id: user.id, name: user.name, displayName: user.displayName))
                }
            }
        }
        for role in members.keys { members[role]?.sort { $0.id < $1.id } }
        return members
    }

    /// The role `id` and its resource, built on the scan thread from a copy of the state.
    func scimGroup(_ id: String) async throws(SCIMFailure) -> (Role, [String: JSONValue]) {
        let name = Identifier.fold(id)
        let base = scimBaseURL
        let found = await onScanThread { state -> (Role, [String: JSONValue])? in
            guard let role = state.directory.roles[name] else { return nil }
            let members = Self.directMembers(of: [name], in: state.directory, at: .now())[name] ?? []
            return (role, Self.scimGroupResource(role, members: members, base: base))
        }
        guard let found else { throw .notFound("no group \(id)") }
        return found
    }
}

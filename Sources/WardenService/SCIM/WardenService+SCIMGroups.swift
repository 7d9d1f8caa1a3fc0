import WardenCore
import WardenSCIM

/// `/scim/v2/Groups` (SPEC §12): a group is a role; `ROLE ADD`, `ROLE DELETE`, and its
/// members' `GRANT user role` / `REVOKE user role`, run as the caller, so that §2.6's
/// escalation rules and §10's separation of duties apply as they do to the commands.
extension WardenService {
    func scimGetGroup(_ id: String, _ request: SCIMRequest, caller: SCIMCaller) async throws -> HTTPAnswer {
        try await scimRequire([.roleAdmin], caller, action: "scim.group.get", target: "-")
        let (_, resource) = try await scimGroup(id)
        return try scimResourceAnswer(resource, schema: .group, request)
    }

    func scimCreateGroup(_ request: SCIMRequest, caller: SCIMCaller) async throws -> HTTPAnswer {
        let body = try Self.scimBody(request)
        guard let raw = body["displayName"]?.stringValue else { throw SCIMFailure.invalidValue("displayName is required (a string)") }
        let name = Identifier.fold(raw)
        guard Identifier.isValid(name) else {
            throw SCIMFailure.invalidValue("displayName must be a role name: 1-128 characters of a-z 0-9 . _ @ -")
        }
        let members = try Self.scimMemberIDs(body)
        try await scimRequire(members.isEmpty ? [.roleAdmin] : [.roleAdmin, .grant], caller, action: "scim.group.add", target: "role:\(name)")
        let adding = try scimUsers(members)
        let externalID = try Self.scimExternalID(body)
        try await scimRun("ROLE ADD", [name], options: externalID.map { [("external-id", $0)] } ?? [], as: caller)
        try await scimChangeMembers(of: name, adding: adding, removing: [], caller: caller)
        let (_, resource) = try await scimGroup(name)
        return try scimResourceAnswer(resource, schema: .group, request, status: 201)
    }

    func scimReplaceGroup(_ id: String, _ request: SCIMRequest, caller: SCIMCaller) async throws -> HTTPAnswer {
        try await scimRequire([.roleAdmin], caller, action: "scim.group.replace", target: "role:\(Identifier.fold(id))")
        let body = try Self.scimBody(request)
        let (role, resource) = try await scimGroup(id)
        try Self.scimRequireVersion(request.ifMatch, current: resource["meta"]?["version"]?.stringValue ?? "")
        if let raw = body["displayName"]?.stringValue, Identifier.fold(raw) != role.name {
            throw SCIMFailure.mutability("displayName cannot change (\(role.name))")
        }
        try await scimSetExternalID(of: role, to: Self.scimExternalID(body), caller: caller)
        try await scimSetMembers(of: role.name, current: resource, desired: Self.scimMemberIDs(body), caller: caller)
        let (_, updated) = try await scimGroup(id)
        return try scimResourceAnswer(updated, schema: .group, request)
    }

    /// Answers `204 No Content`: a group's members may be many.
    func scimPatchGroup(_ id: String, _ request: SCIMRequest, caller: SCIMCaller) async throws -> HTTPAnswer {
        try await scimRequire([.roleAdmin], caller, action: "scim.group.patch", target: "role:\(Identifier.fold(id))")
        let operations: [SCIMPatchOperation]
        do { operations = try SCIMPatchOperation.operations(of: Self.scimBody(request)) } catch let error as SCIMPatchError {
            throw SCIMFailure(error)
        }
        let (role, resource) = try await scimGroup(id)
        try Self.scimRequireVersion(request.ifMatch, current: resource["meta"]?["version"]?.stringValue ?? "")
        var patched = resource
        do {
            for operation in operations { try operation.apply(to: &patched, schema: .group) }
        } catch {
            throw SCIMFailure(error)
        }
        if let raw = patched["displayName"]?.stringValue, Identifier.fold(raw) != role.name {
            throw SCIMFailure.mutability("displayName cannot change (\(role.name))")
        }
        let externalID = try Self.scimExternalID(.object(patched))
        let desired = try Self.scimMemberIDs(.object(patched))
        try await scimSetExternalID(of: role, to: externalID, caller: caller)
        try await scimSetMembers(of: role.name, current: resource, desired: desired, caller: caller)
        return .scimNoContent
    }

    /// Revokes the role from its holders, then deletes it. When `ROLE DELETE` would be
    /// refused whoever held it (the built-in role, a role another includes or a rule
    /// names), it runs first, alone, so that the refusal leaves every grant in place.
    func scimDeleteGroup(_ id: String, _ request: SCIMRequest, caller: SCIMCaller) async throws -> HTTPAnswer {
        try await scimRequire([.roleAdmin], caller, action: "scim.group.delete", target: "role:\(Identifier.fold(id))")
        let (role, resource) = try await scimGroup(id)
        try Self.scimRequireVersion(request.ifMatch, current: resource["meta"]?["version"]?.stringValue ?? "")
        let name = role.name
        let refused = state.withLock { state in
            name == BuiltIn.adminRole || !state.directory.rolesIncluding(name).isEmpty
                || state.separationRules.values.contains { $0.sides.contains(.role(name)) }
                || state.directory.roles.values.contains { $0.requests.approvers == name }
        }
        if !refused {
            let everyHolder = await onScanThread { state in
                let directory = state.directory
                return directory.users.values.filter { user in directory.heldGrants(user.name).contains { $0.target == .role(name) } }.map(\.name)
            }
            if !everyHolder.isEmpty { try await scimRequire([.grant], caller, action: "scim.group.delete", target: "role:\(name)") }
            for user in everyHolder.sorted() { try await scimRun("REVOKE", [user, name], as: caller) }
        }
        try await scimRun("ROLE DELETE", [name], as: caller)
        return .scimNoContent
    }

    /// A body's `externalId`: a string of at most 1,024 bytes, or nil.
    static func scimExternalID(_ body: JSONValue) throws(SCIMFailure) -> String? {
        switch body["externalId"] {
        case nil, .null?: return nil
        case .string(let text)?:
            guard text.utf8.count <= 1024, DisplayText.isValid(text) else {
                throw .invalidValue("externalId must be at most 1,024 bytes without control characters")
            }
            return text.isEmpty ? nil : text
        default: throw .invalidValue("externalId must be a string")
        }
    }

    /// `ROLE SET role external-id=…` when it changes.
    private func scimSetExternalID(of role: Role, to externalID: String?, caller: SCIMCaller) async throws(SCIMFailure) {
        guard externalID != role.externalID else { return }
        try await scimRun("ROLE SET", [role.name], options: [("external-id", externalID ?? "")], as: caller)
    }

    // MARK: Members

    /// The user ids of a body's `members` (`[{"value":"42"}, …]`).
    static func scimMemberIDs(_ body: JSONValue) throws(SCIMFailure) -> Set<Int64> {
        guard let members = body["members"], members != .null else { return [] }
        guard let list = members.arrayValue else { throw .invalidValue("members must be an array") }
        var ids: Set<Int64> = []
        for member in list {
            guard let text = member["value"]?.stringValue, let id = Int64(text) else {
                throw .invalidValue("each member needs a value: a user's id")
            }
            ids.insert(id)
        }
        return ids
    }

    /// The usernames of `ids`; an unknown id is `invalidValue`.
    func scimUsers(_ ids: Set<Int64>) throws(SCIMFailure) -> [String] {
        let found = state.withLock { state in ids.sorted().map { ($0, state.directory.user(id: $0)?.name) } }
        if let missing = found.first(where: { $0.1 == nil }) { throw .invalidValue("no user with id \(missing.0)") }
        return found.compactMap(\.1)
    }

    /// Grants and revokes so that the role's direct holders are `desired`.
    private func scimSetMembers(of role: String, current: [String: JSONValue], desired: Set<Int64>, caller: SCIMCaller) async throws {
        let present = Set(Self.scimMemberIDsOrEmpty(.object(current)))
        let adding = desired.subtracting(present)
        let removing = present.subtracting(desired)
        guard !adding.isEmpty || !removing.isEmpty else { return }
        try await scimRequire([.grant], caller, action: "scim.group.members", target: "role:\(role)")
        let added = try scimUsers(adding)
        let removed = state.withLock { state in removing.sorted().compactMap { state.directory.user(id: $0)?.name } }
        try await scimChangeMembers(of: role, adding: added, removing: removed, caller: caller)
    }

    private static func scimMemberIDsOrEmpty(_ resource: JSONValue) -> [Int64] {
        (try? scimMemberIDs(resource)).map(Array.init) ?? []
    }

    /// `GRANT user role` for each of `adding`, then `REVOKE user role` for each of
    /// `removing`. A grant that separation of duties (§10) or the self rule refuses
    /// is sent first, alone: refused and audited as the command is, with nothing else changed.
    private func scimChangeMembers(of role: String, adding: [String], removing: [String], caller: SCIMCaller) async throws(SCIMFailure) {
        let now = Timestamp.now()
        let refused = state.withLock { state in
            adding.first { user in
                if user == caller.user.name { return true }
                return (try? WardenService.requireSeparation(user: user, adding: [.role(role)], in: state, at: now)) == nil
            }
        } ?? (removing.contains(caller.user.name) ? caller.user.name : nil)
        var adding = adding
        var removing = removing
        if let refused {
            // Refused here (and audited); should it go through after all, the rest follows.
            if adding.contains(refused) {
                try await scimRun("GRANT", [refused, role], options: [("reason", "scim")], as: caller)
                adding.removeAll { $0 == refused }
            } else {
                try await scimRun("REVOKE", [refused, role], as: caller)
                removing.removeAll { $0 == refused }
            }
        }
        for user in adding { try await scimRun("GRANT", [user, role], options: [("reason", "scim")], as: caller) }
        for user in removing { try await scimRun("REVOKE", [user, role], as: caller) }
    }
}

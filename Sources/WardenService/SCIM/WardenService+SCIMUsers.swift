import WardenCore
import WardenCrypto
import WardenSCIM

/// `/scim/v2/Users` (SPEC §12): each change is `USER ADD`, `USER SET`, `USER PASSWD`,
/// `USER DISABLE`, `USER ENABLE` or `USER DELETE`, run as the caller.
extension WardenService {
    func scimGetUser(_ id: String, _ request: SCIMRequest, caller: SCIMCaller) async throws -> HTTPAnswer {
        try await scimRequire([.userAdmin], caller, action: "scim.user.get", target: "-")
        let (_, resource) = try scimUser(id, for: caller)
        return try scimResourceAnswer(resource, schema: .user, request)
    }

    func scimCreateUser(_ request: SCIMRequest, caller: SCIMCaller) async throws -> HTTPAnswer {
        try await scimRequire([.userAdmin], caller, action: "scim.user.add", target: "-")
        let fields = try SCIMUserFields(Self.scimBody(request))
        var options = [("name", fields.displayName), ("email", fields.email), ("kind", "person")]
        if let externalID = fields.externalID { options.append(("external-id", externalID)) }
        if let password = fields.password { options.append(("password", password)) }
        try await scimRun("USER ADD", [fields.userName], options: options, as: caller)
        // Created disabled: a second command. Should it be refused, the user stays, enabled.
        if fields.active == false { try await scimRun("USER DISABLE", [fields.userName], options: [("reason", "scim")], as: caller) }
        let id = state.withLock { $0.directory.users[fields.userName]?.id }
        guard let id else { throw SCIMFailure(409, nil, "the user was deleted while it was being created") }
        let (_, resource) = try scimUser(String(id), for: caller)
        return try scimResourceAnswer(resource, schema: .user, request, status: 201)
    }

    func scimReplaceUser(_ id: String, _ request: SCIMRequest, caller: SCIMCaller) async throws -> HTTPAnswer {
        try await scimRequire([.userAdmin], caller, action: "scim.user.replace", target: "-")
        let body = try Self.scimBody(request)
        let (user, resource) = try scimUser(id, for: caller)
        try Self.scimRequireVersion(request.ifMatch, current: resource["meta"]?["version"]?.stringValue ?? "")
        try await scimApply(SCIMUserFields(body), to: user, caller: caller)
        let (_, updated) = try scimUser(id, for: caller)
        return try scimResourceAnswer(updated, schema: .user, request)
    }

    func scimPatchUser(_ id: String, _ request: SCIMRequest, caller: SCIMCaller) async throws -> HTTPAnswer {
        try await scimRequire([.userAdmin], caller, action: "scim.user.patch", target: "-")
        let operations: [SCIMPatchOperation]
        do { operations = try SCIMPatchOperation.operations(of: Self.scimBody(request)) } catch let error as SCIMPatchError {
            throw SCIMFailure(error)
        }
        let (user, resource) = try scimUser(id, for: caller)
        try Self.scimRequireVersion(request.ifMatch, current: resource["meta"]?["version"]?.stringValue ?? "")
        // The whole PATCH is applied to the resource first, then checked as a PUT of the result.
        var patched = resource
        do {
            for operation in operations { try operation.apply(to: &patched, schema: .user) }
        } catch {
            throw SCIMFailure(error)
        }
        try await scimApply(SCIMUserFields(.object(patched), patching: .object(resource)), to: user, caller: caller)
        let (_, updated) = try scimUser(id, for: caller)
        return try scimResourceAnswer(updated, schema: .user, request)
    }

    func scimDeleteUser(_ id: String, _ request: SCIMRequest, caller: SCIMCaller) async throws -> HTTPAnswer {
        try await scimRequire([.userAdmin], caller, action: "scim.user.delete", target: "-")
        let (user, resource) = try scimUser(id, for: caller)
        try Self.scimRequireVersion(request.ifMatch, current: resource["meta"]?["version"]?.stringValue ?? "")
        try await scimRun("USER DELETE", [user.name], as: caller)
        return .scimNoContent
    }

    /// Makes `user` what `fields` say, in as few protocol commands as it takes: first
    /// `USER ENABLE` or `USER DISABLE`, then `USER SET` (name, email, external id), then
    /// `USER PASSWD`. The values and the password policy are checked before the first;
    /// the refusals that depend on the caller (§2.6: acting on a user who holds warden
    /// permissions the caller lacks; disabling oneself; the last administrator) come
    /// from the first command, so they change nothing. A command refused after another
    /// succeeded (a concurrent change) leaves the earlier ones done; the error names it.
    func scimApply(_ fields: SCIMUserFields, to user: User, caller: SCIMCaller) async throws(SCIMFailure) {
        guard fields.userName == user.name else { throw .mutability("userName cannot change (\(user.name))") }
        switch (fields.active, user.status) {
        case (true?, .disabled): try await scimRun("USER ENABLE", [user.name], as: caller)
        case (false?, .active): try await scimRun("USER DISABLE", [user.name], options: [("reason", "scim")], as: caller)
        default: break
        }
        var options: [(String, String)] = []
        if fields.displayName != user.displayName { options.append(("name", fields.displayName)) }
        if fields.email != user.email { options.append(("email", fields.email)) }
        if fields.externalID != user.externalID { options.append(("external-id", fields.externalID ?? "")) }
        if !options.isEmpty { try await scimRun("USER SET", [user.name], options: options, as: caller) }
        if let password = fields.password, await !hasPassword(user, password) {
            try await scimRun("USER PASSWD", [user.name, password], as: caller)
        }
    }

    /// Whether `password` is the user's password already. A client that sends the
    /// password with every `PUT` (Okta's password sync) must not reset it each time:
    /// a reset revokes every token of the user (SPEC §2.2).
    private func hasPassword(_ user: User, _ password: String) async -> Bool {
        guard let phc = user.passwordHash, password.utf8.count <= PasswordPolicy.maximumBytes else { return false }
        return await hashing.run { (try? PasswordHash(phc: phc).verify(password: password)) == true }
    }
}

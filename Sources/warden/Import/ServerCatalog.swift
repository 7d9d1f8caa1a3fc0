import WardenClient
import WardenImport

/// The roles and systems a server has, to check an import file's references before
/// anything changes, and to know what a role gives (`ACCESS` shows the
/// entitlements of a grant, not the grant itself).
struct ServerCatalog {
    /// Each role's entitlements (`system:permission`), its included roles' as well.
    var roleEntitlements: [String: Set<String>] = [:]
    /// Each system's permissions; empty when it accepts any.
    var systems: [String: Set<String>] = [:]

    /// Asks `ROLE LIST` and `SYSTEM LIST` (which need `warden role-admin`).
    static func load(_ connection: WardenConnection) async throws -> ServerCatalog {
        let rolesPending = connection.submit("ROLE LIST", flush: false)
        let systemsPending = connection.submit("SYSTEM LIST")
        let roles = try await rolesPending.get()
        let systems = try await systemsPending.get()
        for (command, reply) in [("ROLE LIST", roles), ("SYSTEM LIST", systems)] where !reply.isOK {
            throw Fail.usage("cannot check the file against the server: \(command): \(reply.final)")
        }
        var catalog = ServerCatalog()
        var direct: [String: Set<String>] = [:]
        var includes: [String: [String]] = [:]
        for record in roles.records {
            guard let name = record["role"] else { continue }
            direct[name] = Set(ServerCatalog.commaList(record["entitlements"]))
            includes[name] = ServerCatalog.commaList(record["includes"])
        }
        for name in direct.keys {
            var seen: Set<String> = []
            var stack = [name]
            var closure: Set<String> = []
            while let role = stack.popLast() {
                guard seen.insert(role).inserted else { continue }
                closure.formUnion(direct[role] ?? [])
                stack.append(contentsOf: includes[role] ?? [])
            }
            catalog.roleEntitlements[name] = closure
        }
        for record in systems.records {
            guard let name = record["system"] else { continue }
            catalog.systems[name] = Set(ServerCatalog.commaList(record["permissions"]))
        }
        return catalog
    }

    /// Every username the server has (`USER LIST`, which needs `warden user-admin`),
    /// or nil when the list may be cut short by its limit or cannot be read: then
    /// every row is read one by one. Rows of users not in it need no reading: they
    /// are created. (A user added by someone else meanwhile makes that row's
    /// `USER ADD` fail with `CONFLICT`, named in the summary, as a race would anyway.)
    static func existingUsers(_ connection: WardenConnection) async throws -> Set<String>? {
        let limit = 100_000
        let reply = try await connection.send("USER LIST limit=\(limit)")
        guard reply.isOK, reply.records.count < limit else { return nil }
        return Set(reply.records.compactMap { $0["user"] })
    }

    /// Why the row names something the server does not have (empty when it is fine).
    func problems(of row: ImportRow) -> [String] {
        var reasons: [String] = []
        for role in row.roles where roleEntitlements[role] == nil {
            reasons.append("role \(role) does not exist")
        }
        for entitlement in row.entitlements {
            let parts = entitlement.split(separator: ":").map(String.init)
            guard let permissions = systems[parts[0]] else {
                reasons.append("system \(parts[0]) does not exist")
                continue
            }
            if !permissions.isEmpty && !permissions.contains(parts[1]) {
                reasons.append("system \(parts[0]) has no permission \(parts[1])")
            }
        }
        return reasons
    }

    private static func commaList(_ text: String?) -> [String] {
        (text ?? "").split(separator: ",").map(String.init)
    }
}

import WardenCore
import WardenProtocol
import WardenStore

/// `SYSTEM …` (SPEC §2.2): the systems that entitlements name.
extension WardenService {
    func addSystem(_ context: CommandContext, _ words: [Word]) throws(WardenError) -> Outcome {
        let args = try Arguments(words, count: 1...1, options: ["description", "permissions"], usage: context.usage)
        let name = try args.identifier(0, "system name")
        let definition = SystemDefinition(name: name, description: try args.text("description") ?? "", permissions: try args.identifierList("permissions") ?? [])
        return change(context, action: "system.add", target: "system:\(name)", permission: .roleAdmin, scope: .exclusive) { scope, directory in
            guard directory.systems[name] == nil else { throw WardenError.exists("system \(name) exists") }
            try scope.transaction.write(.systemAdded(definition))
            return ChangeResult(.ok(.pair("system", name)), detail: WardenService.describe(definition))
        }
    }

    func setSystem(_ context: CommandContext, _ words: [Word]) throws(WardenError) -> Outcome {
        let args = try Arguments(words, count: 1...1, options: ["description", "permissions"], usage: context.usage)
        let name = try args.identifier(0, "system name")
        let description = try args.text("description")
        let permissions = try args.identifierList("permissions")
        return change(context, action: "system.set", target: "system:\(name)", permission: .roleAdmin, scope: .exclusive) { scope, directory in
            guard name != BuiltIn.system else { throw Denial(message: "the built-in system \(name) cannot be changed") }
            guard var definition = directory.systems[name] else { throw WardenError.notFound("no system \(name)") }
            if let description { definition.description = description }
            if let permissions {
                // Dropping a permission in use, or closing an open system over grants
                // that name others, would leave grants pointing at nothing.
                let usedPermissions = WardenService.permissionsInUse(system: name, directory)
                let dropped = permissions.isEmpty ? [] : usedPermissions.subtracting(permissions)
                guard dropped.isEmpty else {
                    throw WardenError.conflict("permission \(dropped.sorted().joined(separator: ",")) of \(name) is used by grants or roles")
                }
                if !permissions.isEmpty {
                    for rule in scope.state.separationRules.values.sorted(by: { $0.name < $1.name }) {
                        for case .entitlement(let entitlement) in rule.sides where entitlement.system == name && !permissions.contains(entitlement.permission) {
                            throw WardenError.conflict("permission \(entitlement.permission) of \(name) is named by sod rule \(rule.name)")
                        }
                    }
                }
                definition.permissions = permissions
            }
            try scope.transaction.write(.systemChanged(definition))
            return ChangeResult(.ok(.pair("system", name)), detail: WardenService.describe(definition))
        }
    }

    func showSystem(_ context: CommandContext, _ words: [Word]) throws(WardenError) -> Outcome {
        let args = try Arguments(words, count: 1...1, usage: context.usage)
        let name = try args.identifier(0, "system name")
        return try read(context, action: "system.show", target: "system:\(name)", permission: .roleAdmin) { state throws(WardenError) in
            guard let system = state.directory.systems[name] else { throw .notFound("no system \(name)") }
            return .ok(WardenService.fields(of: system))
        }
    }

    func listSystems(_ context: CommandContext, _ words: [Word]) throws(WardenError) -> Outcome {
        _ = try Arguments(words, count: 0...0, usage: context.usage)
        return try read(context, action: "system.list", target: "-", permission: .roleAdmin) { state in
            .list(state.directory.systems.values.sorted { $0.name < $1.name }.map(WardenService.fields(of:)))
        }
    }

    func deleteSystem(_ context: CommandContext, _ words: [Word]) throws(WardenError) -> Outcome {
        let args = try Arguments(words, count: 1...1, usage: context.usage)
        let name = try args.identifier(0, "system name")
        return change(context, action: "system.delete", target: "system:\(name)", permission: .roleAdmin, scope: .exclusive) { scope, directory in
            guard name != BuiltIn.system else { throw Denial(message: "the built-in system \(name) cannot be deleted") }
            guard directory.systems[name] != nil else { throw WardenError.notFound("no system \(name)") }
            guard !directory.isInUse(system: name) else { throw WardenError.conflict("system \(name) is used by grants or roles") }
            for rule in scope.state.separationRules.values.sorted(by: { $0.name < $1.name }) {
                for case .entitlement(let entitlement) in rule.sides where entitlement.system == name {
                    throw WardenError.conflict("system \(name) is named by sod rule \(rule.name)")
                }
            }
            try scope.transaction.write(.systemDeleted(name: name))
            return ChangeResult(.ok(.pair("system", name), .pair("deleted", "true")))
        }
    }

    static func fields(of system: SystemDefinition) -> [Reply.Field] {
        [.pair("system", system.name), .pair("description", system.description),
         .pair("permissions", system.permissions.sorted().joined(separator: ","))]
    }

    static func describe(_ system: SystemDefinition) -> String {
        "permissions=\(system.permissions.sorted().joined(separator: ","))"
    }

    static func permissionsInUse(system: String, _ directory: Directory) -> Set<String> {
        var used: Set<String> = []
        for entitlement in directory.directlyGrantedEntitlements where entitlement.system == system { used.insert(entitlement.permission) }
        for role in directory.roles.values {
            for entitlement in role.entitlements where entitlement.system == system { used.insert(entitlement.permission) }
        }
        return used
    }

    /// `NOT-FOUND` unless the system exists and allows the permission.
    static func requireEntitlement(_ entitlement: Entitlement, in directory: Directory) throws(WardenError) {
        guard let system = directory.systems[entitlement.system] else { throw .notFound("no system \(entitlement.system)") }
        guard system.allows(permission: entitlement.permission) else {
            throw .notFound("system \(entitlement.system) has no permission \(entitlement.permission)")
        }
    }
}

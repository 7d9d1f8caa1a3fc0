import Testing

/// Staff with a chosen set of `warden` permissions, for the Authorization and Audit suites.
enum Staff {
    static let password = "Staff-Password-77"

    /// The script that creates `user` holding `warden <permission>` directly for each.
    static func script(_ user: String, _ permissions: [String]) -> [String] {
        ["USER ADD \(user) password=\(password)"] + permissions.map { "GRANT \(user) warden \($0)" }
    }

    /// Every permission of the built-in `warden` system.
    static let everything = ["user-admin", "role-admin", "grant", "check", "token-issue", "introspect", "audit", "key-admin", "review"]
}

extension WardenProcess {
    /// Creates `user` with the given `warden` permissions (through `admin`) and returns
    /// a connection authenticated as them.
    func staff(_ user: String, _ permissions: [String], admin: LineConnection,
               sourceLocation: SourceLocation = #_sourceLocation) throws -> LineConnection {
        try admin.runScript(Staff.script(user, permissions), sourceLocation: sourceLocation)
        return try connect(as: user, password: Staff.password)
    }
}

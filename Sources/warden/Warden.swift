import ArgumentParser

/// `warden`: the server, and the tools that admins and scripts use with it.
@main
struct Warden: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "warden",
        abstract: "Access control and identity management: users, roles, entitlements, tokens.",
        version: WardenVersion.current,
        subcommands: [Serve.self, CLI.self, Import.self, AuditCommand.self]
    )
}

enum WardenVersion {
    static let current = "1.0.0"
}

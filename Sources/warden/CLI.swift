import ArgumentParser

/// `warden cli` (SPEC §5). Placeholder until the tooling lands.
struct CLI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cli", abstract: "Talk to a Warden server.")
    func run() async throws { throw ExitCode(2) }
}

/// `warden import` (SPEC §5). Placeholder until the tooling lands.
struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Import new hires from CSV.")
    func run() async throws { throw ExitCode(2) }
}

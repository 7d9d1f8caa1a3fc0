import Foundation
import PackagePlugin

/// Embeds data files into the targets that use them, so that `warden` is one
/// self-contained binary and no generated data is Swift source in the tree:
/// the numbered migrations of `schema/` into WardenStore (SQLite) and of
/// `schema/postgres/` into WardenPostgres, and the common-password
/// list (`Policy/common-passwords.txt`) into WardenCore, and the page templates and
/// static files (`Templates/`, `Static/`) into WardenWeb.
@main
struct EmbedResources: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let tool = try context.tool(named: "ResourceEmbedder").url
        switch target.name {
        case "WardenStore", "WardenPostgres":
            let schemaDirectory = context.package.directoryURL.appending(path: target.name == "WardenStore" ? "schema" : "schema/postgres")
            let files = try FileManager.default.contentsOfDirectory(atPath: schemaDirectory.path)
                .filter { $0.hasSuffix(".sql") }
                .sorted()
                .map { schemaDirectory.appending(path: $0) }
            let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedSchema.swift")
            return [.buildCommand(
                displayName: "Embedding \(files.count) schema migrations", executable: tool,
                arguments: ["schema", output.path] + files.map(\.path),
                inputFiles: files + [schemaDirectory], outputFiles: [output])]
        case "WardenCore":
            let list = context.package.directoryURL.appending(path: "Sources/WardenCore/Policy/common-passwords.txt")
            let output = context.pluginWorkDirectoryURL.appending(path: "CommonPasswordList.swift")
            return [.buildCommand(
                displayName: "Embedding the common-password list", executable: tool,
                arguments: ["text", output.path, "CommonPasswords", "embeddedList", list.path],
                inputFiles: [list], outputFiles: [output])]
        case "WardenWeb":
            var commands: [Command] = []
            for (folder, name) in [("Templates", "embeddedTemplates"), ("Static", "embeddedStaticFiles")] {
                let directory = context.package.directoryURL.appending(path: "Sources/WardenWeb/\(folder)")
                let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
                    .filter { !$0.hasPrefix(".") }
                    .sorted()
                    .map { directory.appending(path: $0) }
                let output = context.pluginWorkDirectoryURL.appending(path: "Embedded\(folder).swift")
                commands.append(.buildCommand(
                    displayName: "Embedding \(files.count) web \(folder.lowercased()) files", executable: tool,
                    arguments: ["files", output.path, "WebAssets", name] + files.map(\.path),
                    inputFiles: files + [directory], outputFiles: [output]))
            }
            return commands
        default:
            return []
        }
    }
}

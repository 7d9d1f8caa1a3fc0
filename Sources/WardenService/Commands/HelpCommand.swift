import WardenCore
import WardenProtocol

/// `HELP [command]`: `commands`, one data line a command.
extension WardenService {
    func help(_ context: CommandContext, _ words: [Word]) throws(WardenError) -> Outcome {
        let topic = words.map(\.text).joined(separator: " ").uppercased()
        let entries = topic.isEmpty ? WardenService.commands : WardenService.commands.filter { $0.name == topic || $0.name.hasPrefix(topic + " ") }
        guard !entries.isEmpty else { throw WardenError(.notFound, "no command \(topic); try HELP") }
        return .reply(.list(entries.map { entry in
            [.pair("command", entry.name), .pair("usage", entry.usage), .pair("permission", entry.permissionLabel), .pair("summary", entry.summary)]
        }))
    }
}

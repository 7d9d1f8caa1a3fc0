import WardenClient
import WardenCore

/// How `warden cli` prints replies: the protocol's own lines, or one JSON object a
/// reply for scripts (the shape is documented in docs/cli.md):
///
///     {"ok":true,"fields":{"user":"alice"},"words":["PONG"],"data":[{"user":"alice"}]}
///     {"ok":false,"code":"NOT-FOUND","message":"no user bob"}
///
/// All values are strings, as on the wire.
enum ReplyFormat {
    case text
    case json

    func render(_ reply: ClientReply) -> String {
        switch self {
        case .text: reply.text
        case .json: ReplyFormat.json(reply) + "\n"
        }
    }

    static func json(_ reply: ClientReply) -> String {
        guard reply.isOK else {
            return "{\"ok\":false,\"code\":\(JSONText.quote(reply.errorCode ?? "")),\"message\":\(JSONText.quote(reply.errorMessage))}"
        }
        let words = reply.words
        let fields = words.compactMap { word in word.key.map { (key: $0, value: word.value) } }
        let bare = words.filter { $0.key == nil }.map(\.text)
        var output = "{\"ok\":true,\"fields\":" + object(fields)
        output += ",\"words\":[" + bare.map(JSONText.quote).joined(separator: ",") + "]"
        output += ",\"data\":[" + reply.data.map { line in
            object(ClientReply.words(of: line).compactMap { word in word.key.map { (key: $0, value: word.value) } })
        }.joined(separator: ",") + "]}"
        return output
    }

    /// A JSON object keeping the order of the reply's words (a repeated key: the last wins).
    private static func object(_ pairs: [(key: String, value: String)]) -> String {
        var seen: [String: Int] = [:]
        var ordered: [(key: String, value: String)] = []
        for pair in pairs {
            if let index = seen[pair.key] {
                ordered[index].value = pair.value
            } else {
                seen[pair.key] = ordered.count
                ordered.append(pair)
            }
        }
        return "{" + ordered.map { JSONText.quote($0.key) + ":" + JSONText.quote($0.value) }.joined(separator: ",") + "}"
    }
}

import WardenProtocol

/// A line-protocol reply as the pages read it: the final line's fields and the data
/// lines as `key → value`, or the error.
struct ReplyView: Sendable {
    let reply: Reply

    init(_ reply: Reply) { self.reply = reply }

    var isOK: Bool { reply.isOK }

    var error: (code: ErrorCode, message: String)? {
        if case .error(let code, let message) = reply.status { return (code, message) }
        return nil
    }

    /// The final `OK` line's `key=value` fields.
    var fields: [String: String] {
        guard case .ok(let fields) = reply.status else { return [:] }
        return ReplyView.pairs(fields)
    }

    /// Each data line's `key=value` fields.
    var rows: [[String: String]] { reply.data.map(ReplyView.pairs) }

    static func pairs(_ fields: [Reply.Field]) -> [String: String] {
        var pairs: [String: String] = [:]
        for field in fields {
            switch field {
            case .pair(let key, let value), .quotedPair(let key, let value): pairs[key] = value
            case .word: break
            }
        }
        return pairs
    }

    /// The error's message as a sentence for the page.
    var sentence: String {
        guard let error else { return "" }
        let text = error.message.isEmpty ? error.code.rawValue.lowercased() : error.message
        return text.prefix(1).uppercased() + text.dropFirst() + (text.hasSuffix(".") ? "" : ".")
    }
}

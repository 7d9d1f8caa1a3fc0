import WardenProtocol

/// One reply as it came off the wire (SPEC §2): its data lines and its final line.
///
/// The lines are kept verbatim so that a tool can print the protocol's own text;
/// the accessors below read them back into words with the protocol's parser.
public struct ClientReply: Equatable, Sendable {
    /// The data lines, without their leading `* `.
    public var data: [String]
    /// The final `OK …` or `ERR CODE message` line.
    public var final: String

    public init(data: [String] = [], final: String) {
        self.data = data
        self.final = final
    }

    public var isOK: Bool { final == "OK" || final.hasPrefix("OK ") }

    /// The code of an `ERR CODE message` line, `nil` for `OK`.
    public var errorCode: String? {
        guard final.hasPrefix("ERR ") else { return nil }
        return final.dropFirst(4).split(separator: " ", maxSplits: 1).first.map(String.init)
    }

    /// The free-text message of an `ERR` line (empty when there is none).
    public var errorMessage: String {
        guard final.hasPrefix("ERR ") else { return "" }
        let rest = final.dropFirst(4)
        guard let space = rest.firstIndex(of: " ") else { return "" }
        return String(rest[rest.index(after: space)...])
    }

    /// The words of the final `OK` line after `OK`, unquoted; empty for `ERR`.
    public var words: [Word] {
        guard isOK else { return [] }
        return ClientReply.words(of: String(final.dropFirst(2)))
    }

    /// The `key=value` words of the final `OK` line.
    public var fields: [String: String] { ClientReply.pairs(words) }

    /// Each data line's `key=value` words.
    public var records: [[String: String]] { data.map { ClientReply.pairs(ClientReply.words(of: $0)) } }

    /// The reply as the server wrote it, one line each, with `\n` after every line.
    public var text: String {
        var output = ""
        for line in data {
            output += "* " + line + "\n"
        }
        return output + final + "\n"
    }

    /// Words of a reply line; a line the parser refuses (a server bug) is one word.
    public static func words(of line: String) -> [Word] {
        (try? LineParser.words(in: Array(line.utf8))) ?? [Word(text: line, quoted: true)]
    }

    static func pairs(_ words: [Word]) -> [String: String] {
        var result: [String: String] = [:]
        for word in words {
            if let key = word.key { result[key] = word.value }
        }
        return result
    }
}

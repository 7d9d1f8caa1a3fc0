/// A parsed request: the command (one word, or two for the command groups of
/// SPEC §2) in upper case, and the words that follow it.
public struct Request: Equatable, Sendable {
    /// For example `PING`, `USER ADD`, `AUDIT`, `AUDIT VERIFY`.
    public var command: String
    public var arguments: [Word]

    public init(command: String, arguments: [Word]) {
        self.command = command
        self.arguments = arguments
    }

    /// Groups whose commands are two words long (`USER ADD`, `KEY ROTATE`, …).
    public static let commandGroups: Set<String> = ["USER", "ROLE", "SYSTEM", "TOKEN", "KEY", "APIKEY", "AUDIT", "MFA", "SOD", "REQUEST", "REVIEW"]

    /// The groups that are also commands, and the words that make a subcommand of them.
    static let subcommands: [String: Set<String>] = [
        "AUDIT": ["VERIFY"],
        "REQUEST": ["LIST", "SHOW", "APPROVE", "DENY", "CANCEL"],
    ]

    /// Builds a request from the words of a line; `nil` for an empty line.
    ///
    /// A group word without a subcommand (`USER`) is kept as a one-word command so
    /// that the dispatcher can answer `ERR SYNTAX`. `AUDIT` and `REQUEST` alone are
    /// commands of their own (`REQUEST role …`): only their `subcommands` take a
    /// second word.
    public init?(words: [Word]) {
        guard let first = words.first else { return nil }
        let head = Request.uppercased(first.text)
        if Request.commandGroups.contains(head), words.count > 1, words[1].key == nil {
            let second = Request.uppercased(words[1].text)
            if Request.subcommands[head]?.contains(second) ?? true {
                self.init(command: head + " " + second, arguments: Array(words[2...]))
                return
            }
        }
        var arguments = words
        arguments.removeFirst()
        self.init(command: head, arguments: arguments)
    }

    /// Command words are ASCII: fold those without `uppercased()`'s Unicode tables.
    static func uppercased(_ text: String) -> String {
        ASCIICase.folded(text.utf8, toUpper: true) ?? text.uppercased()
    }

    /// Parses one line (CR already removed) into a request; `nil` for an empty line.
    @inlinable
    public static func parse<Bytes: Collection>(line: Bytes) throws(ProtocolError) -> Request?
    where Bytes.Element == UInt8 {
        Request(words: try LineParser.words(in: line))
    }
}

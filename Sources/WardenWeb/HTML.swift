/// Markup that is safe to send as it is: made only by escaping text (`HTML(escaping:)`)
/// or by rendering a template, never from a bare `String`. A page can therefore
/// show nothing unescaped that came from a request, the directory or a reply.
public struct HTML: Sendable, Equatable, CustomStringConvertible {
    public private(set) var markup: String

    /// `text` with `& < > " '` replaced by character references, so that it reads as
    /// text in element content and in quoted attribute values alike.
    public init(escaping text: String) {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.unicodeScalars.append(character)
            }
        }
        markup = escaped
    }

    /// Only templates (trusted files of the build) and the SVG writer make markup.
    init(trusted markup: String) {
        self.markup = markup
    }

    public static let empty = HTML(trusted: "")

    /// Pieces of markup one after another (rows of a table).
    static func joined(_ pieces: [HTML]) -> HTML {
        HTML(trusted: pieces.map(\.markup).joined(separator: "\n"))
    }

    public var description: String { markup }
}

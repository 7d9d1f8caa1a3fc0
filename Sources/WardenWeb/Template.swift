/// A page template: a file of `Templates/`, embedded at build time, with `{{name}}`
/// slots and no other logic. Text put in a slot is always escaped (`TemplateValue.text`);
/// only markup from another template or the QR writer goes in as it is.
public struct Template: Sendable {
    enum Part: Sendable, Equatable {
        case literal(String)
        case slot(String)
    }

    let parts: [Part]

    /// The names of the template's slots, for tests that check each page fills them all.
    public var slotNames: Set<String> {
        Set(parts.compactMap { if case .slot(let name) = $0 { name } else { nil } })
    }

    /// Splits `source` at `{{name}}` (name: letters and digits). Anything else between
    /// braces is kept as text: templates are our own files, not a language.
    public init(_ source: String) {
        var parts: [Part] = []
        var literal = Substring()
        var rest = source[...]
        while let open = rest.range(of: "{{") {
            literal += rest[..<open.lowerBound]
            let afterOpen = rest[open.upperBound...]
            if let close = afterOpen.range(of: "}}"),
               case let name = afterOpen[..<close.lowerBound],
               !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) {
                if !literal.isEmpty { parts.append(.literal(String(literal))) }
                literal = ""
                parts.append(.slot(String(name)))
                rest = afterOpen[close.upperBound...]
            } else {
                literal += "{{"
                rest = afterOpen
            }
        }
        literal += rest
        if !literal.isEmpty { parts.append(.literal(String(literal))) }
        self.parts = parts
    }

    /// The template with every slot filled; a slot without a value is left empty.
    public func render(_ values: [String: TemplateValue]) -> HTML {
        var markup = ""
        for part in parts {
            switch part {
            case .literal(let text): markup += text
            case .slot(let name): markup += values[name]?.html.markup ?? ""
            }
        }
        return HTML(trusted: markup)
    }
}

/// What goes into a slot: text (escaped) or markup already made safe.
public enum TemplateValue: Sendable, ExpressibleByStringLiteral {
    case text(String)
    case html(HTML)

    public init(stringLiteral value: String) { self = .text(value) }

    var html: HTML {
        switch self {
        case .text(let text): HTML(escaping: text)
        case .html(let html): html
        }
    }
}

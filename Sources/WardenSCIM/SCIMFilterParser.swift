/// Recursive descent over RFC 7644 §3.4.2.2's grammar, with its precedence:
/// `not` binds tighter than `and`, which binds tighter than `or`; parentheses group.
///
///     filter    = or
///     or        = and *("or" and)
///     and       = unary *("and" unary)
///     unary     = "not" "(" filter ")" / "(" filter ")" / attrPath "[" valFilter "]" ["." subAttr attrExp-tail] / attrExp
///     attrExp   = attrPath "pr" / attrPath compareOp compValue
///     compValue = false / null / true / number / string
///
/// Operators and keywords are case-insensitive. A value filter holds no value filter.
struct SCIMFilterParser {
    /// Longer filters are refused before they are read.
    static let maximumLength = 8192
    /// Deeper nesting (parentheses, `not`, value filters) is refused: the parser recurses.
    static let maximumDepth = 50

    private let tokens: [SCIMFilterToken]
    private var position = 0
    private var depth = 0

    init(_ text: String) throws(SCIMFilterError) {
        guard text.utf8.count <= Self.maximumLength else { throw .tooLong(limit: Self.maximumLength) }
        tokens = try SCIMFilterToken.tokenize(text)
        guard !tokens.isEmpty else { throw .empty }
    }

    /// The whole input as one filter.
    mutating func parseWhole() throws(SCIMFilterError) -> SCIMFilter {
        let filter = try parseOr(inValueFilter: false)
        if position < tokens.count { throw .unexpected(token: tokens[position].text, expected: "and, or or the end") }
        return filter
    }

    /// A value filter's inside, up to (not including) its `]`.
    mutating func parseValueFilter() throws(SCIMFilterError) -> SCIMFilter {
        try parseOr(inValueFilter: true)
    }

    var isAtEnd: Bool { position >= tokens.count }

    private mutating func parseOr(inValueFilter: Bool) throws(SCIMFilterError) -> SCIMFilter {
        var left = try parseAnd(inValueFilter: inValueFilter)
        while takeKeyword("or") {
            left = .or(left, try parseAnd(inValueFilter: inValueFilter))
        }
        return left
    }

    private mutating func parseAnd(inValueFilter: Bool) throws(SCIMFilterError) -> SCIMFilter {
        var left = try parseUnary(inValueFilter: inValueFilter)
        while takeKeyword("and") {
            left = .and(left, try parseUnary(inValueFilter: inValueFilter))
        }
        return left
    }

    private mutating func parseUnary(inValueFilter: Bool) throws(SCIMFilterError) -> SCIMFilter {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maximumDepth else { throw .tooDeep(limit: Self.maximumDepth) }
        guard position < tokens.count else { throw .unexpectedEnd(expected: "an attribute path, not or (") }
        let token = tokens[position]
        switch token {
        case .openParen:
            position += 1
            let inner = try parseOr(inValueFilter: inValueFilter)
            try expect(.closeParen, ")")
            return inner
        case .word(let word) where word.lowercased() == "not" && peek(1) == .openParen:
            position += 2
            let inner = try parseOr(inValueFilter: inValueFilter)
            try expect(.closeParen, ")")
            return .not(inner)
        case .word(let word):
            position += 1
            let path = try SCIMAttributePath.parse(word)
            if peek(0) == .openBracket {
                guard !inValueFilter else { throw .nestedValueFilter }
                position += 1
                let inner = try parseOr(inValueFilter: true)
                try expect(.closeBracket, "]")
                // `emails[type eq "work"].value eq "x"`, as Entra ID asks: some value
                // matching the filter whose sub-attribute matches the comparison.
                if case .word(let word)? = peek(0), word.hasPrefix(".") {
                    position += 1
                    let sub = word.dropFirst()
                    guard SCIMAttributePath.isAttributeName(sub) else { throw .invalidPath(String(word)) }
                    return .valuePath(path, .and(inner, try parseAttributeExpression(SCIMAttributePath(attribute: String(sub)))))
                }
                return .valuePath(path, inner)
            }
            return try parseAttributeExpression(path)
        default:
            throw .unexpected(token: token.text, expected: "an attribute path, not or (")
        }
    }

    private mutating func parseAttributeExpression(_ path: SCIMAttributePath) throws(SCIMFilterError) -> SCIMFilter {
        guard position < tokens.count else { throw .unexpectedEnd(expected: "an operator after \(path)") }
        guard case .word(let word) = tokens[position] else {
            throw .unexpected(token: tokens[position].text, expected: "an operator after \(path)")
        }
        position += 1
        let name = word.lowercased()
        if name == "pr" { return .present(path) }
        guard let op = SCIMFilter.ComparisonOperator(rawValue: name) else { throw .unknownOperator(String(word)) }
        let value = try parseValue()
        switch (op, value) {
        case (.co, .string), (.sw, .string), (.ew, .string):
            break
        case (.co, _), (.sw, _), (.ew, _):
            throw .operatorValue(op: op.rawValue, value: String(describing: value))
        case (.gt, .bool), (.ge, .bool), (.lt, .bool), (.le, .bool), (.gt, .null), (.ge, .null), (.lt, .null), (.le, .null):
            throw .operatorValue(op: op.rawValue, value: value == .null ? "null" : "a boolean")
        default:
            break
        }
        return .compare(path, op, value)
    }

    /// `false / null / true / number / string` (JSON literals; the keywords in any case).
    private mutating func parseValue() throws(SCIMFilterError) -> JSONValue {
        guard position < tokens.count else { throw .unexpectedEnd(expected: "a value") }
        let token = tokens[position]
        position += 1
        switch token {
        case .string(let text):
            return .string(text)
        case .word(let word):
            switch word.lowercased() {
            case "true": return .bool(true)
            case "false": return .bool(false)
            case "null": return .null
            default: return .number(try Self.number(word))
            }
        default:
            throw .unexpected(token: token.text, expected: "a value")
        }
    }

    /// A JSON number: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    static func number(_ word: Substring) throws(SCIMFilterError) -> Double {
        let bytes = Array(word.utf8)
        var index = 0
        func digits() -> Int {
            let start = index
            while index < bytes.count, (48...57).contains(bytes[index]) { index += 1 }
            return index - start
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        let start = index
        guard digits() > 0, !(bytes[start] == UInt8(ascii: "0") && index - start > 1) else { throw .invalidNumber(String(word)) }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits() > 0 else { throw .invalidNumber(String(word)) }
        }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard digits() > 0 else { throw .invalidNumber(String(word)) }
        }
        guard index == bytes.count, bytes.count <= 64, let value = Double(String(word)), value.isFinite else {
            throw .invalidNumber(String(word))
        }
        return value
    }

    private func peek(_ offset: Int) -> SCIMFilterToken? {
        position + offset < tokens.count ? tokens[position + offset] : nil
    }

    private mutating func takeKeyword(_ keyword: String) -> Bool {
        guard case .word(let word) = peek(0), word.lowercased() == keyword else { return false }
        position += 1
        return true
    }

    private mutating func expect(_ token: SCIMFilterToken, _ what: String) throws(SCIMFilterError) {
        guard position < tokens.count else { throw .unexpectedEnd(expected: what) }
        guard tokens[position] == token else { throw .unexpected(token: tokens[position].text, expected: what) }
        position += 1
    }
}

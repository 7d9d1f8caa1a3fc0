import WardenCore
import WardenProtocol

/// The words of a request split into positional values and `key=value` options,
/// checked against what the command accepts.
struct Arguments {
    var positional: [String]
    var options: [String: String]

    /// - Parameters:
    ///   - raw: how many leading words are taken as values even if they contain `=`
    ///     (passwords, codes, tokens).
    ///   - count: how many positional words the command takes.
    ///   - options: the option keys it accepts.
    ///   - usage: shown in the `ERR SYNTAX` reply.
    init(_ words: [Word], raw: Int = 0, count: ClosedRange<Int>, options allowed: Set<String> = [], usage: String) throws(WardenError) {
        var positional: [String] = []
        positional.reserveCapacity(words.count)
        var options: [String: String] = [:]
        for (index, word) in words.enumerated() {
            if index < raw || word.key == nil {
                guard options.isEmpty || index < raw else { throw .syntax("values must come before options; usage: \(usage)") }
                positional.append(word.text)
            } else if let key = word.key {
                guard allowed.contains(key) else { throw .syntax("unknown option \(key)=; usage: \(usage)") }
                guard options[key] == nil else { throw .syntax("option \(key)= given twice") }
                options[key] = word.value
            }
        }
        guard count.contains(positional.count) else { throw .syntax("usage: \(usage)") }
        self.positional = positional
        self.options = options
    }

    /// The positional word at `index` as a folded identifier.
    func identifier(_ index: Int, _ what: String) throws(WardenError) -> String {
        try Identifier.parse(positional[index], what: what)
    }

    /// A time limit from `until=TIME` or `for=DURATION` (not both), or `nil`.
    func expiry(now: Timestamp) throws(WardenError) -> Timestamp? {
        switch (options["until"], options["for"]) {
        case (.some, .some): throw .syntax("give until= or for=, not both")
        case (.some(let text), nil):
            guard let time = Timestamp(rfc3339: text) else { throw .invalid("until= must be an RFC 3339 time such as 2026-11-25T10:00:00Z") }
            guard time > now else { throw .invalid("until= is in the past") }
            return time
        case (nil, .some(let text)):
            guard let seconds = Lifetime.parse(text) else { throw .invalid("for= must be a duration such as 90s, 15m, 8h or 30d") }
            return now.adding(seconds: seconds)
        case (nil, nil): return nil
        }
    }

    /// A `ttl=` option within `maximum`, or `fallback`.
    func ttl(fallback: Int64, maximum: Int64) throws(WardenError) -> Int64 {
        guard let text = options["ttl"] else { return fallback }
        guard let seconds = Lifetime.parse(text) else { throw .invalid("ttl= must be a duration such as 90s, 15m, 8h or 30d") }
        guard seconds <= maximum else { throw .invalid("ttl= is longer than the maximum of \(Lifetime.format(maximum))") }
        return seconds
    }

    /// A free-text option, bounded so that nobody stores megabytes in a description.
    func text(_ key: String, maximumBytes: Int = 1024) throws(WardenError) -> String? {
        guard let value = options[key] else { return nil }
        guard value.utf8.count <= maximumBytes else { throw .invalid("\(key)= is longer than \(maximumBytes) bytes") }
        guard DisplayText.isValid(value) else {
            throw .invalid("\(key)= holds a control, line-separator or bidirectional formatting character")
        }
        return value
    }

    /// `email=`: empty (no address) or a valid address (see `EmailAddress`).
    func email() throws(WardenError) -> String? {
        guard let value = try text("email", maximumBytes: EmailAddress.maximumBytes) else { return nil }
        guard value.isEmpty || EmailAddress.isValid(value) else { throw .invalid("email= is not an e-mail address") }
        return value
    }

    /// A comma-separated list of identifiers (`permissions=read,write`).
    func identifierList(_ key: String) throws(WardenError) -> Set<String>? {
        guard let value = options[key] else { return nil }
        if value.isEmpty { return [] }
        var result: Set<String> = []
        for item in value.split(separator: ",", omittingEmptySubsequences: false) {
            result.insert(try Identifier.parse(String(item), what: "permission"))
        }
        return result
    }
}

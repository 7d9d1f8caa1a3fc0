import WardenProtocol

/// What one parsed word must look like, written out field by field so that a test
/// states its expectation without going through `Word`'s own initialisers.
struct ParsedWord: Sendable, Equatable, CustomStringConvertible {
    var text: String
    var key: String?
    var value: String

    init(_ text: String, key: String? = nil, value: String? = nil) {
        self.text = text
        self.key = key
        self.value = value ?? text
    }

    init(_ word: Word) {
        self.init(word.text, key: word.key, value: word.value)
    }

    var description: String { key.map { "\($0)=\(value)" } ?? text }
}

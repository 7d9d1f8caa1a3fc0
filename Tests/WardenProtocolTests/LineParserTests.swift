import Testing
import WardenProtocol

/// The words a line is read as (SPEC §2): bare and quoted words, escapes,
/// `key="quoted value"`, and every way a line can be refused.
@Suite struct LineParserTests {
    struct Accepted: Sendable, CustomTestStringConvertible {
        var name: String
        var line: [UInt8]
        var words: [ParsedWord]

        init(_ name: String, _ line: String, _ words: [ParsedWord]) {
            self.name = name
            self.line = Array(line.utf8)
            self.words = words
        }

        var testDescription: String { name }
    }

    static let accepted: [Accepted] = [
        Accepted("one bare word", "PING", [ParsedWord("PING")]),
        Accepted("bare words", "USER ADD alice", [ParsedWord("USER"), ParsedWord("ADD"), ParsedWord("alice")]),
        Accepted("several spaces between, before and after words", "  CHECK   alice  payroll   read  ",
                 [ParsedWord("CHECK"), ParsedWord("alice"), ParsedWord("payroll"), ParsedWord("read")]),
        Accepted("an empty line", "", []),
        Accepted("a line of spaces", "     ", []),
        Accepted("a quoted word with a space", #""hello world""#, [ParsedWord("hello world")]),
        Accepted("the escape \\\"", #""say \"hi\"""#, [ParsedWord(#"say "hi""#)]),
        Accepted("the escape \\\\", #""back\\slash""#, [ParsedWord(#"back\slash"#)]),
        Accepted("the escape \\n", #""line\nbreak""#, [ParsedWord("line\nbreak")]),
        Accepted("the escape \\t", #""tab\there""#, [ParsedWord("tab\there")]),
        Accepted("all four escapes in one word", #""\"\\\n\t""#, [ParsedWord("\"\\\n\t")]),
        Accepted("an empty quoted word", #"USER SET alice """#,
                 [ParsedWord("USER"), ParsedWord("SET"), ParsedWord("alice"), ParsedWord("")]),
        Accepted("a bare option", "name=alice", [ParsedWord("name=alice", key: "name", value: "alice")]),
        Accepted("an option with a quoted value", #"name="Alice Smith""#,
                 [ParsedWord("name=Alice Smith", key: "name", value: "Alice Smith")]),
        Accepted("an option with an empty quoted value", #"reason="""#, [ParsedWord("reason=", key: "reason", value: "")]),
        Accepted("an option with escapes in its value", #"detail="a \"b\"\n""#,
                 [ParsedWord("detail=a \"b\"\n", key: "detail", value: "a \"b\"\n")]),
        Accepted("a quoted option followed by more words", #"reason="left the company" now"#,
                 [ParsedWord("reason=left the company", key: "reason", value: "left the company"), ParsedWord("now")]),
        Accepted("an option key folded to lower case", "Name=Alice", [ParsedWord("Name=Alice", key: "name", value: "Alice")]),
        Accepted("an option whose value holds =", "a=b=c", [ParsedWord("a=b=c", key: "a", value: "b=c")]),
        Accepted("a word starting with = is not an option", "=abc", [ParsedWord("=abc")]),
        Accepted("a non-ASCII option key folded to lower case", "ÉTÉ=Oui", [ParsedWord("ÉTÉ=Oui", key: "été", value: "Oui")]),
        Accepted("an option with an empty bare value", "reason=", [ParsedWord("reason=", key: "reason", value: "")]),
        Accepted("a quoted word that contains = is not an option", #""a=b""#, [ParsedWord("a=b")]),
        // Found by fuzzing: `=` followed by a combining mark is one Character, so a
        // split on Characters missed it (or split at a later `=`).
        Accepted("an option whose value starts with a combining mark", "name=\u{301}x",
                 [ParsedWord("name=\u{301}x", key: "name", value: "\u{301}x")]),
        Accepted("an option split at its first = even when a combining mark follows it", "kk=\u{618}=",
                 [ParsedWord("kk=\u{618}=", key: "kk", value: "\u{618}=")]),
        Accepted("non-ASCII UTF-8, bare and quoted", #"café "日本 語""#, [ParsedWord("café"), ParsedWord("日本 語")]),
    ]

    @Test(arguments: accepted)
    func acceptsLine(_ testCase: Accepted) throws {
        let words = try LineParser.words(in: testCase.line)
        #expect(words.map(ParsedWord.init) == testCase.words)
    }

    struct Rejected: Sendable, CustomTestStringConvertible {
        var name: String
        var line: [UInt8]
        var error: ProtocolError

        init(_ name: String, _ line: String, _ error: ProtocolError) {
            self.init(name, Array(line.utf8), error)
        }

        init(_ name: String, _ line: [UInt8], _ error: ProtocolError) {
            self.name = name
            self.line = line
            self.error = error
        }

        var testDescription: String { name }
    }

    static let rejected: [Rejected] = [
        Rejected("an unknown escape", #""abc\x""#, .invalidEscape),
        Rejected("an escaped single quote", #""\'""#, .invalidEscape),
        Rejected("an unterminated quote", #"USER SET alice name="Alice"#, .unterminatedQuote),
        Rejected("a lone quote", "\"", .unterminatedQuote),
        Rejected("a backslash at the end of a quoted word", #""abc\"#, .unterminatedQuote),
        Rejected("a quote in the middle of a bare word", #"ab"c""#, .misplacedQuote),
        Rejected("a quote at the end of a bare word", #"abc""#, .misplacedQuote),
        Rejected("a quote not followed by a space", #""abc"def"#, .misplacedQuote),
        Rejected("a quoted value not followed by a space", #"name="x"y"#, .misplacedQuote),
        Rejected("a quoted value with an empty key", #"="x""#, .misplacedQuote),
        Rejected("a quoted value after a second =", #"a=b="x""#, .misplacedQuote),
        Rejected("a tab outside quotes", "a\tb", .controlCharacter),
        Rejected("0x01 outside quotes", [0x61, 0x01, 0x62], .controlCharacter),
        Rejected("DEL outside quotes", [0x61, 0x7F], .controlCharacter),
        Rejected("a CR left inside the line", "PING\r", .controlCharacter),
        Rejected("a raw tab inside quotes", "\"a\tb\"", .controlCharacter),
        Rejected("0x01 inside quotes", [0x22, 0x61, 0x01, 0x22], .controlCharacter),
        Rejected("DEL inside quotes", [0x22, 0x7F, 0x22], .controlCharacter),
        Rejected("a raw LF inside a quoted value", "name=\"a\nb\"", .controlCharacter),
        Rejected("the byte 0xFF", [0x50, 0xFF], .invalidUTF8),
        Rejected("0xFF inside quotes", [0x22, 0xFF, 0x22], .invalidUTF8),
        Rejected("a truncated two-byte sequence", [0x61, 0xC3], .invalidUTF8),
        Rejected("a truncated three-byte sequence before a space", [0xE6, 0x97, 0x20, 0x61], .invalidUTF8),
        Rejected("an overlong encoding of /", [0xC0, 0xAF], .invalidUTF8),
        Rejected("an encoded UTF-16 surrogate", [0xED, 0xA0, 0x80], .invalidUTF8),
    ]

    @Test(arguments: rejected)
    func refusesLine(_ testCase: Rejected) {
        #expect(throws: testCase.error) { try LineParser.words(in: testCase.line) }
    }

    @Test func acceptsALineOfExactlyTheLimit() throws {
        let line = [UInt8](repeating: UInt8(ascii: "a"), count: 16_384)
        #expect(LineParser.maximumLineBytes == 16_384)
        let words = try LineParser.words(in: line)
        #expect(words.count == 1)
        #expect(words.first?.text.utf8.count == 16_384)
    }

    @Test func refusesALineOneByteOverTheLimit() {
        let line = [UInt8](repeating: UInt8(ascii: "a"), count: 16_385)
        #expect(throws: ProtocolError.lineTooLong) { try LineParser.words(in: line) }
    }

    @Test func refusesAnOverlongLineOfGarbageAsTooLong() {
        // Length is judged first: a huge line costs no UTF-8 validation and gets TOO-LONG.
        let line = [UInt8](repeating: 0xFF, count: 16_385)
        #expect(throws: ProtocolError.lineTooLong) { try LineParser.words(in: line) }
    }
}

import Testing
import WardenProtocol

/// How replies are written (SPEC §2): data lines `* key=value …`, one final `OK …` or
/// `ERR CODE message` line, and values quoted so that the line parses back.
@Suite struct ReplyEncoderTests {
    @Test func writesABareOK() {
        #expect(ReplyEncoder.encode(.ok()) == "OK\n")
    }

    @Test func writesOKWithWordsAndPairs() {
        #expect(ReplyEncoder.encode(.ok("ALLOW", .pair("via", "role:eng"))) == "OK ALLOW via=role:eng\n")
    }

    @Test func writesDataLinesThenTheCount() {
        let reply = Reply.list([
            [.pair("user", "alice"), .pair("kind", "person")],
            [.pair("user", "bob"), .pair("kind", "service")],
        ])
        #expect(ReplyEncoder.encode(reply) == "* user=alice kind=person\n* user=bob kind=service\nOK count=2\n")
    }

    @Test func aReplyWithItsDataEncodedAheadIsSentByteForByteTheSame() {
        let reply = Reply.list([
            [.pair("user", "alice"), .quotedPair("name", "Alice \"A\" Smith")],
            [.pair("user", "bob"), .pair("name", "")],
        ])
        let encoded = reply.encodingData()
        #expect(encoded.data.isEmpty && !encoded.encodedData.isEmpty)
        #expect(ReplyEncoder.encode(encoded) == ReplyEncoder.encode(reply))
        #expect(Reply.ok("PONG").encodingData() == Reply.ok("PONG"))
    }

    @Test func writesAnEmptyListAsACountOfZero() {
        #expect(ReplyEncoder.encode(.list([])) == "OK count=0\n")
    }

    @Test func writesAnError() {
        #expect(ReplyEncoder.encode(.error(.notFound, "no such user")) == "ERR NOT-FOUND no such user\n")
    }

    @Test func writesAnErrorWithoutMessageAsItsCodeAlone() {
        #expect(ReplyEncoder.encode(.error(.busy, "")) == "ERR BUSY\n")
    }

    @Test func keepsAnErrorMessageWithANewlineOnOneLine() {
        let text = ReplyEncoder.encode(.error(.syntax, "first\nsecond\r\tthird"))
        #expect(text == "ERR SYNTAX first second  third\n")
        #expect(text.filter { $0 == "\n" }.count == 1)
    }

    struct Quoting: Sendable, CustomTestStringConvertible {
        var value: String
        var written: String
        var testDescription: String { "\(value.debugDescription) → \(written)" }
    }

    static let quoting: [Quoting] = [
        Quoting(value: "alice", written: "alice"),
        Quoting(value: "role:eng", written: "role:eng"),
        Quoting(value: "café", written: "café"),
        Quoting(value: "Alice Smith", written: #""Alice Smith""#),
        Quoting(value: #"say "hi""#, written: #""say \"hi\"""#),
        Quoting(value: #"a\b"#, written: #""a\\b""#),
        Quoting(value: "two\nlines", written: #""two\nlines""#),
        Quoting(value: "a\tb", written: #""a\tb""#),
        Quoting(value: "", written: #""""#),
        // Control characters the protocol cannot write become spaces, inside quotes.
        Quoting(value: "a\u{1}b", written: #""a b""#),
        Quoting(value: "a\u{7F}b", written: #""a b""#),
    ]

    @Test(arguments: quoting)
    func quotesAValueOnlyWhenItMust(_ testCase: Quoting) {
        #expect(ReplyEncoder.encode(.ok(.pair("k", testCase.value))) == "OK k=\(testCase.written)\n")
    }

    @Test func alwaysQuotesAQuotedPair() {
        #expect(ReplyEncoder.encode(.ok(.quotedPair("detail", "plain"))) == "OK detail=\"plain\"\n")
        #expect(ReplyEncoder.encode(.ok(.quotedPair("detail", ""))) == "OK detail=\"\"\n")
    }

    /// Values that must survive encoding and parsing unchanged.
    static let roundTripValues: [String] = [
        "alice", "Alice Smith", #"say "hi""#, #"C:\path\"#, "two\nlines", "a\tb", "", "a=b", "=",
        "  padded  ", #"\""#, "日本 語", "*", "OK",
    ]

    @Test(arguments: roundTripValues)
    func aReplyParsesBackIntoTheSameValues(_ value: String) throws {
        let reply = Reply(
            data: [[.pair("name", value), .quotedPair("detail", value)], [.word(value)]],
            status: .ok([.word(value), .pair("v", value)]))
        let lines = ReplyEncoder.encode(reply).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 4)
        #expect(lines.last == "")

        let first = try LineParser.words(in: Array(lines[0].utf8)).map(ParsedWord.init)
        #expect(first == [
            ParsedWord("*"),
            ParsedWord("name=" + value, key: "name", value: value),
            ParsedWord("detail=" + value, key: "detail", value: value),
        ])
        let second = try LineParser.words(in: Array(lines[1].utf8))
        #expect(second.map(\.text) == ["*", value])
        let final = try LineParser.words(in: Array(lines[2].utf8))
        #expect(final.map(\.text) == ["OK", value, "v=" + value])
        #expect(final.last?.key == "v")
        #expect(final.last?.value == value)
    }
}

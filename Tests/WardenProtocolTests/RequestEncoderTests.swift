import Testing
import WardenProtocol

/// `RequestEncoder` writes shell-style words as one request line that the server's
/// parser reads back as the same words (what `warden cli USER ADD bob 'name=Bob Smith'` needs).
@Suite struct RequestEncoderTests {
    @Test(arguments: [
        (["USER", "SHOW", "alice"], "USER SHOW alice"),
        (["USER", "ADD", "bob", "name=Bob Smith"], #"USER ADD bob name="Bob Smith""#),
        (["USER", "SET", "bob", #"name=Bob "the" B\"#], #"USER SET bob name="Bob \"the\" B\\""#),
        (["USER", "DISABLE", "bob", "reason=left\tfor\nlunch"], #"USER DISABLE bob reason="left\tfor\nlunch""#),
        (["AUTH", "bob", ""], #"AUTH bob """#),
        (["AUTH", "bob", "two words=x"], #"AUTH bob "two words=x""#),
        (["REVOKE", "bob", "*"], "REVOKE bob *"),
        (["PASSWD", "old", "p=ss"], "PASSWD old p=ss"),
    ])
    func wordsBecomeALine(words: [String], line: String) {
        #expect(RequestEncoder.line(words) == line)
    }

    @Test(arguments: [
        ["USER", "ADD", "bob", "name=Bob Smith", "email=bob@example.com"],
        ["AUTH", "bob", "pa ss\"word\\"],
        ["GRANT", "bob", "crm", "read", "reason=needs \"read\" access"],
        ["AUTH", "bob", "a b=c"],
    ])
    func theParserReadsBackTheSameWords(words: [String]) throws {
        let parsed = try LineParser.words(in: Array(RequestEncoder.line(words).utf8))
        #expect(parsed.map(\.text) == words)
    }

    @Test func aKeyValueWordStaysAnOptionAndAQuotedWholeWordStaysAValue() throws {
        let parsed = try LineParser.words(in: Array(RequestEncoder.line(["name=Bob Smith", "a b=c"]).utf8))
        #expect(parsed[0].key == "name")
        #expect(parsed[0].value == "Bob Smith")
        #expect(parsed[1].key == nil)
    }

    /// Found by fuzz-csv: `warden import` sent a name starting with a combining mark
    /// as `"name=\u{301}x y"`, a quoted value, so `USER ADD` failed with `SYNTAX`.
    @Test(arguments: ["\u{301}x y", "\u{301}a=b c", "\u{301}"])
    func anOptionValueStartingWithACombiningMarkStaysThatOption(_ value: String) throws {
        let parsed = try LineParser.words(in: Array(RequestEncoder.line(["USER", "ADD", "bob", "name=" + value]).utf8))
        #expect(parsed.count == 4)
        #expect(parsed[3].key == "name")
        #expect(Array(parsed[3].value.unicodeScalars) == Array(value.unicodeScalars))
    }
}

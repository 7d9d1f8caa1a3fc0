/// Writes request lines from separate words, the inverse of `LineParser`: each word
/// is kept bare when it can be and quoted otherwise, so that the server reads back
/// exactly the words given (SPEC §2).
public enum RequestEncoder {
    /// Joins words (for example a shell's arguments) into one request line.
    public static func line(_ words: [String]) -> String {
        var output = ""
        for (index, word) in words.enumerated() {
            if index > 0 { output.append(" ") }
            append(word, to: &output)
        }
        return output
    }

    /// One word as it must be written on a line.
    ///
    /// `key=value` with a plain key keeps the key bare and quotes only the value
    /// (`name="Bob Smith"`): a word quoted whole is always a plain value, never an
    /// option, so quoting the whole word would change its meaning.
    public static func append(_ word: String, to output: inout String) {
        // Split on scalars, as the parser does on bytes: `=` followed by a combining
        // mark is a single Character, which a Character search would not see.
        let scalars = word.unicodeScalars
        if let equals = scalars.firstIndex(of: "="), equals != scalars.startIndex {
            let key = String(scalars[..<equals])
            if !key.utf8.contains(where: needsQuoting) {
                output.append(key)
                output.append("=")
                ReplyEncoder.appendValue(String(scalars[scalars.index(after: equals)...]), to: &output)
                return
            }
        }
        if scalars.contains("="), !word.isEmpty {
            // A word that looks like an option but is not one: quoted whole, a value.
            ReplyEncoder.appendValue(word, to: &output, alwaysQuote: true)
        } else {
            ReplyEncoder.appendValue(word, to: &output)
        }
    }

    public static func word(_ word: String) -> String {
        var output = ""
        append(word, to: &output)
        return output
    }

    private static func needsQuoting(_ byte: UInt8) -> Bool {
        byte <= 0x20 || byte == 0x7F || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }
}

import NIOCore
import WardenCore

/// The plain form of `CHECK user system permission`: `CHECK` in any case and three bare
/// words, separated by spaces, and nothing else. The line protocol answers it without
/// the general parser (`WardenService.answerCheck`); any other line, or a `CHECK` with a
/// quote, an option or a fourth word, takes the general path, which answers the same
/// for the plain form and the right error for the rest.
enum CheckLine {
    /// The answer's line: the same bytes as `ReplyEncoder.encode(WardenService.reply(for:))`
    /// (identifiers and reasons never need quotes; `DirectoryCheckFastPathTests` holds
    /// the two paths to the same answers).
    static func write(_ decision: Decision, into output: inout ByteBuffer) {
        switch decision {
        case .allow(via: .direct):
            output.writeStaticString("OK ALLOW via=direct\n")
        case .allow(via: .role(let role)):
            output.writeStaticString("OK ALLOW via=role:")
            output.writeString(role)
            output.writeInteger(UInt8(ascii: "\n"))
        case .deny(let reason):
            output.writeStaticString("OK DENY reason=")
            output.writeString(reason.rawValue)
            output.writeInteger(UInt8(ascii: "\n"))
        }
    }

    /// Where the three names are in `line`, or `nil` when it is not the plain form.
    static func names(in line: UnsafeBufferPointer<UInt8>) -> (user: Range<Int>, system: Range<Int>, permission: Range<Int>)? {
        var words: (Range<Int>, Range<Int>, Range<Int>, Range<Int>) = (0..<0, 0..<0, 0..<0, 0..<0)
        var found = 0
        var index = 0
        while index < line.count {
            if line[index] == UInt8(ascii: " ") {
                index += 1
                continue
            }
            let start = index
            while index < line.count, line[index] != UInt8(ascii: " ") { index += 1 }
            switch found {
            case 0:
                // Any other command is left at its first word, before the rest is read.
                guard isCheck(line, start..<index) else { return nil }
                words.0 = start..<index
            case 1: words.1 = start..<index
            case 2: words.2 = start..<index
            case 3: words.3 = start..<index
            default: return nil
            }
            found += 1
        }
        guard found == 4 else { return nil }
        return (words.1, words.2, words.3)
    }

    private static func isCheck(_ line: UnsafeBufferPointer<UInt8>, _ word: Range<Int>) -> Bool {
        guard word.count == 5 else { return false }
        // ASCII letters: setting bit 5 folds upper case to lower.
        return zip(line[word], "check".utf8).allSatisfy { $0 | 0x20 == $1 }
    }
}

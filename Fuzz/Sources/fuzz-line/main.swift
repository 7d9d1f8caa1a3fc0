import FuzzSupport
import WardenProtocol

// Fuzz target for the line codec (SPEC §2): whatever bytes arrive as one line,
//
//  1. LineParser and Request.parse return words or a ProtocolError, never crash;
//     TOO-LONG exactly when the line is over the limit;
//  2. the words a line parses into survive ReplyEncoder: written as reply words
//     and parsed again, they come back with the same text (and a key=value word
//     with the same key and value);
//  3. any text written as a reply word parses back to itself, control characters
//     other than \n and \t turned into spaces (the protocol cannot carry them);
//  4. a reply is exactly one line per data line plus its final line, whatever
//     its fields or error message hold.

/// The line after the encoder's final LF is cut, as the server's frame decoder does.
func reparse(_ encoded: String) -> [Word]? {
    var bytes = Array(encoded.utf8)
    guard bytes.last == UInt8(ascii: "\n") else { FuzzDriver.violated("reply does not end with LF") }
    bytes.removeLast()
    guard !bytes.contains(UInt8(ascii: "\n")) else { FuzzDriver.violated("one-line reply holds an LF: \(encoded.debugDescription)") }
    do {
        return try LineParser.words(in: bytes)
    } catch .lineTooLong {
        return nil
    } catch {
        FuzzDriver.violated("encoded reply \(encoded.debugDescription) does not parse: \(error)")
    }
}

/// What a text becomes after a trip through the encoder and the parser.
func carried(_ text: String) -> [Unicode.Scalar] {
    text.unicodeScalars.map { scalar in
        scalar == "\n" || scalar == "\t" || (scalar.value >= 0x20 && scalar.value != 0x7F) ? scalar : " "
    }
}

func checkParsedLine(_ bytes: [UInt8]) {
    let words: [Word]
    do {
        words = try LineParser.words(in: bytes)
    } catch .lineTooLong {
        guard bytes.count > LineParser.maximumLineBytes else { FuzzDriver.violated("TOO-LONG for \(bytes.count) bytes") }
        return
    } catch {
        return
    }
    guard bytes.count <= LineParser.maximumLineBytes else { FuzzDriver.violated("accepted \(bytes.count) bytes") }
    let request = try? Request.parse(line: bytes)
    guard (request == nil) == words.isEmpty else { FuzzDriver.violated("request of \(words.count) words: \(String(describing: request))") }
    if let request {
        // The command takes the first word, or two for a group (`USER ADD`); the rest are arguments.
        guard words.count - request.arguments.count == 1 || words.count - request.arguments.count == 2,
              Array(words.suffix(request.arguments.count)) == request.arguments
        else { FuzzDriver.violated("\(words) read as \(request)") }
    }

    // Words written back as plain reply words keep their text.
    let plain = ReplyEncoder.encode(.ok(words.map { .word($0.text) }))
    if let again = reparse(plain) {
        guard again.count == words.count + 1, again[0].text == "OK" else { FuzzDriver.violated("\(plain.debugDescription): \(again.count) words") }
        for (original, copy) in zip(words, again.dropFirst()) where carried(original.text) != Array(copy.text.unicodeScalars) {
            FuzzDriver.violated("word \(original.text.debugDescription) came back as \(copy.text.debugDescription)")
        }
    }

    // key=value words written back as pairs keep their key and value.
    let pairs = words.compactMap { word in word.key.map { (key: $0, value: word.value) } }
    let encodedPairs = ReplyEncoder.encode(.ok(pairs.map { .pair($0.key, $0.value) }))
    if let again = reparse(encodedPairs) {
        guard again.count == pairs.count + 1 else { FuzzDriver.violated("\(encodedPairs.debugDescription): \(again.count) words") }
        for (pair, copy) in zip(pairs, again.dropFirst()) {
            guard copy.key == pair.key, Array(copy.value.unicodeScalars) == carried(pair.value) else {
                FuzzDriver.violated("pair \(pair.key)=\(pair.value.debugDescription) came back as \(copy.text.debugDescription)")
            }
        }
    }
}

func checkEncodedText(_ bytes: [UInt8]) {
    let text = String(decoding: bytes, as: UTF8.self)
    for field in [Reply.Field.word(text), .quotedPair("detail", text)] {
        let encoded = ReplyEncoder.encode(.ok(field))
        guard let again = reparse(encoded) else { continue }
        guard again.count == 2 else { FuzzDriver.violated("\(text.debugDescription) encoded as \(again.count - 1) words") }
        // A word is compared whole (bare `a=b` reads back as a key=value word with
        // the same text); a pair by its key and value.
        let copy = again[1]
        let back: String
        if case .quotedPair = field {
            guard copy.key == "detail" else { FuzzDriver.violated("lost the key of \(encoded.debugDescription)") }
            back = copy.value
        } else {
            back = copy.text
        }
        guard Array(back.unicodeScalars) == carried(text) else {
            FuzzDriver.violated("\(text.debugDescription) came back as \(back.debugDescription)")
        }
    }

    // A list reply and an error reply stay one line a data line, one final line.
    let half = text.unicodeScalars.count / 2
    let first = String(String.UnicodeScalarView(text.unicodeScalars.prefix(half)))
    let second = String(String.UnicodeScalarView(text.unicodeScalars.dropFirst(half)))
    let reply = Reply(
        data: [[.pair("a", first), .word(second)], [.quotedPair("detail", text)]],
        status: .error(code: "INVALID", message: text))
    let encoded = ReplyEncoder.encode(reply)
    let lines = encoded.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
    guard lines.count == 4, lines[3].isEmpty else { FuzzDriver.violated("3-line reply encoded as \(lines.count - 1) lines") }
    guard lines[0].starts(with: Array("* ".utf8)), lines[1].starts(with: Array("* ".utf8)),
          lines[2].starts(with: Array("ERR INVALID".utf8)) else { FuzzDriver.violated("reply lines out of shape: \(encoded.debugDescription)") }
}

FuzzDriver.run { data, count in
    let bytes = FuzzDriver.bytes(data, count)
    checkParsedLine(bytes)
    checkEncodedText(bytes)
    return 0
}

import NIOCore
import WardenProtocol

/// What the framer passes on: a line (without CR LF), or the news that a line
/// went past the limit.
enum LineFrame {
    case line(ByteBuffer)
    case tooLong
}

/// Cuts the byte stream at LF, drops a CR before it, and refuses a line longer
/// than 16,384 bytes without buffering more than that (SPEC §2).
///
/// The command handler feeds it what each read brings and takes the lines out
/// itself: a plain value rather than a handler of its own in the pipeline, so that a
/// line costs no trip through NIO's decoder machinery (a fifth of a `CHECK`'s
/// instructions went there).
struct LineFramer {
    /// Bytes read and not yet cut into lines.
    private var unread: ByteBuffer?
    /// How far `unread` has been searched, so that a line arriving a byte at a time is
    /// scanned once, not once a byte.
    private var scanned = 0
    private var failed = false

    /// Adds what a read brought.
    mutating func append(_ bytes: ByteBuffer) {
        guard !failed else { return }
        if unread == nil || unread!.readableBytes == 0 {
            unread = bytes
        } else {
            // Lines already taken stay at the front until dropped here, so that a
            // client that never pauses between lines does not grow the buffer for ever.
            if unread!.readerIndex >= 16 * 1024 { unread!.discardReadBytes() }
            var more = bytes
            unread!.writeBuffer(&more)
        }
    }

    /// The next whole line, or `.tooLong` (once; everything after it is dropped),
    /// or nil until more bytes come. A last line without LF never comes out: it is not
    /// a request.
    mutating func next() -> LineFrame? {
        guard !failed, let view = unread?.readableBytesView else { return nil }
        let start = view.index(view.startIndex, offsetBy: scanned)
        guard let newline = view[start...].firstIndex(of: UInt8(ascii: "\n")) else {
            scanned = view.count
            // One more byte is allowed for a CR that may precede the LF.
            return view.count > LineParser.maximumLineBytes + 1 ? fail() : nil
        }
        scanned = 0
        var length = newline - view.startIndex
        let hasCR = length > 0 && view[newline - 1] == UInt8(ascii: "\r")
        if hasCR { length -= 1 }
        guard length <= LineParser.maximumLineBytes else { return fail() }
        let line = unread!.readSlice(length: length)!
        unread!.moveReaderIndex(forwardBy: hasCR ? 2 : 1)
        return .line(line)
    }

    private mutating func fail() -> LineFrame {
        failed = true
        unread = nil
        return .tooLong
    }
}

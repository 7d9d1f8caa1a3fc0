import NIOCore
import WardenProtocol

/// What the decoder passes on: a line (without CR LF), or the news that a line
/// went past the limit.
enum LineFrame {
    case line(ByteBuffer)
    case tooLong
}

/// Cuts the byte stream at LF, drops a CR before it, and refuses a line longer
/// than 16,384 bytes without buffering more than that (SPEC §2).
struct LineFrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = LineFrame

    /// How far the current buffer has been searched, so that a line arriving a byte
    /// at a time is scanned once, not once a byte.
    private var scanned = 0
    private var failed = false

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard !failed else {
            buffer.moveReaderIndex(to: buffer.writerIndex)
            return .needMoreData
        }
        let view = buffer.readableBytesView
        let start = view.index(view.startIndex, offsetBy: scanned)
        guard let newline = view[start...].firstIndex(of: UInt8(ascii: "\n")) else {
            scanned = view.count
            // One more byte is allowed for a CR that may precede the LF.
            if view.count > LineParser.maximumLineBytes + 1 { fail(context, &buffer) }
            return .needMoreData
        }
        scanned = 0
        var length = newline - view.startIndex
        let hasCR = length > 0 && view[newline - 1] == UInt8(ascii: "\r")
        if hasCR { length -= 1 }
        guard length <= LineParser.maximumLineBytes else {
            fail(context, &buffer)
            return .needMoreData
        }
        let line = buffer.getSlice(at: buffer.readerIndex, length: length)!
        buffer.moveReaderIndex(forwardBy: length + (hasCR ? 2 : 1))
        context.fireChannelRead(wrapInboundOut(.line(line)))
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        // A last line without LF is not a request; drop it.
        buffer.moveReaderIndex(to: buffer.writerIndex)
        return .needMoreData
    }

    private mutating func fail(_ context: ChannelHandlerContext, _ buffer: inout ByteBuffer) {
        failed = true
        buffer.moveReaderIndex(to: buffer.writerIndex)
        context.fireChannelRead(wrapInboundOut(.tooLong))
    }
}

import NIOCore
import Synchronization

/// The first error that broke a connection, kept for the connection's owner: a
/// request written after the channel closed fails with "I/O on closed channel",
/// and the real reason (a failed TLS handshake, say) would be lost without it.
final class FirstFailure: Sendable {
    private let error = Mutex<(any Error)?>(nil)

    func record(_ error: any Error) {
        self.error.withLock { if $0 == nil { $0 = error } }
    }

    var value: (any Error)? { error.withLock { $0 } }
}

/// A request line on its way out, with the promise its reply will fulfil.
struct OutgoingRequest: Sendable {
    var line: ByteBuffer
    var promise: EventLoopPromise<ClientReply>
}

/// Matches replies to requests in order (the server answers strictly in request
/// order, SPEC §2): cuts the input into lines, gathers `* ` data lines until the
/// final `OK`/`ERR` line, and fulfils the oldest waiting promise with the reply.
///
/// A reply that arrives before any request (`ERR BUSY` on a full server) is kept
/// for the next request, so that the caller sees it instead of a bare close.
final class ReplyHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = OutgoingRequest
    typealias OutboundOut = ByteBuffer

    /// Replies are server-made and bounded by the protocol; this only stops a
    /// misbehaving peer from growing memory without end.
    static let maximumLineBytes = 4 << 20

    private var waiting = CircularBuffer<EventLoopPromise<ClientReply>>()
    private var unclaimed = CircularBuffer<ClientReply>()
    private var input: ByteBuffer?
    private var dataLines: [String] = []
    private var failure: (any Error)?
    private let firstFailure: FirstFailure

    init(firstFailure: FirstFailure) {
        self.firstFailure = firstFailure
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        if input == nil {
            input = incoming
        } else {
            input!.writeBuffer(&incoming)
        }
        while let line = nextLine() {
            if line.hasPrefix("* ") {
                dataLines.append(String(line.dropFirst(2)))
            } else if !line.isEmpty {
                deliver(ClientReply(data: dataLines, final: line))
                dataLines = []
            }
        }
        if let input, input.readableBytes > ReplyHandler.maximumLineBytes {
            fail(ClientError.replyTooLong, context: context)
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        if let failure {
            request.promise.fail(failure)
            promise?.fail(failure)
            return
        }
        waiting.append(request.promise)
        if let early = unclaimed.popFirst() { deliver(early) }
        context.write(wrapOutboundOut(request.line), promise: promise)
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(ClientError.connectionClosed, context: nil)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(error, context: context)
    }

    private func deliver(_ reply: ClientReply) {
        if let promise = waiting.popFirst() {
            promise.succeed(reply)
        } else {
            unclaimed.append(reply)
        }
    }

    /// Fails every waiting request, and every later one, with the first error seen.
    private func fail(_ error: any Error, context: ChannelHandlerContext?) {
        if failure == nil {
            failure = error
            firstFailure.record(error)
        }
        let first = failure ?? error
        while let promise = waiting.popFirst() { promise.fail(first) }
        context?.close(promise: nil)
    }

    /// The next complete line of input without its LF (and CR), or `nil`.
    private func nextLine() -> String? {
        guard let newline = input?.readableBytesView.firstIndex(of: UInt8(ascii: "\n")), let start = input?.readerIndex else { return nil }
        var line = input?.readString(length: newline - start) ?? ""
        input?.moveReaderIndex(forwardBy: 1)
        if line.hasSuffix("\r") { line.removeLast() }
        if input?.readableBytes == 0 {
            input?.clear()
        } else if let readerIndex = input?.readerIndex, readerIndex > 65_536 {
            input?.discardReadBytes()
        }
        return line
    }
}

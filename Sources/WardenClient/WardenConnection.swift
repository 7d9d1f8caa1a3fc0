import NIOCore
import NIOPosix
import NIOSSL

/// A connection to a Warden server's line protocol, optionally over TLS.
///
/// Requests may be pipelined: `submit` writes a line and returns at once; the
/// replies come back in request order. `send` is the one-at-a-time form.
public final class WardenConnection: Sendable {
    private let channel: any Channel
    private let firstFailure: FirstFailure

    private init(channel: any Channel, firstFailure: FirstFailure) {
        self.channel = channel
        self.firstFailure = firstFailure
    }

    /// Connects to `host:port` (TLS with `tls`), within `timeoutSeconds`.
    public static func connect(
        host: String, port: Int, tls: ClientTLS? = nil, timeoutSeconds: Int64 = 10,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> WardenConnection {
        let serverName = ClientTLS.serverName(for: host)
        let firstFailure = FirstFailure()
        let channel = try await ClientBootstrap(group: group)
            .connectTimeout(.seconds(timeoutSeconds))
            .channelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    if let tls {
                        try pipeline.addHandler(NIOSSLClientHandler(context: tls.context, serverHostname: serverName))
                    }
                    try pipeline.addHandler(ReplyHandler(firstFailure: firstFailure))
                }
            }
            .connect(host: host, port: port)
            .get()
        return WardenConnection(channel: channel, firstFailure: firstFailure)
    }

    /// A reply that will arrive later, in request order.
    public struct PendingReply: Sendable {
        let future: EventLoopFuture<ClientReply>

        /// Waits for the reply; throws `ClientError` when the connection is lost first.
        public func get() async throws -> ClientReply { try await future.get() }
    }

    /// Writes one request line (without its LF) and returns at once. With
    /// `flush: false` the line waits in the output buffer until the next flush,
    /// so that a batch goes out in few packets.
    @discardableResult
    public func submit(_ line: String, flush: Bool = true) -> PendingReply {
        submit(bytes: line.utf8, flush: flush)
    }

    /// Writes one request line given as bytes, sent as they are (a batch read from
    /// standard input is passed through, so that the server judges invalid text).
    @discardableResult
    public func submit<Bytes: Sequence>(bytes line: Bytes, flush: Bool = true) -> PendingReply where Bytes.Element == UInt8 {
        let promise = channel.eventLoop.makePromise(of: ClientReply.self)
        var buffer = channel.allocator.buffer(capacity: line.underestimatedCount + 1)
        buffer.writeBytes(line)
        buffer.writeInteger(UInt8(ascii: "\n"))
        // A write that fails before reaching the handler (closed channel) must still
        // fail the reply; a second completion of the promise is ignored.
        let written = channel.eventLoop.makePromise(of: Void.self)
        let firstFailure = self.firstFailure
        written.futureResult.whenFailure { promise.fail(firstFailure.value ?? $0) }
        let request = OutgoingRequest(line: buffer, promise: promise)
        if flush {
            channel.writeAndFlush(request, promise: written)
        } else {
            channel.write(request, promise: written)
        }
        return PendingReply(future: promise.futureResult)
    }

    /// The replies to a batch of requests, in request order, as one value.
    public struct PendingReplies: Sendable {
        let future: EventLoopFuture<[ClientReply]>

        /// Waits for every reply; throws `ClientError` when the connection is lost first.
        public func get() async throws -> [ClientReply] { try await future.get() }
    }

    /// Writes request lines (each without its LF) in one task on the connection's
    /// event loop, flushed once, and returns at once. A bulk sender (`warden
    /// import`) uses it so that a thousand requests cost one hop onto the event loop
    /// and one wake-up for their replies, not one of each a request.
    public func submit(batch lines: [String]) -> PendingReplies {
        let loop = channel.eventLoop
        let promises = lines.map { _ in loop.makePromise(of: ClientReply.self) }
        let replies = EventLoopFuture.whenAllSucceed(promises.map(\.futureResult), on: loop)
        let channel = self.channel
        let firstFailure = self.firstFailure
        loop.execute {
            for (line, promise) in zip(lines, promises) {
                var buffer = channel.allocator.buffer(capacity: line.utf8.count + 1)
                buffer.writeString(line)
                buffer.writeInteger(UInt8(ascii: "\n"))
                let written = loop.makePromise(of: Void.self)
                written.futureResult.whenFailure { promise.fail(firstFailure.value ?? $0) }
                channel.write(OutgoingRequest(line: buffer, promise: promise), promise: written)
            }
            channel.flush()
        }
        return PendingReplies(future: replies)
    }

    /// Sends what `submit(_:flush: false)` left in the output buffer.
    public func flush() {
        channel.flush()
    }

    /// Sends one request and waits for its reply.
    public func send(_ line: String) async throws -> ClientReply {
        try await submit(line).get()
    }

    /// Closes the connection (without `QUIT`); pending replies fail.
    public func close() async {
        try? await channel.close()
    }
}

import NIOCore
import WardenProtocol

/// Installed instead of the command handler on a connection past a limit of the
/// line port: answers `ERR BUSY` and closes (SPEC §2).
final class RefuseHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let reason: ConnectionTracker.Admission

    init(_ reason: ConnectionTracker.Admission) {
        self.reason = reason
    }

    func channelActive(context: ChannelHandlerContext) {
        let reply = Reply.error(.busy, reason == .sourceFull
            ? "too many connections from your address; retry later"
            : "too many connections; retry later")
        var line: [UInt8] = []
        ReplyEncoder.encode(reply, into: &line)
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: line))).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}
}

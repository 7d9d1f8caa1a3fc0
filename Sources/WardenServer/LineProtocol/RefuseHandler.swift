import NIOCore

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
        let line = reason == .sourceFull
            ? "ERR BUSY too many connections from your address; retry later\n"
            : "ERR BUSY too many connections; retry later\n"
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(string: line))).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}
}

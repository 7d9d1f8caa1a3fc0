import NIOCore
import Synchronization

/// Counts and remembers the open line-protocol connections, so that the server can
/// refuse those past `--max-connections` and close the rest on shutdown, and counts
/// commands in flight, so that shutdown can let them finish.
final class ConnectionTracker: Sendable {
    private let channels = Mutex<[ObjectIdentifier: any Channel]>([:])
    private let inFlight = Atomic<Int>(0)
    let maximum: Int

    init(maximum: Int) {
        self.maximum = maximum
    }

    /// Registers `channel`, or returns false when the server is full.
    func open(_ channel: any Channel) -> Bool {
        channels.withLock { channels in
            guard channels.count < maximum else { return false }
            channels[ObjectIdentifier(channel)] = channel
            return true
        }
    }

    func closed(_ channel: any Channel) {
        _ = channels.withLock { $0.removeValue(forKey: ObjectIdentifier(channel)) }
    }

    var openConnections: Int { channels.withLock { $0.count } }

    func beginCommand() { inFlight.add(1, ordering: .relaxed) }
    func endCommand() { inFlight.subtract(1, ordering: .relaxed) }
    var commandsInFlight: Int { inFlight.load(ordering: .relaxed) }

    /// Closes every connection (at shutdown, after in-flight commands finished).
    func closeAll() {
        let all = channels.withLock { Array($0.values) }
        for channel in all { channel.close(promise: nil) }
    }
}

/// Installed instead of the command handler on a connection past the limit:
/// answers `ERR BUSY` and closes (SPEC §2).
final class RefuseHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    func channelActive(context: ChannelHandlerContext) {
        let buffer = context.channel.allocator.buffer(string: "ERR BUSY too many connections; retry later\n")
        context.writeAndFlush(wrapOutboundOut(buffer)).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}
}

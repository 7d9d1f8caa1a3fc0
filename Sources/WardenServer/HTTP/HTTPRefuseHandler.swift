import NIOCore

/// Installed instead of the HTTP pipeline on a connection past `--max-http-connections`:
/// answers `503` at once, without reading the request, and closes (under TLS it only
/// closes: a plaintext answer would mean nothing to a TLS client).
final class HTTPRefuseHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private static let response = """
        HTTP/1.1 503 Service Unavailable\r
        Content-Type: text/plain\r
        Content-Length: 5\r
        Retry-After: 1\r
        Connection: close\r
        \r
        busy\n
        """

    private let answers: Bool

    init(answers: Bool) {
        self.answers = answers
    }

    func channelActive(context: ChannelHandlerContext) {
        guard answers else {
            context.close(promise: nil)
            return
        }
        let buffer = context.channel.allocator.buffer(string: HTTPRefuseHandler.response)
        context.writeAndFlush(wrapOutboundOut(buffer)).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}
}

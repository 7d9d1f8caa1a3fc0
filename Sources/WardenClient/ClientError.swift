/// Why a request got no reply: the connection could not be made or was lost.
public enum ClientError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The server closed the connection (or it broke) before answering.
    case connectionClosed
    /// A reply line was longer than the client accepts.
    case replyTooLong
    /// The TLS set-up could not be built (for example an unreadable `--ca` file).
    case tlsConfiguration(String)

    public var description: String {
        switch self {
        case .connectionClosed: "the connection was closed before the server answered"
        case .replyTooLong: "a reply line was longer than \(ReplyHandler.maximumLineBytes) bytes"
        case .tlsConfiguration(let message): "TLS: \(message)"
        }
    }
}

import NIOCore
import NIOPosix
import NIOSSL
#if canImport(Glibc)
import Glibc
#endif

/// Why a request got no reply: the connection could not be made or was lost.
public enum ClientError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The server closed the connection (or it broke) before answering.
    case connectionClosed
    /// A reply line was longer than the client accepts.
    case replyTooLong
    /// The TLS set-up could not be built (for example an unreadable `--ca` file).
    case tlsConfiguration(String)

    /// A short account of a connection failure for people: the system's words for a
    /// socket error, the TLS library's reason for a failed handshake.
    public static func describe(_ error: any Error) -> String {
        switch error {
        case let error as NIOConnectionError:
            if let first = error.connectionErrors.first { return describe(first.error) }
            if error.dnsAError != nil || error.dnsAAAAError != nil { return "cannot resolve \(error.host)" }
            return "cannot connect"
        case let error as IOError:
            return String(cString: strerror(error.errnoCode))
        case let error as NIOSSLExtraError where error == .failedToValidateHostname:
            return "the server's TLS certificate is not for the host dialled (\(error))"
        case NIOSSLError.handshakeFailed(let reason):
            return "TLS handshake failed (\(reason))"
        default:
            return "\(error)"
        }
    }

    public var description: String {
        switch self {
        case .connectionClosed: "the connection was closed before the server answered"
        case .replyTooLong: "a reply line was longer than \(ReplyHandler.maximumLineBytes) bytes"
        case .tlsConfiguration(let message): "TLS: \(message)"
        }
    }
}

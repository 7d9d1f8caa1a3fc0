import NIOSSL
/// `--postgres URL` (SPEC §6): `postgres://USER@HOST:PORT/DB[?sslmode=…]`.
///
/// The password is never part of it (it would show in `ps` and shell history): it
/// comes from `$WARDEN_POSTGRES_PASSWORD`, and a URL that carries one is refused.
public struct PostgresURL: Sendable, Equatable, CustomStringConvertible {
    public enum SSLMode: String, Sendable {
        /// Plain TCP.
        case disable
        /// TLS required, the server's certificate not checked (libpq's `require`).
        case require
        /// TLS required, the certificate checked against the system's CAs and the host name.
        case verifyFull = "verify-full"
        /// TLS when the server offers it: only the default for a loopback host, where
        /// the connection never leaves the machine.
        case prefer
    }

    public var user: String
    public var host: String
    public var port: Int
    public var database: String
    public var sslMode: SSLMode

    /// Parses `text`; a message naming what is wrong otherwise. Without `sslmode`, a
    /// loopback host gets `prefer` and any other host `verify-full` (the safe choice
    /// for a connection that crosses a network).
    public init(_ text: String) throws(PostgresURLError) {
        var rest = Substring(text)
        if rest.hasPrefix("postgres://") {
            rest = rest.dropFirst("postgres://".count)
        } else if rest.hasPrefix("postgresql://") {
            rest = rest.dropFirst("postgresql://".count)
        } else {
            throw .init("must start with postgres://")
        }
        var query: Substring = ""
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        guard let slash = rest.firstIndex(of: "/") else { throw .init("names no database (postgres://USER@HOST:PORT/DB)") }
        let database = rest[rest.index(after: slash)...]
        let authority = rest[..<slash]
        guard let at = authority.lastIndex(of: "@") else { throw .init("names no user (postgres://USER@HOST:PORT/DB)") }
        let user = authority[..<at]
        guard !user.contains(":") else {
            throw .init("must not contain the password: set $WARDEN_POSTGRES_PASSWORD instead")
        }
        guard !user.isEmpty else { throw .init("names no user (postgres://USER@HOST:PORT/DB)") }
        guard !database.isEmpty, !database.contains("/") else { throw .init("names no database (postgres://USER@HOST:PORT/DB)") }
        let (host, port) = try Self.hostAndPort(authority[authority.index(after: at)...])

        var sslMode: SSLMode?
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0] == "sslmode" else {
                throw .init("has an unsupported parameter \(parts[0]) (only sslmode)")
            }
            guard let mode = SSLMode(rawValue: String(parts[1])), mode != .prefer else {
                throw .init("sslmode must be disable, require or verify-full")
            }
            sslMode = mode
        }
        self.user = String(user)
        self.host = host
        self.port = port
        self.database = String(database)
        self.sslMode = sslMode ?? (Self.isLoopback(host) ? .prefer : .verifyFull)
    }

    private static func hostAndPort(_ text: Substring) throws(PostgresURLError) -> (String, Int) {
        var host = text
        var portText: Substring?
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { throw .init("has an unclosed [ in its host") }
            let after = host[host.index(after: close)...]
            if after.hasPrefix(":") { portText = after.dropFirst() } else if !after.isEmpty { throw .init("has a malformed host") }
            host = host[host.index(after: host.startIndex)..<close]
        } else if let colon = host.lastIndex(of: ":") {
            portText = host[host.index(after: colon)...]
            host = host[..<colon]
        }
        guard !host.isEmpty, host.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || ".-:_".contains($0)) }) else {
            throw .init("has a malformed host")
        }
        var port = 5432
        if let portText {
            guard let number = Int(portText), (1...65_535).contains(number) else { throw .init("has a port that is not 1–65535") }
            port = number
        }
        return (String(host), port)
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.") && host.split(separator: ".").count == 4
            && host.split(separator: ".").allSatisfy { UInt8($0) != nil }
    }

    /// The URL as given, for logs (it holds no secret).
    public var description: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "postgres://\(user)@\(shownHost):\(port)/\(database)?sslmode=\(sslMode.rawValue)"
    }
}

/// Why a `--postgres` URL cannot be used.
public struct PostgresURLError: Error, CustomStringConvertible, Equatable {
    public var message: String
    init(_ message: String) { self.message = message }
    public var description: String { "--postgres URL \(message)" }
}

extension PostgresURL {
    /// The TLS settings of its `sslmode`, as libpq reads them: `prefer` and `require`
    /// encrypt without checking the server's certificate (`prefer` falls back to plain
    /// text where the server has no TLS); only `verify-full` checks it, against the
    /// system's certificate authorities and the host name. (Unused for `disable`.)
    var tlsConfiguration: TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if sslMode != .verifyFull { configuration.certificateVerification = .none }
        return configuration
    }
}

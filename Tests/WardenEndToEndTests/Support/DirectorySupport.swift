import Foundation
import Testing

/// Helpers shared by the Foundation, Directory, Authorization, Audit and Crash suites:
/// reading `key=value` words (quoted ones included) off a reply line, and sending
/// scripts of requests the way an onboarding script would.

/// The `key=value` words of a reply line (a data line without `* `, or a final line),
/// with quoted values unescaped. Bare words (`OK`, `ALLOW`) are left out.
///
/// Written here rather than borrowed from WardenProtocol so that the end-to-end tests
/// read the wire independently of the server's own codec.
func replyFields(_ line: String) -> [String: String] {
    var fields: [String: String] = [:]
    var characters = Array(line)[...]
    while !characters.isEmpty {
        while characters.first == " " { characters = characters.dropFirst() }
        var key = ""
        while let next = characters.first, next != " ", next != "=", next != "\"" {
            key.append(next)
            characters = characters.dropFirst()
        }
        guard characters.first == "=" else {
            // A bare word: skip it (and any quoted word).
            while let next = characters.first, next != " " { characters = characters.dropFirst() }
            continue
        }
        characters = characters.dropFirst()
        var value = ""
        if characters.first == "\"" {
            characters = characters.dropFirst()
            while let next = characters.first {
                characters = characters.dropFirst()
                if next == "\"" { break }
                if next == "\\", let escaped = characters.first {
                    characters = characters.dropFirst()
                    switch escaped {
                    case "n": value.append("\n")
                    case "t": value.append("\t")
                    default: value.append(escaped)
                    }
                } else {
                    value.append(next)
                }
            }
        } else {
            while let next = characters.first, next != " " {
                value.append(next)
                characters = characters.dropFirst()
            }
        }
        fields[key] = value
    }
    return fields
}

extension WireReply {
    /// Every data line as its fields.
    var rows: [[String: String]] { data.map(replyFields) }

    /// The final line's fields (quoted values too).
    var fields: [String: String] { replyFields(final) }

    /// `count=N` of a list reply.
    var count: Int? { value("count").flatMap(Int.init) }
}

extension LineConnection {
    /// Sends `line` and records an issue (naming the line) unless the reply is `OK`.
    @discardableResult
    func expectOK(_ line: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> WireReply {
        let reply = try send(line)
        #expect(reply.isOK, "\(line) → \(reply)", sourceLocation: sourceLocation)
        return reply
    }

    /// Sends `line` and records an issue unless the reply is `ERR code`.
    @discardableResult
    func expectError(_ code: String, _ line: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> WireReply {
        let reply = try send(line)
        #expect(reply.errorCode == code, "\(line) → \(reply)", sourceLocation: sourceLocation)
        return reply
    }

    /// Writes every line at once (pipelining) and reads their replies in order.
    /// Keep scripts small: the replies are read only after everything is written.
    func pipeline(_ lines: [String]) throws -> [WireReply] {
        try write(lines.map { $0 + "\n" }.joined())
        return try lines.map { _ in try readReply() }
    }

    /// Runs a script pipelined and records an issue for every line not answered `OK`.
    func runScript(_ lines: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        for (line, reply) in zip(lines, try pipeline(lines)) {
            #expect(reply.isOK, "\(line) → \(reply)", sourceLocation: sourceLocation)
        }
    }

    /// Authenticates as `user`; throws unless it works.
    func authenticate(_ user: String, _ password: String) throws {
        let reply = try send("AUTH \(user) \(password)")
        guard reply.final == "OK user=\(user)" else { throw WardenProcessError.authFailed(reply.final) }
    }
}

extension WardenProcess {
    /// A new connection authenticated as `user`.
    func connect(as user: String, password: String) throws -> LineConnection {
        let connection = try connect()
        try connection.authenticate(user, password)
        return connection
    }
}

/// Polls `condition` until it holds or `seconds` pass; for the few behaviours that
/// settle asynchronously (a closed connection being forgotten).
func eventually(within seconds: Double, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    repeat {
        if try condition() { return true }
        usleep(50_000)
    } while Date() < deadline
    return false
}

/// A small deterministic generator (SplitMix64), so that test data is irregular but
/// the same on every run.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// `2026-11-25T10:00:00Z`, with optional fractional seconds.
func isRFC3339(_ text: String) -> Bool {
    text.range(of: #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$"#, options: .regularExpression) != nil
}

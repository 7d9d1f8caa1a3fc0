/// A reply: zero or more data lines, then exactly one final line (SPEC §2).
public struct Reply: Equatable, Sendable {
    /// One word of a reply line: a bare word (`ALLOW`) or a `key=value` pair.
    public enum Field: Equatable, Sendable {
        case word(String)
        case pair(String, String)
        /// A pair whose value is always written in quotes (free text such as `detail=".."`).
        case quotedPair(String, String)
    }

    public enum Status: Equatable, Sendable {
        case ok([Field])
        case error(code: ErrorCode, message: String)
    }

    /// Data lines, each sent as `* key=value …`.
    public var data: [[Field]]
    /// Data lines already encoded (each `* …\n`), sent before `data`: a reply that grows
    /// with the directory is encoded where it is built, off the event loop
    /// (`encodingData()`), so that the loop only copies its bytes out.
    public var encodedData: [UInt8] = []
    public var status: Status

    public init(data: [[Field]] = [], status: Status) {
        self.data = data
        self.status = status
    }

    /// The same reply with its data lines encoded into `encodedData`.
    public func encodingData() -> Reply {
        guard !data.isEmpty else { return self }
        var encoded = encodedData
        ReplyEncoder.encodeData(data, into: &encoded)
        var reply = Reply(status: status)
        reply.encodedData = encoded
        return reply
    }

    /// `OK` with the given words.
    public static func ok(_ fields: Field...) -> Reply { Reply(status: .ok(fields)) }
    public static func ok(_ fields: [Field]) -> Reply { Reply(status: .ok(fields)) }

    /// A list reply: the data lines, then `OK count=N`.
    public static func list(_ data: [[Field]]) -> Reply {
        Reply(data: data, status: .ok([.pair("count", String(data.count))]))
    }

    public static func error(_ code: ErrorCode, _ message: String) -> Reply {
        Reply(status: .error(code: code, message: message))
    }

    public var isOK: Bool {
        if case .ok = status { return true }
        return false
    }
}

extension Reply.Field: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self = .word(value) }
}

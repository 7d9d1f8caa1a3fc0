/// A byte-level reader for the one JSON shape Warden itself writes into tokens: a
/// flat object whose values are plain strings or non-negative integers, written
/// without whitespace, as `JSONEncoder` does for the header and the claims.
///
/// It is a fast path, not a parser: anything outside that narrow form (whitespace,
/// escapes, non-ASCII text, other value types, nesting, a duplicated member, a
/// leading zero, an integer above `Int64.max`, more than `maximumMembers`) makes
/// `init` return nil, and the caller falls back to the general JSON path. What it
/// does accept, `JSONSerialization` reads to the same members with the same values,
/// so taking this path can never accept a token the general path would refuse.
struct FlatJSONObject: Sendable {
    enum Value: Sendable, Equatable {
        case string(String)
        case integer(Int64)
    }

    /// More members than any token Warden issues; beyond it, the general path.
    static let maximumMembers = 16

    /// The members in the order written (names are unique).
    let members: [(name: String, value: Value)]

    init?(_ bytes: [UInt8]) {
        guard let members = bytes.withUnsafeBufferPointer({ Self.parse($0) }) else { return nil }
        self.members = members
    }

    func value(_ name: String) -> Value? {
        members.first { $0.name == name }?.value
    }

    private static let quote = UInt8(ascii: "\"")
    private static let backslash = UInt8(ascii: "\\")

    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> [(name: String, value: Value)]? {
        var index = 0
        func take(_ expected: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == expected else { return false }
            index += 1
            return true
        }
        /// A string of printable ASCII without `"` or `\`, after its opening quote.
        func plainString() -> String? {
            let start = index
            while index < bytes.count {
                let byte = bytes[index]
                if byte == quote {
                    let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                    index += 1
                    return text
                }
                guard byte >= 0x20, byte < 0x7F, byte != backslash else { return nil }
                index += 1
            }
            return nil
        }
        /// `0` or a digit 1-9 followed by digits, at most `Int64.max`.
        func integer() -> Int64? {
            guard index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") else { return nil }
            if bytes[index] == UInt8(ascii: "0") {
                index += 1
                return 0
            }
            var value: Int64 = 0
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = times10.addingReportingOverflow(Int64(bytes[index] - UInt8(ascii: "0")))
                guard !overflow1, !overflow2 else { return nil }
                value = sum
                index += 1
            }
            return value
        }

        guard take(UInt8(ascii: "{")) else { return nil }
        var members: [(name: String, value: Value)] = []
        members.reserveCapacity(8)
        repeat {
            guard members.count < maximumMembers, take(quote), let name = plainString(), !name.isEmpty,
                  take(UInt8(ascii: ":")), index < bytes.count
            else { return nil }
            let value: Value
            if take(quote) {
                guard let text = plainString() else { return nil }
                value = .string(text)
            } else {
                // Anything after the digits but `,` or `}` (a fraction, an exponent)
                // fails the separator check below.
                guard let number = integer() else { return nil }
                value = .integer(number)
            }
            guard !members.contains(where: { $0.name == name }) else { return nil }
            members.append((name, value))
        } while take(UInt8(ascii: ","))
        guard take(UInt8(ascii: "}")), index == bytes.count else { return nil }
        return members
    }
}

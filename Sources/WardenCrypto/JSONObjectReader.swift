import Foundation

/// Typed, strict access to a JSON object decoded from untrusted bytes.
///
/// `JSONSerialization` is used because it resolves a duplicated member to the
/// last occurrence, the behaviour RFC 7515 §4 allows (JSONDecoder keeps the
/// first). Its numbers are `NSNumber`s that may really be booleans or floats,
/// so integer access checks the number's underlying type instead of bridging.
struct JSONObjectReader {
    let members: [String: Any]

    /// Parses `bytes` as a JSON object, or returns nil if they are not one.
    init?(_ bytes: [UInt8]) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)),
              let members = object as? [String: Any]
        else { return nil }
        self.members = members
    }

    /// The member names present.
    var names: Set<String> { Set(members.keys) }

    /// The member as a string, or nil if absent or of another type.
    func string(_ name: String) -> String? {
        guard let value = members[name], !(value is NSNumber) else { return nil }
        return value as? String
    }

    /// The member as a non-negative 64-bit integer, or nil if absent, a boolean,
    /// written with a fraction or exponent, negative, or above `Int64.max`.
    ///
    /// Negative values are refused because Foundation does not represent them
    /// uniformly (below Int32.min they arrive as `NSDecimalNumber`), and no
    /// time claim Warden uses can be before 1970.
    func nonNegativeInteger(_ name: String) -> Int64? {
        guard let number = members[name] as? NSNumber, !(number is NSDecimalNumber) else { return nil }
        // Booleans are NSNumbers of type char ("c"/"B"); floats are "d"/"f".
        switch String(cString: number.objCType) {
        case "s", "i", "l", "q":
            let value = number.int64Value
            return value >= 0 ? value : nil
        case "S", "I", "L", "Q":
            let value = number.uint64Value
            return value <= UInt64(Int64.max) ? Int64(value) : nil
        default:
            return nil
        }
    }
}

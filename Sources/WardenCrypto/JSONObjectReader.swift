import Foundation

/// Typed, strict access to a JSON object decoded from untrusted bytes.
///
/// Tokens Warden issued are read by `FlatJSONObject`, a byte-level reader of that
/// one strict form; anything else goes to `JSONSerialization`, which resolves a
/// duplicated member to the last occurrence, the behaviour RFC 7515 §4 allows
/// (JSONDecoder keeps the first). Both give the same answers for what the fast
/// reader accepts. Foundation's numbers are `NSNumber`s that may really be
/// booleans or floats, so integer access checks the number's underlying type
/// instead of bridging.
struct JSONObjectReader {
    private enum Storage {
        case flat(FlatJSONObject)
        case foundation([String: Any])
    }

    private let storage: Storage

    /// Parses `bytes` as a JSON object, or returns nil if they are not one.
    init?(_ bytes: [UInt8]) {
        if let flat = FlatJSONObject(bytes) {
            storage = .flat(flat)
        } else {
            guard let general = JSONObjectReader(general: bytes) else { return nil }
            self = general
        }
    }

    /// Parses `bytes` with `JSONSerialization` only (the general path; for tests
    /// that compare the two paths).
    init?(general bytes: [UInt8]) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)),
              let members = object as? [String: Any]
        else { return nil }
        storage = .foundation(members)
    }

    /// Whether the fast reader took these bytes.
    var isFlat: Bool {
        if case .flat = storage { return true }
        return false
    }

    /// The member names present.
    var names: Set<String> {
        switch storage {
        case .flat(let object): Set(object.members.map(\.name))
        case .foundation(let members): Set(members.keys)
        }
    }

    /// Whether every member name is in `allowed`.
    func hasOnlyMembers(in allowed: Set<String>) -> Bool {
        switch storage {
        case .flat(let object): object.members.allSatisfy { allowed.contains($0.name) }
        case .foundation(let members): members.keys.allSatisfy { allowed.contains($0) }
        }
    }

    /// Whether a member of that name is present, of whatever type.
    func contains(_ name: String) -> Bool {
        switch storage {
        case .flat(let object): object.value(name) != nil
        case .foundation(let members): members[name] != nil
        }
    }

    /// The member as a string, or nil if absent or of another type.
    func string(_ name: String) -> String? {
        switch storage {
        case .flat(let object):
            guard case .string(let text) = object.value(name) else { return nil }
            return text
        case .foundation(let members):
            guard let value = members[name], !(value is NSNumber) else { return nil }
            return value as? String
        }
    }

    /// The member as a non-negative 64-bit integer, or nil if absent, a boolean,
    /// written with a fraction or exponent, negative, or above `Int64.max`.
    ///
    /// Negative values are refused because Foundation does not represent them
    /// uniformly (below Int32.min they arrive as `NSDecimalNumber`), and no
    /// time claim Warden uses can be before 1970.
    func nonNegativeInteger(_ name: String) -> Int64? {
        switch storage {
        case .flat(let object):
            guard case .integer(let value) = object.value(name) else { return nil }
            return value
        case .foundation(let members):
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
}

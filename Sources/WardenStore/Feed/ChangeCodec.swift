#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import WardenCore

/// The text form of a write's changes in the change feed (`audit.changes` on
/// PostgreSQL): compact JSON of the `Change` values, as their synthesized `Codable`
/// form writes them. Nothing is written for a write without changes (a read, a
/// refusal): the empty list is the empty string, and back.
public enum ChangeCodec {
    /// One encoder and one decoder for every call: they are thread-safe, and making
    /// them anew on each write would cost more than encoding a few changes.
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        // Compact, and stable across runs only as far as `Set`s allow: the feed is
        // read by machines, never compared as text.
        encoder.outputFormatting = []
        return encoder
    }()
    private static let decoder = JSONDecoder()

    /// The changes as one line of JSON; "" for none.
    public static func encode(_ changes: [Change]) -> String {
        guard !changes.isEmpty else { return "" }
        // Every value in a change is a string, an integer, a bool or made of those:
        // encoding cannot fail (no floats, no keys that are not strings).
        guard let data = try? encoder.encode(changes) else {
            preconditionFailure("a Change did not encode as JSON")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// The changes of `text`; [] for "". Throws `ChangeCodecError` for text that is
    /// not a list of changes this binary knows (a newer node's case, or damage).
    public static func decode(_ text: String) throws(ChangeCodecError) -> [Change] {
        guard !text.isEmpty else { return [] }
        do {
            return try decoder.decode([Change].self, from: Data(text.utf8))
        } catch let error as DecodingError {
            throw ChangeCodecError(error)
        } catch {
            throw ChangeCodecError(path: "", reason: "\(error)")
        }
    }
}

/// Why a change-feed entry could not be read: where in the JSON, and what was wrong.
/// It names positions and keys, never values (a value may be a password hash).
public struct ChangeCodecError: Error, Equatable, CustomStringConvertible {
    /// The coding path, as `[3].userAdded._0.created` (empty at the top).
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    init(_ error: DecodingError) {
        func describe(_ codingPath: [any CodingKey]) -> String {
            var text = ""
            for key in codingPath {
                if let index = key.intValue {
                    text += "[\(index)]"
                } else {
                    text += text.isEmpty ? key.stringValue : "." + key.stringValue
                }
            }
            return text
        }
        switch error {
        case .typeMismatch(let type, let context):
            self.init(path: describe(context.codingPath), reason: "expected \(type)")
        case .valueNotFound(let type, let context):
            self.init(path: describe(context.codingPath), reason: "missing \(type) value")
        case .keyNotFound(let key, let context):
            self.init(path: describe(context.codingPath), reason: "missing key \(key.stringValue)")
        case .dataCorrupted(let context):
            // An unknown case lands here: the path ends at the list element.
            self.init(path: describe(context.codingPath), reason: "not a known change or not JSON")
        @unknown default:
            self.init(path: "", reason: "undecodable")
        }
    }

    public var description: String {
        path.isEmpty ? "change feed entry: \(reason)" : "change feed entry at \(path): \(reason)"
    }
}

/// Why a PATCH request was refused: each maps to a `400` with the `scimType` of
/// RFC 7644 §3.12 named by `scimType`.
public struct SCIMPatchError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case invalidSyntax, invalidPath, noTarget, mutability, invalidValue
    }

    public var kind: Kind
    public var detail: String

    public init(_ kind: Kind, _ detail: String) {
        self.kind = kind
        self.detail = detail
    }

    public var scimType: String { kind.rawValue }
    public var description: String { "\(kind.rawValue): \(detail)" }
}

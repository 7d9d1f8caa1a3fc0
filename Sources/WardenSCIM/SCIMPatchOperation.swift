/// One operation of a PATCH request (RFC 7644 §3.5.2).
public struct SCIMPatchOperation: Sendable, Equatable {
    public enum Op: String, Sendable { case add, remove, replace }

    public static let messageSchema = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
    /// More operations in one request are refused (`invalidValue`).
    public static let maximumOperations = 1000

    public var op: Op
    public var path: SCIMPatchPath?
    public var value: JSONValue?

    public init(op: Op, path: SCIMPatchPath? = nil, value: JSONValue? = nil) {
        self.op = op
        self.path = path
        self.value = value
    }

    /// The operations of a `PatchOp` body. `op` names are read in any case (Entra ID
    /// sends `"Replace"`); a `remove` needs a path; `add` and `replace` need a value.
    public static func operations(of body: JSONValue) throws(SCIMPatchError) -> [SCIMPatchOperation] {
        guard case .object = body else { throw SCIMPatchError(.invalidSyntax, "the body must be a JSON object") }
        if let schemas = body["schemas"] {
            guard let list = schemas.arrayValue, list.contains(.string(messageSchema)) else {
                throw SCIMPatchError(.invalidSyntax, "schemas must hold \(messageSchema)")
            }
        }
        guard let list = body["Operations"]?.arrayValue else {
            throw SCIMPatchError(.invalidSyntax, "Operations must be an array of operations")
        }
        guard list.count <= maximumOperations else {
            throw SCIMPatchError(.invalidValue, "at most \(maximumOperations) operations in one request")
        }
        var operations: [SCIMPatchOperation] = []
        for item in list {
            guard case .object = item, let name = item["op"]?.stringValue, let op = Op(rawValue: name.lowercased()) else {
                throw SCIMPatchError(.invalidSyntax, "each operation needs op add, remove or replace")
            }
            var path: SCIMPatchPath?
            if let raw = item["path"], raw != .null {
                guard let text = raw.stringValue else { throw SCIMPatchError(.invalidPath, "path must be a string") }
                do { path = try SCIMPatchPath.parse(text) } catch { throw SCIMPatchError(.invalidPath, error.description) }
            }
            let value = item["value"].flatMap { $0 == .null ? nil : $0 }
            if op == .remove, path == nil { throw SCIMPatchError(.noTarget, "remove needs a path") }
            if op != .remove, value == nil { throw SCIMPatchError(.invalidValue, "\(op.rawValue) needs a value") }
            operations.append(SCIMPatchOperation(op: op, path: path, value: value))
        }
        return operations
    }
}

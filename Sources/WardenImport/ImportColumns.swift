/// Which column of an import file holds what (SPEC §5): `username,name,email,roles`
/// in any order, optionally `entitlements` and `until`.
public struct ImportColumns: Sendable {
    public static let required = ["username", "name", "email", "roles"]
    public static let optional = ["entitlements", "until"]

    private var positions: [String: Int] = [:]
    public let count: Int

    public init(header: CSVReader.Record) throws(CSVReader.Problem) {
        count = header.fields.count
        for (position, raw) in header.fields.enumerated() {
            let name = raw.trimmingSpaces.lowercased()
            guard ImportColumns.required.contains(name) || ImportColumns.optional.contains(name) else {
                throw CSVReader.Problem(line: header.line, reason: "unknown column \"\(ImportRow.shown(raw))\"; the columns are \(ImportColumns.usage)")
            }
            guard positions[name] == nil else {
                throw CSVReader.Problem(line: header.line, reason: "column \(name) appears twice")
            }
            positions[name] = position
        }
        let missing = ImportColumns.required.filter { positions[$0] == nil }
        guard missing.isEmpty else {
            throw CSVReader.Problem(line: header.line, reason: "missing column(s) \(missing.joined(separator: ",")); the header must name \(ImportColumns.usage)")
        }
    }

    public static let usage = "username,name,email,roles[,entitlements][,until]"

    public func value(_ column: String, in record: CSVReader.Record) -> String {
        guard let position = positions[column], position < record.fields.count else { return "" }
        return record.fields[position].trimmingSpaces
    }
}

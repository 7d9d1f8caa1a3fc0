import WardenCore

/// One row of an import file, checked on its own (the server's roles and systems
/// are checked by `ServerCatalog`).
public struct ImportRow: Sendable {
    public var line: Int
    public var username: String
    /// Empty when the cell is empty: an existing user's name is then left alone.
    public var name: String
    public var email: String
    public var roles: [String]
    /// `system:permission`, folded.
    public var entitlements: [String]
    public var until: Timestamp?

    /// The row, or every reason it is bad.
    public static func parse(_ record: CSVReader.Record, columns: ImportColumns, now: Timestamp) -> Result<ImportRow, Reasons> {
        var reasons: [String] = []
        guard record.fields.count == columns.count else {
            return .failure(Reasons(list: ["has \(record.fields.count) field(s) but the header has \(columns.count)"]))
        }
        let rawName = columns.value("username", in: record)
        let username = Identifier.fold(rawName)
        if rawName.isEmpty {
            reasons.append("the username is empty")
        } else if !Identifier.isValid(username) {
            reasons.append("username \"\(ImportRow.shown(rawName))\" is not 1-128 characters of a-z 0-9 . _ @ - starting with a letter or digit")
        } else if BuiltIn.reservedUsernames.contains(username) {
            reasons.append("the username \(username) is reserved")
        }

        let name = columns.value("name", in: record)
        if name.utf8.count > 1024 { reasons.append("the name is longer than 1024 bytes") }
        if name.unicodeScalars.contains(where: \.isControl) { reasons.append("the name contains a control character") }

        let email = columns.value("email", in: record)
        if email.utf8.count > 320 {
            reasons.append("the email is longer than 320 bytes")
        } else if !email.isEmpty && !ImportRow.looksLikeEmail(email) {
            reasons.append("email \"\(ImportRow.shown(email))\" is not an address such as name@example.com")
        }

        var roles: [String] = []
        for raw in ImportRow.list(columns.value("roles", in: record)) {
            let role = Identifier.fold(raw)
            if Identifier.isValid(role) {
                if !roles.contains(role) { roles.append(role) }
            } else {
                reasons.append("role \"\(ImportRow.shown(raw))\" is not a valid name")
            }
        }

        var entitlements: [String] = []
        for raw in ImportRow.list(columns.value("entitlements", in: record)) {
            let parts = Identifier.fold(raw).split(separator: ":", omittingEmptySubsequences: false).map { String($0).trimmingSpaces }
            if parts.count == 2, Identifier.isValid(parts[0]), Identifier.isValid(parts[1]) {
                let entitlement = parts[0] + ":" + parts[1]
                if !entitlements.contains(entitlement) { entitlements.append(entitlement) }
            } else {
                reasons.append("entitlement \"\(ImportRow.shown(raw))\" is not system:permission")
            }
        }

        var until: Timestamp?
        let untilText = columns.value("until", in: record)
        if !untilText.isEmpty {
            if let time = Timestamp(rfc3339: untilText) {
                if time <= now { reasons.append("until \(ImportRow.shown(untilText)) is in the past") }
                until = time
            } else {
                reasons.append("until \"\(ImportRow.shown(untilText))\" is not an RFC 3339 time such as 2026-11-25T10:00:00Z")
            }
        }
        guard reasons.isEmpty else { return .failure(Reasons(list: reasons)) }
        return .success(ImportRow(line: record.line, username: username, name: name, email: email,
                                  roles: roles, entitlements: entitlements, until: until))
    }

    public struct Reasons: Error {
        public var list: [String]
    }

    /// A cell as quoted in a reason: at most 64 characters (a cell may be up to a
    /// record's 64 KiB), control characters escaped so that none reaches the terminal.
    static func shown(_ text: String) -> String {
        var output = ""
        for (count, scalar) in text.unicodeScalars.enumerated() {
            if count == 64 { return output + "…" }
            output += scalar.isControl ? "\\u{\(String(scalar.value, radix: 16))}" : String(scalar)
        }
        return output
    }

    /// `a;b; c` → `["a", "b", "c"]`, empty items dropped.
    static func list(_ text: String) -> [String] {
        text.split(separator: ";").map { String($0).trimmingSpaces }.filter { !$0.isEmpty }
    }

    /// A light check that catches columns swapped or mistyped, not a full RFC 5321 parser.
    static func looksLikeEmail(_ text: String) -> Bool {
        guard text.utf8.count <= 320, !text.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.isControl }) else { return false }
        // By scalar: `@` followed by a combining mark is one Character, not an `@`.
        let parts = text.unicodeScalars.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && !parts[1].isEmpty
    }
}

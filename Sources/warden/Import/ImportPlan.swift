import WardenClient
import WardenCore
import WardenImport
import WardenProtocol

/// What importing one row changes, found by comparing it with the server's answers
/// to `USER SHOW` and `ACCESS`: create a missing user, set a name or email that
/// differs, add grants that are missing (or whose expiry differs). Nothing is
/// removed, so running the same file again changes nothing.
struct RowPlan: Sendable {
    enum Kind: Sendable {
        case create, update, unchanged
    }

    var row: ImportRow
    var kind: Kind
    /// The requests that make the change, in order.
    var commands: [String]
    /// What changes, for people: `name`, `+role:eng`, `+entitlement:crm:read`.
    var changes: [String]

    /// The request that tells whether the row's user exists, and its name and email.
    static func showCommand(for row: ImportRow) -> String {
        "USER SHOW " + RequestEncoder.word(row.username)
    }

    /// The request that tells what an existing user holds.
    static func accessCommand(for row: ImportRow) -> String {
        "ACCESS " + RequestEncoder.word(row.username)
    }

    /// The plan of a row from the server's `USER SHOW` and, when the user exists,
    /// `ACCESS` replies.
    /// - Throws: `Fail` when a reply is neither the user nor `NOT-FOUND`.
    static func make(_ row: ImportRow, show: ClientReply, access: ClientReply?, catalog: ServerCatalog, invite: Bool) throws -> RowPlan {
        let user = RequestEncoder.word(row.username)
        if !show.isOK {
            guard show.errorCode == "NOT-FOUND" else {
                throw Fail.usage("line \(row.line): cannot read user \(row.username): \(show.final)")
            }
            return create(row, catalog: catalog, invite: invite)
        }
        guard let access else { throw Fail.usage("line \(row.line): the access of \(row.username) was not read") }
        guard access.isOK else { throw Fail.usage("line \(row.line): cannot read the access of \(row.username): \(access.final)") }
        let grants = held(in: access)

        var commands: [String] = []
        var changes: [String] = []
        let fields = show.fields
        var set: [String] = []
        if !row.name.isEmpty, fields["name"] != row.name {
            set.append(RequestEncoder.word("name=" + row.name))
            changes.append("name")
        }
        if !row.email.isEmpty, fields["email"] != row.email {
            set.append(RequestEncoder.word("email=" + row.email))
            changes.append("email")
        }
        if !set.isEmpty { commands.append("USER SET " + user + " " + set.joined(separator: " ")) }
        for grant in grantCommands(row, grants: grants, catalog: catalog) {
            commands.append(grant.command)
            changes.append(grant.change)
        }
        return RowPlan(row: row, kind: commands.isEmpty ? .unchanged : .update, commands: commands, changes: changes)
    }

    /// The plan of a row whose user does not exist: add the user, grant what the row
    /// names, and invite them when asked.
    static func create(_ row: ImportRow, catalog: ServerCatalog, invite: Bool) -> RowPlan {
        let user = RequestEncoder.word(row.username)
        var add = "USER ADD " + user
        if !row.name.isEmpty { add += " " + RequestEncoder.word("name=" + row.name) }
        if !row.email.isEmpty { add += " " + RequestEncoder.word("email=" + row.email) }
        var commands = [add] + grantCommands(row, grants: [:], catalog: catalog).map(\.command)
        if invite { commands.append("USER INVITE " + user) }
        return RowPlan(row: row, kind: .create, commands: commands, changes: ["new user"])
    }

    /// Grants the row asks for that the user lacks, or holds with another expiry.
    ///
    /// A role that gives no entitlement leaves no trace in `ACCESS`, so its grant
    /// cannot be seen and is sent again each time (the server then only refreshes it).
    private static func grantCommands(_ row: ImportRow, grants: [String: Int64?], catalog: ServerCatalog) -> [(command: String, change: String)] {
        let user = RequestEncoder.word(row.username)
        let until = row.until.map { " until=" + $0.rfc3339 } ?? ""
        let wanted = row.until?.seconds
        var result: [(String, String)] = []
        for role in row.roles {
            let visible = !(catalog.roleEntitlements[role] ?? []).isEmpty
            if visible, let current = grants["role:" + role], current == wanted { continue }
            let change = grants.index(forKey: "role:" + role) == nil ? "+role:\(role)" : "until role:\(role)"
            result.append(("GRANT \(user) \(RequestEncoder.word(role))\(until)", change))
        }
        for entitlement in row.entitlements {
            if let current = grants["direct:" + entitlement], current == wanted { continue }
            let parts = entitlement.split(separator: ":").map(String.init)
            let change = grants.index(forKey: "direct:" + entitlement) == nil ? "+\(entitlement)" : "until \(entitlement)"
            result.append(("GRANT \(user) \(RequestEncoder.word(parts[0])) \(RequestEncoder.word(parts[1]))\(until)", change))
        }
        return result
    }

    /// The grants `ACCESS` shows: `role:NAME` or `direct:system:permission`, each
    /// with its expiry in seconds (`nil` for never).
    private static func held(in access: ClientReply) -> [String: Int64?] {
        var grants: [String: Int64?] = [:]
        for record in access.records {
            guard let via = record["via"], let until = record["until"] else { continue }
            let seconds: Int64? = until == "never" ? nil : Timestamp(rfc3339: until)?.seconds
            if via.hasPrefix("role:") {
                grants[via] = seconds
            } else if via == "direct", let system = record["system"], let permission = record["permission"] {
                grants["direct:\(system):\(permission)"] = seconds
            }
        }
        return grants
    }
}

import Foundation
import Logging
import WardenCore
import WardenStore

/// What a loaded `Snapshot` holds, in a form two loads can be compared by (the
/// directory itself is not `Equatable`, and its tables have no order).
struct SnapshotSummary: Equatable, CustomStringConvertible {
    var users: [User]
    var systems: [String: SystemDefinition]
    var roles: [String: Role]
    var roleClosure: [String: Set<Entitlement>]
    var grants: [String: [String]]
    var tokens: [IssuedTokenRecord]
    var apiKeys: [APIKeyRecord]
    var invites: [InviteRecord]
    var signingKeys: [SigningKeyRecord]

    init(_ snapshot: Snapshot) {
        let directory = snapshot.directory
        // `modified` is the writing transaction's clock (SCIM's meta.lastModified): the
        // reference's writer stamps it, the statements written here one by one do not.
        users = directory.users.values.sorted { $0.id < $1.id }.map { user in
            var user = user
            user.modified = nil
            return user
        }
        systems = directory.systems
        roles = directory.roles
        roleClosure = directory.roleClosure
        var grants: [String: [String]] = [:]
        for user in users {
            grants[user.name] = directory.heldGrants(user.name).map { "\($0.target) until \($0.until?.milliseconds ?? -1)" }.sorted()
        }
        self.grants = grants
        tokens = snapshot.tokens.sorted { $0.jti < $1.jti }
        apiKeys = snapshot.apiKeys.sorted { $0.id < $1.id }
        invites = snapshot.invites.sorted { $0.userID < $1.userID }
        signingKeys = snapshot.signingKeys
    }

    var description: String {
        """
        users: \(users.map { "\($0.id) \($0.name) \($0.status) failed=\($0.failedLogins) hash=\($0.passwordHash ?? "-")" })
        systems: \(systems.values.sorted { $0.name < $1.name }.map { "\($0.name) \($0.permissions.sorted())" })
        roles: \(roles.values.sorted { $0.name < $1.name }.map { "\($0.name) \($0.entitlements.sorted()) \($0.includes.sorted())" })
        grants: \(grants.sorted { $0.key < $1.key })
        tokens: \(tokens.map { "\($0.jti) \($0.revocation?.rawValue ?? "live")" })
        apiKeys: \(apiKeys.map(\.id)) invites: \(invites.map { "\($0.userID) \($0.codeHash.prefix(1))" })
        keys: \(signingKeys.map { "\($0.kid) retired=\($0.retired?.milliseconds ?? -1) lastExp=\($0.lastExpiry.milliseconds)" })
        """
    }
}

/// SQLite's interpreter as the reference: the same changes written through
/// `Transaction.write` to a fresh SQLite database, then `Snapshot.load`.
enum SQLiteReference {
    static func snapshot(after changes: [Change], addingUser extra: User, now: Timestamp) async throws -> (snapshot: Snapshot, extraID: Int64) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("warden-pg-reference-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let directory = try DataDirectory(path: path)
        let connection = try DatabaseOpener.open(directory, now: 1).connection
        let writer = WriteQueue(connection: connection, chain: try AuditChain.load(from: connection), logger: Logger(label: "warden.test.sqlite"))
        let extraID: Int64
        do {
            for change in changes {
                try await writer.submit(.keys(["all"])) { transaction in
                    try transaction.write(change)
                    return Committed(())
                }
            }
            extraID = try await writer.submit(.keys(["all"])) { transaction in Committed(try transaction.addUser(extra).id) }
        } catch {
            writer.close()
            throw error
        }
        writer.close()
        let reader = try DatabaseOpener.openReader(directory)
        return (try Snapshot.load(from: reader, now: now), extraID)
    }
}

import WardenCore
import WardenCrypto
import WardenStore

/// First start of an empty data directory (SPEC §1): the `admin` user holding
/// `warden-admin`, with `$WARDEN_ADMIN_PASSWORD` or a random password written alone
/// on one line to `DIR/bootstrap-admin.txt` (mode 0600). The secret is never logged.
extension WardenService {
    static let bootstrapFile = "bootstrap-admin.txt"

    func bootstrapIfNeeded(isNew: Bool) async throws {
        // A directory that has ever had users (or audit entries) is never bootstrapped again.
        let empty = state.withLock { $0.directory.users.isEmpty }
        guard empty else { return }
        let neverUsed = isNew ? true : (await auditHead()) == nil
        guard neverUsed else { return }
        let password: String
        let fromEnvironment = configuration.bootstrapAdminPassword
        if let given = fromEnvironment {
            try PasswordPolicy.validate(given, username: BuiltIn.adminUser)
            password = given
        } else {
            password = Base64URL.encode(SecureRandom.bytes(24))
            // Written before the commit: a crash in between leaves a file, never an
            // admin whose password nobody knows.
            try store.dataDirectory.writeSecretFile(WardenService.bootstrapFile, contents: password + "\n")
        }
        let parameters = configuration.scrypt
        let phc = try await hashing.run { Result { try PasswordHash.make(password: password, parameters: parameters).phc } }.get()
        // Decided again inside the writer, against the latest committed state: of nodes
        // that start together on one empty database, only the first bootstraps it.
        let created = try await store.writer.submit(.exclusive) { [self] transaction in
            guard transaction.auditHeadSeq == 0, state.withLock({ $0.directory.users.isEmpty }) else { return Committed(false) }
            let admin = try transaction.addUser(User(id: 0, name: BuiltIn.adminUser, displayName: "Warden administrator", kind: .person,
                                                     created: transaction.now, passwordHash: phc))
            let grant = Grant(target: .role(BuiltIn.adminRole), reason: "bootstrap", grantedBy: "warden", grantedAt: transaction.now)
            try transaction.write(.granted(userID: admin.id, grant))
            try transaction.audit(actor: "warden", source: "local", action: "bootstrap", target: BuiltIn.adminUser,
                                  detail: "role:\(BuiltIn.adminRole) password=\(fromEnvironment == nil ? "file" : "environment")")
            return Committed(true)
        }
        guard created else {
            // Another node bootstrapped the database first: its password is in its folder.
            if fromEnvironment == nil { _ = store.dataDirectory.removeFile(WardenService.bootstrapFile) }
            return
        }
        if fromEnvironment == nil {
            logger.notice("bootstrap admin created; its password is in the data directory",
                          metadata: ["file": "\(store.dataDirectory.path)/\(WardenService.bootstrapFile)"])
        } else {
            logger.notice("bootstrap admin created with the password from WARDEN_ADMIN_PASSWORD")
        }
    }
}

import WardenCrypto

/// How the audit chain is keyed (schema/0003_audit_keying.sql): entries from
/// `keyedFrom` on are hashed with HMAC-SHA256 under a key derived from the master key;
/// entries before it (those of a v1 database) keep the plain SHA-256 rule.
public struct AuditKeying: Sendable {
    public let key: HMACKey
    public let keyedFrom: Int64

    /// The hash of an entry under the rule its number falls in.
    func hash(seq: Int64, time: String, actor: String, source: String, action: String,
              target: String, detail: String, result: String, previousHash: String) -> String {
        seq >= keyedFrom
            ? AuditRecord.computeKeyedHash(key: key, seq: seq, time: time, actor: actor, source: source, action: action,
                                           target: target, detail: detail, result: result, previousHash: previousHash)
            : AuditRecord.computeHash(seq: seq, time: time, actor: actor, source: source, action: action,
                                      target: target, detail: detail, result: result, previousHash: previousHash)
    }

    /// Whether `record`'s stored hash matches its content under its rule.
    func isSelfConsistent(_ record: AuditRecord) -> Bool {
        record.isSelfConsistent(key: record.seq >= keyedFrom ? key : nil)
    }

    /// The keying of a database whose row holds `keyedFrom` and the check `stored`,
    /// once the check shows that `master` is the key it was set up with.
    public static func verified(master: MasterKey, keyedFrom: Int64, stored: String, keyFile: String) throws(StoreError) -> AuditKeying {
        guard ConstantTime.equals(Array(stored.utf8), Array(check(master, keyedFrom: keyedFrom).utf8)) else {
            throw .wrongMasterKey(keyFile)
        }
        return AuditKeying(key: master.auditChainKey(), keyedFrom: keyedFrom)
    }

    /// The key check stored beside `keyedFrom` (see the migration).
    public static func check(_ master: MasterKey, keyedFrom: Int64) -> String {
        // HMAC under the key-check key cannot fail once keyed (see `MasterKey.derive`).
        let checkKey = try! HMACKey(key: master.derive(.keyCheck))
        return Hex.encode(checkKey.tag(Array("audit keyed_from=\(keyedFrom)".utf8)))
    }

    /// Reads the keying of the database on `connection` and checks it against `master`.
    /// On the first start after the migration (an empty check), fills the check in —
    /// only when the key file is new or the database is, so that a row reset by
    /// someone who cannot read the key is not taken for an upgrade (`wrongMasterKey`).
    public static func establish(
        on connection: Connection, master: MasterKey, keyFile: String, mayInitialise: Bool
    ) throws(StoreError) -> AuditKeying {
        let row: (Int64, String)?
        do {
            row = try connection.queryOne("SELECT keyed_from, key_check FROM audit_keying WHERE id = 1") { ($0.int(0), $0.text(1)) }
        } catch {
            throw .sqlite(error)
        }
        guard let (keyedFrom, stored) = row else { throw .wrongMasterKey(keyFile) }
        let expected = check(master, keyedFrom: keyedFrom)
        if stored.isEmpty {
            guard mayInitialise else { throw .wrongMasterKey(keyFile) }
            do {
                try connection.run("UPDATE audit_keying SET key_check = ? WHERE id = 1 AND key_check = ''", .text(expected))
            } catch {
                throw .sqlite(error)
            }
        } else if !ConstantTime.equals(Array(stored.utf8), Array(expected.utf8)) {
            throw .wrongMasterKey(keyFile)
        }
        return AuditKeying(key: master.auditChainKey(), keyedFrom: keyedFrom)
    }

    /// For `warden audit verify` (read-only): the keying of a stopped server's
    /// database, checked against the key in `keyFile`; nil for a v1 database not yet
    /// opened by this version (no keying table: every entry is plain, no key needed).
    public static func read(from connection: Connection, keyFile: String) throws(StoreError) -> AuditKeying? {
        let hasTable: Bool
        do {
            hasTable = try connection.queryOne(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'audit_keying'") { $0.int(0) } ?? 0 > 0
        } catch {
            throw .sqlite(error)
        }
        guard hasTable else { return nil }
        let master = try MasterKeyFile.load(path: keyFile, create: false).key
        return try establish(on: connection, master: master, keyFile: keyFile, mayInitialise: false)
    }
}

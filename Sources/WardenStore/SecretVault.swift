import Logging
import WardenCore
import WardenCrypto

/// How the secrets Warden must be able to read back live in the database: sealed with
/// the master key (`SecretSealer`), never in clear on disk — private signing keys and
/// TOTP secrets. Each is sealed under a context naming its row (`signing-key:KID`,
/// `totp-secret:USER_ID`), so a sealed value copied to another row does not open.
///
/// Keys of a v1 data directory, in files `keys/KID.pem`, are sealed into the database
/// at the first start and their files deleted once that is committed.
public struct SecretVault: Sendable {
    let sealer: SecretSealer
    let masterKeyFile: String

    public init(master: MasterKey, masterKeyFile: String) {
        self.sealer = SecretSealer(masterKey: master)
        self.masterKeyFile = masterKeyFile
    }

    static func context(_ kid: String) -> String { "signing-key:" + kid }

    static func totpContext(_ userID: Int64) -> String { "totp-secret:\(userID)" }

    /// The sealed form of a new TOTP secret of user `userID`, for `MFARecord.sealedSecret`.
    public func sealTOTPSecret(_ secret: [UInt8], userID: Int64) throws -> String {
        Base64URL.encode(try sealer.seal(secret, context: Self.totpContext(userID)))
    }

    /// The TOTP secret of `record`; `StoreError.sealedSecret` when it does not open
    /// (altered, moved from another user's row, or sealed under another master key).
    public func totpSecret(of record: MFARecord) throws(StoreError) -> [UInt8] {
        guard let bytes = Base64URL.decodeStrict(record.sealedSecret),
              let opened = try? sealer.open(bytes, context: Self.totpContext(record.userID)) else {
            throw .sealedSecret("the TOTP secret of user id \(record.userID)", masterKeyFile)
        }
        return opened
    }

    /// A web sign-in waiting for its TOTP code (SPEC §11), sealed for the browser to hold
    /// for a few minutes: `context` binds it to its purpose and client address.
    public func sealWebSignIn(_ plaintext: [UInt8], context: String) throws -> String {
        Base64URL.encode(try sealer.seal(plaintext, context: "web-signin:" + context))
    }

    /// What `sealWebSignIn` sealed under the same context; nil for anything else.
    public func openWebSignIn(_ sealed: String, context: String) -> [UInt8]? {
        guard let bytes = Base64URL.decodeStrict(sealed) else { return nil }
        return try? sealer.open(bytes, context: "web-signin:" + context)
    }

    /// The sealed form of a new key's PKCS#8 PEM, for `SigningKeyRecord.sealedKey`.
    public func seal(pem: String, kid: String) throws -> String {
        Base64URL.encode(try sealer.seal(Array(pem.utf8), context: Self.context(kid)))
    }

    /// The PKCS#8 PEM of `record`'s key. A sealed key that does not open (altered, or
    /// moved from another row) stops the start, naming the master key file.
    public func pem(of record: SigningKeyRecord) throws(StoreError) -> String? {
        guard let sealed = record.sealedKey else { return nil }
        guard let bytes = Base64URL.decodeStrict(sealed),
              let opened = try? sealer.open(bytes, context: Self.context(record.kid)) else {
            throw .sealedSecret("the private key of signing key \(record.kid)", masterKeyFile)
        }
        return String(decoding: opened, as: UTF8.self)
    }

    /// Seals the keys still in v1 files into the database (one transaction), then
    /// deletes the files; returns the records as they now are. A record whose file
    /// is missing is left as it is (the service logs it and makes a new key).
    func sealLegacyKeys(_ records: [SigningKeyRecord], on connection: Connection, in directory: DataDirectory,
                        logger: Logger) throws(StoreError) -> [SigningKeyRecord] {
        var updated = records
        var sealedFiles: [String] = []
        do {
            try connection.execute("BEGIN IMMEDIATE")
            for index in updated.indices where updated[index].sealedKey == nil {
                let kid = updated[index].kid
                guard let pem = directory.readFile("keys/\(kid).pem") else { continue }
                let sealed: String
                do { sealed = try seal(pem: pem, kid: kid) } catch { throw StoreError.sealedSecret("signing key \(kid)", masterKeyFile) }
                try connection.run("UPDATE signing_keys SET sealed_key = ? WHERE kid = ?", .text(sealed), .text(kid))
                updated[index].sealedKey = sealed
                sealedFiles.append("keys/\(kid).pem")
            }
            try connection.execute("COMMIT")
        } catch let error as StoreError {
            try? connection.execute("ROLLBACK")
            throw error
        } catch let error as SQLiteError {
            try? connection.execute("ROLLBACK")
            throw .sqlite(error)
        } catch {
            try? connection.execute("ROLLBACK")
            throw .sealedSecret("signing keys", masterKeyFile)
        }
        for file in sealedFiles { _ = directory.removeFile(file) }
        if !sealedFiles.isEmpty {
            logger.notice("sealed the private signing keys into the database and deleted their files", metadata: ["keys": "\(sealedFiles.count)"])
        }
        return updated
    }
}

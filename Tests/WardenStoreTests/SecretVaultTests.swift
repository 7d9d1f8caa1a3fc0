import Foundation
import Logging
import Testing
import WardenCore
import WardenStore

/// Private signing keys live in the database, sealed with the master key: a key a v1
/// data directory kept in `keys/KID.pem` is sealed in at the next start and its file
/// deleted; a sealed key altered in the database does not open.
@Suite struct SecretVaultTests {
    static let logger = Logger(label: "warden.test")
    static let pem = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n"

    /// A data directory as v1 left it: a key named in the database, its private half in a file.
    static func v1Directory(_ temporary: TemporaryDirectory, kid: String) async throws {
        let opened = try SQLiteStore.open(path: temporary.dataPath, logger: logger)
        let record = SigningKeyRecord(kid: kid, algorithm: "EdDSA", publicJWK: "{}", sealedKey: nil,
                                      created: Timestamp(milliseconds: 1), lastExpiry: Timestamp(milliseconds: 0))
        _ = try await opened.store.writer.submit(.exclusive) { transaction in
            try transaction.write(.signingKeyAdded(record))
            return Committed(true)
        }
        opened.store.close()
        try FileManager.default.createDirectory(atPath: temporary.dataPath + "/keys", withIntermediateDirectories: false)
        try opened.store.dataDirectory.writeSecretFile("keys/\(kid).pem", contents: pem)
    }

    @Test func aV1KeyFileIsSealedIntoTheDatabaseAndDeleted() async throws {
        let temporary = try TemporaryDirectory()
        try await Self.v1Directory(temporary, kid: "old-key")
        let opened = try SQLiteStore.open(path: temporary.dataPath, logger: Self.logger)
        defer { opened.store.close() }
        let record = try #require(opened.snapshot.signingKeys.first { $0.kid == "old-key" })
        let sealed = try #require(record.sealedKey)
        #expect(!sealed.contains("PRIVATE KEY"))
        #expect(try opened.store.secrets.pem(of: record) == Self.pem)
        #expect(!FileManager.default.fileExists(atPath: temporary.dataPath + "/keys/old-key.pem"))
    }

    @Test func aSealedKeyAlteredInTheDatabaseDoesNotOpenAndNamesTheMasterKeyFile() async throws {
        let temporary = try TemporaryDirectory()
        try await Self.v1Directory(temporary, kid: "old-key")
        let first = try SQLiteStore.open(path: temporary.dataPath, logger: Self.logger)
        var record = try #require(first.snapshot.signingKeys.first { $0.kid == "old-key" })
        first.store.close()
        // The same sealed value under another key's id: moved from its row.
        record.kid = "other-key"
        #expect {
            try first.store.secrets.pem(of: record)
        } throws: { error in
            "\(error)".contains("does not open with the master key file \(temporary.dataPath)/master.key")
        }
        var flipped = try #require(first.snapshot.signingKeys.first)
        let sealed = try #require(flipped.sealedKey)
        flipped.sealedKey = String(sealed.dropLast()) + (sealed.last == "A" ? "B" : "A")
        #expect(throws: StoreError.self) { try first.store.secrets.pem(of: flipped) }
    }
}

import Testing
import WardenStore

/// The audit hash chain (SPEC §2.5): appended entries verify as intact, and an edit,
/// a deletion or a reordering of stored entries is named by the first entry it breaks.
@Suite struct AuditChainTests {
    /// A fresh Warden database with `count` audit entries appended through `AuditChain`.
    final class Log {
        let temporary: TemporaryDirectory
        let directory: DataDirectory
        let connection: Connection
        var chain = AuditChain()

        init(entries count: Int) throws {
            temporary = try TemporaryDirectory()
            directory = try DataDirectory(path: temporary.dataPath)
            connection = try DatabaseOpener.open(directory, now: 1).connection
            for offset in 0..<count {
                let index = offset + 1
                try chain.append(
                    to: connection, time: "2026-11-25T10:00:0\(index % 10)Z", actor: "admin", source: "127.0.0.1",
                    action: "user.add", target: "user\(index)", detail: "entry \(index)", result: index == 2 ? .denied : .ok)
            }
        }
    }

    @Test func appendedEntriesVerifyAsIntact() throws {
        let log = try Log(entries: 5)
        #expect(log.chain.lastSeq == 5)
        #expect(try AuditVerifier.verify(log.connection) == .intact(entries: 5, head: log.chain.head))
    }

    @Test func anEmptyLogIsIntactAtTheGenesisHash() throws {
        let log = try Log(entries: 0)
        #expect(try AuditVerifier.verify(log.connection) == .intact(entries: 0, head: AuditRecord.genesisHash))
    }

    @Test func eachEntryLinksToThePreviousHash() throws {
        let log = try Log(entries: 3)
        let links = try log.connection.query("SELECT prev_hash, hash FROM audit ORDER BY seq") { ($0.text(0), $0.text(1)) }
        #expect(links.count == 3)
        #expect(links[0].0 == AuditRecord.genesisHash)
        #expect(links[1].0 == links[0].1)
        #expect(links[2].0 == links[1].1)
        #expect(links[2].1 == log.chain.head)
        #expect(links.allSatisfy { $0.1.count == 64 })
    }

    @Test func theHeadIsReloadedFromTheDatabase() throws {
        let log = try Log(entries: 4)
        #expect(try AuditChain.load(from: log.connection) == log.chain)
    }

    @Test func appendingAfterAReloadKeepsTheChainIntact() throws {
        let log = try Log(entries: 2)
        var reloaded = try AuditChain.load(from: log.connection)
        try reloaded.append(to: log.connection, time: "2026-11-25T11:00:00Z", actor: "admin", source: "local",
                            action: "grant", target: "bob", detail: "", result: .ok)
        #expect(try AuditVerifier.verify(log.connection) == .intact(entries: 3, head: reloaded.head))
    }

    struct Tampering: Sendable, CustomTestStringConvertible {
        var name: String
        var sql: String
        var firstBad: Int64
        var testDescription: String { name }
    }

    static let tamperings: [Tampering] = [
        Tampering(name: "an edited detail", sql: "UPDATE audit SET detail = 'nothing to see' WHERE seq = 3", firstBad: 3),
        Tampering(name: "an edited result", sql: "UPDATE audit SET result = 'ok' WHERE seq = 2", firstBad: 2),
        Tampering(name: "an edited actor of the first entry", sql: "UPDATE audit SET actor = 'mallory' WHERE seq = 1", firstBad: 1),
        Tampering(name: "a deleted middle entry", sql: "DELETE FROM audit WHERE seq = 3", firstBad: 3),
        Tampering(name: "a deleted first entry", sql: "DELETE FROM audit WHERE seq = 1", firstBad: 1),
        Tampering(
            name: "two entries' contents swapped",
            sql: "UPDATE audit SET seq = -2 WHERE seq = 2; UPDATE audit SET seq = 2 WHERE seq = 4; UPDATE audit SET seq = 4 WHERE seq = -2",
            firstBad: 2),
        Tampering(name: "a changed prev_hash", sql: "UPDATE audit SET prev_hash = (SELECT hash FROM audit WHERE seq = 1) WHERE seq = 4", firstBad: 4),
        Tampering(name: "a changed hash of the newest entry", sql: "UPDATE audit SET hash = prev_hash WHERE seq = 5", firstBad: 5),
        Tampering(name: "an entry renumbered past a gap", sql: "UPDATE audit SET seq = 9 WHERE seq = 5", firstBad: 5),
        Tampering(
            name: "a forged entry appended with a broken link",
            sql: """
                INSERT INTO audit (seq, time, actor, source, action, target, detail, result, prev_hash, hash)
                SELECT 6, time, actor, source, action, target, detail, result, prev_hash, hash FROM audit WHERE seq = 5
                """,
            firstBad: 6),
    ]

    @Test(arguments: tamperings)
    func findsTampering(_ tampering: Tampering) throws {
        let log = try Log(entries: 5)
        try log.connection.execute(tampering.sql)
        #expect(try AuditVerifier.verify(log.connection) == .tampered(seq: tampering.firstBad))
    }

    @Test func theHashCoversEveryFieldLengthPrefixed() {
        // Moving a character from one field to the next must change the hash.
        let a = AuditRecord.computeHash(seq: 1, time: "t", actor: "ab", source: "c", action: "x", target: "y",
                                        detail: "", result: "ok", previousHash: AuditRecord.genesisHash)
        let b = AuditRecord.computeHash(seq: 1, time: "t", actor: "a", source: "bc", action: "x", target: "y",
                                        detail: "", result: "ok", previousHash: AuditRecord.genesisHash)
        #expect(a != b)
    }
}

import Foundation
import Logging
import Synchronization
import Testing
import WardenCore
import WardenStore
@testable import WardenPostgres

/// What the service needs of storage, held to both implementations alike: one suite,
/// two backends (a SQLite data directory, and a fresh database on the scratch
/// PostgreSQL server).
@Suite struct StorageContractTests {
    enum Backend: String, CaseIterable, Sendable { case sqlite, postgres }

    static var backends: [Backend] { ScratchServer.available ? Backend.allCases : [.sqlite] }
    static let logger = Logger(label: "warden.test.contract") { _ in SwiftLogNoOpLogHandler() }

    /// Opens `backend`'s storage on a place of its own, runs `body` with an opener (to
    /// open it again after a close), and removes the place afterwards.
    func withStorage(_ backend: Backend, _ body: @Sendable (@Sendable () async throws -> OpenedStorage) async throws -> Void) async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("warden-contract-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        switch backend {
        case .sqlite:
            try await body { try SQLiteStore.open(path: root + "/data", logger: Self.logger) }
        case .postgres:
            let key = root + "/master.key"
            _ = FileManager.default.createFile(atPath: key, contents: Data((0..<32).map { _ in UInt8.random(in: 0...255) }),
                                           attributes: [.posixPermissions: 0o600])
            try await ScratchDatabase.with { scratch in
                try await body {
                    try await PostgresStore.open(url: scratch.url, password: ScratchServer.password, dataPath: root + "/data",
                                                 masterKeyFile: key, logger: Self.logger)
                }
            }
        }
    }

    static func addSystem(_ name: String, _ transaction: Transaction) throws {
        try transaction.write(.systemAdded(SystemDefinition(name: name, permissions: ["read"])))
        try transaction.audit(actor: "tester", source: "127.0.0.1", action: "system.add", target: name)
    }

    @Test(arguments: backends) func committedChangesReachTheReducerInOrderAndSurviveAReopen(_ backend: Backend) async throws {
        try await withStorage(backend) { open in
            let first = try await open()
            let reduced = Recorder()
            first.store.writer.setReducer { changes, _ in
                for case .systemAdded(let system) in changes { reduced.append(system.name) }
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<40 {
                    group.addTask {
                        _ = try await first.store.writer.submit(.keys(["system:s\(index)"])) { transaction in
                            try StorageContractTests.addSystem("s\(index)", transaction)
                            return Committed(true)
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(Set(reduced.values) == Set((0..<40).map { "s\($0)" }))
            #expect(reduced.values.count == 40, "each change reaches memory once")
            let revision = first.store.writer.revision
            first.store.close()

            let again = try await open()
            defer { again.store.close() }
            #expect((0..<40).allSatisfy { again.snapshot.directory.systems["s\($0)"] != nil })
            #expect(again.snapshot.chain.lastSeq == revision)
            #expect(try await again.store.verifyAudit() == .intact(entries: revision, head: again.snapshot.chain.head))
        }
    }

    @Test(arguments: backends) func aRefusedChangeLeavesNothingBehindItsBatch(_ backend: Backend) async throws {
        try await withStorage(backend) { open in
            let opened = try await open()
            let outcomes = try await withThrowingTaskGroup(of: (String, Bool).self) { group in
                for name in ["kept1", "refused", "kept2"] {
                    group.addTask {
                        do {
                            _ = try await opened.store.writer.submit(.keys(["user:\(name)"])) { transaction in
                                // Written, then refused: the user and the entry must go with it.
                                let user = try transaction.addUser(User(id: 0, name: name, created: transaction.now))
                                try transaction.audit(actor: "tester", source: "-", action: "user.add", target: name)
                                if name == "refused" { throw WardenError.conflict("refused after writing") }
                                return Committed(user.id)
                            }
                            return (name, true)
                        } catch {
                            return (name, false)
                        }
                    }
                }
                var all: [String: Bool] = [:]
                for try await (name, ok) in group { all[name] = ok }
                return all
            }
            #expect(outcomes == ["kept1": true, "refused": false, "kept2": true])
            opened.store.close()
            let again = try await open()
            defer { again.store.close() }
            #expect(again.snapshot.directory.users["kept1"] != nil && again.snapshot.directory.users["kept2"] != nil)
            #expect(again.snapshot.directory.users["refused"] == nil)
            let entries = try await again.store.auditEntries(AuditQuery(sinceSeq: 0, sinceTime: nil, actor: "tester", target: nil, limit: 100))
            #expect(Set(entries.map(\.target)) == ["kept1", "kept2"])
            #expect(try await again.store.verifyAudit() == .intact(entries: 2, head: again.snapshot.chain.head))
        }
    }

    @Test(arguments: backends) func auditReadsSyncAndHealthAnswerAlike(_ backend: Backend) async throws {
        try await withStorage(backend) { open in
            let opened = try await open()
            defer { opened.store.close() }
            #expect(try await opened.store.auditHead() == nil)
            for name in ["a", "b", "c", "d"] {
                _ = try await opened.store.writer.submit(.exclusive) { transaction in
                    try StorageContractTests.addSystem(name, transaction)
                    return Committed(true)
                }
            }
            let newest = try await opened.store.auditEntries(AuditQuery(sinceSeq: nil, sinceTime: nil, actor: nil, target: nil, limit: 2))
            #expect(newest.map(\.target) == ["c", "d"], "the newest, oldest first")
            let since = try await opened.store.auditEntries(AuditQuery(sinceSeq: 1, sinceTime: nil, actor: nil, target: nil, limit: 10))
            #expect(since.map(\.seq) == [2, 3, 4])
            let byTarget = try await opened.store.auditEntries(AuditQuery(sinceSeq: nil, sinceTime: nil, actor: "tester", target: "b", limit: 10))
            #expect(byTarget.map(\.target) == ["b"])
            let head = try #require(try await opened.store.auditHead())
            #expect(head.seq == 4 && head.head == newest.last?.hash)
            #expect(try await opened.store.sync(timeout: .seconds(5)) == 4)
            #expect(opened.store.lag == 0)
            // PostgreSQL: healthy once its change feed listens (a moment after opening).
            var healthy = false
            for _ in 0..<250 where !healthy {
                healthy = await opened.store.isHealthy()
                if !healthy { try await Task.sleep(for: .milliseconds(20)) }
            }
            #expect(healthy)
            #expect(!opened.store.isDegraded)
        }
    }
}

/// Names the reducer saw, from the writer thread.
final class Recorder: Sendable {
    private let names = Mutex<[String]>([])
    func append(_ name: String) { names.withLock { $0.append(name) } }
    var values: [String] { names.withLock { $0 } }
}

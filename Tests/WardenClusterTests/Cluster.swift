import Foundation
import Testing
import WardenTestSupport

/// Several real `warden serve --postgres` nodes on one fresh database of the scratch
/// PostgreSQL server (`scripts/postgres-scratch`), each with a data folder of its own
/// and the same master key file, as an operator would run them (SPEC §6).
final class Cluster: @unchecked Sendable {
    let database: TestPostgres
    let masterKey: URL
    private(set) var nodes: [WardenProcess] = []

    /// Starts `count` nodes at the same moment on a new database.
    init(nodes count: Int, on server: TestPostgres? = TestPostgres.server) throws {
        guard let server else { throw ClusterError.noServer }
        database = try server.createDatabase()
        masterKey = try TestPostgres.makeMasterKeyFile()
        do {
            // Started together: the first start must initialise the database once.
            nodes = try (0..<count).concurrentMap { _ in try self.startNode() }
        } catch {
            stop()
            throw error
        }
    }

    /// The arguments and environment that put a node on this cluster's database.
    var nodeArguments: [String] { ["--postgres", database.url, "--master-key-file", masterKey.path] }

    /// One more node (a late joiner, or a node started again after a kill).
    func startNode(data: URL = WardenProcess.temporaryDirectory("node"), arguments: [String] = []) throws -> WardenProcess {
        try WardenProcess(dataDirectory: data, arguments: nodeArguments + arguments, environment: database.nodeEnvironment)
    }

    func add(_ node: WardenProcess) { nodes.append(node) }

    subscript(index: Int) -> WardenProcess { nodes[index] }

    func stop() {
        for node in nodes { node.stop() }
        database.drop()
        try? FileManager.default.removeItem(at: masterKey)
    }
}

enum ClusterError: Error { case noServer }

extension Array where Element == Int {
    /// Runs `body` for each element on a thread of its own, all at once; the results in order.
    func concurrentMap<T>(_ body: @escaping (Int) throws -> T) throws -> [T] {
        let results = LockedResults<T>(count: count)
        // The tests hand blocking connections (not Sendable) to these threads on purpose:
        // each is used by one thread only.
        let work = Unchecked(body)
        let elements = self
        DispatchQueue.concurrentPerform(iterations: count) { index in
            results.set(index, Result { try work.value(elements[index]) })
        }
        return try results.values()
    }
}

extension Range where Bound == Int {
    func concurrentMap<T>(_ body: @escaping (Int) throws -> T) throws -> [T] { try Array(self).concurrentMap(body) }
}

private struct Unchecked<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

private final class LockedResults<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Result<T, any Error>?]

    init(count: Int) { results = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ result: Result<T, any Error>) { lock.withLock { results[index] = result } }

    func values() throws -> [T] { try lock.withLock { try results.map { try $0!.get() } } }
}

/// Waits until `condition` holds, checking every 20 ms, for at most `seconds`; false if it never did.
func eventually(within seconds: Double = 5, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    repeat {
        if try condition() { return true }
        usleep(20_000)
    } while Date() < deadline
    return try condition()
}

/// The cluster tests need the scratch PostgreSQL server.
let clusterAvailable = TestPostgres.isAvailable

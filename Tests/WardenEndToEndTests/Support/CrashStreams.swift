import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One connection streaming pipelined `GRANT`/`REVOKE`s of its own users, for the
/// Crash suite. A writer thread sends as fast as the server takes them; a reader
/// thread records which got `OK`. Operation `i` is a pure function of `i`, so what
/// was acknowledged can be checked after a crash without keeping the lines.
///
/// Every fourth operation revokes the grant made three operations earlier; the rest
/// grant `app p<i>` to user `<prefix>u<i mod users>`, each entitlement once.
final class GrantStream: @unchecked Sendable {
    let prefix: String
    let users: Int
    private let connection: LineConnection
    private let lock = NSLock()
    private var stopping = false
    private var acknowledged: Set<Int> = []
    private var refusals: [String] = []
    private let finished = DispatchGroup()

    init(connection: LineConnection, prefix: String, users: Int) {
        self.connection = connection
        self.prefix = prefix
        self.users = users
    }

    func user(_ index: Int) -> String { "\(prefix)u\(index % users)" }

    /// Whether operation `index` is a revoke (of operation `index - 3`).
    static func isRevoke(_ index: Int) -> Bool { index % 4 == 3 }

    func line(_ index: Int) -> String {
        if GrantStream.isRevoke(index) { return "REVOKE \(user(index - 3)) app p\(index - 3)" }
        return "GRANT \(user(index)) app p\(index) reason=\"stream\""
    }

    func start() {
        finished.enter()
        finished.enter()
        let descriptor = connection.descriptor
        Thread { [self] in
            var next = 0
            while !lock.withLock({ stopping }) {
                let batch = (next..<next + 32).map { line($0) + "\n" }.joined()
                next += 32
                let bytes = Array(batch.utf8)
                var offset = 0
                while offset < bytes.count {
                    let written = bytes[offset...].withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                    guard written > 0 else { finished.leave(); return }
                    offset += written
                }
            }
            finished.leave()
        }.start()
        Thread { [self] in
            var index = 0
            while let reply = try? connection.readReply() {
                lock.withLock {
                    if reply.isOK { acknowledged.insert(index) } else { refusals.append("\(line(index)) → \(reply.final)") }
                }
                index += 1
            }
            finished.leave()
        }.start()
    }

    /// Stops writing (call after the server is gone) and waits for both threads.
    func finish() {
        lock.withLock { stopping = true }
        finished.wait()
    }

    var acknowledgedOperations: Set<Int> { lock.withLock { acknowledged } }
    var refusedOperations: [String] { lock.withLock { refusals } }

    /// What a restarted server must show, per user: the entitlements whose grant was
    /// acknowledged and not followed by a revoke; and those whose revoke was
    /// acknowledged. A grant whose revoke was sent but not acknowledged may be either.
    func expectations() -> [String: (present: Set<String>, absent: Set<String>)] {
        let acked = acknowledgedOperations
        var result: [String: (present: Set<String>, absent: Set<String>)] = [:]
        for index in acked where !GrantStream.isRevoke(index) {
            let revoke = index + 3
            let permission = "p\(index)"
            var entry = result[user(index)] ?? ([], [])
            if !GrantStream.isRevoke(revoke) {
                entry.present.insert(permission)
            } else if acked.contains(revoke) {
                entry.absent.insert(permission)
            }
            result[user(index)] = entry
        }
        return result
    }
}

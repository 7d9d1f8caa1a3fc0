import WardenCore
import WardenStore

/// Background upkeep: forgetting tokens long expired, and probing storage after a
/// write failure so that `/healthz` recovers by itself when the fault clears.
extension WardenService {
    /// Tokens are kept this long past their expiry before they are forgotten.
    static let tokenRetention: Int64 = 3600

    func startMaintenance() {
        Task.detached { [weak self] in
            var tick = 0
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(5))
                guard let self else { return }
                tick += 1
                if self.store.writer.storageFailure != nil { await self.probeStorage() }
                if tick % 120 == 0 { await self.pruneTokens() }
            }
        }
    }

    /// A real write: it fails while the disk is full or the file read-only, and its
    /// success clears the writer's failure flag.
    func probeStorage() async {
        _ = try? await store.writer.submit(.keys(["health"])) { transaction in
            try transaction.connection.run("UPDATE health SET checked_ms = ? WHERE id = 1", .integer(transaction.now.milliseconds))
            return Committed(true)
        }
    }

    func pruneTokens() async {
        let cutoff = Timestamp.now().adding(seconds: -WardenService.tokenRetention)
        _ = try? await store.writer.submit(.exclusive) { [self] transaction in
            try transaction.pruneTokens(expiredBefore: cutoff)
            return Committed(true) { [self] in state.withLock { $0.forgetTokens(expiredBefore: cutoff) } }
        }
    }
}

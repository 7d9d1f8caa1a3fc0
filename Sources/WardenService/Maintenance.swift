import ServiceLifecycle
import WardenCore
import WardenStore

/// Background upkeep, one service of `warden serve`'s group: forgetting tokens long
/// expired, and probing storage after a write failure so that `/healthz` recovers by
/// itself when the fault clears. Graceful shutdown cancels its wait at once.
public struct Maintenance: Service {
    let service: WardenService

    public init(_ service: WardenService) { self.service = service }

    public func run() async {
        await cancelWhenGracefulShutdown { [service] in
            var tick = 0
            while true {
                // Cancelled (at graceful shutdown): the sleep ends early, and so does upkeep.
                guard (try? await Task.sleep(for: .seconds(5))) != nil else { return }
                tick += 1
                if service.store.writer.storageFailure != nil { await service.store.probeStorage() }
                await service.expireRequests()
                if tick % 120 == 0 { await service.pruneTokens() }
                if tick % 12 == 0 { service.forgetExpiredWebSessions() }
                await service.closeDueReviews()  // SPEC §9: reviews close by themselves at their due date
            }
        }
    }
}

extension WardenService {
    /// Tokens are kept this long past their expiry before they are forgotten.
    static let tokenRetention: Int64 = 3600

    func pruneTokens() async {
        let cutoff = Timestamp.now().adding(seconds: -WardenService.tokenRetention)
        _ = try? await store.writer.submit(.exclusive) { transaction in
            try transaction.write(.tokensPruned(expiredBefore: cutoff))
            return Committed(true)
        }
    }
}

import Foundation
import Logging

/// The process's limit on open files (`RLIMIT_NOFILE`). Every connection holds a file
/// descriptor: when the limit is below what `--max-connections` and
/// `--max-http-connections` allow, the server runs out of descriptors before its own
/// limits refuse anyone, and then neither port accepts a connection.
enum OpenFileLimit {
    /// Raises the soft limit to `needed` when the hard limit allows; otherwise says, in
    /// the log, how far the limits cannot be reached.
    static func ensure(_ needed: Int, logger: Logger) {
        var limit = rlimit()
        guard getrlimit(resourceNoFile, &limit) == 0 else { return }
        let wanted = rlim_t(needed)
        if limit.rlim_cur < wanted {
            var raised = limit
            raised.rlim_cur = min(wanted, limit.rlim_max)
            if setrlimit(resourceNoFile, &raised) == 0 { limit = raised }
        }
        if limit.rlim_cur < wanted {
            logger.warning("the open-file limit is below what the connection limits allow; past it new connections fail on both ports", metadata: [
                "limit": "\(limit.rlim_cur)", "needed": "\(needed)",
                "hint": "raise it (ulimit -n, LimitNOFILE=) or lower --max-connections / --max-http-connections",
            ])
        }
    }

    #if canImport(Glibc)
    private static let resourceNoFile = __rlimit_resource_t(UInt32(RLIMIT_NOFILE.rawValue))
    #else
    private static let resourceNoFile = RLIMIT_NOFILE
    #endif
}

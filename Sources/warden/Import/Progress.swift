import Foundation
import Synchronization

/// Progress of a long phase on standard error: on a terminal one line rewritten in
/// place (`importing: 4200/10000 rows, 3500 rows/s, ETA 2s`), otherwise a plain
/// line every few seconds, so that a log stays readable.
final class Progress: Sendable {
    private let label: String
    private let total: Int
    private let started = Date()
    private let done = Atomic<Int>(0)
    private let interactive = Console.errorIsTerminal
    private let ticker = Mutex<Task<Void, Never>?>(nil)

    init(_ label: String, total: Int) {
        self.label = label
        self.total = total
        let interval: Duration = interactive ? .milliseconds(250) : .seconds(5)
        ticker.withLock {
            $0 = Task { [weak self] in
                while !Task.isCancelled {
                    try? await Task.sleep(for: interval)
                    guard let self, !Task.isCancelled else { return }
                    self.show()
                }
            }
        }
    }

    func advance() {
        done.add(1, ordering: .relaxed)
    }

    /// Stops the ticker; on a terminal the line is completed.
    func finish() {
        ticker.withLock { $0?.cancel() }
        if interactive {
            show()
            Console.writeError("\n")
        }
    }

    private func show() {
        let count = done.load(ordering: .relaxed)
        let elapsed = max(Date().timeIntervalSince(started), 0.001)
        let rate = Double(count) / elapsed
        var text = "\(label): \(count)/\(total) rows, \(Int(rate)) rows/s"
        if rate > 0, count < total {
            text += ", ETA \(Int((Double(total - count) / rate).rounded(.up)))s"
        }
        if interactive {
            Console.writeError("\r\u{1B}[K" + text)
        } else {
            Console.writeError("warden: " + text + "\n")
        }
    }
}

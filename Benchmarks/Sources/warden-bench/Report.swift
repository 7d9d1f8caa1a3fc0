import Histogram

/// The output of a load run: one human-readable line and one `RESULT` line (for
/// scripts) per group and command.
enum Report {
    static func printResult(label: String, group: Int, spec: GroupSpec, command: Command, measured: Measured, seconds: Double) {
        let histogram = measured.histograms[command] ?? Measured.histogram()
        let count = measured.completions[command] ?? 0
        let rate = seconds > 0 ? Double(count) / seconds : 0
        let sampled = histogram.totalCount
        func micros(_ percentile: Double) -> String {
            sampled == 0 ? "0" : fixed(Double(histogram.valueAtPercentile(percentile)) / 1_000, 1)
        }
        let errors = measured.errors[command] ?? 0
        print("""
            \(label) [\(spec)] \(command.rawValue): \(count) replies in \(fixed(seconds, 2)) s = \(fixed(rate, 0))/s, \
            p50 \(micros(50)) µs, p99 \(micros(99)) µs, p99.9 \(micros(99.9)) µs, max \(sampled == 0 ? "0" : fixed(Double(histogram.max) / 1_000, 1)) µs, \
            errors \(errors)
            """)
        print("""
            RESULT label=\(label) group=\(group) cmd=\(command.rawValue) conns=\(spec.connections) depth=\(spec.depth) \
            ops=\(count) seconds=\(fixed(seconds, 3)) rate=\(fixed(rate, 1)) p50_us=\(micros(50)) p99_us=\(micros(99)) \
            p999_us=\(micros(99.9)) max_us=\(sampled == 0 ? "0" : fixed(Double(histogram.max) / 1_000, 1)) errors=\(errors)
            """)
    }

    /// `value` with `digits` decimals (no Foundation formatting needed).
    static func fixed(_ value: Double, _ digits: Int) -> String {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let rounded = (value * scale).rounded() / scale
        var text = String(rounded)
        if digits == 0, text.hasSuffix(".0") { text.removeLast(2) }
        if let dot = text.firstIndex(of: "."), digits > 0 {
            let decimals = text.distance(from: dot, to: text.endIndex) - 1
            if decimals < digits { text += String(repeating: "0", count: digits - decimals) }
        }
        return text
    }
}

import Testing
@testable import WardenService
import WardenProtocol

@Suite("Metrics exposition")
struct MetricsTests {
    @Test("a command is counted by its result and timed in its histogram")
    func commandCountedByResult() {
        let metrics = Metrics()
        metrics.recordCommand("CHECK", error: nil, seconds: 0.0002)
        metrics.recordCommand("CHECK", error: nil, seconds: 0.003)
        metrics.recordCommand("CHECK", error: .notFound, seconds: 0.0001)
        let text = metrics.render()
        #expect(text.contains("warden_commands_total{command=\"CHECK\",result=\"ok\"} 2\n"))
        #expect(text.contains("warden_commands_total{command=\"CHECK\",result=\"NOT-FOUND\"} 1\n"))
        #expect(text.contains("warden_command_duration_seconds_bucket{command=\"CHECK\",le=\"0.00025\"} 2\n"))
        #expect(text.contains("warden_command_duration_seconds_bucket{command=\"CHECK\",le=\"0.005\"} 3\n"))
        #expect(text.contains("warden_command_duration_seconds_count{command=\"CHECK\"} 3\n"))
    }

    @Test("made-up command names are counted as other, so a client cannot grow the label set")
    func unknownCommandsShareOneSeries() {
        let metrics = Metrics()
        for index in 0..<500 {
            metrics.recordCommand("BOGUS\(index)", error: .unknownCommand, seconds: 0.0001)
        }
        let text = metrics.render()
        #expect(!text.contains("BOGUS"))
        #expect(text.contains("warden_commands_total{command=\"other\",result=\"UNKNOWN-COMMAND\"} 500\n"))
    }

    @Test("a command with no traffic exports no series")
    func idleCommandsAreNotExported() {
        let text = Metrics().render()
        #expect(!text.contains("command=\""))
        #expect(text.contains("warden_connections 0\n"))
    }
}

import ArgumentParser
import Foundation
import Histogram

/// `warden-bench load`: a closed-loop load of one or more connection groups against
/// Warden's line protocol or Redis, with latency percentiles per command.
struct Load: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Drive Warden (or Redis) with N connections x pipeline depth D and report throughput and latency.",
        discussion: """
            Each --group is conns=N,depth=D,mix=CMD[:WEIGHT]/CMD[:WEIGHT]...[,caller=shared|own] with CMD one of \
            check, validate (each pre-issued token once), validate-cached (one token again and again), \
            grant (GRANT then REVOKE), login, sismember (Redis only). Groups run at the same time.
            Prints one RESULT line per group and command (latencies in microseconds).
            """)

    enum Target: String, ExpressibleByArgument { case warden, redis }

    @Option(help: "warden or redis.") var target: Target = .warden
    @Option(help: "Server host.") var host = "127.0.0.1"
    @Option(help: "Server port.") var port: Int
    @Option(name: .customLong("group"), help: "A group of connections (repeatable).") var groups: [String] = ["conns=1,depth=1,mix=check"]
    @Option(help: "Seconds measured.") var duration = 10.0
    @Option(help: "Seconds run before measuring.") var warmup = 1.0
    @Option(help: "A label copied into the RESULT lines.") var label = "load"
    @Option(help: "Warden setup: full (create the bench objects), admin (only AUTH admin: for generated data sets).")
    var setup: SetupMode = .full
    @Option(help: "Users that CHECK asks about (created by a full setup).") var checkUsers = 100
    @Option(help: "CHECK user name prefix (admin setup).") var checkPrefix = "bench-u"
    @Option(help: "CHECK system (admin setup).") var checkSystem = "bench"
    @Option(help: "CHECK permission (admin setup).") var checkPermission = "read"
    @Option(help: "Distinct tokens to issue for validate (0: as many as the run is likely to need).") var tokens = 0
    @Option(help: "Users to LOGIN as (their password is set with the server's scrypt cost).") var loginUsers = 4
    @Option(help: "Shell command run after setup, right before the load (e.g. 'callgrind_control -i on').") var onStart: String?
    @Option(help: "Shell command run right after the load.") var onEnd: String?

    enum SetupMode: String, ExpressibleByArgument { case full, admin }

    func run() throws {
        let specs = try groups.map(GroupSpec.init(parsing:))
        let commands = Set(specs.flatMap(\.commands))
        let password = ProcessInfo.processInfo.environment["WARDEN_ADMIN_PASSWORD"] ?? ""
        var fixture = Fixture()
        var keys: [String] = []
        let totalConnections = specs.reduce(0) { $0 + $1.connections }

        switch target {
        case .redis:
            guard commands == [.sismember] else { throw ValidationError("Redis takes only mix=sismember") }
            fixture.checkUserCount = checkUsers
            try prepareRedis(fixture)
        case .warden:
            guard !commands.contains(.sismember) else { throw ValidationError("sismember is for --target redis") }
            if setup == .full {
                var grantConnections: [Int] = []
                var offset = 0
                for spec in specs {
                    if spec.commands.contains(.grant) { grantConnections += Array(offset..<(offset + spec.connections)) }
                    offset += spec.connections
                }
                let needed = commands.contains(.validate) ? (tokens > 0 ? tokens : 60_000) : (commands.contains(.validateCached) ? 1 : 0)
                let setup = WardenSetup(
                    host: host, port: port, adminPassword: password,
                    operators: max(totalConnections, needed > 0 ? WardenSetup.issuers : 1),
                    checkUsers: checkUsers, grantConnections: grantConnections, grantUsersPerConnection: 4,
                    loginUsers: commands.contains(.login) ? loginUsers : 0, tokens: needed,
                    log: { Self.note($0) })
                (fixture, keys) = try setup.run()
            } else {
                fixture.checkUserPrefix = checkPrefix
                fixture.checkUserCount = checkUsers
                fixture.checkSystem = checkSystem
                fixture.checkPermission = checkPermission
            }
        }

        // Connect and authenticate every connection before the clock starts.
        let pool = TokenPool(fixture.tokens)
        var workers: [ConnectionWorker] = []
        var groupOf: [Int] = []
        for (groupIndex, spec) in specs.enumerated() {
            for _ in 0..<spec.connections {
                let index = workers.count
                let client = try LineClient(host: host, port: port)
                if target == .warden {
                    let login = setup == .admin
                        ? "AUTH admin \(password)"
                        : "AUTH bench-op-\(spec.callerPerConnection ? index : 0) \(keys[spec.callerPerConnection ? index : 0])"
                    try WardenSetup.expectOK(client.request(login), "AUTH")
                }
                workers.append(ConnectionWorker(
                    client: client, source: RequestSource(spec: spec, fixture: fixture, pool: pool, connection: index),
                    depth: spec.depth))
                groupOf.append(groupIndex)
            }
        }
        Self.note("running \(specs.map(\.description).joined(separator: " + ")) for \(duration) s after \(warmup) s warm-up")
        if let onStart { try Self.shell(onStart) }
        let result = LoadRunner.run(workers, warmup: warmup, duration: duration)
        if let onEnd { try Self.shell(onEnd) }

        for (groupIndex, spec) in specs.enumerated() {
            var measured = Measured()
            for (worker, owner) in zip(result.measured, groupOf) where owner == groupIndex { measured.merge(worker) }
            for command in spec.commands {
                Report.printResult(label: label, group: groupIndex, spec: spec, command: command, measured: measured, seconds: result.seconds)
            }
            if let error = measured.firstError { Self.note("group \(groupIndex): first unexpected reply: \(error.prefix(200))") }
            if measured.connectionFailures > 0 {
                Self.note("group \(groupIndex): \(measured.connectionFailures) connections failed")
                throw ExitCode(1)
            }
        }
    }

    /// A set of members for SISMEMBER to find.
    private func prepareRedis(_ fixture: Fixture) throws {
        let client = try LineClient(host: host, port: port)
        _ = try client.request("DEL \(fixture.redisSet)\r")
        var index = 0
        while index < fixture.checkUserCount {
            let members = (index..<min(index + 500, fixture.checkUserCount)).map { "m\($0)" }.joined(separator: " ")
            let reply = try client.request("SADD \(fixture.redisSet) \(members)\r")
            guard reply.hasPrefix(":") else { throw LineClient.Failure(description: "SADD -> \(reply)") }
            index += 500
        }
    }

    /// Runs a hook (profilers are switched on and off this way) and waits for it.
    static func shell(_ command: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw LineClient.Failure(description: "hook failed: \(command)") }
    }

    static func note(_ text: String) {
        FileHandle.standardError.write(Data(("warden-bench: " + text + "\n").utf8))
    }
}

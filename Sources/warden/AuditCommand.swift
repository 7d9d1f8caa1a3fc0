import ArgumentParser
import Logging
import WardenPostgres
import WardenProtocol
import WardenStore

/// `warden audit verify --data DIR` (SPEC §5): checks the audit chain of a stopped
/// server's data directory, offline; `warden audit verify --postgres URL
/// --master-key-file FILE` checks a cluster's chain in its PostgreSQL database
/// (read-only, so the nodes may keep running: it checks the entries committed when
/// it starts reading).
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Offline audit tools.", subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Verify the audit hash chain of a data directory, or of a cluster's PostgreSQL database.")

        @Option(help: "The data directory of a stopped server.")
        var data = "./warden-data"

        @Option(help: "The master key file the server runs with (default: DATA/master.key; required with --postgres).")
        var masterKeyFile: String?

        @Option(help: "Verify the chain of a cluster's database instead: postgres://USER@HOST:PORT/DB[?sslmode=…]. The password comes from $WARDEN_POSTGRES_PASSWORD.")
        var postgres: String?

        func validate() throws {
            guard let postgres else { return }
            do {
                _ = try PostgresURL(postgres)
            } catch {
                throw ValidationError("--postgres: \(error)")
            }
            guard masterKeyFile != nil else {
                throw ValidationError("--postgres needs --master-key-file: the chain is keyed with the cluster's master key")
            }
        }

        func run() async throws {
            do {
                let outcome: AuditVerifier.Outcome
                if let postgres, let masterKeyFile {
                    outcome = try await verifyCluster(url: try PostgresURL(postgres), masterKeyFile: masterKeyFile)
                } else {
                    outcome = try verifyDataDirectory()
                }
                switch outcome {
                case .intact(let entries, let head):
                    print("OK entries=\(entries) head=\(head)")
                case .tampered(let seq):
                    print(ReplyEncoder.encode(.error(.conflict, "tampered at seq=\(seq)")), terminator: "")
                    throw ExitCode(1)
                }
            } catch let error as ExitCode {
                throw error
            } catch {
                print(ReplyEncoder.encode(.error(.unavailable, PostgresStore.describe(error))), terminator: "")
                throw ExitCode(2)
            }
        }

        private func verifyDataDirectory() throws -> AuditVerifier.Outcome {
            // Taking the lock proves no server is writing meanwhile.
            let directory = try DataDirectory(path: data, createIfMissing: false)
            let connection = try DatabaseOpener.openReader(directory)
            // The chain is keyed: without the master key a rewrite would pass.
            let keyFile = masterKeyFile ?? directory.masterKeyPath
            let keying = try AuditKeying.read(from: connection, keyFile: keyFile)
            return try AuditVerifier.verify(connection, keying: keying)
        }

        /// Reads the chain from the cluster's database through a pool of one
        /// connection, running beside it and cancelled once done.
        private func verifyCluster(url: PostgresURL, masterKeyFile: String) async throws -> AuditVerifier.Outcome {
            let master = try MasterKeyFile.load(path: masterKeyFile, create: false).key
            // Only errors on standard error: standard output carries the one result line.
            let logger = {
                var logger = Logger(label: "warden.audit") { StreamLogHandler.standardError(label: $0) }
                logger.logLevel = .error
                return logger
            }()
            let password = EnvironmentSecret.take("WARDEN_POSTGRES_PASSWORD")
            // A refused password or an unreachable server, said at once and in its own words.
            try await PostgresStore.probe(url: url, password: password, logger: logger)
            let database = ClusterDatabase(url: url, password: password, maximumConnections: 1, logger: logger)
            let pool = Task { await database.run() }
            defer { pool.cancel() }
            // The pool keeps retrying a server that went away since: the first query gets a deadline.
            let keying = try await Self.within(seconds: 15) {
                try await PostgresStore.readKeying(database.client, master: master, keyFile: masterKeyFile, logger: logger)
            }
            return try await PostgresStore.verify(database.client, keying: keying, logger: logger)
        }

        /// `body`'s value, or `VerifyTimeout` once `seconds` have passed (the body is cancelled).
        private static func within<Value: Sendable>(
            seconds: Int, _ body: @escaping @Sendable () async throws -> Value
        ) async throws -> Value {
            try await withThrowingTaskGroup(of: Value.self) { group in
                group.addTask { try await body() }
                group.addTask {
                    try await Task.sleep(for: .seconds(seconds))
                    throw VerifyTimeout(seconds: seconds)
                }
                defer { group.cancelAll() }
                guard let first = try await group.next() else { throw VerifyTimeout(seconds: seconds) }
                return first
            }
        }
    }
}

/// The database did not answer in time.
struct VerifyTimeout: Error, CustomStringConvertible {
    var seconds: Int
    var description: String { "the database did not answer within \(seconds) s" }
}

import ArgumentParser
import Logging
import WardenProtocol
import WardenStore

/// `warden audit verify --data DIR` (SPEC §5): checks the audit chain of a stopped
/// server's data directory, offline.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Offline audit tools.", subcommands: [Verify.self])

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Verify the audit hash chain of a data directory.")

        @Option(help: "The data directory of a stopped server.")
        var data = "./warden-data"

        @Option(help: "The master key file the server runs with (default: DATA/master.key).")
        var masterKeyFile: String?

        func run() throws {
            do {
                // Taking the lock proves no server is writing meanwhile.
                let directory = try DataDirectory(path: data, createIfMissing: false)
                let connection = try DatabaseOpener.openReader(directory)
                // The chain is keyed: without the master key a rewrite would pass.
                let keyFile = masterKeyFile ?? directory.masterKeyPath
                let keying = try AuditKeying.read(from: connection, keyFile: keyFile)
                switch try AuditVerifier.verify(connection, keying: keying) {
                case .intact(let entries, let head):
                    print("OK entries=\(entries) head=\(head)")
                case .tampered(let seq):
                    print(ReplyEncoder.encode(.error(.conflict, "tampered at seq=\(seq)")), terminator: "")
                    throw ExitCode(1)
                }
            } catch let error as ExitCode {
                throw error
            } catch {
                print(ReplyEncoder.encode(.error(.unavailable, "\(error)")), terminator: "")
                throw ExitCode(2)
            }
        }
    }
}

import ArgumentParser
import CBenchSupport
import Foundation

/// `warden-bench`: Warden's load generator and the raw anchors it is measured against.
@main
struct WardenBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "warden-bench",
        abstract: "Load generator and raw anchors for Warden's benchmarks (see BENCHMARKS.md).",
        subcommands: [Load.self, FsyncRate.self, ScryptRate.self])
}

/// `warden-bench fsync --dir D`: how many write+fdatasync a second the disk under D takes.
struct FsyncRate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fsync", abstract: "Raw write+fdatasync rate of the disk under a directory (one thread).")

    @Option(help: "Directory on the disk to measure (a Warden data dir).") var dir: String
    @Option(help: "Bytes written before each fdatasync (one SQLite page plus a WAL frame header is ~4 KiB).") var block = 4096
    @Option(help: "Seconds to run.") var seconds = 5.0

    func run() throws {
        let rate = bench_fdatasync_rate(dir, block, seconds)
        guard rate > 0 else { throw ValidationError("cannot write in \(dir)") }
        print("fdatasync \(Report.fixed(rate, 0))/s (\(block)-byte appends, one thread)")
        print("RESULT label=fsync rate=\(Report.fixed(rate, 1))")
    }
}

/// `warden-bench scrypt --threads T --ln L`: raw OpenSSL scrypt derivations per second.
struct ScryptRate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scrypt", abstract: "Raw OpenSSL EVP_KDF scrypt rate (r=8, p=1, 32-byte output), T threads.")

    @Option(help: "Threads deriving at once.") var threads = 2
    @Option(help: "log2(N).") var ln = 17
    @Option(help: "Seconds to run.") var seconds = 10.0

    func run() throws {
        let rate = bench_scrypt_rate(Int32(threads), Int32(ln), seconds)
        print("scrypt ln=\(ln) r=8 p=1: \(Report.fixed(rate, 2))/s with \(threads) threads")
        print("RESULT label=scrypt threads=\(threads) ln=\(ln) rate=\(Report.fixed(rate, 3))")
    }
}

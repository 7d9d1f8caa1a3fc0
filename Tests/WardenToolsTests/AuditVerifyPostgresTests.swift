import Foundation
import Testing

/// The PostgreSQL server of `scripts/postgres-scratch`, reached with `psql` (this
/// target drives only binaries: the built `warden`, and PostgreSQL's client).
private enum ScratchPostgres {
    static let environment = ProcessInfo.processInfo.environment
    static let url = environment["WARDEN_TEST_POSTGRES_URL"]
    static let password = environment["WARDEN_TEST_POSTGRES_PASSWORD"] ?? ""
    static var available: Bool { url != nil }

    /// `psql`: the scratch server's own, else the one on PATH.
    static var psql: URL {
        if let bin = environment["WARDEN_TEST_POSTGRES_BIN"], FileManager.default.isExecutableFile(atPath: bin + "/psql") {
            return URL(fileURLWithPath: bin + "/psql")
        }
        return URL(fileURLWithPath: "/usr/bin/psql")
    }

    /// `url` with its database replaced by `database`.
    static func url(database: String) -> String {
        guard let url, var components = URLComponents(string: url) else { return "" }
        components.path = "/" + database
        return components.string ?? ""
    }

    /// Runs one SQL statement on `database` with psql; fails the test on an error.
    @discardableResult
    static func sql(_ statement: String, database: String) throws -> RunResult {
        guard let url, let components = URLComponents(string: url) else { throw ScratchPostgresError.noServer }
        let result = try run(psql, [
            "-h", components.host ?? "127.0.0.1", "-p", String(components.port ?? 5432), "-U", components.user ?? "warden",
            "-d", database, "-v", "ON_ERROR_STOP=1", "-X", "-q", "-c", statement,
        ], environment: ["PGPASSWORD": password])
        guard result.status == 0 else { throw ScratchPostgresError.psql(statement, result.stderr) }
        return result
    }

    /// A fresh database on the scratch server, dropped after `body`.
    static func withDatabase<T>(_ body: (String) throws -> T) throws -> T {
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try sql("CREATE DATABASE \(name)", database: "warden")
        defer { _ = try? sql("DROP DATABASE IF EXISTS \(name) WITH (FORCE)", database: "warden") }
        return try body(name)
    }
}

private enum ScratchPostgresError: Error {
    case noServer
    case psql(String, String)
}

/// A master key file: 32 random bytes, mode 0600.
private func writeMasterKey(in directory: URL, name: String) throws -> URL {
    let file = directory.appendingPathComponent(name)
    var bytes = [UInt8](repeating: 0, count: 32)
    for index in bytes.indices { bytes[index] = UInt8.random(in: 0...255) }
    try Data(bytes).write(to: file)
    try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
    return file
}

/// `warden audit verify --postgres URL --master-key-file FILE` (SPEC §5, §6): the
/// cluster's chain read from PostgreSQL, with the output of the SQLite verifier.
@Suite(.enabled(if: ScratchPostgres.available, "needs $WARDEN_TEST_POSTGRES_URL (scripts/postgres-scratch)"))
struct AuditVerifyPostgresTests {
    @Test func verifiesTheClusterChainFindsATamperedRowAndRefusesAnotherKey() throws {
        try withTemporaryDirectory { directory in
            try ScratchPostgres.withDatabase { database in
                let url = ScratchPostgres.url(database: database)
                let key = try writeMasterKey(in: directory, name: "master.key")
                let environment = ["WARDEN_POSTGRES_PASSWORD": ScratchPostgres.password]
                let node = try WardenProcess(
                    dataDirectory: directory.appendingPathComponent("node"),
                    arguments: ["--postgres", url, "--master-key-file", key.path], environment: environment)
                try node.setUp([
                    "SYSTEM ADD crm permissions=read,write", "USER ADD alice", "USER ADD bob",
                    "GRANT alice crm read", "GRANT bob crm write", "REVOKE bob crm write",
                ])
                // What the running node says of its chain, to compare with the offline verifier.
                let online = try node.admin().send("AUDIT VERIFY").final
                #expect(node.terminate() == 0)

                let verify = ["audit", "verify", "--postgres", url, "--master-key-file", key.path]
                let intact = try warden(verify, server: nil, environment: environment)
                #expect(intact.status == 0, "\(intact)")
                #expect(intact.stdout == online + "\n", "\(intact)")
                let entries = intact.stdout.split(separator: " ").first { $0.hasPrefix("entries=") }
                #expect((entries.flatMap { Int($0.dropFirst("entries=".count)) } ?? 0) >= 6, "\(intact)")

                let otherKey = try writeMasterKey(in: directory, name: "other.key")
                let wrongKey = try warden(["audit", "verify", "--postgres", url, "--master-key-file", otherKey.path],
                                          server: nil, environment: environment)
                #expect(wrongKey.status != 0, "\(wrongKey)")
                #expect(wrongKey.stdout.contains(otherKey.path), "\(wrongKey)")

                try ScratchPostgres.sql("UPDATE audit SET detail = 'x' WHERE seq = 3", database: database)
                let tampered = try warden(verify, server: nil, environment: environment)
                #expect(tampered.status == 1, "\(tampered)")
                #expect(tampered.stdout == "ERR CONFLICT tampered at seq=3\n", "\(tampered)")
            }
        }
    }

    @Test func anUnreachableDatabaseIsUnavailable() throws {
        try withTemporaryDirectory { directory in
            let key = try writeMasterKey(in: directory, name: "master.key")
            // A port nothing listens on: the verifier answers UNAVAILABLE (exit 2), not a hang.
            let result = try warden(["audit", "verify", "--postgres", "postgres://warden@127.0.0.1:1/none?sslmode=disable",
                                     "--master-key-file", key.path], server: nil)
            #expect(result.status == 2, "\(result)")
            #expect(result.stdout.hasPrefix("ERR UNAVAILABLE "), "\(result)")
        }
    }
}

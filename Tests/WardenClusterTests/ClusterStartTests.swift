import Foundation
import Testing
import WardenTestSupport

/// SPEC §6 "start" and the bad inputs: a node that cannot use its database
/// says why and exits non-zero, and leaves nothing half initialised.
@Suite(.enabled(if: clusterAvailable), .serialized) struct ClusterStartTests {
    /// Runs `warden serve` to its exit (a failed start ends by itself).
    func serve(_ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, log: String) {
        let data = WardenProcess.temporaryDirectory("refused")
        defer { try? FileManager.default.removeItem(at: data) }
        let run = try runWarden(["serve", "--data", data.path, "--listen", "127.0.0.1:0", "--http", "127.0.0.1:0", "--scrypt-ln", "4"]
                                + arguments, environment: environment)
        return (run.status, run.stderr)
    }

    @Test func aMalformedURLOrAMissingMasterKeyIsRefusedBeforeAnythingStarts() throws {
        let key = try TestPostgres.makeMasterKeyFile()
        defer { try? FileManager.default.removeItem(at: key) }
        let malformed = try serve(["--postgres", "mysql://warden@127.0.0.1/warden", "--master-key-file", key.path])
        #expect(malformed.status != 0)
        #expect(malformed.log.contains("--postgres"), "\(malformed.log)")
        let withPassword = try serve(["--postgres", "postgres://warden:secret@127.0.0.1/warden", "--master-key-file", key.path])
        #expect(withPassword.status != 0)
        #expect(!withPassword.log.contains("secret"), "the password must not be echoed: \(withPassword.log)")
        let server = try #require(TestPostgres.server)
        let noKey = try serve(["--postgres", server.url], environment: server.nodeEnvironment)
        #expect(noKey.status != 0)
        #expect(noKey.log.contains("--master-key-file"), "\(noKey.log)")
    }

    @Test func anUnreachableDatabaseOrAWrongPasswordIsSaidClearly() throws {
        let server = try #require(TestPostgres.server)
        let key = try TestPostgres.makeMasterKeyFile()
        defer { try? FileManager.default.removeItem(at: key) }
        // A loopback port nobody listens on.
        let unreachable = try serve(["--postgres", "postgres://warden@127.0.0.1:1/warden?sslmode=disable", "--master-key-file", key.path],
                                    environment: server.nodeEnvironment)
        #expect(unreachable.status != 0)
        #expect(unreachable.log.contains("cannot reach the database"), "\(unreachable.log)")
        let wrongPassword = try serve(["--postgres", server.url, "--master-key-file", key.path],
                                      environment: ["WARDEN_POSTGRES_PASSWORD": "not-the-password"])
        #expect(wrongPassword.status != 0)
        #expect(wrongPassword.log.contains("password authentication failed"), "\(wrongPassword.log)")
        #expect(!wrongPassword.log.contains("not-the-password"))
    }

    @Test func aNodeWithAnotherMasterKeyRefusesToStartNamingTheFile() throws {
        let cluster = try Cluster(nodes: 1)
        defer { cluster.stop() }
        let usersBefore = try cluster.database.psql("SELECT count(*) FROM users")
        let other = try TestPostgres.makeMasterKeyFile()
        defer { try? FileManager.default.removeItem(at: other) }
        let refused = try serve(["--postgres", cluster.database.url, "--master-key-file", other.path],
                                environment: cluster.database.nodeEnvironment)
        #expect(refused.status != 0)
        #expect(refused.log.contains(other.path), "\(refused.log)")
        #expect(try cluster.database.psql("SELECT count(*) FROM users") == usersBefore)
        #expect(try cluster[0].admin().send("AUDIT VERIFY").isOK)
    }

    @Test func aDatabaseOfALaterSchemaIsRefused() throws {
        let cluster = try Cluster(nodes: 1)
        defer { cluster.stop() }
        try cluster.database.psql("INSERT INTO schema_migrations (version, name, applied_ms) VALUES (999, 'from the future', 0)")
        let refused = try serve(cluster.nodeArguments, environment: cluster.database.nodeEnvironment)
        #expect(refused.status != 0)
        #expect(refused.log.contains("newer than this binary supports"), "\(refused.log)")
    }

    @Test func sslModesEncryptAndOnlyVerifyFullChecksTheCertificate() throws {
        let (server, folder) = try TestPostgres.startScratchServer()
        defer { TestPostgres.stopServer(folder) }
        try TestPostgres.enableTLS(folder)
        let database = try server.createDatabase()
        let key = try TestPostgres.makeMasterKeyFile()
        defer { try? FileManager.default.removeItem(at: key) }
        // `require` (and the loopback default, `prefer`): encrypted, certificate not checked.
        for url in [database.url(sslMode: "require"), "postgres://\(database.user)@\(database.host):\(database.port)/\(database.database)"] {
            let node = try WardenProcess(arguments: ["--postgres", url, "--master-key-file", key.path], environment: database.nodeEnvironment)
            defer { node.stop() }
            #expect(try node.admin().send("USER ADD over-tls").errorCode != "UNAVAILABLE")
            let encrypted = try database.psql("""
                SELECT bool_and(s.ssl) FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid)
                WHERE a.datname = current_database() AND a.pid <> pg_backend_pid() AND a.application_name = ''
                """)
            #expect(encrypted == "t", "\(url): the node's connections are not encrypted")
        }
        // `verify-full`: a self-signed certificate is refused, and said so.
        let refused = try serve(["--postgres", database.url(sslMode: "verify-full"), "--master-key-file", key.path],
                                environment: database.nodeEnvironment)
        #expect(refused.status != 0)
        #expect(refused.log.contains("TLS certificate is not trusted"), "\(refused.log)")
    }

    @Test func metricsShowTheRevisionAndTheLag() throws {
        let cluster = try Cluster(nodes: 2)
        defer { cluster.stop() }
        #expect(try cluster[0].admin().send("USER ADD counted").isOK)
        let reader = try cluster[1].admin()
        let revision = try #require(try reader.send("SYNC").value("rev"))
        let metrics = try httpRequest(port: cluster[1].httpPort, method: "GET", path: "/metrics").body
        let line = metrics.split(separator: "\n").first { $0.hasPrefix("warden_revision ") }
        #expect(Int(line?.split(separator: " ").last ?? "") ?? 0 >= Int(revision) ?? .max, "\(String(describing: line)) vs rev=\(revision)")
        #expect(metrics.contains("\nwarden_lag_entries 0\n"), "a node that has just synced lags by nothing")
    }
}

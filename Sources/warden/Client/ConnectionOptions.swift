import ArgumentParser
import Foundation
import WardenClient
import WardenProtocol

/// Where the server is and who we are, shared by `warden cli` and `warden import`
/// (SPEC §5). Flags win over `WARDEN_*` variables; credentials never come from the
/// command line, where other users of the machine could read them.
struct ConnectionOptions: ParsableArguments {
    @Option(help: "Server host (default: $WARDEN_HOST, else 127.0.0.1).")
    var host: String?

    @Option(help: "Line-protocol port (default: $WARDEN_PORT, else 7400).")
    var port: Int?

    @Flag(help: "Use TLS (also $WARDEN_TLS=1, or implied by --ca / $WARDEN_CA).")
    var tls = false

    @Option(name: .customLong("ca"), help: ArgumentHelp("PEM file of the CA to trust for TLS instead of the system's (also $WARDEN_CA).", valueName: "file"))
    var caFile: String?

    @Option(help: ArgumentHelp("File whose first line is the password or API key of $WARDEN_USER (instead of $WARDEN_PASSWORD).", valueName: "file"))
    var passwordFile: String?

    /// Exit status when the server cannot be reached or refuses the credentials.
    static let connectionFailure: Int32 = 2

    /// Connects and, when `WARDEN_USER` is set, authenticates; on failure prints why
    /// on standard error and exits with status 2.
    func open(environment: [String: String] = ProcessInfo.processInfo.environment) async throws -> WardenConnection {
        let host = self.host ?? environment["WARDEN_HOST"].flatMap { $0.isEmpty ? nil : $0 } ?? "127.0.0.1"
        var port = self.port ?? 7400
        if self.port == nil, let text = environment["WARDEN_PORT"], !text.isEmpty {
            guard let value = Int(text) else { throw Fail.connection("WARDEN_PORT must be a port number, not \(text)") }
            port = value
        }
        guard (1...65_535).contains(port) else { throw Fail.connection("the port must be from 1 to 65535") }
        let caFile = self.caFile ?? environment["WARDEN_CA"].flatMap { $0.isEmpty ? nil : $0 }
        let useTLS = tls || caFile != nil || ["1", "true", "yes"].contains(environment["WARDEN_TLS"]?.lowercased() ?? "")
        let credentials = try self.credentials(environment)

        let connection: WardenConnection
        do {
            let tls = useTLS ? try ClientTLS(caFile: caFile) : nil
            connection = try await WardenConnection.connect(host: host, port: port, tls: tls)
        } catch {
            throw Fail.connection("cannot connect to \(host):\(port): \(ClientError.describe(error))")
        }
        guard let (user, secret) = credentials else { return connection }
        let reply: ClientReply
        do {
            // WARDEN_OTP: a TOTP or recovery code for a user whose MFA is on (SPEC §7);
            // nothing is asked interactively.
            var words = [user, secret]
            if let otp = environment["WARDEN_OTP"], !otp.isEmpty { words.append("otp=" + otp) }
            reply = try await connection.send("AUTH " + RequestEncoder.line(words))
        } catch {
            await connection.close()
            throw Fail.connection("cannot talk to \(host):\(port)\(useTLS ? " over TLS" : ""): \(ClientError.describe(error))")
        }
        guard reply.isOK else {
            await connection.close()
            // The reply never holds the secret (SPEC §2), so it is safe to show.
            let hint = reply.errorCode == "MFA-REQUIRED" ? " (set WARDEN_OTP to the current code or a recovery code)" : ""
            throw Fail.connection("authentication as \(user) failed: \(reply.final)\(hint)")
        }
        if reply.final.hasSuffix(" mfa=enrol-required") {
            Console.warn("\(user) must turn on MFA before anything else: MFA ENROLL, then MFA CONFIRM code")
        }
        return connection
    }

    /// `WARDEN_USER` with its password or API key, or `nil` to stay unauthenticated.
    private func credentials(_ environment: [String: String]) throws -> (String, String)? {
        let user = environment["WARDEN_USER"].flatMap { $0.isEmpty ? nil : $0 }
        let passwordFile = self.passwordFile ?? environment["WARDEN_PASSWORD_FILE"].flatMap { $0.isEmpty ? nil : $0 }
        var secret = environment["WARDEN_PASSWORD"].flatMap { $0.isEmpty ? nil : $0 }
        if let passwordFile {
            secret = try ConnectionOptions.readSecret(passwordFile)
        }
        switch (user, secret) {
        case (nil, nil): return nil
        case (nil, .some): throw Fail.connection("a password is given but WARDEN_USER is not set")
        case (.some(let user), nil): throw Fail.connection("WARDEN_USER is \(user) but neither WARDEN_PASSWORD nor --password-file gives a password")
        case (.some(let user), .some(let secret)): return (user, secret)
        }
    }

    /// The first line of a file; warns when others may read it.
    static func readSecret(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Fail.connection("cannot read the password file \(path)")
        }
        if let attributes = try? FileManager.default.attributesOfItem(atPath: path),
           let mode = attributes[.posixPermissions] as? Int, mode & 0o077 != 0 {
            Console.warn("the password file \(path) is readable by others (mode \(String(mode, radix: 8))); chmod 600 it")
        }
        let text = String(decoding: data, as: UTF8.self)
        let line = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        let secret = line.hasSuffix("\r") ? String(line.dropLast()) : line
        guard !secret.isEmpty else { throw Fail.connection("the password file \(path) is empty") }
        return secret
    }
}

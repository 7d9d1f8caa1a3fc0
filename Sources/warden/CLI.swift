import ArgumentParser
import WardenClient
import WardenProtocol

/// `warden cli` (SPEC §5): one command from the arguments, a batch from standard
/// input, or an interactive prompt. Exit status 0 when every reply was `OK`, 1 when
/// any was `ERR`, 2 when the server could not be reached or refused the credentials.
struct CLI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cli",
        abstract: "Talk to a Warden server.",
        discussion: """
            Credentials come from WARDEN_USER with WARDEN_PASSWORD (a password or an API key) \
            or --password-file, never from the command line; without WARDEN_USER the connection \
            stays unauthenticated (HELLO, ACTIVATE, ...). For a user whose MFA is on, WARDEN_OTP \
            gives the current TOTP code (or a recovery code); nothing is asked interactively.

            With WORDS: they are joined into one request (re-quoted where needed, so \
            `USER ADD bob 'name=Bob Smith'` works) and its reply is printed (an ERR reply is also \
            reported on standard error, as line 1). Without words and \
            with standard input not a terminal: one request a line, pipelined, replies in order \
            (blank lines and lines starting with # are skipped); the line numbers of ERR replies \
            go to standard error. On a terminal: a prompt.

            Exit status: 0 every reply OK, 1 some reply ERR, 2 could not connect or authenticate \
            (or the connection was lost).
            """)

    @OptionGroup var connection: ConnectionOptions

    @Flag(help: "One JSON object a reply: {\"ok\":true,\"fields\":{..},\"words\":[..],\"data\":[{..}]} or {\"ok\":false,\"code\":..,\"message\":..}.")
    var json = false

    @Argument(parsing: .remaining, help: "A request, for example: USER SHOW alice.")
    var words: [String] = []

    func run() async throws {
        let format: ReplyFormat = json ? .json : .text
        try await Fail.reporting {
            let session = CLISession(connection: try await connection.open(), format: format)
            if !words.isEmpty { return await session.oneShot(RequestEncoder.line(words)) }
            if Console.inputIsTerminal { return await session.interactive() }
            return await session.batch()
        }
    }
}

import ArgumentParser
import Foundation
import WardenClient

/// `warden import FILE.csv` (SPEC §5): provisions the users of a CSV file. Every row
/// is checked before anything changes; a row that is already in place changes
/// nothing, so the same file may be imported again.
struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import users from CSV: create missing ones, update names and emails, add grants.",
        discussion: """
            The file has a header row naming the columns username,name,email,roles (in any order), \
            optionally entitlements and until. roles and entitlements are lists separated by ';' \
            (entitlements as system:permission); until (RFC 3339) limits the row's grants. Fields \
            are RFC 4180 CSV: quote a field that holds commas, quotes (doubled) or line breaks.

            Every row is checked first (names, columns, duplicate usernames, that every role, system \
            and permission exists); if any is bad, each bad line is listed on standard error and \
            nothing changes (exit 1). Then missing users are created, names and emails that differ \
            are updated (an empty cell leaves the value alone), and missing grants are added. \
            Nothing is removed. Progress and a summary go to standard error. The file may be at most \
            64 MiB, a record at most 64 KiB: past either, the line is named and nothing changes.

            Exit status: 0 all rows in place, 1 bad rows or failed changes, 2 could not connect or \
            authenticate.
            """)

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The CSV file.")
    var file: String

    @Flag(help: "Print the requests that would change something (to standard output), change nothing.")
    var dryRun = false

    @Option(help: "Invite every new user (USER INVITE) and append username,code,expires to this file (mode 0600).")
    var invites: String?

    @Option(help: "Connections used at once (more spread the work over more of the server's event loops).")
    var connections = 1

    func validate() throws {
        guard (1...32).contains(connections) else { throw ValidationError("--connections must be from 1 to 32") }
    }

    func run() async throws {
        try await Fail.reporting {
            try await ImportJob(file: file, dryRun: dryRun, invitesPath: invites, connectionCount: connections, options: connection).run()
        }
    }
}

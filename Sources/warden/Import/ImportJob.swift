import Foundation
import WardenClient
import WardenCore
import WardenImport

/// One run of `warden import`: read and check the file, compare with the server,
/// then change what differs.
struct ImportJob {
    var file: String
    var dryRun: Bool
    var invitesPath: String?
    var connectionCount: Int
    var options: ConnectionOptions

    func run() async throws -> Int32 {
        let started = Date()
        let (rows, localProblems) = try readRows(try readFile())

        let first = try await options.open()
        let catalog = try await ImportJob.connectionLost("while reading roles and systems; nothing was changed") {
            try await ServerCatalog.load(first)
        }
        var problems = localProblems
        for row in rows {
            problems += catalog.problems(of: row).map { CSVReader.Problem(line: row.line, reason: $0) }
        }
        guard problems.isEmpty else {
            for problem in problems.sorted(by: { $0.line < $1.line }) {
                Console.error("\(file):\(problem.line): \(problem.reason)")
            }
            let lines = Set(problems.map(\.line)).count
            Console.error("\(lines) bad row(s); nothing was changed")
            await first.close()
            return 1
        }

        var connections = [first]
        while connections.count < min(connectionCount, max(1, rows.count)) {
            connections.append(try await options.open())
        }
        let invite = invitesPath != nil

        let plans = try await ImportJob.connectionLost("while reading users; nothing was changed") {
            try await ImportJob.plans(rows, catalog: catalog, invite: invite, over: connections)
        }

        defer { ImportJob.noteInvisibleRoles(plans, catalog) }
        var summary = Summary(rows: rows.count)
        summary.unchanged = plans.count { $0.kind == .unchanged }
        let changing = plans.filter { $0.kind != .unchanged }
        if dryRun {
            for plan in changing { Console.write(ImportJob.describe(plan)) }
            Console.error("dry run of \(file): \(rows.count) rows: would create \(changing.count { $0.kind == .create }), "
                          + "update \(changing.count { $0.kind == .update }); \(summary.unchanged) unchanged; nothing was changed")
            return 0
        }

        // Opened before the first change, so that a bad path changes nothing.
        let inviteFile = try invitesPath.map { try InviteFile(path: $0) }
        let results = try await ImportJob.connectionLost("during the import; some rows may be done, run the same file again") {
            let applying = Progress("importing", total: changing.count)
            let results = try await Pipeline.runInWaves(changing.map(\.commands), over: connections, progress: applying)
            applying.finish()
            return results
        }
        for (plan, replies) in zip(changing, results) {
            let failures = zip(plan.commands, replies).filter { !$0.1.isOK }
            guard failures.isEmpty else {
                summary.failed += 1
                for (command, reply) in failures {
                    Console.error("\(file):\(plan.row.line): \(command): \(reply.final)")
                }
                continue
            }
            switch plan.kind {
            case .create:
                summary.created += 1
                if let inviteFile, let invite = replies.last, let code = invite.fields["code"], let expires = invite.fields["expires"] {
                    try inviteFile.append(username: plan.row.username, code: code, expires: expires)
                }
            case .update: summary.updated += 1
            case .unchanged: break
            }
        }
        for connection in connections { await connection.close() }
        let seconds = Date().timeIntervalSince(started)
        Console.error("import of \(file): \(rows.count) rows: \(summary.created) created, \(summary.updated) updated, "
                      + "\(summary.unchanged) unchanged, \(summary.failed) failed (\(String(format: "%.1f", seconds)) s)")
        return summary.failed == 0 ? 0 : 1
    }

    /// Compares the rows with the server. `USER LIST` names the users that exist
    /// (when the server has fewer than its limit): the other rows are creations and
    /// are not read. The rest are read in two waves, `USER SHOW` for every one, then
    /// `ACCESS` for the users found, so a new user costs one read at most.
    static func plans(_ rows: [ImportRow], catalog: ServerCatalog, invite: Bool, over connections: [WardenConnection]) async throws -> [RowPlan] {
        let existing = try await ServerCatalog.existingUsers(connections[0])
        let candidates = rows.indices.filter { existing?.contains(rows[$0].username) ?? true }
        let reading = Progress("checking", total: candidates.count)
        defer { reading.finish() }
        let shows = try await Pipeline.run(candidates.map { [RowPlan.showCommand(for: rows[$0])] }, over: connections, progress: reading)
        let found = zip(candidates, shows).filter { $0.1[0].isOK }.map(\.0)
        let accesses = try await Pipeline.run(found.map { [RowPlan.accessCommand(for: rows[$0])] }, over: connections, progress: nil)
        let accessOf = Dictionary(uniqueKeysWithValues: zip(found, accesses.map { $0[0] }))
        var plans = rows.map { RowPlan.create($0, catalog: catalog, invite: invite) }
        for (index, show) in zip(candidates, shows) {
            plans[index] = try RowPlan.make(rows[index], show: show[0], access: accessOf[index], catalog: catalog, invite: invite)
        }
        return plans
    }

    /// Runs `body`; a failure other than `Fail` can only be the connection's.
    static func connectionLost<T>(_ context: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let failure as Fail {
            throw failure
        } catch {
            throw Fail.connection("the connection was lost \(context): \(ClientError.describe(error))")
        }
    }

    /// Roles that give no entitlement do not show in `ACCESS`, so their grants to
    /// existing users are sent again each run; say so, since they count as updates.
    static func noteInvisibleRoles(_ plans: [RowPlan], _ catalog: ServerCatalog) {
        let empty = Set(plans.filter { $0.kind == .update }.flatMap(\.row.roles).filter { catalog.roleEntitlements[$0]?.isEmpty == true })
        guard !empty.isEmpty else { return }
        Console.error("note: role(s) \(empty.sorted().joined(separator: ",")) give no entitlement, so ACCESS cannot show who holds them; "
                      + "their grants are sent again on every run (harmless) and such rows count as updated")
    }

    struct Summary {
        var rows: Int
        var created = 0
        var updated = 0
        var unchanged = 0
        var failed = 0
    }

    /// The file's bytes, at most `ImportFile.maximumFileBytes` of them: a larger file
    /// (or an endless one such as a device) is refused before the server is asked
    /// anything, naming the line where the bound is passed.
    private func readFile() throws -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: file) else { throw Fail.usage("cannot read \(file)") }
        defer { try? handle.close() }
        let limit = ImportFile.maximumFileBytes
        let data: Data
        do {
            data = try handle.read(upToCount: limit + 1) ?? Data()
        } catch {
            throw Fail.usage("cannot read \(file): \(error.localizedDescription)")
        }
        guard data.count <= limit else {
            let line = data.prefix(limit).count { $0 == UInt8(ascii: "\n") } + 1
            throw Fail.usage("\(file):\(line): the file is larger than \(limit >> 20) MiB, the most warden import reads; "
                             + "split it (the same header on each part); nothing was changed")
        }
        return [UInt8](data)
    }

    /// The rows of the file, and the reasons of every bad one (header problems end the run).
    private func readRows(_ bytes: [UInt8]) throws -> ([ImportRow], [CSVReader.Problem]) {
        do {
            return try ImportFile.read(bytes, now: Timestamp.now())
        } catch {
            switch error {
            case .header(let problem):
                throw Fail.usage("\(file):\(problem.line): \(problem.reason)")
            case .noHeader:
                throw Fail.usage("\(file): no header row; the first line must name the columns \(ImportColumns.usage)")
            }
        }
    }

    /// A dry run's account of one row: a comment, then the requests (which
    /// `warden cli` would accept as a batch).
    static func describe(_ plan: RowPlan) -> String {
        let what = plan.kind == .create ? "create \(plan.row.username)" : "update \(plan.row.username) (\(plan.changes.joined(separator: ", ")))"
        return "# line \(plan.row.line): \(what)\n" + plan.commands.map { $0 + "\n" }.joined()
    }
}

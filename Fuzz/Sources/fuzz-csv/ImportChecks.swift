import FuzzSupport
import WardenCore
import WardenImport
import WardenProtocol

/// Invariant 4: the header is refused on line 1, or every later record is accounted for.
func checkImport(_ bytes: [UInt8], _ records: [CSVReader.Record], _ csvProblems: [CSVReader.Problem]) {
    let rows: [ImportRow]
    let problems: [CSVReader.Problem]
    do {
        (rows, problems) = try ImportFile.read(bytes, now: now)
    } catch {
        switch error {
        case .header(let problem):
            guard problem.line == 1 else { FuzzDriver.violated("header problem on line \(problem.line): \(problem.reason)") }
        case .noHeader:
            guard records.first?.line != 1, csvProblems.first?.line != 1 else { FuzzDriver.violated("line 1 holds a record, yet no header") }
        }
        return
    }
    guard let header = records.first, header.line == 1, let columns = try? ImportColumns(header: header) else {
        FuzzDriver.violated("rows read without a good header on line 1: \(records.first.map(\.fields) ?? [])")
    }
    guard problems.starts(with: csvProblems) else { FuzzDriver.violated("the reader's problems were dropped or changed") }
    let rowLines = rows.map(\.line)
    for (earlier, later) in zip(rowLines, rowLines.dropFirst()) where earlier >= later {
        FuzzDriver.violated("rows out of order: line \(earlier) then \(later)")
    }
    let problemLines = Set(problems.map(\.line))
    let fileLines = Set(records.dropFirst().map(\.line)).union(csvProblems.map(\.line))
    if let stray = problemLines.first(where: { !fileLines.contains($0) }) {
        FuzzDriver.violated("problem on line \(stray), which holds no row")
    }
    var usernames: Set<String> = []
    var rowIndex = 0
    for record in records.dropFirst() {
        let row = rowIndex < rows.count && rows[rowIndex].line == record.line ? rows[rowIndex] : nil
        guard (row != nil) != problemLines.contains(record.line) else {
            FuzzDriver.violated("line \(record.line) is \(row == nil ? "neither a row nor a problem" : "both a row and a problem"): \(record.fields)")
        }
        guard let row else { continue }
        rowIndex += 1
        guard usernames.insert(row.username).inserted else { FuzzDriver.violated("username \(row.username) imported twice") }
        checkRow(row, record, columns)
    }
    guard rowIndex == rows.count else { FuzzDriver.violated("\(rows.count - rowIndex) row(s) from no record") }
}

/// Invariant 5: an accepted row holds only what the server accepts, as the file gave it.
func checkRow(_ row: ImportRow, _ record: CSVReader.Record, _ columns: ImportColumns) {
    let cell = { (column: String) in columns.value(column, in: record) }
    guard Identifier.isValid(row.username), !BuiltIn.reservedUsernames.contains(row.username),
          (try? Identifier.parse(row.username)) == row.username, row.username == cell("username").lowercased()
    else { FuzzDriver.violated("line \(record.line): username \(row.username.debugDescription) from \(cell("username").debugDescription)") }
    guard row.name == cell("name"), row.name.utf8.count <= 1024, !row.name.unicodeScalars.contains(where: isControl) else {
        FuzzDriver.violated("line \(record.line): name \(row.name.debugDescription)")
    }
    guard row.email == cell("email"), row.email.utf8.count <= 320, !row.email.unicodeScalars.contains(where: isControl),
          row.email.isEmpty || row.email.unicodeScalars.count(where: { $0 == "@" }) == 1
    else { FuzzDriver.violated("line \(record.line): email \(row.email.debugDescription)") }
    guard row.roles.allSatisfy(Identifier.isValid), Set(row.roles).count == row.roles.count else {
        FuzzDriver.violated("line \(record.line): roles \(row.roles)")
    }
    for entitlement in row.entitlements {
        let parts = entitlement.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, parts.allSatisfy(Identifier.isValid) else { FuzzDriver.violated("line \(record.line): entitlement \(entitlement.debugDescription)") }
    }
    guard Set(row.entitlements).count == row.entitlements.count else { FuzzDriver.violated("line \(record.line): entitlements \(row.entitlements)") }
    if let until = row.until {
        guard until > now, Timestamp(rfc3339: until.rfc3339) == Timestamp(seconds: until.seconds) else {
            FuzzDriver.violated("line \(record.line): until \(cell("until").debugDescription) read as \(until.milliseconds) ms, sent as \(until.rfc3339)")
        }
    } else if !cell("until").isEmpty {
        FuzzDriver.violated("line \(record.line): until \(cell("until").debugDescription) dropped")
    }
    checkRequests(row)
}

/// The requests `warden import` sends for a row (ImportPlan.swift) parse back, on the
/// server, to the row's own values: a value the encoder mangles would make the import
/// fail half way, or change something on every run.
func checkRequests(_ row: ImportRow) {
    func expect(_ words: [String], _ command: String, _ arguments: [(key: String?, value: String)]) {
        let line = words.map(RequestEncoder.word).joined(separator: " ")
        guard line.utf8.count <= LineParser.maximumLineBytes else { FuzzDriver.violated("request of \(line.utf8.count) bytes: \(line.debugDescription)") }
        let request: Request?
        do {
            request = try Request.parse(line: Array(line.utf8))
        } catch {
            FuzzDriver.violated("request \(line.debugDescription) does not parse: \(error)")
        }
        guard let request, request.command == command, request.arguments.count == arguments.count,
              zip(request.arguments, arguments).allSatisfy({ $0.key == $1.key && $0.value == $1.value })
        else { FuzzDriver.violated("request \(line.debugDescription) read as \(String(describing: request)), not \(command) \(arguments)") }
    }
    var add: [(key: String?, value: String)] = [(nil, row.username)]
    var words = ["USER", "ADD", row.username]
    if !row.name.isEmpty { words.append("name=" + row.name); add.append(("name", row.name)) }
    if !row.email.isEmpty { words.append("email=" + row.email); add.append(("email", row.email)) }
    expect(words, "USER ADD", add)
    let until = row.until.map { [(key: String?.some("until"), value: $0.rfc3339)] } ?? []
    for role in row.roles {
        expect(["GRANT", row.username, role] + until.map { "until=" + $0.value }, "GRANT", [(nil, row.username), (nil, role)] + until)
    }
    for entitlement in row.entitlements {
        let parts = entitlement.split(separator: ":").map(String.init)
        expect(["GRANT", row.username, parts[0], parts[1]] + until.map { "until=" + $0.value }, "GRANT",
               [(nil, row.username), (nil, parts[0]), (nil, parts[1])] + until)
    }
}

/// C0 and C1 controls and DEL, which the importer refuses in a name or email.
func isControl(_ scalar: Unicode.Scalar) -> Bool {
    scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
}

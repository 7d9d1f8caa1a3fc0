import WardenCore

/// An import file read and checked on its own (SPEC §5): its rows, and the reason of
/// every bad one, before the server is asked anything.
public enum ImportFile {
    /// The largest file `warden import` reads (64 MiB, some 500,000 typical rows):
    /// the whole file is checked in memory before anything changes.
    public static let maximumFileBytes = 64 << 20
    /// Why the file cannot be imported at all: its header is missing or bad.
    public enum Unreadable: Error, Equatable {
        /// Line 1 is not a header row naming the columns (or is not readable CSV).
        case header(CSVReader.Problem)
        /// The file holds no record on its first line.
        case noHeader
    }

    /// The good rows of `bytes` in file order, and a problem for each bad line: a
    /// record that is not CSV, a row that fails `ImportRow.parse`, a username seen
    /// on an earlier line. Grants must end after `now`.
    public static func read(_ bytes: [UInt8], now: Timestamp) throws(Unreadable) -> (rows: [ImportRow], problems: [CSVReader.Problem]) {
        let (records, csvProblems) = CSVReader.read(bytes)
        if let headerProblem = csvProblems.first(where: { $0.line == 1 }) {
            throw .header(headerProblem)
        }
        guard let header = records.first, header.line == 1 else {
            throw .noHeader
        }
        let columns: ImportColumns
        do {
            columns = try ImportColumns(header: header)
        } catch {
            throw .header(error)
        }
        var problems = csvProblems
        var rows: [ImportRow] = []
        var firstLine: [String: Int] = [:]
        for record in records.dropFirst() {
            switch ImportRow.parse(record, columns: columns, now: now) {
            case .failure(let reasons):
                problems += reasons.list.map { CSVReader.Problem(line: record.line, reason: $0) }
            case .success(let row):
                if let earlier = firstLine[row.username] {
                    problems.append(CSVReader.Problem(line: row.line, reason: "username \(row.username) appears again (first on line \(earlier))"))
                } else {
                    firstLine[row.username] = row.line
                    rows.append(row)
                }
            }
        }
        return (rows, problems)
    }
}

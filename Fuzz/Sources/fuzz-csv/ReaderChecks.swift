import FuzzSupport
import WardenImport

let lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r"), comma = UInt8(ascii: ","), quote = UInt8(ascii: "\"")
let bom: [UInt8] = [0xEF, 0xBB, 0xBF]

/// Invariant 1: records and problems name lines of the file, each line once, in order.
func checkLines(_ bytes: [UInt8], _ records: [CSVReader.Record], _ problems: [CSVReader.Problem]) {
    let lineCount = 1 + bytes.count { $0 == lf }
    for (what, lines) in [("record", records.map(\.line)), ("problem", problems.map(\.line))] {
        for (earlier, later) in zip(lines, lines.dropFirst()) where earlier >= later {
            FuzzDriver.violated("\(what) lines out of order: \(earlier) then \(later)")
        }
        if let bad = lines.first(where: { !(1...lineCount).contains($0) }) {
            FuzzDriver.violated("\(what) on line \(bad) of a file of \(lineCount) lines")
        }
    }
    if let shared = Set(records.map(\.line)).intersection(problems.map(\.line)).first {
        FuzzDriver.violated("line \(shared) is both a record and a problem")
    }
    if let empty = records.first(where: { $0.fields.isEmpty }) {
        FuzzDriver.violated("record on line \(empty.line) has no field")
    }
}

/// Invariant 2: without quotes, CSV is lines split at commas.
func checkQuoteFree(_ bytes: [UInt8], _ records: [CSVReader.Record], _ problems: [CSVReader.Problem]) {
    guard !bytes.contains(quote) else { return }
    let body = bytes.starts(with: bom) ? Array(bytes.dropFirst(3)) : bytes
    var expected: [CSVReader.Record] = []
    var expectedProblems: [Int] = []
    for (index, rawLine) in body.split(separator: lf, omittingEmptySubsequences: false).enumerated() {
        var line = Array(rawLine)
        if line.last == cr { line.removeLast() }
        guard !line.isEmpty else { continue }
        let cells = line.split(separator: comma, omittingEmptySubsequences: false)
        let fields = cells.compactMap { String(validating: $0, as: UTF8.self) }
        if fields.count == cells.count {
            expected.append(CSVReader.Record(line: index + 1, fields: fields))
        } else {
            expectedProblems.append(index + 1)
        }
    }
    guard records == expected, problems.map(\.line) == expectedProblems else {
        FuzzDriver.violated("quote-free file read as \(records) and problems \(problems); expected \(expected) and problems on \(expectedProblems)")
    }
}

/// Invariant 3: records written back as CSV read back the same, in one of two styles
/// (chosen by the input, so that each run reads one file, not two).
func checkRoundTrip(_ records: [CSVReader.Record], spacious: Bool) {
    guard !records.isEmpty else { return }
    do {
        var output: [UInt8] = spacious ? bom : []
        var expected: [CSVReader.Record] = []
        var line = 1
        for record in records {
            expected.append(CSVReader.Record(line: line, fields: record.fields))
            for (position, field) in record.fields.enumerated() {
                if position > 0 { output.append(comma) }
                let bytes = Array(field.utf8)
                let quoted = spacious
                    || bytes.contains { $0 == comma || $0 == quote || $0 == lf || $0 == cr }
                    || (bytes.isEmpty && record.fields.count == 1)
                    || (output.isEmpty && bytes.starts(with: bom))
                if quoted {
                    output.append(quote)
                    for byte in bytes {
                        output.append(byte)
                        if byte == quote { output.append(quote) }
                    }
                    output.append(quote)
                } else {
                    output += bytes
                }
                line += bytes.count { $0 == lf }
            }
            output += spacious ? [cr, lf, cr, lf] : [lf]
            line += spacious ? 2 : 1
        }
        let (again, problems) = CSVReader.read(output)
        guard problems.isEmpty, again == expected else {
            FuzzDriver.violated("records \(records) written as \(String(decoding: output, as: UTF8.self).debugDescription) read back as \(again), problems \(problems)")
        }
    }
}

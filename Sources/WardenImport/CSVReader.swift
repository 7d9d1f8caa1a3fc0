/// Reads CSV as RFC 4180 describes it: records separated by CRLF (or LF), fields by
/// commas; a field in double quotes may hold commas, quotes (written `""`) and line
/// breaks. A quote inside an unquoted field, text after a closing quote, and a
/// quote left open are errors, reported with the line where the record starts.
/// A record longer than `maximumRecordBytes` is an error too, and its bytes are not
/// kept, so that a hostile file cannot make one record (or one field) grow without bound.
public enum CSVReader {
    /// The longest record, in bytes of the file (line breaks inside quotes included).
    public static let maximumRecordBytes = 64 * 1024

    public struct Record: Equatable, Sendable {
        /// The line (from 1) where the record starts.
        public var line: Int
        public var fields: [String]

        public init(line: Int, fields: [String]) {
            self.line = line
            self.fields = fields
        }
    }

    /// Why a record (or, for the importer, a row) cannot be used, and its line.
    public struct Problem: Error, Equatable, Sendable {
        public var line: Int
        public var reason: String

        public init(line: Int, reason: String) {
            self.line = line
            self.reason = reason
        }
    }

    private enum State {
        case fieldStart, unquoted, quoted, afterQuote
    }

    /// The records of `input` and those that could not be read. A UTF-8 byte-order
    /// mark is skipped; empty lines are skipped.
    public static func read(_ input: [UInt8]) -> (records: [Record], problems: [Problem]) {
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        var records: [Record] = []
        var problems: [Problem] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var state = State.fieldStart
        var line = 1
        var recordLine = 1
        var problem: String?
        var hasContent = false
        var index = input.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var recordStart = index
        var tooLong = false

        func endField() {
            if tooLong {
                field.removeAll(keepingCapacity: true)
                return
            }
            if let text = String(validating: field, as: UTF8.self) {
                fields.append(text)
            } else {
                problem = problem ?? "a field is not valid UTF-8"
                fields.append("")
            }
            field.removeAll(keepingCapacity: true)
        }
        func endRecord() {
            if hasContent {
                if let problem {
                    problems.append(Problem(line: recordLine, reason: problem))
                } else {
                    records.append(Record(line: recordLine, fields: fields))
                }
            }
            fields = []
            problem = nil
            hasContent = false
            tooLong = false
            state = .fieldStart
            recordLine = line
            recordStart = index
        }

        while index < input.count {
            let byte = input[index]
            index += 1
            if !tooLong, index - recordStart > maximumRecordBytes {
                tooLong = true
                problem = "the record starting on this line is longer than \(maximumRecordBytes) bytes"
                    + (line > recordLine ? " (it runs on to line \(line): is a quote left open?)" : "")
                fields = []
                field = []
            }
            if state == .quoted {
                if byte == quote {
                    if index < input.count, input[index] == quote {
                        if !tooLong { field.append(quote) }
                        index += 1
                    } else {
                        state = .afterQuote
                    }
                } else {
                    if byte == lf { line += 1 }
                    if !tooLong { field.append(byte) }
                }
                continue
            }
            switch byte {
            case cr where index == input.count || input[index] == lf:
                continue
            case lf:
                endField()
                line += 1
                endRecord()
            case comma:
                endField()
                hasContent = true
                state = .fieldStart
            case quote where state == .fieldStart:
                state = .quoted
                hasContent = true
            default:
                hasContent = true
                if state == .afterQuote {
                    problem = problem ?? "text after the closing quote of a field"
                } else {
                    if byte == quote { problem = problem ?? "a quote inside an unquoted field (quote the whole field and double the quote)" }
                    if !tooLong { field.append(byte) }
                    state = .unquoted
                }
            }
        }
        if state == .quoted {
            problems.append(Problem(line: recordLine, reason: "a quoted field is never closed"))
        } else if hasContent {
            endField()
            endRecord()
        }
        return (records, problems)
    }
}

import Testing
import WardenImport

/// CSV as RFC 4180 describes it, with the line each record starts on (SPEC §5).
@Suite struct CSVReaderTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var text: String
        var records: [CSVReader.Record]
        var testDescription: String { text.debugDescription }
    }

    static let readable: [Case] = [
        Case(text: "a,b\nc,d\n", records: [.init(line: 1, fields: ["a", "b"]), .init(line: 2, fields: ["c", "d"])]),
        Case(text: "a,b\r\nc,d\r\n", records: [.init(line: 1, fields: ["a", "b"]), .init(line: 2, fields: ["c", "d"])]),
        Case(text: "a,b", records: [.init(line: 1, fields: ["a", "b"])]),
        Case(text: "\u{FEFF}a,b\n", records: [.init(line: 1, fields: ["a", "b"])]),
        Case(text: "\na\n\r\n\nb\n\n", records: [.init(line: 2, fields: ["a"]), .init(line: 5, fields: ["b"])]),
        Case(text: "\"x, \"\"y\"\"\",z\n", records: [.init(line: 1, fields: ["x, \"y\"", "z"])]),
        Case(text: "\"one\r\ntwo\nthree\",z\nnext\n", records: [.init(line: 1, fields: ["one\r\ntwo\nthree", "z"]), .init(line: 4, fields: ["next"])]),
        Case(text: ",\n\"\"\n", records: [.init(line: 1, fields: ["", ""]), .init(line: 2, fields: [""])]),
        Case(text: " a , b \n", records: [.init(line: 1, fields: [" a ", " b "])]),
        Case(text: "a\rb\n", records: [.init(line: 1, fields: ["a\rb"])]),
    ]

    @Test(arguments: readable)
    func readsRecordsWithTheLineTheyStartOn(_ testCase: Case) {
        let (records, problems) = CSVReader.read(Array(testCase.text.utf8))
        #expect(problems.isEmpty)
        #expect(records == testCase.records)
    }

    struct Bad: Sendable, CustomTestStringConvertible {
        var bytes: [UInt8]
        var problem: CSVReader.Problem
        var testDescription: String { String(decoding: bytes, as: UTF8.self).debugDescription }
    }

    static let unreadable: [Bad] = [
        Bad(bytes: Array("ok\nst\"ray,x\nok\n".utf8), problem: .init(line: 2, reason: "a quote inside an unquoted field (quote the whole field and double the quote)")),
        Bad(bytes: Array("ok\n\"a\"b,x\nok\n".utf8), problem: .init(line: 2, reason: "text after the closing quote of a field")),
        Bad(bytes: Array("ok\nok\n\"open,x\nok\nok\n".utf8), problem: .init(line: 3, reason: "a quoted field is never closed")),
        Bad(bytes: Array("ok\n".utf8) + [0x61, 0xFF, 0x0A] + Array("ok\n".utf8), problem: .init(line: 2, reason: "a field is not valid UTF-8")),
    ]

    @Test(arguments: unreadable)
    func reportsABadRecordAtTheLineItStartsOn(_ testCase: Bad) {
        let (records, problems) = CSVReader.read(testCase.bytes)
        #expect(problems == [testCase.problem])
        #expect(records.allSatisfy { $0.fields == ["ok"] })
    }
}

import Testing
import WardenSCIM

@Suite struct SCIMFilterParserTests {
    static let userName = SCIMAttributePath(attribute: "userName")

    @Test(arguments: [
        ("userName eq \"bjensen\"", SCIMFilter.compare(userName, .eq, .string("bjensen"))),
        ("USERNAME EQ \"x\"", .compare(SCIMAttributePath(attribute: "USERNAME"), .eq, .string("x"))),
        ("name.familyName co \"O'Malley\"", .compare(SCIMAttributePath(attribute: "name", subAttribute: "familyName"), .co, .string("O'Malley"))),
        ("userName sw \"J\"", .compare(userName, .sw, .string("J"))),
        ("title pr", .present(SCIMAttributePath(attribute: "title"))),
        ("meta.lastModified gt \"2011-05-13T04:42:34Z\"",
         .compare(SCIMAttributePath(attribute: "meta", subAttribute: "lastModified"), .gt, .string("2011-05-13T04:42:34Z"))),
        ("active eq true", .compare(SCIMAttributePath(attribute: "active"), .eq, .bool(true))),
        ("active eq False", .compare(SCIMAttributePath(attribute: "active"), .eq, .bool(false))),
        ("x eq null", .compare(SCIMAttributePath(attribute: "x"), .eq, .null)),
        ("x ge -1.5e3", .compare(SCIMAttributePath(attribute: "x"), .ge, .number(-1500))),
        ("userName eq \"a\\\"b\\\\c\\u00e9\"", .compare(userName, .eq, .string("a\"b\\cé"))),
        ("userName eq \"\\ud83d\\ude00\"", .compare(userName, .eq, .string("😀"))),
        ("urn:ietf:params:scim:schemas:core:2.0:User:userName eq \"a\"",
         .compare(SCIMAttributePath(schema: "urn:ietf:params:scim:schemas:core:2.0:User", attribute: "userName"), .eq, .string("a"))),
        ("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq \"7\"",
         .compare(SCIMAttributePath(schema: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", attribute: "manager", subAttribute: "value"), .eq, .string("7"))),
    ])
    func parsesAnAttributeExpression(text: String, expected: SCIMFilter) throws {
        #expect(try SCIMFilter.parse(text) == expected)
    }

    static let a = SCIMFilter.present(SCIMAttributePath(attribute: "a"))
    static let b = SCIMFilter.present(SCIMAttributePath(attribute: "b"))
    static let c = SCIMFilter.present(SCIMAttributePath(attribute: "c"))

    @Test(arguments: [
        ("a pr and b pr or c pr", SCIMFilter.or(.and(a, b), c)),
        ("a pr or b pr and c pr", .or(a, .and(b, c))),
        ("(a pr or b pr) and c pr", .and(.or(a, b), c)),
        ("not (a pr) and b pr", .and(.not(a), b)),
        ("a pr or not (b pr or c pr)", .or(a, .not(.or(b, c)))),
        ("a pr AND b pr Or c pr", .or(.and(a, b), c)),
        ("((a pr))", a),
        ("a pr and b pr and c pr", .and(.and(a, b), c)),
        ("emails[type eq \"work\" and value co \"@example.com\"] or b pr",
         .or(.valuePath(SCIMAttributePath(attribute: "emails"),
                        .and(.compare(SCIMAttributePath(attribute: "type"), .eq, .string("work")),
                             .compare(SCIMAttributePath(attribute: "value"), .co, .string("@example.com")))), b)),
    ])
    func respectsPrecedence(text: String, expected: SCIMFilter) throws {
        #expect(try SCIMFilter.parse(text) == expected)
    }

    @Test(arguments: [
        ("", SCIMFilterError.empty),
        ("   ", .empty),
        ("userName", .unexpectedEnd(expected: "an operator after userName")),
        ("userName eq", .unexpectedEnd(expected: "a value")),
        ("userName xx \"a\"", .unknownOperator("xx")),
        ("userName eq \"a", .unterminatedString),
        ("userName eq \"a\\q\"", .invalidString("unknown escape \\q")),
        ("userName eq \"\\ud83d\"", .invalidString("a lone surrogate escape")),
        ("userName eq \"\u{01}\"", .invalidString("a control character must be escaped")),
        ("x eq 01", .invalidNumber("01")),
        ("x eq 1.", .invalidNumber("1.")),
        ("x eq bob", .invalidNumber("bob")),
        ("active gt true", .operatorValue(op: "gt", value: "a boolean")),
        ("x co 5", .operatorValue(op: "co", value: "number(5.0)")),
        ("(a pr", .unexpectedEnd(expected: ")")),
        ("a pr)", .unexpected(token: ")", expected: "and, or or the end")),
        ("a pr and", .unexpectedEnd(expected: "an attribute path, not or (")),
        ("1abc pr", .invalidPath("1abc")),
        ("a.b.c pr", .invalidPath("a.b.c")),
        ("emails[type[value eq \"x\"] pr]", .nestedValueFilter),
        ("emails[type eq \"w\"", .unexpectedEnd(expected: "]")),
    ])
    func refusesABadFilter(text: String, error: SCIMFilterError) {
        #expect(throws: error) { try SCIMFilter.parse(text) }
    }

    @Test func refusesDeepNesting() {
        let deep = String(repeating: "(", count: 100) + "a pr" + String(repeating: ")", count: 100)
        #expect(throws: SCIMFilterError.tooDeep(limit: 50)) { try SCIMFilter.parse(deep) }
        let nots = String(repeating: "not (", count: 60) + "a pr" + String(repeating: ")", count: 60)
        #expect(throws: SCIMFilterError.tooDeep(limit: 50)) { try SCIMFilter.parse(nots) }
    }

    @Test func refusesAnOverlongFilter() {
        #expect(throws: SCIMFilterError.tooLong(limit: 8192)) { try SCIMFilter.parse("a eq \"" + String(repeating: "x", count: 9000) + "\"") }
    }
}

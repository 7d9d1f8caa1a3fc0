import Testing
import WardenSCIM

@Suite struct SCIMFilterEvaluationTests {
    static let alice: JSONValue = .object([
        "id": .string("7"),
        "userName": .string("alice@example.com"),
        "displayName": .string("Alice Smith"),
        "externalId": .string("00uAbC"),
        "active": .bool(true),
        "emails": .array([.object(["value": .string("Alice@Example.com"), "type": .string("work"), "primary": .bool(true)])]),
        "name": .object(["formatted": .string("Alice Smith")]),
        "meta": .object(["created": .string("2026-12-01T10:00:00Z")]),
    ])

    @Test(arguments: [
        ("userName eq \"ALICE@example.com\"", true),
        ("userName eq \"bob\"", false),
        ("displayName eq \"alice smith\"", true),
        ("externalId eq \"00uAbC\"", true),
        ("externalId eq \"00uabc\"", false),
        ("id eq \"7\"", true),
        ("emails.value eq \"alice@example.com\"", true),
        ("emails eq \"alice@example.com\"", true),
        ("emails[type eq \"work\" and value co \"example\"]", true),
        ("emails[type eq \"home\"]", false),
        ("emails[type eq \"work\"].value eq \"alice@example.com\"", true),
        ("emails[type eq \"home\"].value eq \"alice@example.com\"", false),
        ("active eq true", true),
        ("active eq false", false),
        ("active ne false", true),
        ("userName sw \"ali\"", true),
        ("userName ew \".com\"", true),
        ("userName co \"CE@EX\"", true),
        ("title pr", false),
        ("externalId pr", true),
        ("title eq null", true),
        ("title ne \"x\"", true),
        ("userName eq \"bob\" or active eq true", true),
        ("userName eq \"bob\" and active eq true", false),
        ("not (userName eq \"bob\")", true),
        ("meta.created gt \"2026-01-01T00:00:00Z\"", true),
        ("meta.created lt \"2026-01-01T00:00:00Z\"", false),
        ("name.formatted co \"Smith\"", true),
        ("urn:ietf:params:scim:schemas:core:2.0:User:userName eq \"alice@example.com\"", true),
        ("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq \"1\"", false),
        ("userName eq 5", false),
    ])
    func matchesAsTheRFCSays(filter: String, expected: Bool) throws {
        #expect(try SCIMFilter.parse(filter).matches(Self.alice, schema: .user) == expected)
    }
}

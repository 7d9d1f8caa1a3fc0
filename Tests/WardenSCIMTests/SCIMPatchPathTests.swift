import Testing
import WardenSCIM

@Suite struct SCIMPatchPathTests {
    @Test(arguments: [
        ("userName", SCIMPatchPath(path: SCIMAttributePath(attribute: "userName"))),
        ("name.formatted", SCIMPatchPath(path: SCIMAttributePath(attribute: "name", subAttribute: "formatted"))),
        ("emails[type eq \"work\"]", SCIMPatchPath(
            path: SCIMAttributePath(attribute: "emails"),
            valueFilter: .compare(SCIMAttributePath(attribute: "type"), .eq, .string("work")))),
        ("emails[type eq \"work\"].value", SCIMPatchPath(
            path: SCIMAttributePath(attribute: "emails"),
            valueFilter: .compare(SCIMAttributePath(attribute: "type"), .eq, .string("work")), filteredSubAttribute: "value")),
        ("members[value eq \"2819c223\"]", SCIMPatchPath(
            path: SCIMAttributePath(attribute: "members"),
            valueFilter: .compare(SCIMAttributePath(attribute: "value"), .eq, .string("2819c223")))),
        ("members[value eq \"a]b\"]", SCIMPatchPath(
            path: SCIMAttributePath(attribute: "members"),
            valueFilter: .compare(SCIMAttributePath(attribute: "value"), .eq, .string("a]b")))),
        ("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber", SCIMPatchPath(
            path: SCIMAttributePath(schema: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", attribute: "employeeNumber"))),
        ("urn:ietf:params:scim:schemas:core:2.0:User:name.formatted", SCIMPatchPath(
            path: SCIMAttributePath(schema: "urn:ietf:params:scim:schemas:core:2.0:User", attribute: "name", subAttribute: "formatted"))),
    ])
    func parsesAPath(text: String, expected: SCIMPatchPath) throws {
        #expect(try SCIMPatchPath.parse(text) == expected)
    }

    @Test(arguments: ["", "emails[", "emails]", "emails[type eq \"w\"]value", "emails[type eq \"w\"].", "emails.value[type eq \"w\"]",
                      "emails[type eq \"w\"].a.b", "emails[type eq \"w\"] x", "1bad", "a..b", "emails[]"])
    func refusesABadPath(text: String) {
        #expect(throws: SCIMFilterError.self) { try SCIMPatchPath.parse(text) }
    }
}

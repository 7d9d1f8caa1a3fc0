import Testing
import WardenSCIM

@Suite struct SCIMFilterTextTests {
    @Test(arguments: [
        "userName eq \"bjensen\"",
        "a pr and b pr or not (c pr)",
        "emails[type eq \"work\" and value co \"@x\"]",
        "emails[type eq \"work\"].value eq \"a@b\"",
        "x eq \"quote\\\" back\\\\ nl\\n tab\\t ctl\\u0001 é\"",
        "x ge -1.5e3 and y eq 12 and z eq null and w eq false",
        "urn:ietf:params:scim:schemas:core:2.0:User:name.formatted sw \"A\"",
    ])
    func aFilterWrittenBackParsesToItself(text: String) throws {
        let filter = try SCIMFilter.parse(text)
        #expect(try SCIMFilter.parse(filter.description) == filter)
    }
}

@Suite struct SCIMAttributeSelectionTests {
    static let user: [String: JSONValue] = [
        "schemas": .array([]), "id": .string("7"), "userName": .string("a"), "displayName": .string("A"),
        "emails": .array([.object(["value": .string("a@x"), "type": .string("work")])]),
        "meta": .object(["version": .string("W/\"1\"")]),
    ]

    @Test(arguments: [
        ("userName", nil, ["schemas", "id", "userName"]),
        ("USERNAME,emails.value", nil, ["schemas", "id", "userName", "emails"]),
        ("urn:ietf:params:scim:schemas:core:2.0:User:displayName", nil, ["schemas", "id", "displayName"]),
        (nil, "emails,meta", ["schemas", "id", "userName", "displayName"]),
        (nil, "id", ["schemas", "id", "userName", "displayName", "emails", "meta"]),
        (nil, nil, ["schemas", "id", "userName", "displayName", "emails", "meta"]),
    ] as [(String?, String?, [String])])
    func keepsWhatWasAskedAndAlwaysIDAndSchemas(attributes: String?, excluded: String?, keys: [String]) throws {
        let selection = try SCIMAttributeSelection(attributes: attributes, excludedAttributes: excluded)
        #expect(Set(selection.apply(to: Self.user, schema: .user).keys) == Set(keys))
    }

    @Test func subAttributesAreKeptOrDroppedInEachValue() throws {
        let kept = try SCIMAttributeSelection(attributes: "emails.value", excludedAttributes: nil).apply(to: Self.user, schema: .user)
        #expect(kept["emails"] == .array([.object(["value": .string("a@x")])]))
        let dropped = try SCIMAttributeSelection(attributes: nil, excludedAttributes: "emails.type").apply(to: Self.user, schema: .user)
        #expect(dropped["emails"] == .array([.object(["value": .string("a@x")])]))
    }

    @Test func aBadAttributeNameIsRefused() {
        #expect(throws: SCIMFilterError.self) { try SCIMAttributeSelection(attributes: "1bad", excludedAttributes: nil) }
    }
}

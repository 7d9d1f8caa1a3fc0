import Foundation
import Testing
import WardenSCIM

@Suite struct SCIMPatchApplicationTests {
    static let user: [String: JSONValue] = [
        "id": .string("7"),
        "userName": .string("alice"),
        "displayName": .string("Alice"),
        "active": .bool(true),
        "emails": .array([.object(["value": .string("alice@example.com"), "type": .string("work"), "primary": .bool(true)])]),
    ]

    static func patch(_ resource: [String: JSONValue], _ body: String, schema: SCIMResourceSchema = .user) throws -> [String: JSONValue] {
        let value = try JSONDecoder().decode(JSONValue.self, from: Data(body.utf8))
        var result = resource
        for operation in try SCIMPatchOperation.operations(of: value) { try operation.apply(to: &result, schema: schema) }
        return result
    }

    static func body(_ operations: String) -> String {
        #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":["# + operations + "]}"
    }

    @Test func entraReplacesActiveWithAStringBooleanAndAnyCaseOp() throws {
        let result = try Self.patch(Self.user, Self.body(#"{"op":"Replace","path":"active","value":"False"}"#))
        #expect(result["active"]?.booleanValue == false)
    }

    @Test func oktaReplacesWithoutAPath() throws {
        let result = try Self.patch(Self.user, Self.body(#"{"op":"replace","value":{"active":false,"displayName":"Alice B"}}"#))
        #expect(result["active"] == .bool(false))
        #expect(result["displayName"] == .string("Alice B"))
    }

    @Test func aValueFilterPathReplacesTheMatchingEmail() throws {
        let result = try Self.patch(Self.user, Self.body(#"{"op":"Replace","path":"emails[type eq \"work\"].value","value":"a@new.example"}"#))
        #expect(result["emails"]?.arrayValue?.first?["value"] == .string("a@new.example"))
        #expect(result["emails"]?.arrayValue?.count == 1)
    }

    @Test func aValueFilterThatMatchesNothingCreatesTheValue() throws {
        var user = Self.user
        user["emails"] = nil
        let result = try Self.patch(user, Self.body(#"{"op":"Add","path":"emails[type eq \"work\"].value","value":"a@new.example"}"#))
        #expect(result["emails"] == .array([.object(["type": .string("work"), "value": .string("a@new.example")])]))
    }

    @Test func aValueFilterThatCannotDescribeAValueIsNoTarget() {
        #expect(throws: SCIMPatchError(.noTarget, "no value of emails matches the filter")) {
            try Self.patch(Self.user, Self.body(#"{"op":"replace","path":"emails[type co \"x\"].value","value":"a@b.example"}"#))
        }
    }

    @Test func dottedSubAttributesSetAndRemove() throws {
        var result = try Self.patch(Self.user, Self.body(#"{"op":"add","path":"name.formatted","value":"Alice Q"}"#))
        #expect(result["name"] == .object(["formatted": .string("Alice Q")]))
        result = try Self.patch(result, Self.body(#"{"op":"remove","path":"NAME.FORMATTED"}"#))
        #expect(result["name"] == nil)
    }

    @Test func noPathValuesMayBeDottedOrUnderTheCoreURN() throws {
        let result = try Self.patch(Self.user, Self.body(
            #"{"op":"replace","value":{"name.formatted":"A B","urn:ietf:params:scim:schemas:core:2.0:User":{"displayName":"AB"}}}"#))
        #expect(result["name"]?["formatted"] == .string("A B"))
        #expect(result["displayName"] == .string("AB"))
    }

    @Test func attributeNamesMatchInAnyCase() throws {
        let result = try Self.patch(Self.user, Self.body(#"{"op":"replace","path":"DisplayName","value":"X"}"#))
        #expect(result["displayName"] == .string("X"))
        #expect(result.keys.filter { $0.lowercased() == "displayname" }.count == 1)
    }

    @Test func readOnlyAttributesAreAMutabilityError() {
        #expect(throws: SCIMPatchError(.mutability, "id is read-only")) {
            try Self.patch(Self.user, Self.body(#"{"op":"replace","path":"id","value":"8"}"#))
        }
    }

    @Test func removeNeedsAPath() {
        #expect(throws: SCIMPatchError(.noTarget, "remove needs a path")) { try Self.patch(Self.user, Self.body(#"{"op":"remove"}"#)) }
    }

    @Test(arguments: [
        #"{"Operations":[{"op":"move","path":"a"}]}"#,
        #"{"schemas":["urn:x"],"Operations":[]}"#,
        #"{"Operations":{}}"#,
        #"[]"#,
        #"{"Operations":[{"op":"add","path":"a"}]}"#,
        #"{"Operations":[{"op":"add","path":"emails[","value":1}]}"#,
    ])
    func refusesAMalformedPatch(body: String) {
        #expect(throws: SCIMPatchError.self) { try Self.patch(Self.user, body) }
    }

    static let group: [String: JSONValue] = [
        "id": .string("sales"), "displayName": .string("sales"),
        "members": .array([.object(["value": .string("1")]), .object(["value": .string("2")])]),
    ]

    @Test func membersAreAddedOnceAndRemovedByFilter() throws {
        var result = try Self.patch(Self.group, Self.body(#"{"op":"Add","path":"members","value":[{"value":"2"},{"value":"3"}]}"#), schema: .group)
        #expect(result["members"]?.arrayValue?.compactMap { $0["value"]?.stringValue } == ["1", "2", "3"])
        result = try Self.patch(result, Self.body(#"{"op":"Remove","path":"members[value eq \"1\"]"}"#), schema: .group)
        #expect(result["members"]?.arrayValue?.compactMap { $0["value"]?.stringValue } == ["2", "3"])
    }

    @Test func entraRemovesMembersGivenAsAValue() throws {
        let result = try Self.patch(Self.group, Self.body(#"{"op":"Remove","path":"members","value":[{"value":"2"}]}"#), schema: .group)
        #expect(result["members"]?.arrayValue?.compactMap { $0["value"]?.stringValue } == ["1"])
    }

    @Test func removingEveryMemberLeavesNone() throws {
        let result = try Self.patch(Self.group, Self.body(#"{"op":"remove","path":"members"}"#), schema: .group)
        #expect(result["members"] == nil)
    }

    @Test func replaceMembersReplacesThemAll() throws {
        let result = try Self.patch(Self.group, Self.body(#"{"op":"replace","path":"members","value":[{"value":"9"}]}"#), schema: .group)
        #expect(result["members"] == .array([.object(["value": .string("9")])]))
    }
}

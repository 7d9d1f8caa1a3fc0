import Foundation
import FuzzSupport
import WardenSCIM

// Fuzz target for SCIM's grammars (SPEC §12, RFC 7644 §3.4.2.2, §3.5.2): whatever
// text arrives as a filter, a PATCH path or a PATCH body,
//
//  1. SCIMFilter.parse returns a filter or a SCIMFilterError, never crashes or hangs;
//     a filter longer than the limit is refused as too long;
//  2. a parsed filter written back as text (`description`) parses to the same filter;
//  3. evaluating a parsed filter against a user and a group never crashes;
//  4. SCIMPatchPath.parse returns a path or an error; a path with a value filter
//     keeps a filter that round-trips as in 2;
//  5. the same bytes as a JSON PATCH body give operations or a SCIMPatchError, and
//     applying the operations to a user never crashes; `id` never changes.

let user: [String: JSONValue] = [
    "schemas": .array([.string(SCIMResourceSchema.userSchemaID)]),
    "id": .string("7"), "userName": .string("alice"), "displayName": .string("Alice"), "active": .bool(true),
    "externalId": .string("00uA"),
    "emails": .array([.object(["value": .string("alice@example.com"), "type": .string("work"), "primary": .bool(true)])]),
    "name": .object(["formatted": .string("Alice")]),
    "meta": .object(["created": .string("2026-12-01T10:00:00Z"), "version": .string("W/\"1\"")]),
]
let group: [String: JSONValue] = [
    "id": .string("sales"), "displayName": .string("sales"),
    "members": .array([.object(["value": .string("7"), "display": .string("alice")])]),
]

func checkFilter(_ text: String) {
    let filter: SCIMFilter
    do {
        filter = try SCIMFilter.parse(text)
    } catch .tooLong {
        guard text.utf8.count > 8192 else { FuzzDriver.violated("too long at \(text.utf8.count) bytes") }
        return
    } catch {
        return
    }
    guard text.utf8.count <= 8192 else { FuzzDriver.violated("accepted \(text.utf8.count) bytes") }
    checkRoundTrip(filter)
    _ = filter.matches(.object(user), schema: .user)
    _ = filter.matches(.object(group), schema: .group)
}

func checkRoundTrip(_ filter: SCIMFilter) {
    let written = filter.description
    let again: SCIMFilter
    do {
        again = try SCIMFilter.parse(written)
    } catch .tooLong, .tooDeep {
        // The written form adds parentheses: it may pass a limit the input stayed under.
        return
    } catch {
        FuzzDriver.violated("\(filter) written as \(written.debugDescription) does not parse: \(error)")
    }
    guard again == filter else { FuzzDriver.violated("\(written.debugDescription) parses to \(again), not \(filter)") }
}

func checkPath(_ text: String) {
    guard let path = try? SCIMPatchPath.parse(text) else { return }
    if let filter = path.valueFilter { checkRoundTrip(filter) }
}

func checkPatch(_ bytes: [UInt8]) {
    guard let body = try? JSONDecoder().decode(JSONValue.self, from: Data(bytes)),
          let operations = try? SCIMPatchOperation.operations(of: body) else { return }
    var resource = user
    for operation in operations {
        do { try operation.apply(to: &resource, schema: .user) } catch { return }
    }
    guard resource["id"] == user["id"] else { FuzzDriver.violated("a PATCH changed id: \(operations)") }
    var members = group
    for operation in operations {
        do { try operation.apply(to: &members, schema: .group) } catch { return }
    }
}

FuzzDriver.run { data, count in
    let bytes = FuzzDriver.bytes(data, count)
    let text = String(decoding: bytes, as: UTF8.self)
    checkFilter(text)
    checkPath(text)
    checkPatch(bytes)
    return 0
}

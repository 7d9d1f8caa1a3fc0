import WardenSCIM

/// `/ServiceProviderConfig`, `/Schemas`, `/ResourceTypes` (RFC 7643 §5–§7), true to
/// what Warden does. They need a valid key, as every SCIM endpoint here, and no permission.
extension WardenService {
    func scimServiceProviderConfig() -> HTTPAnswer {
        let base = scimBaseURL
        return .scim(.object([
            "schemas": .array([.string("urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig")]),
            "documentationUri": .string("https://datatracker.ietf.org/doc/html/rfc7644"),
            "patch": .object(["supported": .bool(true)]),
            "bulk": .object(["supported": .bool(false), "maxOperations": .number(0), "maxPayloadSize": .number(0)]),
            "filter": .object(["supported": .bool(true), "maxResults": .number(Double(Self.scimMaximumResults))]),
            "changePassword": .object(["supported": .bool(true)]),
            "sort": .object(["supported": .bool(false)]),
            "etag": .object(["supported": .bool(true)]),
            "authenticationSchemes": .array([.object([
                "type": .string("oauthbearertoken"), "name": .string("API key"), "primary": .bool(true),
                "description": .string("Authorization: Bearer KEY, an API key (APIKEY CREATE) of a Warden service user"),
            ])]),
            "meta": .object(["resourceType": .string("ServiceProviderConfig"), "location": .string(base + "/ServiceProviderConfig")]),
        ]))
    }

    func scimSchemas(_ id: String?) throws(SCIMFailure) -> HTTPAnswer {
        let base = scimBaseURL
        let all = [SCIMResourceSchema.user, .group].map { $0.definition(location: base + "/Schemas/" + $0.id) }
        guard let id else { return Self.scimListOf(all) }
        guard let found = all.first(where: { $0["id"]?.stringValue == id }) else { throw .notFound("no schema \(id)") }
        return .scim(found)
    }

    func scimResourceTypes(_ id: String?) throws(SCIMFailure) -> HTTPAnswer {
        let base = scimBaseURL
        let all: [JSONValue] = [("User", "/Users", SCIMResourceSchema.userSchemaID), ("Group", "/Groups", SCIMResourceSchema.groupSchemaID)]
            .map { name, endpoint, schema in
                .object([
                    "schemas": .array([.string("urn:ietf:params:scim:schemas:core:2.0:ResourceType")]),
                    "id": .string(name), "name": .string(name), "endpoint": .string(endpoint),
                    "description": .string(name == "User" ? "A Warden user" : "A Warden role"),
                    "schema": .string(schema), "schemaExtensions": .array([]),
                    "meta": .object(["resourceType": .string("ResourceType"), "location": .string(base + "/ResourceTypes/" + name)]),
                ])
            }
        guard let id else { return Self.scimListOf(all) }
        guard let found = all.first(where: { $0["id"]?.stringValue == id }) else { throw .notFound("no resource type \(id)") }
        return .scim(found)
    }

    static func scimListOf(_ resources: [JSONValue]) -> HTTPAnswer {
        .scim(.object([
            "schemas": .array([.string("urn:ietf:params:scim:api:messages:2.0:ListResponse")]),
            "totalResults": .number(Double(resources.count)), "startIndex": .number(1),
            "itemsPerPage": .number(Double(resources.count)), "Resources": .array(resources),
        ]))
    }
}

/// The two resource schemas Warden serves, with only the attributes it keeps, so that
/// `/Schemas` is true to what a client can round-trip (RFC 7643 §4.1, §4.2).
extension SCIMResourceSchema {
    public static let userSchemaID = "urn:ietf:params:scim:schemas:core:2.0:User"
    public static let groupSchemaID = "urn:ietf:params:scim:schemas:core:2.0:Group"

    static let commonAttributes: [SCIMAttribute] = [
        SCIMAttribute("id", .string, caseExact: true, mutability: .readOnly, returned: .always, uniqueness: .server,
                      description: "Warden's stable identifier of the resource.", isCommon: true),
        SCIMAttribute("externalId", .string, caseExact: true,
                      description: "The provisioning client's identifier, kept as given.", isCommon: true),
        SCIMAttribute("meta", .complex, mutability: .readOnly, subAttributes: [
            SCIMAttribute("resourceType", .string, caseExact: true, mutability: .readOnly, description: "User or Group."),
            SCIMAttribute("created", .dateTime, mutability: .readOnly, description: "When the resource was created."),
            SCIMAttribute("lastModified", .dateTime, mutability: .readOnly, description: "When it last changed."),
            SCIMAttribute("location", .reference, caseExact: true, mutability: .readOnly, referenceTypes: ["uri"],
                          description: "The resource's URI."),
            SCIMAttribute("version", .string, caseExact: true, mutability: .readOnly, description: "Its weak entity tag."),
        ], description: "Resource metadata.", isCommon: true),
    ]

    /// A Warden user.
    public static let user = SCIMResourceSchema(
        id: userSchemaID, name: "User", description: "A Warden user",
        attributes: commonAttributes + [
            SCIMAttribute("userName", .string, required: true, mutability: .immutable, uniqueness: .server,
                          description: "The username: 1-128 of a-z 0-9 . _ @ -, folded to lower case; it cannot change."),
            SCIMAttribute("name", .complex, subAttributes: [
                SCIMAttribute("formatted", .string, description: "The full name (Warden's name, as displayName)."),
            ], description: "The user's name."),
            SCIMAttribute("displayName", .string, description: "The name shown for the user."),
            SCIMAttribute("password", .string, mutability: .writeOnly, returned: .never,
                          description: "Sets the password under Warden's policy; never returned."),
            SCIMAttribute("emails", .complex, multiValued: true, subAttributes: [
                SCIMAttribute("value", .string, description: "The email address."),
                SCIMAttribute("type", .string, canonicalValues: ["work"], description: "Always work."),
                SCIMAttribute("primary", .boolean, mutability: .readOnly, description: "Always true: Warden keeps one address."),
            ], description: "The user's email address (Warden keeps one)."),
            SCIMAttribute("active", .boolean, required: true,
                          description: "Enabled; false disables the user (every token dies at once). Every user has it; true when not given."),
            SCIMAttribute("groups", .complex, multiValued: true, mutability: .readOnly, subAttributes: [
                SCIMAttribute("value", .string, caseExact: true, mutability: .readOnly, description: "The group's id."),
                SCIMAttribute("display", .string, mutability: .readOnly, description: "The group's displayName."),
            ], description: "The roles granted to the user directly."),
        ])

    /// A Warden role.
    public static let group = SCIMResourceSchema(
        id: groupSchemaID, name: "Group", description: "A Warden role",
        attributes: commonAttributes + [
            SCIMAttribute("displayName", .string, required: true, mutability: .immutable, uniqueness: .server,
                          description: "The role's name: 1-128 of a-z 0-9 . _ @ -, folded to lower case; it cannot change."),
            SCIMAttribute("members", .complex, multiValued: true, subAttributes: [
                SCIMAttribute("value", .string, caseExact: true, mutability: .immutable, description: "A user's id."),
                SCIMAttribute("$ref", .reference, caseExact: true, mutability: .immutable, referenceTypes: ["User"],
                              description: "The user's URI."),
                SCIMAttribute("display", .string, mutability: .readOnly, description: "The user's name."),
                SCIMAttribute("type", .string, mutability: .immutable, canonicalValues: ["User"], description: "Always User."),
            ], description: "The users granted the role directly."),
        ])
}

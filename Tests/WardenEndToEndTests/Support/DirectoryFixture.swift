import Testing

/// A small company, provisioned the way an onboarding script would: three systems
/// (two with permission lists, one open), nested roles, and ten people.
///
///     employee      wiki:read
///     sales         ⊃ employee, crm:view, crm:edit
///     finance       ⊃ employee, payroll:read, payroll:write
///     finance-lead  ⊃ finance, payroll:approve
enum Company {
    struct Person {
        var user: String
        var name: String
        var role: String
        var email: String { "\(user)@example.com" }
    }

    static let people: [Person] = [
        Person(user: "alice", name: "Alice Archer", role: "sales"),
        Person(user: "bob", name: "Bob Baker", role: "sales"),
        Person(user: "carol", name: "Carol Cruz", role: "finance"),
        Person(user: "dave", name: "Dave Dunn", role: "finance-lead"),
        Person(user: "erin", name: "Erin Eames", role: "employee"),
        Person(user: "frank", name: "Frank Ford", role: "sales"),
        Person(user: "grace", name: "Grace Gill", role: "finance"),
        Person(user: "heidi", name: "Heidi Holt", role: "employee"),
        Person(user: "ivan", name: "Ivan Ivers", role: "employee"),
        Person(user: "judy", name: "Judy Jones", role: "sales"),
    ]

    /// Every person's password (the tests that log in as them use it).
    static let password = "Correct-Horse-42"

    static let systemsAndRoles: [String] = [
        "SYSTEM ADD payroll description=\"Payroll\" permissions=read,write,approve",
        "SYSTEM ADD crm description=\"Customer records\" permissions=view,edit",
        "SYSTEM ADD wiki description=\"Company wiki\"",
        "ROLE ADD employee description=\"Everyone\"",
        "ROLE GRANT employee wiki read",
        "ROLE ADD sales",
        "ROLE INCLUDE sales employee",
        "ROLE GRANT sales crm view",
        "ROLE GRANT sales crm edit",
        "ROLE ADD finance",
        "ROLE INCLUDE finance employee",
        "ROLE GRANT finance payroll read",
        "ROLE GRANT finance payroll write",
        "ROLE ADD finance-lead",
        "ROLE INCLUDE finance-lead finance",
        "ROLE GRANT finance-lead payroll approve",
    ]

    static var onboarding: [String] {
        people.flatMap { person in
            [
                "USER ADD \(person.user) name=\"\(person.name)\" email=\(person.email) kind=person password=\(password)",
                "GRANT \(person.user) \(person.role) reason=\"onboarding\"",
            ]
        }
    }

    /// Provisions the whole company through `admin`, recording an issue for any refusal.
    static func provision(_ admin: LineConnection, sourceLocation: SourceLocation = #_sourceLocation) throws {
        try admin.runScript(systemsAndRoles + onboarding, sourceLocation: sourceLocation)
    }

    /// The data lines of `ACCESS` as comparable strings.
    static func access(of user: String, _ admin: LineConnection) throws -> Set<String> {
        let reply = try admin.send("ACCESS \(user)")
        return Set(reply.data)
    }
}

extension WardenProcess {
    /// A new server with the company provisioned, and the admin's connection to it.
    /// The caller stops it: `defer { server.stopAndClean() }`.
    static func company(arguments: [String] = [], sourceLocation: SourceLocation = #_sourceLocation) throws -> (WardenProcess, LineConnection) {
        let server = try WardenProcess(arguments: arguments)
        do {
            let admin = try server.admin()
            try Company.provision(admin, sourceLocation: sourceLocation)
            return (server, admin)
        } catch {
            server.stopAndClean()
            throw error
        }
    }

    /// Terminates the server and removes its data directory.
    func stopAndClean() {
        terminate()
        removeData()
    }
}

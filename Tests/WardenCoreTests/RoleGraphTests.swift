import Testing
@testable import WardenCore

/// `RoleGraph` recomputes only what a change can reach; these hold it to a graph
/// rebuilt from scratch after every step, and to the cost it promises on deep chains.
@Suite struct RoleGraphTests {
    /// A small deterministic generator, so a failure replays with its seed.
    struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8])
    func incrementalChangesMatchAFullRebuild(seed: UInt64) {
        var random = Generator(state: seed)
        let names = (0..<12).map { "r\($0)" }
        let entitlements = (0..<6).map { Entitlement(system: "s", permission: "p\($0)") }
        var graph = RoleGraph()
        for step in 0..<400 {
            let name = names[random.next(names.count)]
            var role = graph.roles[name] ?? Role(name: name)
            switch random.next(5) {
            case 0:
                graph.remove(name)
            case 1, 2:
                let other = names[random.next(names.count)]
                if role.includes.contains(other) {
                    role.includes.remove(other)
                } else if graph.roles[other] != nil, !graph.wouldCycle(role: name, including: other) {
                    role.includes.insert(other)
                }
                graph.upsert(role)
            default:
                let entitlement = entitlements[random.next(entitlements.count)]
                if role.entitlements.remove(entitlement) == nil { role.entitlements.insert(entitlement) }
                graph.upsert(role)
            }
            let rebuilt = RoleGraph(Array(graph.roles.values))
            #expect(graph.closure == rebuilt.closure, "closures diverge at step \(step), seed \(seed)")
            #expect(graph.descendants == rebuilt.descendants, "descendants diverge at step \(step), seed \(seed)")
        }
    }

    @Test func upsertReportsTheRoleAndItsAncestorsOnly() {
        // top includes middle includes bottom; aside is unrelated.
        var graph = RoleGraph([
            Role(name: "bottom"), Role(name: "middle", includes: ["bottom"]),
            Role(name: "top", includes: ["middle"]), Role(name: "aside"),
        ])
        let entitlement = Entitlement(system: "s", permission: "read")
        #expect(graph.upsert(Role(name: "bottom", entitlements: [entitlement])) == ["bottom", "middle", "top"])
        #expect(graph.closure["top"] == [entitlement])
        #expect(graph.closure["aside"] == [])
        #expect(graph.upsert(Role(name: "top", includes: ["middle"])) == ["top"])
    }

    @Test func removingARoleCutsItOutOfItsIncluders() {
        var graph = RoleGraph([
            Role(name: "child", entitlements: [Entitlement(system: "s", permission: "x")]),
            Role(name: "parent", includes: ["child"]),
        ])
        #expect(graph.remove("child") == ["child", "parent"])
        #expect(graph.roles["parent"]?.includes == [])
        #expect(graph.closure["parent"] == [])
        #expect(graph.closure["child"] == nil)
    }

    @Test func aChangeAtTheTopOfADeepChainRecomputesTheTopAlone() {
        let depth = 1_500
        var roles = [Role(name: "level0", entitlements: [Entitlement(system: "s", permission: "deep")])]
        for level in 1..<depth { roles.append(Role(name: "level\(level)", includes: ["level\(level - 1)"])) }
        var graph = RoleGraph(roles)
        #expect(graph.closure["level\(depth - 1)"] == [Entitlement(system: "s", permission: "deep")])
        #expect(graph.descendants["level\(depth - 1)"]?.count == depth)
        let top = Role(name: "level\(depth - 1)", entitlements: [Entitlement(system: "s", permission: "top")], includes: ["level\(depth - 2)"])
        #expect(graph.upsert(top) == ["level\(depth - 1)"])
        #expect(graph.closure["level\(depth - 1)"]?.count == 2)
    }

    @Test func aCycleFromATamperedDatabaseEndsTheWalk() {
        let graph = RoleGraph([Role(name: "a", includes: ["b"]), Role(name: "b", includes: ["a"])])
        #expect(graph.descendants["a"]?.contains("b") == true)
    }
}

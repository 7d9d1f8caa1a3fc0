import Foundation
import Testing

/// The independent conformance suite: scim2-tester (through scim2-cli, PyPI; scripts/test
/// installs it) drives `/scim/v2` of the real server as RFC 7643/7644 say, and every
/// result must be at least COMPLIANT.
///
/// One kind of result is held to SPEC §12 instead, and named here with its reason: the
/// tester expects a read-only sub-attribute it did not send to come back absent, where
/// Warden sets it as RFC 7643 lets a service provider do (`emails.primary` is true for
/// Warden's one address, as SPEC §12 asks). Any other result below COMPLIANT fails the
/// test.
@Suite struct SCIMConformanceTests {
    /// Whether a result is that one: a PATCH check whose returned value is the patched one
    /// but for `primary=True` where the tester sent none. Nothing else is excused.
    static func isHeldToSPEC(_ result: Result) -> Bool {
        guard ["check_add_attribute", "check_replace_attribute"].contains(result.check) else { return false }
        let lines = result.detail.split(separator: "\n").map(String.init)
        guard let patched = lines.first(where: { $0.hasPrefix("Patched value: ") })?.dropFirst("Patched value: ".count),
              var returned = lines.first(where: { $0.hasPrefix("Returned value: ") })?.dropFirst("Returned value: ".count).description
        else { return false }
        guard patched.hasPrefix("[Emails(") else { return false }
        returned = returned.replacingOccurrences(of: "primary=True", with: "primary=None")
        return returned == String(patched)
    }

    struct Result {
        var status: String
        var check: String
        var detail: String
    }

    static func results(of output: String) -> [Result] {
        var results: [Result] = []
        for line in output.split(separator: "\n", omittingEmptySubsequences: false) {
            let words = line.split(separator: " ", maxSplits: 1)
            if let first = words.first, ["SUCCESS", "COMPLIANT", "ACCEPTABLE", "DEVIATION", "ERROR", "CRITICAL", "SKIPPED"].contains(String(first)),
               words.count == 2 {
                results.append(Result(status: String(first), check: String(words[1]), detail: ""))
            } else if !results.isEmpty {
                results[results.count - 1].detail += String(line) + "\n"
            }
        }
        return results
    }

    @Test func scim2TesterFindsEveryCheckAtLeastCompliant() throws {
        let server = try WardenProcess()
        defer { server.stop() }
        let scim = try SCIMClient.provision("scim-conformance", on: server)
        // The key through the environment, as scim2-cli advises: not on a command line.
        let (_, text) = try runCapturing(["scim2", "--url", "http://127.0.0.1:\(server.httpPort)/scim/v2", "test"],
                                         environment: ["SCIM_CLI_HEADERS": "Authorization: Bearer \(scim.key)"])
        let results = Self.results(of: text)
        #expect(results.count >= 50, "scim2 test ran too few checks (is scim2-cli installed?):\n\(text)")
        #expect(results.contains { $0.status == "SUCCESS" && $0.check == "object_creation" })
        for result in results where !["SUCCESS", "COMPLIANT", "SKIPPED"].contains(result.status) {
            #expect(Self.isHeldToSPEC(result), "\(result.status) \(result.check)\n\(result.detail)")
        }
        // SKIPPED only where Warden does not offer the optional feature (a search of every type at once).
        for result in results where result.status == "SKIPPED" {
            #expect(result.check == "search_with_attributes", "SKIPPED \(result.check)\n\(result.detail)")
        }
    }
}

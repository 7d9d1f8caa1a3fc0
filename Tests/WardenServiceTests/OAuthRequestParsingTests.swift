import Foundation
import Testing
@testable import WardenService

/// How an OAuth request is read (RFC 6749 §2.3.1, §3.1, §3.2): form parameters, client
/// credentials by Basic or in the form, and the forward-auth query.
@Suite struct OAuthRequestParsingTests {
    static func form(_ text: String) throws -> OAuthForm { try OAuthForm(Array(text.utf8)) }

    @Test func aParameterWithoutAValueIsAsIfOmittedAndUnknownOnesAreKept() throws {
        let form = try Self.form("grant_type=client_credentials&scope=&audience&x=1")
        #expect(form["grant_type"] == "client_credentials")
        #expect(form["scope"] == nil)
        #expect(form["audience"] == nil)
        #expect(form["x"] == "1")
    }

    @Test func escapesAndPlusesAreDecoded() throws {
        #expect(try Self.form("scope=read+write&id=a%40b")["scope"] == "read write")
        #expect(try Self.form("scope=read+write&id=a%40b")["id"] == "a@b")
    }

    @Test(arguments: ["a=1&a=2", "a=&a=1"])
    func aRepeatedParameterIsRefused(_ text: String) {
        #expect(throws: OAuthForm.Problem.repeated("a")) { try Self.form(text) }
    }

    @Test(arguments: ["a=%zz", "a=%4", "a=%C3%28", "%=1"])
    func aMalformedEscapeOrInvalidUTF8IsRefused(_ text: String) {
        #expect(throws: OAuthForm.Problem.malformed) { try Self.form(text) }
    }

    static func basic(_ text: String) -> String { "Basic " + Data(text.utf8).base64EncodedString() }

    @Test func basicCredentialsAreFormDecoded() throws {
        let credentials = try OAuthClientCredentials(authorization: Self.basic("svc%40corp:wk_a%2Bb"), form: Self.form(""))
        #expect(credentials == OAuthClientCredentials(id: "svc@corp", secret: "wk_a+b", method: .basic))
    }

    @Test func formCredentialsArePost() throws {
        let credentials = try OAuthClientCredentials(authorization: nil, form: Self.form("client_id=svc&client_secret=wk_x"))
        #expect(credentials == OAuthClientCredentials(id: "svc", secret: "wk_x", method: .post))
    }

    @Test func bothMethodsOrAMismatchedClientIDAreInvalidRequest() throws {
        #expect(throws: OAuthError.self) {
            try OAuthClientCredentials(authorization: Self.basic("svc:wk_x"), form: Self.form("client_secret=wk_x"))
        }
        let other = try Self.form("client_id=other")
        do throws(OAuthError) {
            _ = try OAuthClientCredentials(authorization: Self.basic("svc:wk_x"), form: other)
            Issue.record("a client_id naming another client was accepted")
        } catch {
            #expect(error.code == "invalid_request")
        }
        // The same client named in both is fine (RFC 6749 §3.2.1).
        #expect(throws: Never.self) {
            try OAuthClientCredentials(authorization: Self.basic("svc:wk_x"), form: Self.form("client_id=svc"))
        }
    }

    @Test(arguments: [nil, "Bearer abc", "Basic !!!", Self.basic("no-colon")] as [String?])
    func noUsableCredentialsAreInvalidClient(_ header: String?) throws {
        let form = try Self.form("client_id=svc")
        do throws(OAuthError) {
            _ = try OAuthClientCredentials(authorization: header, form: form)
            Issue.record("accepted \(String(describing: header))")
        } catch {
            #expect(error.code == "invalid_client")
            #expect(error.status == 401)
            #expect(error.answer.headers.contains { $0.0 == "WWW-Authenticate" && $0.1.hasPrefix("Basic") })
        }
    }

    @Test func theForwardAuthQueryNamesOneSystemAndPermission() {
        #expect(WardenService.forwardAuthTarget("system=Wiki&permission=read")?.system == "wiki")
        for query in [nil, "", "system=wiki", "system=wiki&permission=a&permission=b", "system=a%20b&permission=read"] as [String?] {
            #expect(WardenService.forwardAuthTarget(query) == nil)
        }
    }

    @Test func aBearerTokenIsReadInAnyCase() {
        #expect(WardenService.bearerToken("bearer abc.def") == "abc.def")
        #expect(WardenService.bearerToken("Bearer ") == nil)
        #expect(WardenService.bearerToken("Basic abc") == nil)
        #expect(WardenService.bearerToken(nil) == nil)
    }
}

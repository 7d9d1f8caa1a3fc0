import Testing
@testable import WardenWeb

/// The pure parts of the web sessions: the cookies, the per-session CSRF token, and the
/// lenient look-up of the token in a form that is read strictly only after it.
@Suite struct SessionTokenTests {
    static let id = "oIepoqSp5uySV5VJWb9OjnEZ_6kCaNVJf07OCQaWmqY"

    @Test func theTokenIsTheSameForASessionAndDiffersBetweenSessions() {
        let token = SessionCSRF.token(forSession: Self.id)
        #expect(token.count == 43)
        #expect(token == SessionCSRF.token(forSession: Self.id))
        #expect(token != SessionCSRF.token(forSession: "x" + Self.id.dropFirst()))
        #expect(token != Self.id, "the token does not give the id away")
        #expect(SessionCSRF.matches(token, session: Self.id))
        #expect(!SessionCSRF.matches(nil, session: Self.id))
        #expect(!SessionCSRF.matches("", session: Self.id))
        #expect(!SessionCSRF.matches(String(token.dropLast()), session: Self.id))
    }

    @Test func cookiesAreStrictAndSecureUnderTLS() {
        #expect(WebCookie.set(WebCookie.session(secure: false), "v", secure: false) == "warden-session=v; Path=/; HttpOnly; SameSite=Strict")
        #expect(WebCookie.set(WebCookie.session(secure: true), "v", secure: true)
            == "__Host-warden-session=v; Path=/; HttpOnly; SameSite=Strict; Secure")
        #expect(WebCookie.clear("warden-session", secure: false).contains("Max-Age=0"))
        #expect(WebCookie.value(of: "warden-session", in: "a=1; warden-session=xyz; b=2") == "xyz")
        #expect(WebCookie.value(of: "warden-session", in: "xwarden-session=xyz") == nil)
        #expect(WebCookie.value(of: "warden-session", in: nil) == nil)
    }

    @Test(arguments: [("oIepoqSp5uySV5VJWb9OjnEZ_6kCaNVJf07OCQaWmqY", true), ("short", false),
                      ("oIepoqSp5uySV5VJWb9OjnEZ_6kCaNVJf07OCQaWmq=", false), ("oIepoqSp5uySV5VJWb9OjnEZ_6kCaNVJf07OCQaWmqY0", false)])
    func onlyIdsOfWardensShapeAreLookedUp(_ value: String, _ valid: Bool) {
        #expect(WebCookie.isSessionID(value) == valid)
    }

    @Test func theTokenIsFoundInAnyFormButTheFormIsReadStrictlyAfter() {
        let body = Array("unknown=1&csrf=abc%2Bd&x=%zz".utf8)
        #expect(FormBody.field("csrf", in: body) == "abc+d")
        #expect(FormBody.field("csrf", in: Array("a=1".utf8)) == nil)
        #expect(FormBody(body, allowed: ["csrf"]) == nil)
    }
}

import Testing
@testable import WardenWeb

@Suite struct FormBodyTests {
    @Test func fieldsAreDecoded() {
        let form = FormBody(Array("a=x+y%20z&b=%C3%A9%26%3D&c=".utf8), allowed: ["a", "b", "c"])
        #expect(form?["a"] == "x y z")
        #expect(form?["b"] == "é&=")
        #expect(form?["c"] == "")
    }

    @Test(arguments: ["a=%zz", "a=%4", "a=%FF", "a", "a=1&a=2", "d=1", "a=1&&b=2", "%61=1&a=2"])
    func malformedOrUnexpectedBodiesAreRefusedWhole(body: String) {
        #expect(FormBody(Array(body.utf8), allowed: ["a", "b"]) == nil)
    }

    @Test func anEmptyBodyHasNoFields() {
        #expect(FormBody([UInt8](), allowed: ["a"])?["a"] == nil)
    }

    @Test func theCSRFCookieIsFoundAndMustBeWellFormed() {
        let token = CSRFToken.random()
        #expect(CSRFToken.fromCookies("other=1; warden-csrf=\(token.value)", secure: false) == token)
        #expect(CSRFToken.fromCookies("__Host-warden-csrf=\(token.value)", secure: true) == token)
        #expect(CSRFToken.fromCookies("warden-csrf=\(token.value)", secure: true) == nil)
        #expect(CSRFToken.fromCookies("warden-csrf=short", secure: false) == nil)
        #expect(token.matches(token.value))
        #expect(!token.matches(CSRFToken.random().value))
        #expect(!token.matches(nil))
        #expect(token.setCookie(secure: true).hasSuffix("; Path=/; HttpOnly; SameSite=Strict; Secure"))
    }
}

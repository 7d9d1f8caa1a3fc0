import Foundation
import Testing

/// Throttling of OAuth client authentication (SPEC §2.4, §13): the failures of one
/// client id from one source are slowed like `LOGIN`'s; a right secret is not.
@Suite struct OAuthThrottleTests {
    static let shared = SharedWarden()

    @Test func theSixthFailureForAClientIsDelayed() throws {
        let server = try Self.shared.get()
        let key = try OAuth.client("oauth-throttled", on: server)
        let wrong = basic("oauth-throttled", "wk_" + String(repeating: "B", count: 43))
        for _ in 1...5 {
            let (response, seconds) = try Fixture.timed { try OAuth.token(on: server, [], headers: wrong) }
            #expect(response.status == 401)
            #expect(seconds < TokenThrottleTests.fast)
        }
        let (sixth, slowed) = try Fixture.timed { try OAuth.token(on: server, [], headers: wrong) }
        #expect(sixth.status == 401)
        #expect(slowed >= 0.9)
        // Another client from the same source is not slowed.
        let other = try OAuth.client("oauth-unthrottled", on: server)
        let (fine, fast) = try Fixture.timed { try OAuth.token(on: server, [], headers: basic("oauth-unthrottled", other)) }
        #expect(fine.status == 200)
        #expect(fast < TokenThrottleTests.fast)
        _ = key
    }

    @Test func theThrottleIsSharedWithTheLineProtocol() throws {
        let server = try Self.shared.get()
        let key = try OAuth.client("oauth-shared", on: server)
        let connection = try server.connect()
        for _ in 1...5 { #expect(try connection.send("AUTH oauth-shared wk_wrong-key-0000").errorCode == "AUTH-FAILED") }
        let (response, seconds) = try Fixture.timed { try OAuth.token(on: server, [], headers: basic("oauth-shared", "wk_wrong")) }
        #expect(response.status == 401)
        #expect(seconds >= 0.9)
        _ = key
    }
}

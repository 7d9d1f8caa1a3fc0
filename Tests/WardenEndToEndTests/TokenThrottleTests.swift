import Foundation
import Testing

/// SPEC §2.4 login throttling: after 5 consecutive failures for one username from
/// one source, further attempts wait 1 s, 2 s, 4 s …; other usernames and other
/// connections keep full speed; a success resets it. Bounds are generous: "fast"
/// is well under the first 1 s step, "slow" is close to the step it should take.
@Suite struct TokenThrottleTests {
    static let shared = SharedWarden()
    static let fast = 0.8

    /// Five wrong passwords for `name`, each answered without delay.
    private func failFiveTimes(_ name: String, on connection: LineConnection) throws {
        for _ in 1...5 {
            let (reply, seconds) = try Fixture.timed { try connection.send("LOGIN \(name) Wrong-Password-123") }
            #expect(reply.errorCode == "AUTH-FAILED")
            #expect(seconds < Self.fast)
        }
    }

    @Test func theSixthAndSeventhFailuresAreDelayedOneAndTwoSeconds() throws {
        let server = try Self.shared.get()
        try Fixture.person("throttle-grow", on: server)
        let connection = try server.connect()
        try failFiveTimes("throttle-grow", on: connection)
        let (sixth, first) = try Fixture.timed { try connection.send("LOGIN throttle-grow Wrong-Password-123") }
        let (seventh, second) = try Fixture.timed { try connection.send("LOGIN throttle-grow Wrong-Password-123") }
        #expect(sixth.errorCode == "AUTH-FAILED")
        #expect(seventh.errorCode == "AUTH-FAILED")
        #expect(first >= 0.9)
        #expect(second >= 1.9)
    }

    @Test func anUnknownUsernameIsThrottledLikeAKnownOne() throws {
        let server = try Self.shared.get()
        let connection = try server.connect()
        try failFiveTimes("throttle-nobody", on: connection)
        let (sixth, seconds) = try Fixture.timed { try connection.send("LOGIN throttle-nobody Wrong-Password-123") }
        #expect(sixth.errorCode == "AUTH-FAILED")
        #expect(seconds >= 0.9)
    }

    @Test func anotherUsernameFromTheSameSourceIsNotSlowed() throws {
        let server = try Self.shared.get()
        try Fixture.person("throttle-other", on: server)
        let connection = try server.connect()
        try failFiveTimes("throttle-target", on: connection)
        let (reply, seconds) = try Fixture.timed { try connection.send("LOGIN throttle-other \(Fixture.password)") }
        #expect(reply.final.hasPrefix("OK token="))
        #expect(seconds < Self.fast)
    }

    @Test func aDelayedReplyDoesNotHoldUpOtherConnections() throws {
        let server = try Self.shared.get()
        let attacker = try server.connect()
        try failFiveTimes("throttle-parallel", on: attacker)
        try attacker.write("LOGIN throttle-parallel Wrong-Password-123\n")
        let (pong, seconds) = try Fixture.timed { try server.connect().send("PING") }
        #expect(pong.final == "OK PONG")
        #expect(seconds < Self.fast)
        #expect(try attacker.readReply().errorCode == "AUTH-FAILED")
    }

    @Test func theRightPasswordStillSucceedsAfterTheDelayAndResetsIt() throws {
        let server = try Self.shared.get()
        try Fixture.person("throttle-reset", on: server)
        let connection = try server.connect()
        try failFiveTimes("throttle-reset", on: connection)
        let (success, seconds) = try Fixture.timed { try connection.send("LOGIN throttle-reset \(Fixture.password)") }
        #expect(success.final.hasPrefix("OK token="))
        #expect(seconds >= 0.9)
        let (after, again) = try Fixture.timed { try connection.send("LOGIN throttle-reset Wrong-Password-123") }
        #expect(after.errorCode == "AUTH-FAILED")
        #expect(again < Self.fast)
    }
}

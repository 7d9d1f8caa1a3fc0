import Testing
import WardenCore
@testable import WardenService

/// The throttle against an attacker (issue #11): attempts in flight count, a source
/// failing across usernames is slowed, and flooding the table forgets nobody.
@Suite struct LoginThrottleTests {
    let now = Timestamp(milliseconds: 1_800_000_000_000)

    func fail(_ throttle: LoginThrottle, _ username: String, _ source: String = "192.0.2.1", times: Int = 1) {
        for _ in 0..<times {
            throttle.failed(throttle.begin(username: username, source: source, now: now), now: now)
        }
    }

    @Test func afterFiveFailuresTheDelayGrowsAndASuccessResetsIt() {
        let throttle = LoginThrottle()
        fail(throttle, "alice", times: 5)
        let sixth = throttle.begin(username: "alice", source: "192.0.2.1", now: now)
        #expect(sixth.waitMilliseconds == 1000)
        throttle.failed(sixth, now: now)
        let seventh = throttle.begin(username: "alice", source: "192.0.2.1", now: Timestamp(milliseconds: now.milliseconds + 5000))
        #expect(seventh.waitMilliseconds == 2000)
        throttle.succeeded(seventh)
        #expect(throttle.begin(username: "alice", source: "192.0.2.1", now: now).waitMilliseconds == 0)
        // Other usernames and other sources are not slowed.
        #expect(throttle.begin(username: "bob", source: "192.0.2.1", now: now).waitMilliseconds == 0)
    }

    @Test func parallelAttemptsWaitOneAfterAnother() {
        let throttle = LoginThrottle()
        fail(throttle, "alice", times: 5)
        // Sixty attempts at once, none finished: each waits for the one before it.
        let waits = (0..<60).map { _ in throttle.begin(username: "alice", source: "192.0.2.1", now: now).waitMilliseconds }
        #expect(waits.prefix(7) == [1000, 3000, 7000, 15000, 31000, 63000, 123_000])
        #expect(zip(waits, waits.dropFirst()).allSatisfy { $0 < $1 })
        #expect(waits.last! >= 3_000_000)
    }

    @Test func anAPIKeyOnlyAttemptIsNotCountedInFlightButItsFailuresAre() {
        let throttle = LoginThrottle()
        // An OAuth client asking for forty tokens at once is not slowed, nor does it slow
        // the next password attempt from its address.
        let turns = (0..<40).map { _ in throttle.begin(username: "svc", source: "192.0.2.1", now: now, inFlight: false) }
        #expect(turns.allSatisfy { $0.waitMilliseconds == 0 })
        #expect(throttle.begin(username: "svc", source: "192.0.2.1", now: now).waitMilliseconds == 0)
        // Its wrong keys count as any failure: the sixth attempt waits.
        for turn in turns.prefix(5) { throttle.failed(turn, now: now) }
        #expect(throttle.begin(username: "svc", source: "192.0.2.1", now: now, inFlight: false).waitMilliseconds > 0)
    }

    @Test func attemptsInFlightCountBeforeAnyHasFailed() {
        let throttle = LoginThrottle()
        let waits = (0..<8).map { _ in throttle.begin(username: "alice", source: "192.0.2.1", now: now).waitMilliseconds }
        #expect(waits == [0, 0, 0, 0, 0, 1000, 3000, 7000])
    }

    @Test func aSourceFailingAcrossManyUsernamesIsSlowedAsAWhole() {
        let throttle = LoginThrottle()
        for index in 0..<LoginThrottle.sourceFreeFailures { fail(throttle, "fresh\(index)") }
        #expect(throttle.begin(username: "another", source: "192.0.2.1", now: now).waitMilliseconds == 1000)
        #expect(throttle.begin(username: "another", source: "198.51.100.7", now: now).waitMilliseconds == 0)
    }

    @Test func aSuccessDoesNotResetTheSourcesCount() {
        let throttle = LoginThrottle()
        for index in 0..<LoginThrottle.sourceFreeFailures { fail(throttle, "fresh\(index)") }
        throttle.succeeded(throttle.begin(username: "mallory", source: "192.0.2.1", now: now))
        #expect(throttle.begin(username: "fresh-again", source: "192.0.2.1", now: now).waitMilliseconds > 0)
    }

    @Test func anIPv6SourceIsItsSlash64() {
        #expect(LoginThrottle.sourceKey("2001:db8:1:2::1") == LoginThrottle.sourceKey("2001:db8:1:2:ffff::9"))
        #expect(LoginThrottle.sourceKey("2001:db8:1:2::1") != LoginThrottle.sourceKey("2001:db8:1:3::1"))
        #expect(LoginThrottle.sourceKey("::ffff:192.0.2.1") != LoginThrottle.sourceKey("::ffff:192.0.2.2"))
        #expect(LoginThrottle.sourceKey("192.0.2.1") == "192.0.2.1")
    }

    @Test func floodingTheTableWithFreshNamesForgetsNoThrottledPair() {
        let throttle = LoginThrottle(maximumEntries: 1000)
        fail(throttle, "admin", "192.0.2.1", times: 5)
        // Fresh names from many sources, more than the table holds.
        for index in 0..<3000 { fail(throttle, "fresh\(index)", "198.51.\(index / 250).\(index % 250)") }
        #expect(throttle.begin(username: "admin", source: "192.0.2.1", now: now).waitMilliseconds >= 1000)
        // A pair the full table cannot record is slowed as though throttled.
        #expect(throttle.begin(username: "new", source: "203.0.113.9", now: now).waitMilliseconds >= 1000)
    }

    @Test func staleEntriesMakeRoomWhenTheTableIsFull() {
        let throttle = LoginThrottle(maximumEntries: 10)
        for index in 0..<10 { fail(throttle, "old\(index)", "192.0.2.\(index)") }
        let later = Timestamp(milliseconds: now.milliseconds + 16 * 60 * 1000)
        #expect(throttle.begin(username: "new", source: "203.0.113.9", now: later).waitMilliseconds == 0)
    }
}

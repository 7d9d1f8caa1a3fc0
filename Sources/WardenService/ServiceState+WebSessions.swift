import WardenCore

/// The web sessions' part of the reducer (SPEC §11). Every node applies the same
/// changes in commit order, so a session ended on one node is ended on all.
extension ServiceState {
    mutating func startWebSession(_ session: WebSession) {
        // A sign-in committed before a disable or delete is ended by it; one of a user
        // this node no longer knows as active starts nothing.
        guard directory.user(id: session.userID)?.status == .active else { return }
        webSessions[session.digest] = session
        webSessionsByUser[session.userID, default: []].insert(session.digest)
    }

    mutating func endWebSession(digest: String) {
        guard let session = webSessions.removeValue(forKey: digest) else { return }
        webSessionsByUser[session.userID]?.remove(digest)
        if webSessionsByUser[session.userID]?.isEmpty == true { webSessionsByUser[session.userID] = nil }
    }

    /// A password change or reset, a disable or a delete: all of the user's sessions end.
    mutating func endWebSessions(userID: Int64) {
        for digest in webSessionsByUser.removeValue(forKey: userID) ?? [] { webSessions[digest] = nil }
    }

    /// Forgets sessions begun before `time` (past their lifetime): a decision of the
    /// clock alone, the same on every node, so it needs no change of its own.
    mutating func forgetWebSessions(startedBefore time: Timestamp) {
        for (digest, session) in webSessions where session.started < time { endWebSession(digest: digest) }
    }
}

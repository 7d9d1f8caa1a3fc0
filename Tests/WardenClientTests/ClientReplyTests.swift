import Testing
import WardenClient

/// A reply read back into what a tool needs: status, error code and message, and the
/// `key=value` words with the protocol's quoting undone.
@Suite struct ClientReplyTests {
    @Test func anOKLinesFieldsAreUnquoted() {
        let reply = ClientReply(final: #"OK user=alice name="Alice \"Al\" Archer" note="two\nlines""#)
        #expect(reply.isOK)
        #expect(reply.errorCode == nil)
        #expect(reply.fields == ["user": "alice", "name": #"Alice "Al" Archer"#, "note": "two\nlines"])
    }

    @Test func anERRLineHasACodeAndAMessage() {
        let reply = ClientReply(final: "ERR NOT-FOUND no user bob")
        #expect(!reply.isOK)
        #expect(reply.errorCode == "NOT-FOUND")
        #expect(reply.errorMessage == "no user bob")
        #expect(reply.fields.isEmpty)
        #expect(ClientReply(final: "ERR BUSY").errorMessage == "")
    }

    @Test func dataLinesAreRecordsAndTheTextIsTheWire() {
        let reply = ClientReply(data: ["user=alice via=direct", "user=bob via=role:eng"], final: "OK count=2")
        #expect(reply.records.map { $0["user"] } == ["alice", "bob"])
        #expect(reply.text == "* user=alice via=direct\n* user=bob via=role:eng\nOK count=2\n")
    }

    @Test func okIsNotAPrefixOfAnotherWord() {
        #expect(!ClientReply(final: "OKAY").isOK)
        #expect(ClientReply(final: "OK").isOK)
    }
}

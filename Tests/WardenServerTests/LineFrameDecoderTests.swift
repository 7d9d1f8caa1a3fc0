import NIOCore
import NIOEmbedded
import Testing
import WardenProtocol
@testable import WardenServer

/// The line framing of SPEC §2 on an in-memory channel: cut at LF, a CR before it
/// dropped, a line over the limit refused without buffering it, a last line without
/// LF dropped.
@Suite struct LineFrameDecoderTests {
    /// Feeds `chunks` through the decoder; returns what it passed on.
    func frames(_ chunks: [String]) throws -> [String] {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(LineFrameDecoder()))
        for chunk in chunks { try channel.writeInbound(ByteBuffer(string: chunk)) }
        var frames: [String] = []
        while let frame = try channel.readInbound(as: LineFrame.self) {
            switch frame {
            case .line(let buffer): frames.append(String(buffer: buffer))
            case .tooLong: frames.append("<too long>")
            }
        }
        _ = try? channel.finish()
        return frames
    }

    @Test func linesAreCutAtLFWithoutTheirCR() throws {
        #expect(try frames(["PING\r\nHEL", "LO\n\nQUIT\r\n"]) == ["PING", "HELLO", "", "QUIT"])
    }

    @Test func aLineArrivingAByteAtATimeIsOneLine() throws {
        #expect(try frames("CHECK alice wiki read\n".map(String.init)) == ["CHECK alice wiki read"])
    }

    @Test func aLineAtTheLimitPassesAndOneByteMoreIsRefused() throws {
        let limit = String(repeating: "x", count: LineParser.maximumLineBytes)
        #expect(try frames([limit + "\r\n"]) == [limit])
        #expect(try frames([limit + "x\n", "PING\n"]) == ["<too long>"])
    }

    @Test func anOverlongLineIsRefusedBeforeItsLFArrives() throws {
        let chunk = String(repeating: "x", count: 4096)
        #expect(try frames(Array(repeating: chunk, count: 5)) == ["<too long>"])
    }

    @Test func aLastLineWithoutLFIsNotARequest() throws {
        #expect(try frames(["PING\nQUIT"]) == ["PING"])
    }
}

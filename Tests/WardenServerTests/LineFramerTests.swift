import NIOCore
import Testing
import WardenProtocol
@testable import WardenServer

/// The line framing of SPEC §2 on an in-memory channel: cut at LF, a CR before it
/// dropped, a line over the limit refused without buffering it, a last line without
/// LF dropped.
@Suite struct LineFramerTests {
    /// Feeds `chunks` through the framer, taking lines out after each; returns them.
    func frames(_ chunks: [String]) -> [String] {
        var framer = LineFramer()
        var frames: [String] = []
        for chunk in chunks {
            framer.append(ByteBuffer(string: chunk))
            while let frame = framer.next() {
                switch frame {
                case .line(let buffer): frames.append(String(buffer: buffer))
                case .tooLong: frames.append("<too long>")
                }
            }
        }
        return frames
    }

    @Test func linesAreCutAtLFWithoutTheirCR() {
        #expect(frames(["PING\r\nHEL", "LO\n\nQUIT\r\n"]) == ["PING", "HELLO", "", "QUIT"])
    }

    @Test func aLineArrivingAByteAtATimeIsOneLine() {
        #expect(frames("CHECK alice wiki read\n".map(String.init)) == ["CHECK alice wiki read"])
    }

    @Test func aLineAtTheLimitPassesAndOneByteMoreIsRefused() {
        let limit = String(repeating: "x", count: LineParser.maximumLineBytes)
        #expect(frames([limit + "\r\n"]) == [limit])
        #expect(frames([limit + "x\n", "PING\n"]) == ["<too long>"])
    }

    @Test func anOverlongLineIsRefusedBeforeItsLFArrives() {
        let chunk = String(repeating: "x", count: 4096)
        #expect(frames(Array(repeating: chunk, count: 5)) == ["<too long>"])
    }

    @Test func aLastLineWithoutLFIsNotARequest() {
        #expect(frames(["PING\nQUIT"]) == ["PING"])
    }

    /// A client that never pauses: every read ends inside a line, so the framer keeps
    /// appending to the same buffer and drops the lines already taken from its front
    /// (past 16 KiB). Every line must come out whole and in order across those drops.
    @Test func aStreamThatNeverEndsOnALineBoundaryComesOutWhole() {
        let lines = (0..<5000).map { "CHECK user\($0) wiki read" }
        // Each read: the second half of one line and the first half of the next.
        let halves = lines.map { line -> (String, String) in
            let full = line + "\r\n"
            let middle = full.index(full.startIndex, offsetBy: full.count / 2)
            return (String(full[..<middle]), String(full[middle...]))
        }
        var chunks = [halves[0].0]
        for index in 1..<halves.count { chunks.append(halves[index - 1].1 + halves[index].0) }
        chunks.append(halves[halves.count - 1].1)
        #expect(frames(chunks) == lines)
    }
}

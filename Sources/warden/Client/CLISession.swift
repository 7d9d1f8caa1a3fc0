import WardenClient
import WardenProtocol

/// The three ways `warden cli` talks once connected.
struct CLISession {
    let connection: WardenConnection
    let format: ReplyFormat

    /// The request from the command line is line 1: an `ERR` is reported on standard
    /// error as `line 1: ERR …`, as a batch reports its failing lines (SPEC §5).
    func oneShot(_ line: String) async -> Int32 {
        do {
            let reply = try await connection.send(line)
            Console.write(format.render(reply))
            await connection.close()
            guard reply.isOK else {
                Console.error("line 1: \(reply.final)")
                return 1
            }
            return 0
        } catch {
            Console.error("no reply: \(ClientError.describe(error))")
            return ConnectionOptions.connectionFailure
        }
    }

    func interactive() async -> Int32 {
        var status: Int32 = 0
        while true {
            Console.write("warden> ")
            guard let line = readLine(strippingNewline: true) else {
                Console.write("\n")
                break
            }
            if CLISession.isSkipped(Array(line.utf8)) { continue }
            do {
                let reply = try await connection.send(line)
                Console.write(format.render(reply))
                if !reply.isOK { status = 1 }
                if reply.final == "OK bye" { break }
            } catch {
                Console.error("no reply: \(ClientError.describe(error))")
                return ConnectionOptions.connectionFailure
            }
        }
        await connection.close()
        return status
    }

    /// One request a line of standard input, written as soon as read; replies are
    /// printed in order as they arrive.
    func batch() async -> Int32 {
        enum Item: Sendable {
            case sent(Int, WardenConnection.PendingReply)
            case refused(Int, ClientReply)
        }
        let (items, sink) = AsyncStream<Item>.makeStream()
        let connection = self.connection
        let submitter = Task {
            for await chunk in InputLines.standardInput() {
                for line in chunk where !CLISession.isSkipped(line.bytes) {
                    if line.bytes.count > LineParser.maximumLineBytes {
                        // The server would answer TOO-LONG and hang up; keep the connection.
                        sink.yield(.refused(line.number, ClientReply(final: "ERR \(ErrorCode.tooLong.rawValue) line longer than \(LineParser.maximumLineBytes) bytes; not sent")))
                    } else {
                        sink.yield(.sent(line.number, connection.submit(bytes: line.bytes, flush: false)))
                    }
                }
                connection.flush()
            }
            sink.finish()
        }
        var failed: [Int] = []
        for await item in items {
            let number: Int, reply: ClientReply
            switch item {
            case .refused(let line, let local):
                (number, reply) = (line, local)
            case .sent(let line, let pending):
                do {
                    (number, reply) = (line, try await pending.get())
                } catch {
                    submitter.cancel()
                    Console.error("line \(line): no reply: \(ClientError.describe(error)); stopped there")
                    reportFailures(failed)
                    return ConnectionOptions.connectionFailure
                }
            }
            Console.write(format.render(reply))
            if !reply.isOK {
                failed.append(number)
                Console.error("line \(number): \(reply.final)")
            }
        }
        reportFailures(failed)
        await connection.close()
        return failed.isEmpty ? 0 : 1
    }

    private func reportFailures(_ lines: [Int]) {
        guard !lines.isEmpty else { return }
        Console.error("\(lines.count) request(s) failed, on line(s) \(lines.map(String.init).joined(separator: ","))")
    }

    /// Blank lines get no reply from the server; `#` lines are comments of the tool.
    static func isSkipped(_ bytes: [UInt8]) -> Bool {
        guard let first = bytes.first(where: { $0 != UInt8(ascii: " ") }) else { return true }
        return first == UInt8(ascii: "#")
    }
}

import NIOCore
import WardenCore
import WardenProtocol
import WardenService

/// One connection of the line protocol: reads requests, answers them strictly in
/// order (pipelining), and enforces the limits of SPEC §2 that concern a connection:
/// idle timeouts, the HTTP-looking first line, over-long lines, and a client that
/// stops reading (its connection pauses, then closes, instead of growing memory).
///
/// Answers from memory are written on the event loop at once; work that hashes or
/// commits runs elsewhere, and the connection waits for it before the next request,
/// except that changes decided wholly in the writer (`WardenService.mayOverlap`) are
/// handed to it one after another without waiting, and answered in order once committed.
final class CommandHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private enum Pending {
        case request(Request, received: NIODeadline)
        case refused(Reply)
        case tooLong
    }

    /// A request whose work runs elsewhere, and its answer once that work is done.
    private struct InFlight {
        var request: Request
        var received: NIODeadline
        /// Whether later changes may be handed over before it is answered.
        var overlaps: Bool
        var answer: (Reply, SessionEffect)?
    }

    private let service: WardenService
    private let configuration: ServerConfiguration
    private let tracker: ConnectionTracker
    /// `CHECK`'s metrics series, for its own path.
    private let checkSeries: Int
    private var session = Session(source: "unknown")
    private var framer = LineFramer()
    private var queue = CircularBuffer<Pending>(initialCapacity: 16)
    /// Oldest first; answered strictly in this order.
    private var inFlight = CircularBuffer<InFlight>(initialCapacity: 16)
    /// The number of `inFlight.first` among every request this connection handed over.
    private var firstInFlight = 0
    /// In-flight requests that later ones must wait for.
    private var inFlightBarriers = 0
    private var closing = false
    private var sawFirstLine = false
    private var readingPaused = false
    private var idleTimer: Scheduled<Void>?
    /// When the client last sent something; the idle timer checks it when it fires,
    /// rather than being rescheduled for every line. It counts once authenticated.
    private var lastActivity = NIODeadline.now()
    /// When the connection opened or last presented a credential (`AUTH`, `LOGIN`,
    /// `ACTIVATE`): before authentication only this counts, so that `PING`s or empty
    /// lines cannot hold a slot (SPEC §2's 60 s before authenticating).
    private var lastCredentialAttempt = NIODeadline.now()
    /// Inside a burst of reads, replies are flushed once, at `channelReadComplete`,
    /// so that a pipelined batch is answered with one write, not one per reply.
    private var reading = false
    /// Replies not yet handed to the channel: a burst's replies go out as one buffer.
    private var output: ByteBuffer?
    /// Reused for encoding each reply, so that answering allocates nothing new.
    private var scratch: [UInt8] = []
    private var needsFlush = false
    private var stallTimer: Scheduled<Void>?
    private var context: ChannelHandlerContext?

    init(service: WardenService, configuration: ServerConfiguration, tracker: ConnectionTracker) {
        self.service = service
        self.configuration = configuration
        self.tracker = tracker
        checkSeries = service.metrics.series(named: "CHECK")
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        idleTimer?.cancel()
        stallTimer?.cancel()
    }

    func channelActive(context: ChannelHandlerContext) {
        session.source = context.channel.remoteAddress?.ipAddress ?? "unknown"
        lastCredentialAttempt = .now()
        lastActivity = lastCredentialAttempt
        service.metrics.connectionOpened()
        scheduleIdleCheck(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        service.metrics.connectionClosed()
        closing = true
        idleTimer?.cancel()
        stallTimer?.cancel()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closing else { return }
        reading = true
        lastActivity = .now()
        framer.append(unwrapInboundIn(data))
        while !closing, let frame = framer.next() {
            received(frame, context)
        }
    }

    /// One line (or the news that a line was too long), in the order sent.
    private func received(_ frame: LineFrame, _ context: ChannelHandlerContext) {
        switch frame {
        case .tooLong:
            queue.append(.tooLong)
        case .line(let line):
            if !sawFirstLine, !line.readableBytesView.allSatisfy({ $0 == UInt8(ascii: " ") }) {
                sawFirstLine = true
                if CommandHandler.looksLikeHTTP(line) {
                    closing = true
                    context.close(promise: nil)
                    return
                }
            }
            // Answered on the spot: nothing is queued, so there is nothing to process.
            if answeredCheck(line, context) { return }
            do {
                if let request = try Request.parse(line: line.readableBytesView) {
                    if WardenService.presentsCredential(request) { lastCredentialAttempt = .now() }
                    queue.append(.request(request, received: .now()))
                }
            } catch {
                queue.append(.refused(.error(error.code, error.message)))
            }
        }
        if queue.count >= configuration.maximumQueuedRequests, !readingPaused {
            readingPaused = true
            context.channel.setOption(ChannelOptions.autoRead, value: false).whenFailure { _ in }
        }
        process(context)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        reading = false
        flushOutput(context)
        context.fireChannelReadComplete()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            stallTimer?.cancel()
            stallTimer = nil
            process(context)
        } else if stallTimer == nil {
            // The client is not reading its replies: give it a while, then hang up.
            stallTimer = context.eventLoop.assumeIsolated().scheduleTask(in: .seconds(configuration.stalledOutputSeconds)) { [self] in
                closing = true
                self.context?.close(promise: nil)
            }
        }
        context.fireChannelWritabilityChanged()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        closing = true
        context.close(promise: nil)
    }

    // MARK: Answering in order

    private func process(_ context: ChannelHandlerContext) {
        while !closing, context.channel.isWritable, let item = queue.first, !mustWait(for: item) {
            queue.removeFirst()
            switch item {
            case .tooLong:
                write(.error(.tooLong, "line longer than \(LineParser.maximumLineBytes) bytes; closing"), context)
                closeAfterFlush(context)
                return
            case .refused(let reply):
                write(reply, context)
            case .request(let request, let received):
                switch service.handle(request, session: &session) {
                case .now(let reply, let effect):
                    if inFlight.isEmpty {
                        finish(request, reply, effect, received, context)
                    } else {
                        inFlight.append(InFlight(request: request, received: received, overlaps: true, answer: (reply, effect)))
                    }
                case .later(let work):
                    let overlaps = WardenService.mayOverlap(request)
                    let number = firstInFlight + inFlight.count
                    inFlight.append(InFlight(request: request, received: received, overlaps: overlaps, answer: nil))
                    if !overlaps { inFlightBarriers += 1 }
                    tracker.beginCommand()
                    let promise = context.eventLoop.makePromise(of: (Reply, SessionEffect).self)
                    // Encoded where the work ran, off the loop: a list that grows with
                    // the directory costs the loop only the copy of its bytes.
                    promise.completeWithTask {
                        let (reply, effect) = await work()
                        return (reply.encodingData(), effect)
                    }
                    promise.futureResult.assumeIsolated().whenComplete { [self] result in
                        tracker.endCommand()
                        guard let context = self.context, !closing else { return }
                        inFlight[offset: number - firstInFlight].answer = (try? result.get()) ?? (.error(.internalError, "internal error"), .none)
                        answerInFlight(context)
                        // The replies must go out now, not when a later request happens to flush.
                        flushOutput(context)
                        process(context)
                    }
                }
            }
        }
        if !reading { flushOutput(context) }
        if readingPaused, queue.count < configuration.maximumQueuedRequests / 2 {
            readingPaused = false
            context.channel.setOption(ChannelOptions.autoRead, value: true).whenFailure { _ in }
        }
    }

    /// Whether `item` must wait for the requests in flight: anything but a change that
    /// may overlap (and only behind other such changes), and anything past the cap.
    private func mustWait(for item: Pending) -> Bool {
        guard !inFlight.isEmpty else { return false }
        guard case .request(let request, _) = item, inFlightBarriers == 0,
              inFlight.count < configuration.maximumQueuedRequests else { return true }
        return !WardenService.mayOverlap(request)
    }

    /// Answers the in-flight requests whose work is done, oldest first, up to the first
    /// one still running.
    private func answerInFlight(_ context: ChannelHandlerContext) {
        while !closing, let first = inFlight.first, let (reply, effect) = first.answer {
            inFlight.removeFirst()
            firstInFlight += 1
            if !first.overlaps { inFlightBarriers -= 1 }
            finish(first.request, reply, effect, first.received, context)
        }
    }

    private func finish(_ request: Request, _ reply: Reply, _ effect: SessionEffect, _ received: NIODeadline, _ context: ChannelHandlerContext) {
        write(reply, context)
        let error: ErrorCode? = if case .error(let code, _) = reply.status { code } else { nil }
        let elapsed = Double((NIODeadline.now() - received).nanoseconds) / 1e9
        service.metrics.recordCommand(request.command, error: error, seconds: elapsed)
        switch effect {
        case .none:
            break
        case .authenticate(let userID, let generation, let credential):
            session.userID = userID
            session.generation = generation
            session.credential = credential
        case .close:
            closeAfterFlush(context)
        }
    }

    /// `CHECK`'s plain form, answered from memory on the spot when nothing waits before
    /// it (`CheckLine`, `WardenService.answerCheck`); `false` leaves the line to the
    /// general path.
    private func answeredCheck(_ line: ByteBuffer, _ context: ChannelHandlerContext) -> Bool {
        // Behind queued or running requests, or towards a client that is not reading its
        // replies (the queue then fills and reading pauses), it takes its turn as usual.
        guard queue.isEmpty, inFlight.isEmpty, context.channel.isWritable else { return false }
        let received = NIODeadline.now()
        let decision = line.withUnsafeReadableBytes { raw -> Decision? in
            let bytes = raw.bindMemory(to: UInt8.self)
            guard let names = CheckLine.names(in: bytes) else { return nil }
            return service.answerCheck(
                user: UnsafeBufferPointer(rebasing: bytes[names.user]), system: UnsafeBufferPointer(rebasing: bytes[names.system]),
                permission: UnsafeBufferPointer(rebasing: bytes[names.permission]), session: &session)
        }
        guard let decision else { return false }
        var pending = output.take() ?? context.channel.allocator.buffer(capacity: 512)
        CheckLine.write(decision, into: &pending)
        output = pending
        needsFlush = true
        if pending.readableBytes >= CommandHandler.earlyWriteBytes {
            context.write(wrapOutboundOut(output.take()!), promise: nil)
        }
        service.metrics.recordCommand(series: checkSeries, error: nil, seconds: Double((NIODeadline.now() - received).nanoseconds) / 1e9)
        return true
    }

    /// Adds a reply to the pending output. A large batch is handed to the channel
    /// early (without a flush), so that the channel's writability, which pauses
    /// answering a client that does not read, still sees it.
    private func write(_ reply: Reply, _ context: ChannelHandlerContext) {
        if !reply.encodedData.isEmpty {
            // A large list encoded off the loop: its bytes go out as they are, after
            // what is pending and before the rest of the reply.
            if let pending = output.take() { context.write(wrapOutboundOut(pending), promise: nil) }
            context.write(wrapOutboundOut(context.channel.allocator.buffer(bytes: reply.encodedData)), promise: nil)
            needsFlush = true
            var rest = reply
            rest.encodedData = []
            return write(rest, context)
        }
        scratch.removeAll(keepingCapacity: true)
        ReplyEncoder.encode(reply, into: &scratch)
        appendScratch(context)
    }

    /// Moves the encoded reply in `scratch` to the pending output.
    private func appendScratch(_ context: ChannelHandlerContext) {
        if output == nil { output = context.channel.allocator.buffer(capacity: max(512, scratch.count)) }
        output!.writeBytes(scratch)
        needsFlush = true
        if output!.readableBytes >= CommandHandler.earlyWriteBytes {
            context.write(wrapOutboundOut(output.take()!), promise: nil)
        }
    }

    private static let earlyWriteBytes = 64 * 1024

    /// Hands the pending replies to the channel and flushes.
    private func flushOutput(_ context: ChannelHandlerContext) {
        if let pending = output.take() {
            context.write(wrapOutboundOut(pending), promise: nil)
        }
        if needsFlush {
            needsFlush = false
            context.flush()
        }
    }

    private func closeAfterFlush(_ context: ChannelHandlerContext) {
        closing = true
        let pending = output.take() ?? context.channel.allocator.buffer(capacity: 0)
        needsFlush = false
        context.writeAndFlush(wrapOutboundOut(pending)).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }

    /// Closes the connection once its idle deadline passes; until then, looks again
    /// when the deadline would next run out.
    private func scheduleIdleCheck(_ context: ChannelHandlerContext) {
        idleTimer = context.eventLoop.assumeIsolated().scheduleTask(deadline: idleDeadline) { [self] in
            guard let context = self.context, !closing else { return }
            if NIODeadline.now() >= idleDeadline {
                closing = true
                context.close(promise: nil)
            } else {
                scheduleIdleCheck(context)
            }
        }
    }

    /// Before authentication: the unauthenticated timeout after the connection opened
    /// or last presented a credential, whatever else it sent. After: the authenticated
    /// timeout after the last line of any kind.
    private var idleDeadline: NIODeadline {
        session.userID == nil
            ? lastCredentialAttempt + .seconds(configuration.unauthenticatedIdleSeconds)
            : lastActivity + .seconds(configuration.authenticatedIdleSeconds)
    }

    /// `GET `, `POST ` or `Host:` at the start of the first line (SPEC §2).
    static func looksLikeHTTP(_ line: ByteBuffer) -> Bool {
        let prefix = String(decoding: line.readableBytesView.prefix(5), as: UTF8.self).uppercased()
        return prefix.hasPrefix("GET ") || prefix.hasPrefix("POST ") || prefix.hasPrefix("HOST:")
    }
}

/// Choosing the next batch: which queued changes can share one transaction.
extension WriteQueue {
    /// How far into the backlog the writer looks for changes to join a batch.
    static let batchScanLimit = 4096

    /// Takes the next batch out of the backlog.
    ///
    /// A change joins when it does not touch what an earlier change of the batch wrote:
    /// every change decides against memory as it was before the batch (see `WriteScope`),
    /// so it must not write or read a key that an earlier one in the batch writes.
    /// Reading what an earlier change only read, or writing what it only read, is fine:
    /// the earlier change decided on the state before either, and it is ordered first.
    ///
    /// A change that cannot join is left for a later batch, and the scan goes on past it
    /// for changes that touch none of its keys, not even one that both only read: so the
    /// changes of one caller (each reads its caller's key) keep their order, and an
    /// auditor reads an admin's changes in the order the admin sent them, while another
    /// caller's unrelated changes need not wait. An exclusive change or a catch-up is
    /// never passed: the scan stops there.
    func takeBatch(from backlog: inout [Job]) -> [Job] {
        var batch: [Job] = []
        var taken: [Bool] = []
        var written: Set<String> = []
        var left: Set<String> = []
        var leftAny = false
        scan: for job in backlog.prefix(WriteQueue.batchScanLimit) {
            guard batch.count < maximumBatch else { break }
            // Catching up runs alone, and every catch-up queued with it is answered by it.
            if job.isCatchUp || batch.first?.isCatchUp == true {
                guard job.isCatchUp, !leftAny, batch.allSatisfy(\.isCatchUp) else { break scan }
                batch.append(job)
                taken.append(true)
                continue
            }
            switch job.scope {
            case .exclusive:
                if batch.isEmpty && !leftAny {
                    batch.append(job)
                    taken.append(true)
                }
                break scan
            case .keys(let writes, let reads):
                let joins = writes.isDisjoint(with: written) && reads.isDisjoint(with: written)
                    && writes.isDisjoint(with: left) && reads.isDisjoint(with: left)
                if joins {
                    written.formUnion(writes)
                    batch.append(job)
                } else {
                    left.formUnion(writes)
                    left.formUnion(reads)
                    leftAny = true
                }
                taken.append(joins)
            }
        }
        let scanned = taken.count
        if leftAny {
            let left = zip(backlog.prefix(scanned), taken).compactMap { $1 ? nil : $0 }
            backlog.replaceSubrange(0..<scanned, with: left)
        } else {
            backlog.removeFirst(scanned)
        }
        return batch
    }
}

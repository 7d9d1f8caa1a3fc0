/// The four penalty rules by which the mask is chosen (ISO/IEC 18004 §7.8.3).
extension QRCode {
    /// The symbol's penalty: runs of one colour, 2×2 blocks, finder-like patterns, and
    /// the distance of the dark share from one half. The area outside is light (the quiet zone).
    func penaltyScore() -> Int {
        var score = 0
        for index in 0..<size {
            let row = (0..<size).map { modules[index * size + $0] }
            let column = (0..<size).map { modules[$0 * size + index] }
            score += QRCode.runPenalty(row) + QRCode.finderLikePenalty(row)
            score += QRCode.runPenalty(column) + QRCode.finderLikePenalty(column)
        }
        for y in 0..<(size - 1) {
            for x in 0..<(size - 1) {
                let colour = modules[y * size + x]
                if colour == modules[y * size + x + 1], colour == modules[(y + 1) * size + x], colour == modules[(y + 1) * size + x + 1] {
                    score += 3
                }
            }
        }
        let dark = modules.reduce(0) { $0 + ($1 ? 1 : 0) }
        let total = size * size
        // The smallest k with |dark/total − 1/2| ≤ (k + 1) × 5 %.
        let k = (abs(dark * 20 - total * 10) + total - 1) / total - 1
        score += k * 10
        return score
    }

    /// Rule 1: 3 for each run of five modules of one colour, 1 more for each beyond five.
    static func runPenalty(_ line: [Bool]) -> Int {
        var score = 0
        var run = 0
        var colour = false
        for (index, module) in line.enumerated() {
            if index > 0, module == colour {
                run += 1
            } else {
                if run >= 5 { score += run - 2 }
                colour = module
                run = 1
            }
        }
        if run >= 5 { score += run - 2 }
        return score
    }

    /// Rule 3: 40 for each dark-light-dark³-light-dark (1:1:3:1:1) with four light
    /// modules on one side, counting the quiet zone as light.
    static func finderLikePenalty(_ line: [Bool]) -> Int {
        let padded = [Bool](repeating: false, count: 4) + line + [Bool](repeating: false, count: 4)
        let core: [Bool] = [true, false, true, true, true, false, true]
        let light = [Bool](repeating: false, count: 4)
        var score = 0
        for start in 0...(padded.count - 11) {
            let window = padded[start..<(start + 11)]
            if Array(window.prefix(4)) == light, Array(window.suffix(7)) == core { score += 40 }
            if Array(window.prefix(7)) == core, Array(window.suffix(4)) == light { score += 40 }
        }
        return score
    }
}

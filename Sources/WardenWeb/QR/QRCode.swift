/// A QR Code (ISO/IEC 18004) of some bytes, in byte mode at error-correction level M:
/// what an authenticator app scans from the MFA page (an `otpauth://` URI of about 120
/// bytes needs version 6 or 7). Self-contained, so that the secret in the URI never
/// leaves the server to be drawn by a third party.
///
/// Built as the standard says: data codewords, Reed–Solomon error correction in
/// blocks, interleaving, function patterns, the zig-zag placement, the mask of lowest
/// penalty of all eight, then format (and, from version 7, version) information.
public struct QRCode: Sendable {
    /// 1…40.
    public let version: Int
    /// Modules per side (`17 + 4 × version`), without the quiet zone.
    public let size: Int
    /// The mask chosen (0…7).
    public private(set) var mask: Int
    /// Row-major; `true` is dark.
    var modules: [Bool]
    /// The modules that belong to function patterns (never masked, never data).
    var isFunction: [Bool]

    public enum EncodingError: Error, Equatable {
        /// More bytes than the largest allowed version holds at level M.
        case tooLong(bytes: Int, maximumVersion: Int)
    }

    /// Whether the module at column `x`, row `y` is dark.
    public func isDark(x: Int, y: Int) -> Bool {
        modules[y * size + x]
    }

    /// Encodes `text` as UTF-8 in the smallest version from 1 to `maximumVersion` that holds it.
    public init(encoding text: String, maximumVersion: Int = 40) throws(EncodingError) {
        try self.init(bytes: Array(text.utf8), maximumVersion: maximumVersion)
    }

    public init(bytes: [UInt8], maximumVersion: Int = 40) throws(EncodingError) {
        let ceiling = min(max(maximumVersion, 1), 40)
        guard let version = (1...ceiling).first(where: { QRCode.fits(bytes.count, version: $0) }) else {
            throw .tooLong(bytes: bytes.count, maximumVersion: ceiling)
        }
        self.version = version
        size = 17 + 4 * version
        modules = Array(repeating: false, count: size * size)
        isFunction = Array(repeating: false, count: size * size)
        mask = 0
        drawFunctionPatterns()
        let codewords = QRCode.addErrorCorrection(to: QRCode.dataCodewords(bytes, version: version), version: version)
        drawCodewords(codewords)
        // Every mask is tried on the same placement; the lowest penalty wins (ties: the lower mask).
        let unmasked = modules
        var best = (mask: 0, penalty: Int.max)
        for candidate in 0..<8 {
            applyMask(candidate)
            drawFormatBits(mask: candidate)
            let penalty = penaltyScore()
            if penalty < best.penalty { best = (candidate, penalty) }
            modules = unmasked
        }
        mask = best.mask
        applyMask(best.mask)
        drawFormatBits(mask: best.mask)
    }

    // MARK: Capacity (level M)

    /// Error-correction codewords per block at level M, by version (index 0 unused).
    static let eccCodewordsPerBlock = [
        -1, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26,
        26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28,
    ]
    /// Error-correction blocks at level M, by version.
    static let eccBlocks = [
        -1, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16,
        17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49,
    ]

    /// Modules left for data and error correction once the function patterns and the
    /// format and version information are drawn.
    static func rawDataModules(version: Int) -> Int {
        var result = (16 * version + 128) * version + 64
        if version >= 2 {
            let alignments = version / 7 + 2
            result -= (25 * alignments - 10) * alignments - 55
            if version >= 7 { result -= 36 }
        }
        return result
    }

    static func dataCodewordCount(version: Int) -> Int {
        rawDataModules(version: version) / 8 - eccCodewordsPerBlock[version] * eccBlocks[version]
    }

    /// Bits of the character count in byte mode.
    static func countBits(version: Int) -> Int { version <= 9 ? 8 : 16 }

    static func fits(_ count: Int, version: Int) -> Bool {
        count < 1 << countBits(version: version) && 4 + countBits(version: version) + 8 * count <= dataCodewordCount(version: version) * 8
    }

    // MARK: Codewords

    /// Mode indicator (byte: 0100), count, the bytes, terminator, then pad codewords.
    static func dataCodewords(_ bytes: [UInt8], version: Int) -> [UInt8] {
        var bits = BitBuffer()
        bits.append(0b0100, count: 4)
        bits.append(bytes.count, count: countBits(version: version))
        for byte in bytes { bits.append(Int(byte), count: 8) }
        let capacity = dataCodewordCount(version: version) * 8
        bits.append(0, count: min(4, capacity - bits.count))
        bits.append(0, count: (8 - bits.count % 8) % 8)
        var codewords = bits.bytes
        var pad: UInt8 = 0xEC
        while codewords.count < capacity / 8 {
            codewords.append(pad)
            pad = pad == 0xEC ? 0x11 : 0xEC
        }
        return codewords
    }

    /// Splits the data into blocks (the short ones first), appends each block's
    /// Reed–Solomon codewords, and interleaves them as the symbol stores them.
    static func addErrorCorrection(to data: [UInt8], version: Int) -> [UInt8] {
        let blockCount = eccBlocks[version]
        let eccLength = eccCodewordsPerBlock[version]
        let rawCodewords = rawDataModules(version: version) / 8
        let shortBlocks = blockCount - rawCodewords % blockCount
        let shortLength = rawCodewords / blockCount - eccLength
        let generator = ReedSolomon.generator(degree: eccLength)
        var blocks: [(data: [UInt8], ecc: [UInt8])] = []
        var offset = 0
        for index in 0..<blockCount {
            let length = shortLength + (index < shortBlocks ? 0 : 1)
            let slice = Array(data[offset..<offset + length])
            offset += length
            blocks.append((slice, ReedSolomon.remainder(of: slice, generator: generator)))
        }
        var result: [UInt8] = []
        result.reserveCapacity(rawCodewords)
        for column in 0..<(shortLength + 1) {
            for block in blocks where column < block.data.count { result.append(block.data[column]) }
        }
        for column in 0..<eccLength {
            for block in blocks { result.append(block.ecc[column]) }
        }
        return result
    }
}

/// Bits appended most significant first, read back as bytes.
struct BitBuffer {
    private(set) var bits: [Bool] = []

    var count: Int { bits.count }

    mutating func append(_ value: Int, count: Int) {
        for shift in stride(from: count - 1, through: 0, by: -1) { bits.append(value >> shift & 1 == 1) }
    }

    var bytes: [UInt8] {
        stride(from: 0, to: bits.count, by: 8).map { start in
            (0..<8).reduce(UInt8(0)) { byte, offset in
                byte << 1 | (start + offset < bits.count && bits[start + offset] ? 1 : 0)
            }
        }
    }
}

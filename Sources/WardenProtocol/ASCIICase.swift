/// Case folding for the protocol's ASCII words (command names, option keys) without
/// the Unicode tables of `lowercased()`/`uppercased()`, which run for every request.
enum ASCIICase {
    /// `bytes` with ASCII letters folded, or `nil` when they are not all ASCII (the
    /// caller then folds with the Unicode rules).
    static func folded(_ bytes: some Collection<UInt8>, toUpper: Bool) -> String? {
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
        let (from, to): (UInt8, UInt8) = toUpper ? (UInt8(ascii: "a"), UInt8(ascii: "z")) : (UInt8(ascii: "A"), UInt8(ascii: "Z"))
        return String(unsafeUninitializedCapacity: bytes.count) { output in
            for (index, byte) in bytes.enumerated() {
                output[index] = byte >= from && byte <= to ? byte ^ 0x20 : byte
            }
            return bytes.count
        }
    }
}

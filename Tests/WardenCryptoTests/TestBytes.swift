/// Test helpers for writing byte strings as hex or text.
enum TestBytes {
    /// Bytes from a hex string (whitespace ignored). Test vectors only.
    static func hex(_ text: String) -> [UInt8] {
        let digits = Array(text.utf8.filter { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\n") })
        var bytes = [UInt8]()
        var index = 0
        while index + 1 < digits.count {
            bytes.append(UInt8(String(decoding: digits[index...index + 1], as: UTF8.self), radix: 16) ?? 0)
            index += 2
        }
        return bytes
    }

    /// UTF-8 bytes of a string.
    static func utf8(_ text: String) -> [UInt8] { Array(text.utf8) }
}

/// Reed–Solomon error correction over GF(2⁸) with the QR Code's field polynomial
/// x⁸ + x⁴ + x³ + x² + 1 (0x11D) and generator roots α⁰ … α^(n−1).
enum ReedSolomon {
    /// The product of two field elements (Russian-peasant multiplication, reduced by 0x11D).
    static func multiply(_ x: UInt8, _ y: UInt8) -> UInt8 {
        var result: Int = 0
        for bit in stride(from: 7, through: 0, by: -1) {
            result = (result << 1) ^ ((result >> 7) * 0x11D)
            result ^= (Int(y) >> bit & 1) * Int(x)
        }
        return UInt8(result)
    }

    /// The coefficients of ∏(x − αⁱ) for i < degree, highest power first, the leading 1 left out.
    static func generator(degree: Int) -> [UInt8] {
        var coefficients = [UInt8](repeating: 0, count: degree)
        coefficients[degree - 1] = 1
        var root: UInt8 = 1
        for _ in 0..<degree {
            for index in 0..<degree {
                coefficients[index] = multiply(coefficients[index], root)
                if index + 1 < degree { coefficients[index] ^= coefficients[index + 1] }
            }
            root = multiply(root, 0x02)
        }
        return coefficients
    }

    /// The error-correction codewords of `data`: its remainder modulo the generator.
    static func remainder(of data: [UInt8], generator: [UInt8]) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: generator.count)
        for byte in data {
            let factor = byte ^ result.removeFirst()
            result.append(0)
            for index in result.indices { result[index] ^= multiply(generator[index], factor) }
        }
        return result
    }
}

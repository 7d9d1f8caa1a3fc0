/// scrypt cost parameters as they appear in a PHC string (`ln=17,r=8,p=1`).
///
/// `ln` is log2(N). Stored hashes carry their own parameters, so the service
/// can tell hashes made under an older, weaker policy and re-hash them on login.
public struct ScryptParameters: Sendable, Equatable {
    /// log2 of the CPU/memory cost N.
    public var ln: Int
    /// Block size.
    public var r: Int
    /// Parallelism.
    public var p: Int

    /// Bounds accepted when parsing or making a hash. They keep a hostile or
    /// corrupted stored hash from demanding unbounded work.
    static let lnBounds = 1...30
    static let rBounds = 1...32
    static let pBounds = 1...16

    public init(ln: Int, r: Int, p: Int) {
        self.ln = ln
        self.r = r
        self.p = p
    }

    /// OWASP's minimum recommendation for scrypt: N = 2^17, r = 8, p = 1.
    public static let owaspMinimum = ScryptParameters(ln: 17, r: 8, p: 1)

    /// True if any of `ln`, `r`, `p` is lower than in `other`, meaning a hash
    /// made with these parameters should be upgraded to `other`.
    public func isWeaker(than other: ScryptParameters) -> Bool {
        ln < other.ln || r < other.r || p < other.p
    }

    /// True if every parameter is within the accepted bounds.
    var isWithinBounds: Bool {
        Self.lnBounds.contains(ln) && Self.rBounds.contains(r) && Self.pBounds.contains(p)
    }
}

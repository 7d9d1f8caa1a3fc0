/// Every failure the crypto layer reports.
///
/// One typed enum so callers can map failures to protocol errors without string
/// matching. No case ever carries key material, passwords or hashes: the
/// `openSSL` message comes from OpenSSL's error queue, which describes the failing
/// operation, never the data it was working on.
public enum CryptoError: Error, Equatable, Sendable {
    /// OpenSSL reported a failure; the message is OpenSSL's reason string.
    case openSSL(String)
    /// A PHC password-hash string could not be parsed or is out of bounds.
    case malformedPHC
    /// A key could not be decoded, or its type does not match the algorithm asked for.
    case invalidKey
    /// Numeric parameters (scrypt cost, output length...) are out of the accepted range.
    case invalidParameters
    /// A sealed secret does not open: altered, moved from its row, or sealed under
    /// another master key.
    case sealBroken
}

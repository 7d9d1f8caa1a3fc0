import NIOCore
import WardenStore

/// The elements of a one-dimensional array in PostgreSQL's binary format (array_send),
/// read one after another straight from the column's bytes.
///
/// For the snapshot's large tables: a million rows through postgres-nio cost ~2 µs each
/// (a row object, its cells, an async step), while the same values as a few arrays of a
/// few rows cost a length and a load each. NULL elements are read as `nil`, which
/// postgres-nio's own array decoding does not allow.
struct PostgresBinaryArray {
    private var buffer: ByteBuffer
    /// How many elements the array holds.
    let count: Int

    /// `nil` (array_agg over no rows) is an empty array.
    init(_ column: ByteBuffer?) throws {
        guard var buffer = column else {
            self.buffer = ByteBuffer()
            count = 0
            return
        }
        guard let dimensions = buffer.readInteger(as: Int32.self), buffer.readInteger(as: Int32.self) != nil,
              buffer.readInteger(as: UInt32.self) != nil
        else { throw StoreError.corrupt("an array column is not in PostgreSQL's binary array format") }
        switch dimensions {
        case 0:
            count = 0
        case 1:
            guard let length = buffer.readInteger(as: Int32.self), length >= 0, buffer.readInteger(as: Int32.self) != nil else {
                throw StoreError.corrupt("an array column has a malformed dimension")
            }
            count = Int(length)
        default:
            throw StoreError.corrupt("an array column has \(dimensions) dimensions, not one")
        }
        self.buffer = buffer
    }

    /// The next element's bytes, `nil` for NULL.
    private mutating func next() throws -> ByteBuffer? {
        guard let length = buffer.readInteger(as: Int32.self) else { throw StoreError.corrupt("an array column ends early") }
        if length < 0 { return nil }
        guard let element = buffer.readSlice(length: Int(length)) else { throw StoreError.corrupt("an array column ends early") }
        return element
    }

    mutating func nextInt64() throws -> Int64? {
        guard var element = try next() else { return nil }
        guard element.readableBytes == 8, let value = element.readInteger(as: Int64.self) else {
            throw StoreError.corrupt("an array element is not a bigint")
        }
        return value
    }

    mutating func nextInt32() throws -> Int32? {
        guard var element = try next() else { return nil }
        guard element.readableBytes == 4, let value = element.readInteger(as: Int32.self) else {
            throw StoreError.corrupt("an array element is not an integer")
        }
        return value
    }

    /// Text in binary format is its UTF-8 bytes.
    mutating func nextString() throws -> String? {
        guard let element = try next() else { return nil }
        return String(buffer: element)
    }

    /// The next element, which must not be NULL (`what` names the column for the error).
    mutating func nextInt64(_ what: String) throws -> Int64 {
        guard let value = try nextInt64() else { throw StoreError.corrupt("\(what) is NULL") }
        return value
    }

    mutating func nextString(_ what: String) throws -> String {
        guard let value = try nextString() else { throw StoreError.corrupt("\(what) is NULL") }
        return value
    }
}

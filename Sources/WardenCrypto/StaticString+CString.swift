/// C-string access for OSSL_PARAM keys.
///
/// `OSSL_PARAM_construct_*` stores the key pointer instead of copying it; a Swift
/// `String` argument would hand it a temporary buffer that dies after the call.
/// A string literal lives for the whole program and is NUL-terminated.
extension StaticString {
    /// The literal as a NUL-terminated C string valid for the program's lifetime.
    var cString: UnsafePointer<CChar> {
        UnsafeRawPointer(utf8Start).assumingMemoryBound(to: CChar.self)
    }
}

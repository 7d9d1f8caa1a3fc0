import Foundation

/// Standard output and error for the tools, written unbuffered so that replies
/// appear as they come (a script may read them one at a time).
enum Console {
    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    static func writeError(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// `warden: message` on standard error.
    static func error(_ message: String) {
        writeError("warden: \(message)\n")
    }

    static func warn(_ message: String) {
        writeError("warden: warning: \(message)\n")
    }

    static var inputIsTerminal: Bool { isatty(0) == 1 }
    static var errorIsTerminal: Bool { isatty(2) == 1 }
}

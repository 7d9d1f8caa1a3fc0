import Foundation

/// The `--invites` file: `username,code,expires` lines for new users (SPEC §5).
///
/// Created with mode 0600 and tightened to 0600 if it already existed, before any
/// code is written; a symbolic link is refused. Lines are appended, so codes from
/// an earlier run stay in the file (a re-run creates nobody and adds nothing); the
/// header is written when the file is empty.
final class InviteFile {
    private let handle: FileHandle
    let path: String

    init(path: String) throws {
        self.path = path
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw Fail.usage("cannot open the invites file \(path): \(String(cString: strerror(errno)))")
        }
        var info = stat()
        guard fchmod(descriptor, 0o600) == 0, fstat(descriptor, &info) == 0 else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw Fail.usage("cannot restrict the invites file \(path) to mode 0600: \(reason)")
        }
        handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        if info.st_size == 0 { try write("username,code,expires\n") }
    }

    func append(username: String, code: String, expires: String) throws {
        try write("\(username),\(code),\(expires)\n")
    }

    private func write(_ text: String) throws {
        do {
            try handle.write(contentsOf: Data(text.utf8))
        } catch {
            throw Fail.usage("cannot write the invites file \(path): \(error)")
        }
    }
}

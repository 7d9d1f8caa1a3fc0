import Foundation

/// A secret handed to `warden serve` in an environment variable, taken out of the
/// environment as it is read: the variable is unset (so no child process, and no
/// later reader of the environment, gets it) and its bytes are overwritten first (so
/// that `/proc/PID/environ`, which shows the process's initial environment block,
/// no longer shows it either).
enum EnvironmentSecret {
    /// The value of `name` (nil when unset or empty), removed from the environment.
    static func take(_ name: String) -> String? {
        guard let pointer = getenv(name) else { return nil }
        let value = String(cString: pointer)
        memset(pointer, 0, strlen(pointer))
        unsetenv(name)
        return value.isEmpty ? nil : value
    }
}

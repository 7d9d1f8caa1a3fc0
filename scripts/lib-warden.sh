# Shared by the admin scripts (sourced, not run): finds the `warden` binary.
# $WARDEN_BIN, else .build/release/warden, else .build/debug/warden of this
# checkout, else `warden` on PATH.
warden_binary() {
    local root
    root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
    if [[ -n "${WARDEN_BIN:-}" ]]; then
        echo "$WARDEN_BIN"
    elif [[ -x "$root/.build/release/warden" ]]; then
        echo "$root/.build/release/warden"
    elif [[ -x "$root/.build/debug/warden" ]]; then
        echo "$root/.build/debug/warden"
    elif command -v warden >/dev/null 2>&1; then
        command -v warden
    else
        echo "error: no warden binary: set WARDEN_BIN, build with 'swift build -c release', or put warden on PATH" >&2
        return 1
    fi
}

#ifndef WARDEN_BENCH_SUPPORT_H
#define WARDEN_BENCH_SUPPORT_H

#include <stddef.h>
#include <stdint.h>

/// The "raw" side of the comparisons: plain C calls into OpenSSL and the kernel,
/// with no Swift wrapper in between.

/// scrypt through OpenSSL's EVP_KDF, as a program calling OpenSSL directly would:
/// fetch, new context, derive, free. Returns 1 on success.
int bench_scrypt(const uint8_t *password, size_t password_length,
                 const uint8_t *salt, size_t salt_length,
                 uint64_t n, uint32_t r, uint32_t p,
                 uint8_t *out, size_t out_length);

/// Runs `threads` threads, each deriving scrypt(ln, r=8, p=1) hashes back to back
/// for `seconds`; returns the total number of derivations per second.
double bench_scrypt_rate(int threads, int ln, double seconds);

/// Generates an Ed25519 key pair into an opaque handle (free with bench_ed25519_free).
void *bench_ed25519_new(void);
void bench_ed25519_free(void *key);
/// Signs `message`; writes 64 bytes to `signature`. Returns 1 on success.
int bench_ed25519_sign(void *key, const uint8_t *message, size_t length, uint8_t *signature);
/// Verifies a 64-byte signature with EVP_DigestVerify. Returns 1 when valid.
int bench_ed25519_verify(void *key, const uint8_t *message, size_t length, const uint8_t *signature);

/// Appends `block` bytes to a file in `directory` and calls fdatasync, back to back
/// for `seconds` (the cost of one durable commit on that disk). Returns syncs per
/// second, or a negative value when the file cannot be written.
double bench_fdatasync_rate(const char *directory, size_t block, double seconds);

/// CLOCK_MONOTONIC in nanoseconds.
uint64_t bench_now_ns(void);

#endif

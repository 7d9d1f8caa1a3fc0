#define _GNU_SOURCE
#include "bench_support.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

uint64_t bench_now_ns(void) {
    struct timespec spec;
    clock_gettime(CLOCK_MONOTONIC, &spec);
    return (uint64_t)spec.tv_sec * 1000000000ull + (uint64_t)spec.tv_nsec;
}

int bench_scrypt(const uint8_t *password, size_t password_length,
                 const uint8_t *salt, size_t salt_length,
                 uint64_t n, uint32_t r, uint32_t p,
                 uint8_t *out, size_t out_length) {
    EVP_KDF *kdf = EVP_KDF_fetch(NULL, "SCRYPT", NULL);
    if (kdf == NULL) return 0;
    EVP_KDF_CTX *context = EVP_KDF_CTX_new(kdf);
    EVP_KDF_free(kdf);
    if (context == NULL) return 0;
    uint64_t maxmem = 1ull << 30;
    OSSL_PARAM parameters[] = {
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_PASSWORD, (void *)password, password_length),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, (void *)salt, salt_length),
        OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_N, &n),
        OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_R, &r),
        OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_P, &p),
        OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_MAXMEM, &maxmem),
        OSSL_PARAM_construct_end(),
    };
    int status = EVP_KDF_derive(context, out, out_length, parameters);
    EVP_KDF_CTX_free(context);
    return status == 1;
}

struct scrypt_worker {
    pthread_t thread;
    int ln;
    uint64_t deadline;
    uint64_t count;
};

static void *scrypt_worker_main(void *argument) {
    struct scrypt_worker *worker = argument;
    const uint8_t password[] = "correct horse battery staple";
    const uint8_t salt[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    uint8_t out[32];
    while (bench_now_ns() < worker->deadline) {
        if (!bench_scrypt(password, sizeof password - 1, salt, sizeof salt,
                          1ull << worker->ln, 8, 1, out, sizeof out)) break;
        worker->count++;
    }
    return NULL;
}

double bench_scrypt_rate(int threads, int ln, double seconds) {
    if (threads < 1) threads = 1;
    struct scrypt_worker *workers = calloc((size_t)threads, sizeof *workers);
    uint64_t start = bench_now_ns();
    uint64_t deadline = start + (uint64_t)(seconds * 1e9);
    for (int i = 0; i < threads; i++) {
        workers[i].ln = ln;
        workers[i].deadline = deadline;
        pthread_create(&workers[i].thread, NULL, scrypt_worker_main, &workers[i]);
    }
    uint64_t total = 0;
    for (int i = 0; i < threads; i++) {
        pthread_join(workers[i].thread, NULL);
        total += workers[i].count;
    }
    // Every thread finishes the derivation it started before the deadline.
    double elapsed = (double)(bench_now_ns() - start) / 1e9;
    free(workers);
    return (double)total / elapsed;
}

void *bench_ed25519_new(void) {
    EVP_PKEY_CTX *context = EVP_PKEY_CTX_new_from_name(NULL, "ED25519", NULL);
    EVP_PKEY *key = NULL;
    if (context == NULL) return NULL;
    if (EVP_PKEY_keygen_init(context) != 1 || EVP_PKEY_keygen(context, &key) != 1) key = NULL;
    EVP_PKEY_CTX_free(context);
    return key;
}

void bench_ed25519_free(void *key) { EVP_PKEY_free(key); }

int bench_ed25519_sign(void *key, const uint8_t *message, size_t length, uint8_t *signature) {
    EVP_MD_CTX *context = EVP_MD_CTX_new();
    size_t signature_length = 64;
    int ok = context != NULL
        && EVP_DigestSignInit_ex(context, NULL, NULL, NULL, NULL, key, NULL) == 1
        && EVP_DigestSign(context, signature, &signature_length, message, length) == 1;
    EVP_MD_CTX_free(context);
    return ok;
}

int bench_ed25519_verify(void *key, const uint8_t *message, size_t length, const uint8_t *signature) {
    EVP_MD_CTX *context = EVP_MD_CTX_new();
    int ok = context != NULL
        && EVP_DigestVerifyInit_ex(context, NULL, NULL, NULL, NULL, key, NULL) == 1
        && EVP_DigestVerify(context, signature, 64, message, length) == 1;
    EVP_MD_CTX_free(context);
    return ok;
}

double bench_fdatasync_rate(const char *directory, size_t block, double seconds) {
    char path[4096];
    snprintf(path, sizeof path, "%s/fdatasync-probe.%d", directory, (int)getpid());
    int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0600);
    if (fd < 0) return -1;
    char *buffer = calloc(1, block);
    uint64_t start = bench_now_ns();
    uint64_t deadline = start + (uint64_t)(seconds * 1e9);
    uint64_t count = 0;
    off_t offset = 0;
    while (bench_now_ns() < deadline) {
        // Append like a WAL does; start over every 4 MiB (SQLite resets its WAL
        // after a checkpoint) so the file stays small.
        if (offset >= 4 * 1024 * 1024) offset = 0;
        if (pwrite(fd, buffer, block, offset) != (ssize_t)block || fdatasync(fd) != 0) {
            count = 0;
            break;
        }
        offset += (off_t)block;
        count++;
    }
    double elapsed = (double)(bench_now_ns() - start) / 1e9;
    free(buffer);
    close(fd);
    unlink(path);
    return count == 0 ? -1 : (double)count / elapsed;
}

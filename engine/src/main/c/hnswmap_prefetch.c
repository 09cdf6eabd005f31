/*
 * Software prefetch for hnswmap's searches (org.hnswmap.storage.NativePrefetch), called through an
 * FFM critical downcall. Java has no prefetch instruction: the pure-Java fallback loads one int of
 * each line, and such a load holds its place in the CPU's reorder window until the line arrives,
 * where a prefetch instruction retires at once (bench/RESULTS.md, stop 38).
 *
 * A prefetch is a hint: it never faults, whatever the address (so the base address is passed as a
 * plain integer and a mapping closed meanwhile is harmless), and changes no result. The only memory
 * this code reads is ids[0 .. count), which the caller checks against the array's length.
 * Built by the engine's Maven build when a C compiler is present (engine/pom.xml); without it the
 * engine uses the pure-Java fallback.
 */
#include <stdint.h>

/*
 * For each of ids[0 .. count): prefetches `lines` cache lines from the start of the row at
 * base + first + id * stride, and the row's last byte (a row that is not a multiple of 64 bytes
 * long can straddle one more line).
 */
void hnswmap_prefetch_rows(int64_t base, const int32_t *ids, int32_t count, int64_t stride,
                           int64_t first, int32_t lines) {
    for (int32_t i = 0; i < count; i++) {
        const char *row = (const char *) (intptr_t) (base + first + (int64_t) ids[i] * stride);
        for (int32_t line = 0; line < lines; line++) {
            __builtin_prefetch(row + 64 * (int64_t) line, 0, 3);
        }
        __builtin_prefetch(row + stride - 1, 0, 3);
    }
}

/* Prefetches the cache lines of [base + offset, base + offset + length). */
void hnswmap_prefetch_range(int64_t base, int64_t offset, int64_t length) {
    const char *start = (const char *) (intptr_t) (base + offset);
    for (int64_t at = 0; at < length; at += 64) {
        __builtin_prefetch(start + at, 0, 3);
    }
    if (length > 0) {
        __builtin_prefetch(start + length - 1, 0, 3);
    }
}

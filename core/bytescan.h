#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace km::bytescan {

// Hot byte scans of the request encoder and the limit checks, 16 bytes at a time where SSE2 is
// available (every x86-64), one byte at a time elsewhere.

// One bit per byte of the 16 at p (bit i for p[i]) that is not RFC 3986 unreserved
// (A-Z a-z 0-9 - . _ ~).
inline unsigned reservedMask16(const unsigned char *p)
{
#if defined(__SSE2__)
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p));
    auto inRange = [&](char lo, char hi) {
        return _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8(static_cast<char>(lo - 1))),
                             _mm_cmplt_epi8(v, _mm_set1_epi8(static_cast<char>(hi + 1))));
    };
    __m128i ok = _mm_or_si128(inRange('0', '9'), _mm_or_si128(inRange('A', 'Z'), inRange('a', 'z')));
    ok = _mm_or_si128(ok, _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('-')), _mm_cmpeq_epi8(v, _mm_set1_epi8('.'))));
    ok = _mm_or_si128(ok, _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('_')), _mm_cmpeq_epi8(v, _mm_set1_epi8('~'))));
    return ~static_cast<unsigned>(_mm_movemask_epi8(ok)) & 0xFFFFu;
#else
    unsigned bad = 0;
    for (int n = 0; n < 16; ++n) {
        const unsigned char c = p[n];
        const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'
                                || c == '.' || c == '_' || c == '~';
        if (!unreserved)
            bad |= 1u << n;
    }
    return bad;
#endif
}

// For each of `blocks` 16-byte blocks at p: its reservedMask16 with the bits in marks[b] cleared,
// written back to marks[b]. Uses AVX2 or SSSE3 nibble lookups where the processor has them.
void reservedMasks(const unsigned char *p, std::size_t blocks, std::uint16_t *marks);
// The same with SSE2 only, and whether the SSSE3 and AVX2 versions exist here (for tests).
void reservedMasksSse2(const unsigned char *p, std::size_t blocks, std::uint16_t *marks);
bool reservedMasksSsse3(const unsigned char *p, std::size_t blocks, std::uint16_t *marks);
bool reservedMasksAvx2(const unsigned char *p, std::size_t blocks, std::uint16_t *marks);

// True when any byte in [p, p + n) is one of the two given bytes.
inline bool containsEither(const char *p, std::size_t n, char a, char b)
{
    std::size_t i = 0;
#if defined(__SSE2__)
    const __m128i va = _mm_set1_epi8(a);
    const __m128i vb = _mm_set1_epi8(b);
    for (; i + 16 <= n; i += 16) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p + i));
        if (_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, va), _mm_cmpeq_epi8(v, vb))) != 0)
            return true;
    }
#endif
    // The rest (most keys are shorter than 16 bytes) eight at a time: a zero byte in x ^ pattern
    // marks a match (the classic "has zero byte" test).
    auto hasZeroByte = [](std::uint64_t x) { return ((x - 0x0101010101010101ull) & ~x & 0x8080808080808080ull) != 0; };
    const std::uint64_t pa = 0x0101010101010101ull * static_cast<unsigned char>(a);
    const std::uint64_t pb = 0x0101010101010101ull * static_cast<unsigned char>(b);
    for (; i + 8 <= n; i += 8) {
        std::uint64_t x;
        std::memcpy(&x, p + i, 8);
        if (hasZeroByte(x ^ pa) || hasZeroByte(x ^ pb))
            return true;
    }
    for (; i < n; ++i)
        if (p[i] == a || p[i] == b)
            return true;
    return false;
}

// What the wire route needs of a key it writes, in one pass: a hash (equal keys, equal hashes)
// and whether it holds a ',' or ':'.
struct KeyDigest
{
    std::uint64_t hash = 0;
    bool hasPunctuation = false;
};

// The digest of [p, p + n), 16 bytes a step; the 16 bytes past p + n must be readable (their
// values do not matter).
inline KeyDigest digestPadded(const char *p, std::size_t n)
{
    constexpr std::uint64_t kMultiplier = 0x9E3779B97F4A7C15ull;
    std::uint64_t h = n * kMultiplier;
    auto mix = [&](std::uint64_t low, std::uint64_t high) {
        h = (h ^ low) * kMultiplier;
        h = (h ^ high ^ (h >> 29)) * kMultiplier;
        h ^= h >> 32;
    };
    std::size_t i = 0;
#if defined(__SSE2__) && defined(__x86_64__)
    // Bytes past the end read as zero: the loads are masked with a window of this table.
    alignas(16) static constexpr unsigned char kKeep[32] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                                                            0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
    const __m128i comma = _mm_set1_epi8(',');
    const __m128i colon = _mm_set1_epi8(':');
    __m128i found = _mm_setzero_si128();
    do {
        __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p + i));
        const std::size_t left = n - i;
        if (left < 16)
            v = _mm_and_si128(v, _mm_loadu_si128(reinterpret_cast<const __m128i *>(kKeep + 16 - left)));
        found = _mm_or_si128(found, _mm_or_si128(_mm_cmpeq_epi8(v, comma), _mm_cmpeq_epi8(v, colon)));
        mix(static_cast<std::uint64_t>(_mm_cvtsi128_si64(v)),
            static_cast<std::uint64_t>(_mm_cvtsi128_si64(_mm_unpackhi_epi64(v, v))));
        i += 16;
    } while (i < n);
    return {h, _mm_movemask_epi8(found) != 0};
#else
    do {
        std::uint64_t word[2] = {0, 0};
        std::memcpy(word, p + i, n - i < 16 ? n - i : 16);
        mix(word[0], word[1]);
        i += 16;
    } while (i < n);
    return {h, containsEither(p, n, ',', ':')};
#endif
}

} // namespace km::bytescan

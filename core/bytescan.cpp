#include "bytescan.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define KM_HAVE_SSSE3_KERNEL 1
#endif

namespace km::bytescan {

void reservedMasksSse2(const unsigned char *p, std::size_t blocks, std::uint16_t *marks)
{
    for (std::size_t b = 0; b < blocks; ++b)
        marks[b] = static_cast<std::uint16_t>(reservedMask16(p + b * 16) & ~static_cast<unsigned>(marks[b]));
}

#if defined(KM_HAVE_SSSE3_KERNEL)
namespace {

// Unreserved bytes by nibble: the high nibble picks one bit (2 → bit 0 … 7 → bit 5), the low
// nibble's entry holds the bits of the high nibbles it is unreserved with ("-." under 2, digits
// under 3, letters under 4-7, '_' under 5, '~' under 7).
__attribute__((target("ssse3"))) void masksSsse3(const unsigned char *p, std::size_t blocks, std::uint16_t *marks)
{
    const __m128i lowTable = _mm_setr_epi8(0x2A, 0x3E, 0x3E, 0x3E, 0x3E, 0x3E, 0x3E, 0x3E, 0x3E, 0x3E, 0x3C, 0x14, 0x14,
                                           0x15, 0x35, 0x1C);
    const __m128i highTable = _mm_setr_epi8(0, 0, 0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0, 0, 0, 0, 0, 0, 0, 0);
    const __m128i nibble = _mm_set1_epi8(0x0F);
    const __m128i zero = _mm_setzero_si128();
    for (std::size_t b = 0; b < blocks; ++b) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p + b * 16));
        const __m128i low = _mm_shuffle_epi8(lowTable, _mm_and_si128(v, nibble));
        const __m128i high = _mm_shuffle_epi8(highTable, _mm_and_si128(_mm_srli_epi16(v, 4), nibble));
        const unsigned reserved =
                static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_and_si128(low, high), zero)));
        marks[b] = static_cast<std::uint16_t>(reserved & ~static_cast<unsigned>(marks[b]));
    }
}

// The same lookups on two blocks at a time (the shuffle works per 16-byte lane, so the tables
// are repeated); an odd last block goes to the SSSE3 kernel.
__attribute__((target("avx2"))) void masksAvx2(const unsigned char *p, std::size_t blocks, std::uint16_t *marks)
{
    const __m256i lowTable = _mm256_setr_epi8(0x2A, 0x3E, 0x3E, 0x3E, 0x3E, 0x3E, 0x3E, 0x3E, 0x3E, 0x3E, 0x3C, 0x14,
                                              0x14, 0x15, 0x35, 0x1C, 0x2A, 0x3E, 0x3E, 0x3E, 0x3E, 0x3E, 0x3E, 0x3E,
                                              0x3E, 0x3E, 0x3C, 0x14, 0x14, 0x15, 0x35, 0x1C);
    const __m256i highTable = _mm256_setr_epi8(0, 0, 0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                               0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0, 0, 0, 0, 0, 0, 0, 0);
    const __m256i nibble = _mm256_set1_epi8(0x0F);
    const __m256i zero = _mm256_setzero_si256();
    std::size_t b = 0;
    for (; b + 2 <= blocks; b += 2) {
        const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(p + b * 16));
        const __m256i low = _mm256_shuffle_epi8(lowTable, _mm256_and_si256(v, nibble));
        const __m256i high = _mm256_shuffle_epi8(highTable, _mm256_and_si256(_mm256_srli_epi16(v, 4), nibble));
        const auto reserved =
                static_cast<std::uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_and_si256(low, high), zero)));
        std::uint32_t marked;
        std::memcpy(&marked, marks + b, 4);
        marked = reserved & ~marked;
        std::memcpy(marks + b, &marked, 4);
    }
    if (b < blocks)
        masksSsse3(p + b * 16, blocks - b, marks + b);
}

} // namespace
#endif

namespace {

using Kernel = void (*)(const unsigned char *, std::size_t, std::uint16_t *);

// Runs a kernel the processor has; false when it lacks it (or this is no x86).
bool runIfSupported([[maybe_unused]] bool supported,
                    [[maybe_unused]] Kernel kernel,
                    [[maybe_unused]] const unsigned char *p,
                    [[maybe_unused]] std::size_t blocks,
                    [[maybe_unused]] std::uint16_t *marks)
{
#if defined(KM_HAVE_SSSE3_KERNEL)
    if (supported) {
        kernel(p, blocks, marks);
        return true;
    }
#endif
    return false;
}

} // namespace

#if defined(KM_HAVE_SSSE3_KERNEL)
bool reservedMasksAvx2(const unsigned char *p, std::size_t blocks, std::uint16_t *marks)
{
    return runIfSupported(__builtin_cpu_supports("avx2"), masksAvx2, p, blocks, marks);
}

bool reservedMasksSsse3(const unsigned char *p, std::size_t blocks, std::uint16_t *marks)
{
    return runIfSupported(__builtin_cpu_supports("ssse3"), masksSsse3, p, blocks, marks);
}
#else
bool reservedMasksAvx2(const unsigned char *p, std::size_t blocks, std::uint16_t *marks)
{
    return runIfSupported(false, nullptr, p, blocks, marks);
}

bool reservedMasksSsse3(const unsigned char *p, std::size_t blocks, std::uint16_t *marks)
{
    return runIfSupported(false, nullptr, p, blocks, marks);
}
#endif

void reservedMasks(const unsigned char *p, std::size_t blocks, std::uint16_t *marks)
{
    // Every x86-64 processor of the last fifteen years has SSSE3, most have AVX2; a check is one load.
    if (!reservedMasksAvx2(p, blocks, marks) && !reservedMasksSsse3(p, blocks, marks))
        reservedMasksSse2(p, blocks, marks);
}

} // namespace km::bytescan

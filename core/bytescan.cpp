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

} // namespace
#endif

bool reservedMasksSsse3(const unsigned char *p, std::size_t blocks, std::uint16_t *marks)
{
#if defined(KM_HAVE_SSSE3_KERNEL)
    if (__builtin_cpu_supports("ssse3")) {
        masksSsse3(p, blocks, marks);
        return true;
    }
#endif
    (void)p;
    (void)blocks;
    (void)marks;
    return false;
}

void reservedMasks(const unsigned char *p, std::size_t blocks, std::uint16_t *marks)
{
    // Every x86-64 processor of the last fifteen years has SSSE3; the check is one load.
    if (!reservedMasksSsse3(p, blocks, marks))
        reservedMasksSse2(p, blocks, marks);
}

} // namespace km::bytescan

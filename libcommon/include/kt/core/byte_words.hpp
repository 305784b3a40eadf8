// Tests on 8 bytes at once, for the scans on every record's text (UTF-8, control characters,
// escapes): a word read with memcpy (any alignment) and bit tricks from "Bit Twiddling Hacks".
#pragma once

#include <cstdint>
#include <cstring>

namespace kt::bytes {

inline constexpr uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;

// The 8 bytes at p (p[0, 8) must be readable).
inline uint64_t Word(const void* p) {
  uint64_t w;
  std::memcpy(&w, p, 8);
  return w;
}
// Whether all 8 bytes are ASCII (below 0x80).
inline bool AllAscii(uint64_t w) { return (w & kHigh) == 0; }
// Whether any byte is below `n` (n <= 128). Exact as a yes/no: a borrow can flag a byte only
// above one that is flagged itself.
inline bool HasLess(uint64_t w, uint64_t n) { return ((w - kOnes * n) & ~w & kHigh) != 0; }
// Whether any byte equals `c`.
inline bool HasByte(uint64_t w, unsigned char c) { return HasLess(w ^ (kOnes * c), 1); }

}  // namespace kt::bytes

#include "dropout_mask.h"

namespace unfold_rnn {

namespace {

// Chris Wellons's "lowbias32" integer hash: 32-bit multiplies only, so the loop vectorises.
inline uint32_t lowbias32(uint32_t x) {
  x ^= x >> 16;
  x *= 0x7feb352dU;
  x ^= x >> 15;
  x *= 0x846ca68bU;
  x ^= x >> 16;
  return x;
}

}  // namespace

void dropout_mask(float* out, size_t n, float keep, uint32_t seed) {
  const float scale = 1.0f / keep;
  // An element is kept when its draw is below keep * 2^32 (below 2^32 for any keep under 1),
  // or always when keep is 1.
  const bool keep_all = keep >= 1.0f;
  const uint32_t threshold = keep_all ? 0 : (uint32_t)((double)keep * 4294967296.0);
  // Two keys from the seed: the element index is xor-ed with one and the hash offset by the
  // other, so two seeds' masks are not shifted or permuted copies of one another.
  const uint32_t index_key = lowbias32(seed ^ 0x9e3779b9U);
  const uint32_t offset_key = lowbias32(index_key + 0x632be59bU);
  for (size_t k = 0; k < n; k++) {
    const uint32_t draw = lowbias32(lowbias32((uint32_t)k ^ index_key) + offset_key);
    out[k] = keep_all || draw < threshold ? scale : 0.0f;
  }
}

}  // namespace unfold_rnn

#include "embedding_rows.h"

#include <cstring>

namespace unfold_rnn {

void gather_rows(const float* table, size_t dim, const int32_t* ids, size_t count, float* out) {
  for (size_t n = 0; n < count; n++)
    std::memcpy(out + n * dim, table + (size_t)ids[n] * dim, dim * sizeof(float));
}

void scatter_add_rows(const float* dy, size_t dim, const int32_t* ids, size_t count, float* grad) {
  for (size_t n = 0; n < count; n++) {
    float* row = grad + (size_t)ids[n] * dim;
    const float* src = dy + n * dim;
    for (size_t d = 0; d < dim; d++) row[d] += src[d];
  }
}

}  // namespace unfold_rnn

// Row gather and row scatter-add for embedding lookups (forward and gradient). Plain loops:
// each row is a contiguous copy or add of `dim` floats, so no BLAS is needed. The caller has
// checked every id against the table's row count.
#pragma once

#include <cstddef>
#include <cstdint>

namespace unfold_rnn {

// out[n, :] = table[ids[n], :] for n < count; table is [rows, dim] row-major.
void gather_rows(const float* table, size_t dim, const int32_t* ids, size_t count, float* out);

// grad[ids[n], :] += dy[n, :] for n < count; grad ([rows, dim]) must start zeroed. Repeated
// ids accumulate.
void scatter_add_rows(const float* dy, size_t dim, const int32_t* ids, size_t count, float* grad);

}  // namespace unfold_rnn

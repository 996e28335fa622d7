// See lstm_packed.h.
#include "lstm_packed.h"

#include "fast_exp.h"

#include <cblas.h>

#include <cstddef>
#include <cstring>
#include <vector>

namespace unfold_rnn {
namespace {

// One row: z holds the gate pre-activations (i, f, g, o blocks), c the cell state (updated in
// place), h receives o * tanh(c). lstm_gate_row's formulas (rnn_kernels.cc) with fast_exp.h's
// sigmoid and tanh, without its caches.
UNFOLD_SIMD_CLONES
void packed_gate_row(int n, const float* __restrict z, float* __restrict c,
                     const float* __restrict wic, const float* __restrict wfc,
                     const float* __restrict woc, float* __restrict h) {
  for (int j = 0; j < n; j++) {
    const float c_prev = c[j];
    const float i = fast_sigmoid(z[j] + wic[j] * c_prev);
    const float f = fast_sigmoid(z[n + j] + wfc[j] * c_prev);
    const float g = fast_tanh(z[2 * n + j]);
    const float cn = f * c_prev + i * g;
    const float o = fast_sigmoid(z[3 * n + j] + woc[j] * cn);
    c[j] = cn;
    h[j] = o * fast_tanh(cn);
  }
}

UNFOLD_SIMD_CLONES
void add_rows(int count, const float* __restrict a, const float* __restrict b,
              float* __restrict out) {
  for (int j = 0; j < count; j++) out[j] = a[j] + b[j];
}

}  // namespace

const float* project_rows(int rows, int inputs, int units, const float* x, const float* w,
                          PackedLstmScratch& scratch) {
  const int G = 4 * units;
  if (scratch.projected.size() < (size_t)rows * G) scratch.projected.resize((size_t)rows * G);
  float* z = scratch.projected.data();
  if (rows > 0 && inputs > 0)
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, rows, G, inputs, 1.0f, x, inputs, w, G,
                0.0f, z, G);
  else
    std::memset(z, 0, sizeof(float) * (size_t)rows * G);
  return z;
}

void lstm_packed_forward(const PackedLstmDims& d, const int32_t* lengths, const float* z_rows,
                         const int32_t* z_index, const float* u, const float* bias,
                         const float* peep, float* out, const int32_t* out_index, int out_column,
                         float* final_h, float* final_c, PackedLstmScratch& scratch) {
  const int B = d.batch, n = d.units, G = 4 * n;
  std::vector<float>& z = scratch.z;
  std::vector<float>& c = scratch.c;
  // Row b's latest output: the rows still going are the first `active` (lengths are
  // non-increasing), so the recurrent product reads one contiguous block.
  std::vector<float>& h = scratch.h;
  if (z.size() < (size_t)B * G) z.resize((size_t)B * G);
  c.assign((size_t)B * n, 0.0f);
  h.assign((size_t)B * n, 0.0f);
  const std::vector<float> zeros(peep ? 0 : (size_t)3 * n, 0.0f);
  const float* wic = peep ? peep : zeros.data();
  const float* wfc = wic + n;
  const float* woc = wic + 2 * n;
  int active = B;
  for (int t = 0; t < d.steps; t++) {
    while (active > 0 && lengths[active - 1] <= t) active--;
    if (active == 0) break;
    const int32_t* z_at = z_index + (size_t)t * B;
    for (int b = 0; b < active; b++)
      add_rows(G, z_rows + (size_t)z_at[b] * G, bias, z.data() + (size_t)b * G);
    // Step 0 starts from h0 = 0, which adds nothing.
    if (t > 0)
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, active, G, n, 1.0f, h.data(), n, u,
                  G, 1.0f, z.data(), G);
    const int32_t* out_at = out_index + (size_t)t * B;
    for (int b = 0; b < active; b++) {
      float* hb = h.data() + (size_t)b * n;
      packed_gate_row(n, z.data() + (size_t)b * G, c.data() + (size_t)b * n, wic, wfc, woc, hb);
      std::memcpy(out + (size_t)out_at[b] * d.out_stride + out_column, hb, sizeof(float) * n);
    }
  }
  // A finished row is never touched again, so each row of h and c holds its last step's state.
  if (final_h) std::memcpy(final_h, h.data(), sizeof(float) * (size_t)B * n);
  if (final_c) std::memcpy(final_c, c.data(), sizeof(float) * (size_t)B * n);
}

}  // namespace unfold_rnn

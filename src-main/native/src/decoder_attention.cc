// See decoder_attention.h.
#include "decoder_attention.h"

#include "fast_exp.h"
#include "rnn_kernels.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

namespace unfold_rnn {
namespace {

// tanh as the recurrent kernels compute it (fast_exp.h's fast_tanh): the TF.js path's tanh
// (libm's tanhf, compiled to wasm) is a scalar call, and the scores take rows x source steps x
// attention size of them per step (3 million for a 1,280-row beam step), which made it a
// quarter of the step. The element-wise loops get fast_exp.h's SIMD clones.

// v . tanh(key + query) over the attention size (the sum in vector order, not the BLAS's).
UNFOLD_SIMD_CLONES
float additive_score(int size, const float* __restrict key, const float* __restrict query,
                     const float* __restrict vector) {
  float sum = 0.0f;
#pragma omp simd reduction(+ : sum)
  for (int a = 0; a < size; a++) sum += vector[a] * fast_tanh(query[a] + key[a]);
  return sum;
}

// out += weight x row.
UNFOLD_SIMD_CLONES
void add_scaled(int size, float weight, const float* __restrict row, float* __restrict out) {
  for (int e = 0; e < size; e++) out[e] += weight * row[e];
}

// row = tanh(row + bias), the attentional state from its pre-activation.
UNFOLD_SIMD_CLONES
void tanh_with_bias(int size, const float* __restrict bias, float* __restrict row) {
  for (int j = 0; j < size; j++) row[j] = fast_tanh(row[j] + bias[j]);
}

}  // namespace

namespace {

struct AttentionCall {
  const DecoderAttentionDims* d;
  const int32_t* row_sources;
  const float* top;
  const DecoderAttentionMemory* memory;
  const DecoderAttentionWeights* weights;
  float* attended;
  float* attention_weights;
};

// The rows [row0, row0 + count) of one step: every product and sum of a row reads only that
// row, so a row's results are the same whichever rows share the call (rows_in_lanes).
void attention_rows(void* context, int row0, int count) {
  const AttentionCall& call = *static_cast<const AttentionCall*>(context);
  const DecoderAttentionDims& d = *call.d;
  const DecoderAttentionMemory& memory = *call.memory;
  const DecoderAttentionWeights& weights = *call.weights;
  const size_t steps = (size_t)d.source_time, size = (size_t)d.attention;
  const size_t encoder = (size_t)d.encoder, decoder = (size_t)d.decoder;
  const size_t joined = encoder + decoder;
  const float* top = call.top + (size_t)row0 * decoder;
  float* attended = call.attended + (size_t)row0 * decoder;
  std::vector<float> queries((size_t)count * size);
  if (size > 0)
    matmul(false, false, count, d.attention, d.decoder, top, weights.decoder_kernel,
           queries.data());
  // [c_r; d_r] per row: the combine product's input.
  std::vector<float> both((size_t)count * joined, 0.0f);
  const float lowest = -std::numeric_limits<float>::infinity();
  for (int r = 0; r < count; r++) {
    const size_t source = (size_t)call.row_sources[row0 + r];
    const float* keys = memory.keys + source * steps * size;
    const float* values = memory.values + source * steps * encoder;
    const float* mask = memory.mask ? memory.mask + source * steps : nullptr;
    const float* query = queries.data() + (size_t)r * size;
    float* a = call.attention_weights + (size_t)(row0 + r) * steps;
    // Scores of the real steps; padding is left out of the softmax, which is what the TF.js
    // version's -1e9 gives (its exp underflows to 0) before its product with the mask.
    float max = lowest;
    for (size_t s = 0; s < steps; s++) {
      if (mask && mask[s] == 0.0f) continue;
      a[s] = additive_score(d.attention, keys + s * size, query, weights.vector);
      if (a[s] > max) max = a[s];
    }
    float sum = 0.0f;
    for (size_t s = 0; s < steps; s++) {
      if (mask && mask[s] == 0.0f) {
        a[s] = 0.0f;
        continue;
      }
      a[s] = std::exp(a[s] - max);
      sum += a[s];
    }
    float* context_row = both.data() + (size_t)r * joined;
    if (sum > 0.0f || std::isnan(sum)) {
      for (size_t s = 0; s < steps; s++) {
        if (mask && mask[s] == 0.0f) continue;
        a[s] /= sum;
        add_scaled(d.encoder, a[s], values + s * encoder, context_row);
      }
    }
    std::memcpy(context_row + encoder, top + (size_t)r * decoder, decoder * sizeof(float));
  }
  matmul(false, false, count, d.decoder, (int)joined, both.data(), weights.combine_kernel,
         attended);
  for (int r = 0; r < count; r++)
    tanh_with_bias(d.decoder, weights.combine_bias, attended + (size_t)r * decoder);
}

}  // namespace

void decoder_attention_step(const DecoderAttentionDims& d, const int32_t* row_sources,
                            const float* top, const DecoderAttentionMemory& memory,
                            const DecoderAttentionWeights& weights, float* attended,
                            float* attention_weights) {
  if (d.rows == 0) return;
  AttentionCall call{&d, row_sources, top, &memory, &weights, attended, attention_weights};
  rows_in_lanes(d.rows, attention_rows, &call);
}

}  // namespace unfold_rnn

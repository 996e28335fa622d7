// One decoding step of an encoder-decoder's additive decoder attention on typed arrays
// (domain/rnn/decoder-attention.ts gives the formulas; domain/rnn/kernels/native-decoder-
// attention.ts calls this): for every decoder row r reading source b = row_sources[r],
//
//   q_r      = d_r W_dec                                  (one product per lane of rows)
//   e[r, s]  = v . tanh(keys[b, s] + q_r)                 (only the source's real steps)
//   a[r, .]  = softmax of e over the real steps, 0 on padding
//   c_r      = sum_s a[r, s] values[b, s]
//   h~_r     = tanh([c_r; d_r] W_c + b_c)
//
// At two threads a step of 32+ rows runs as two lanes of rows (rows_in_lanes in rnn_kernels.h):
// every value of a row reads only that row, so the lanes give the same bits as one call.
// Decoding only: training keeps the TF.js graph, whose autodiff gives the gradient. The keys
// (values W_enc) are computed once per encoded batch by the caller; rows read the memory of
// their source in place, so a beam's rows need no gathered copy of it.
#pragma once

#include <cstdint>

namespace unfold_rnn {

struct DecoderAttentionDims {
  int rows;         // decoder rows of this step
  int batch;        // encoded sources (rows of the memory)
  int source_time;  // padded source length S
  int decoder;      // decoder top layer size D
  int attention;    // attention size A
  int encoder;      // encoder top output size E
};

// The encoder memory, batch-major: keys [batch, S, A], values [batch, S, E], mask [batch, S]
// (1 real step, 0 padding; null when nothing is padded).
struct DecoderAttentionMemory {
  const float* keys;
  const float* values;
  const float* mask;
};

// W_dec [D, A], v [A], W_c [E + D, D] (context rows first, as the TF.js concat), b_c [D].
struct DecoderAttentionWeights {
  const float* decoder_kernel;
  const float* vector;
  const float* combine_kernel;
  const float* combine_bias;
};

// top [rows, D] (the decoder's top layer outputs); row_sources [rows], each in [0, batch)
// (the caller checks). Writes attended [rows, D] and weights [rows, S]. A source without a
// real step gets weights 0 and a zero context, as the TF.js version's mask gives it.
void decoder_attention_step(const DecoderAttentionDims& d, const int32_t* row_sources,
                            const float* top, const DecoderAttentionMemory& memory,
                            const DecoderAttentionWeights& weights, float* attended,
                            float* attention_weights);

}  // namespace unfold_rnn

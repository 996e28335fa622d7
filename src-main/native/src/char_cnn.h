// 1-D convolution + max over time over rows of a table picked by id (domain/rnn/
// conv-max-over-time.ts): over the windows that start at a non-zero id, one sgemm (the table
// through the kernel when it has no more rows than there are windows, else im2col), ReLU, max
// over positions; and its gradient routed to the first maximal position. Written for the
// character CNN of a word (whose names it keeps: "tokens" are the sequences, "vocab" the table's
// rows); the sentence CNN runs on it with the batch's word vectors as the table. The caller has
// checked every id against the table and every length.
#pragma once

#include <cstddef>
#include <cstdint>

namespace unfold_rnn {

struct CharCnnDims {
  size_t tokens, positions, vocab, emb, filters, width;
};

// features [tokens, filters] = max over valid windows of relu(bias + window . kernel), 0 for a
// token without chars; best [tokens, filters] = the first position reaching a positive max, or
// -1 when the max is 0 (ReLU passes no gradient there).
void char_cnn_forward(const CharCnnDims& d, const int32_t* ids, const float* table,
                      const float* kernel, const float* bias, float* features, int32_t* best);

// Gradients of table [vocab, emb] (added to d_table when accumulate_table, else overwritten),
// kernel [width*emb, filters] and bias [filters] (overwritten) from dy [tokens, filters] and the
// forward's best positions.
void char_cnn_backward(const CharCnnDims& d, const int32_t* ids, const float* table,
                       const float* kernel, const int32_t* best, const float* dy,
                       float* d_table, float* d_kernel, float* d_bias,
                       bool accumulate_table = false);

}  // namespace unfold_rnn

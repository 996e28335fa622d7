// An inference-only LSTM over a batch of sequences of different lengths, packed (the batch's
// rows sorted longest first): step t runs only the rows whose sequence is still going, so no
// padded step is computed and no state is frozen by a mask, and nothing is cached for a
// gradient. The input projections come in precomputed and are picked by row index, so a
// tagger projects each distinct word once. Same formulas as lstm_forward (rnn_kernels.cc) with
// zero initial states; domain/text/native-word-transducer.spec.ts checks both agree.
#pragma once

#include <cstdint>
#include <vector>

namespace unfold_rnn {

struct PackedLstmDims {
  int steps;       // the longest sequence
  int batch;
  int units;       // n
  int out_stride;  // floats per row of `out`
};

// Working memory of one direction, kept between calls (fresh buffers of a few MB per call cost
// more in page faults than the step they serve).
struct PackedLstmScratch {
  std::vector<float> projected;  // x W of every input row, when the caller gives x and W
  std::vector<float> z, c, h;    // [batch, 4n], [batch, n], [batch, n]
};

// z_rows = x W ([rows, inputs] times [inputs, 4n]) into scratch.projected; returns it.
const float* project_rows(int rows, int inputs, int units, const float* x, const float* w,
                          PackedLstmScratch& scratch);

// lengths [batch], non-increasing, each in [0, steps]. Step t of row b (t < lengths[b]) starts
// from z_rows[z_index[t * batch + b]] (the row's x W, [4n], without the bias) and writes its
// output h to columns [out_column, out_column + n) of out row out_index[t * batch + b] (so a
// bidirectional layer's two directions fill one [tokens, 2n] matrix); nothing else of out is
// written. u [n, 4n], bias [4n], peep [3n] or null, as lstm_forward's. final_h and final_c
// ([batch, n] each, rows in the order of `lengths`), when not null, receive each row's h and c
// after its last step (zeros for a row of length 0): the state an encoder hands its decoder. A
// backward direction's last step is its sequence's first element.
void lstm_packed_forward(const PackedLstmDims& d, const int32_t* lengths, const float* z_rows,
                         const int32_t* z_index, const float* u, const float* bias,
                         const float* peep, float* out, const int32_t* out_index, int out_column,
                         float* final_h, float* final_c, PackedLstmScratch& scratch);

}  // namespace unfold_rnn

// Whole-sequence recurrent kernels over the system BLAS (OpenBLAS): forward with cached gate
// activations and hand-written BPTT. Hand-written because no maintained library offers
// sequence-level LSTM/GRU/Elman kernels with this engine's conventions (tf.layers weight
// layout, peepholes, LSTMP projection, reset-before GRU, masking that freezes the state); the
// heavy lifting (every matrix product) is BLAS, only the element-wise gate math is ours.
//
// Layout: time-major, row-major. x [T*B, I]; weights as tf.layers/Keras: kernel [I, G*n],
// recurrent_kernel [r, G*n], bias [G*n]; mask [T*B] of 0/1 or null. Semantics mirror
// src-main/domain/rnn/kernels/*-sequence.ts exactly (same formulas, same blending).
#pragma once

#include <cstddef>

namespace unfold_rnn {

struct Dims {
  int time;
  int batch;
  int input;
  int units;   // n (cells nc for the LSTM family)
  int output;  // r: recurrent/output size (nr for LSTMP, else n)
};

// Threads per kernel call: 2 overlaps the time-parallel products with the recurrence, 1 runs
// everything on the calling thread.
void set_parallel(int workers);
int get_parallel();

// Runs rows(context, row0, count) over the rows [0, total) of an inference call whose rows are
// independent: at two threads, while two lanes pay (the measure the recurrent forwards' lanes
// keep), as two halves side by side; else as one call. A row's results must not depend on which
// other rows share its call (the rule the recurrent forwards' lanes follow too).
void rows_in_lanes(int total, void (*rows)(void* context, int row0, int count), void* context);

// C [m, n] = op(A) op(B), row-major; A is [m, k] ([k, m] when trans_a), B [k, n] ([n, k]).
void matmul(bool trans_a, bool trans_b, int m, int n, int k, const float* a, const float* b,
            float* c);

// ---- LSTM family (plain, peephole, LSTMP) ----
struct LstmWeights {
  const float* w;     // [I, 4n]
  const float* u;     // [r, 4n]
  const float* b;     // [4n]
  const float* peep;  // [3, n] or null
  const float* proj;  // [n, r] or null
};

struct LstmCache {
  float* gates;  // [T*B, 4n]: i, f, g, o activations
  float* cells;  // [(T+1)*B, n]: c0, then the (masked) cell state after each step
  float* cnew;   // [T*B, n]: unmasked new cell state
  float* tanhc;  // [T*B, n]
  float* m;      // [T*B, n]: o * tanh(c), needed only with a projection (may be null otherwise)
  float* h;      // [(T+1)*B, r]: h0, then the (masked) output after each step
};

void lstm_forward(const Dims& d, const float* x, const LstmWeights& wt, const float* h0,
                  const float* c0, const float* mask, LstmCache& cache);
// The same forward without the cache (no gradient to come): out [T*B, r] gets the (masked)
// output of each step, c_final [B, n] the cell state after the last. Keeps one chunk of gates
// instead of the whole sequence's, so memory stays flat in the sequence length; at two threads
// a batch of 32+ rows runs as two lanes of rows side by side (rnn_kernels.cc says how).
void lstm_infer(const Dims& d, const float* x, const LstmWeights& wt, const float* h0,
                const float* c0, const float* mask, float* out, float* c_final);

struct LstmGrads {
  float* dx;     // [T*B, I]
  float* dw;     // [I, 4n]
  float* du;     // [r, 4n]
  float* db;     // [4n]
  float* dpeep;  // [3, n] or null
  float* dproj;  // [n, r] or null
  float* dh0;    // [B, r]
  float* dc0;    // [B, n]
};

// dout [T*B, r] = dLoss/dOutputs; dcfinal [B, n] = dLoss/dFinalCell.
void lstm_backward(const Dims& d, const float* x, const LstmWeights& wt, const float* mask,
                   const LstmCache& cache, const float* dout, const float* dcfinal,
                   LstmGrads& g);

// ---- GRU, reset-before (Cho et al. 2014, tf.layers' reset_after = false) ----
struct GruCache {
  float* gates;  // [T*B, 3n]: z, r, hh activations
  float* a;      // [T*B, n]: r * h_{t-1}
  float* h;      // [(T+1)*B, n]
};

void gru_forward(const Dims& d, const float* x, const float* w, const float* u, const float* b,
                 const float* h0, const float* mask, GruCache& cache);
// Forward without the cache: out [T*B, n] gets the output of each step.
void gru_infer(const Dims& d, const float* x, const float* w, const float* u, const float* b,
               const float* h0, const float* mask, float* out);

struct PlainGrads {
  float* dx;
  float* dw;
  float* du;
  float* db;
  float* dh0;
};

void gru_backward(const Dims& d, const float* x, const float* w, const float* u,
                  const float* mask, const GruCache& cache, const float* dout, PlainGrads& g);

// ---- Elman ----
struct ElmanCache {
  float* hnew;  // [T*B, n]: unmasked activation per step
  float* h;     // [(T+1)*B, n]
};

void elman_forward(const Dims& d, bool sigmoid, const float* x, const float* w, const float* u,
                   const float* b, const float* h0, const float* mask, ElmanCache& cache);
// Forward without the cache: out [T*B, n] gets the output of each step.
void elman_infer(const Dims& d, bool sigmoid, const float* x, const float* w, const float* u,
                 const float* b, const float* h0, const float* mask, float* out);

void elman_backward(const Dims& d, bool sigmoid, const float* x, const float* w, const float* u,
                    const float* mask, const ElmanCache& cache, const float* dout,
                    PlainGrads& g);

// ---- One frame of one sequence (streaming, batch 1) ----
// z holds the frame's input projection x W + b on entry ([4n], [3n] or [n]) and is overwritten;
// the state (h [r], c [n]) is updated in place. Same formulas as the sequence forwards, with
// matrix-vector products instead of products of B = 1 rows (which would repack U every step).

// scratch: [3n] (new cell, tanh of it, o * tanh(c)).
void lstm_stream_step(int n, int r, const float* u, const float* peep, const float* proj,
                      float* z, float* h, float* c, float* scratch);
// scratch: [n] (r * h).
void gru_stream_step(int n, const float* u, float* z, float* h, float* scratch);
void elman_stream_step(int n, bool sigmoid, const float* u, float* z, float* h);

// out [rows, cols] = x [rows, in] w [in, cols] + bias (a matrix-vector product for one row).
void affine_rows(int rows, int in, int cols, const float* x, const float* w, const float* bias,
                 float* out);

}  // namespace unfold_rnn

#include "char_cnn.h"

#include <cblas.h>

#include <cstring>
#include <vector>

namespace unfold_rnn {
namespace {

// One row per window starting at a real char: the width chars' embeddings side by side, the
// padding id 0 past the word's end. window_of[t * positions + p] = its row, or -1.
size_t gather_windows(const CharCnnDims& d, const int32_t* ids, const float* table,
                      std::vector<float>& cols, std::vector<int32_t>& window_of) {
  const size_t span = d.width * d.emb;
  window_of.assign(d.tokens * d.positions, -1);
  size_t rows = 0;
  for (size_t i = 0; i < d.tokens * d.positions; i++)
    if (ids[i] != 0) window_of[i] = (int32_t)rows++;
  cols.resize(rows * span);
  for (size_t t = 0; t < d.tokens; t++) {
    const int32_t* word = ids + t * d.positions;
    for (size_t p = 0; p < d.positions; p++) {
      const int32_t row = window_of[t * d.positions + p];
      if (row < 0) continue;
      float* out = cols.data() + (size_t)row * span;
      for (size_t k = 0; k < d.width; k++) {
        const int32_t id = p + k < d.positions ? word[p + k] : 0;
        std::memcpy(out + k * d.emb, table + (size_t)id * d.emb, d.emb * sizeof(float));
      }
    }
  }
  return rows;
}

// The windows of a batch: one at every non-zero id.
size_t count_windows(const CharCnnDims& d, const int32_t* ids) {
  size_t windows = 0;
  for (size_t i = 0; i < d.tokens * d.positions; i++) windows += ids[i] != 0 ? 1 : 0;
  return windows;
}

// The kernel [width * emb, filters] as [emb, width * filters]: column k * filters + f holds
// filter f's weights for the k-th char of a window.
std::vector<float> kernel_by_offset(const CharCnnDims& d, const float* kernel) {
  const size_t wide = d.width * d.filters;
  std::vector<float> out(d.emb * wide);
  for (size_t k = 0; k < d.width; k++)
    for (size_t e = 0; e < d.emb; e++)
      std::memcpy(out.data() + e * wide + k * d.filters, kernel + (k * d.emb + e) * d.filters,
                  d.filters * sizeof(float));
  return out;
}

// Whether to project the whole table through the kernel once (projected[id, k * filters + f] =
// table[id] . filter f's weights at offset k) and sum each window's width rows of it, instead of
// building every window (im2col) and multiplying those. The same products where the table has
// as many rows as there are windows (a sentence CNN's batch of word vectors); far fewer for a
// char CNN (a hundred chars against thousands of windows). Either way no window is copied.
bool projects_table(const CharCnnDims& d, size_t windows) {
  return d.vocab <= windows + windows / 8 + 1;
}

// The window's char id at offset k: the padding id 0 past the sequence's end.
inline int32_t id_at(const CharCnnDims& d, const int32_t* word, size_t p, size_t k) {
  return p + k < d.positions ? word[p + k] : 0;
}

// visit(word, p, f, g) for each (token, filter) whose max went to the window at position p and
// whose gradient g is not 0: the only windows a max passes gradient to.
template <class Visit>
void for_each_winner(const CharCnnDims& d, const int32_t* ids, const int32_t* best,
                     const float* dy, Visit visit) {
  for (size_t t = 0; t < d.tokens; t++) {
    const int32_t* word = ids + t * d.positions;
    for (size_t f = 0; f < d.filters; f++) {
      const int32_t p = best[t * d.filters + f];
      if (p < 0) continue;
      const float g = dy[t * d.filters + f];
      if (g == 0.0f) continue;
      visit(word, (size_t)p, f, g);
    }
  }
}

}  // namespace

void char_cnn_forward(const CharCnnDims& d, const int32_t* ids, const float* table,
                      const float* kernel, const float* bias, float* features, int32_t* best) {
  const size_t windows = count_windows(d, ids);
  const bool project = windows > 0 && projects_table(d, windows);
  std::vector<float> cols;
  std::vector<int32_t> window_of;
  std::vector<float> conv;
  std::vector<float> projected;
  const size_t wide = d.width * d.filters;
  if (project) {
    const std::vector<float> by_offset = kernel_by_offset(d, kernel);
    projected.resize(d.vocab * wide);
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)d.vocab, (int)wide, (int)d.emb,
                1.0f, table, (int)d.emb, by_offset.data(), (int)wide, 0.0f, projected.data(),
                (int)wide);
  } else {
    const size_t rows = gather_windows(d, ids, table, cols, window_of);
    const size_t span = d.width * d.emb;
    conv.resize(rows * d.filters);
    if (rows > 0)
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)rows, (int)d.filters,
                  (int)span, 1.0f, cols.data(), (int)span, kernel, (int)d.filters, 0.0f,
                  conv.data(), (int)d.filters);
  }
  std::vector<float> window(d.filters);
  for (size_t t = 0; t < d.tokens; t++) {
    const int32_t* word = ids + t * d.positions;
    float* out = features + t * d.filters;
    int32_t* arg = best + t * d.filters;
    for (size_t f = 0; f < d.filters; f++) {
      out[f] = 0.0f;
      arg[f] = -1;
    }
    for (size_t p = 0; p < d.positions; p++) {
      if (word[p] == 0) continue;
      const float* c;
      if (project) {
        // The window's products: its width rows of the projected table, each at its offset.
        std::memcpy(window.data(), projected.data() + (size_t)word[p] * wide,
                    d.filters * sizeof(float));
        for (size_t k = 1; k < d.width; k++) {
          const float* row = projected.data() + (size_t)id_at(d, word, p, k) * wide + k * d.filters;
#pragma omp simd
          for (size_t f = 0; f < d.filters; f++) window[f] += row[f];
        }
        c = window.data();
      } else {
        c = conv.data() + (size_t)window_of[t * d.positions + p] * d.filters;
      }
      for (size_t f = 0; f < d.filters; f++) {
        const float v = c[f] + bias[f];
        if (v > out[f]) {  // strict: ties keep the first position, ReLU keeps v > 0
          out[f] = v;
          arg[f] = (int32_t)p;
        }
      }
    }
  }
}

// Max over time passes each (token, filter)'s gradient to one window, so the gradient is sparse:
// tokens * filters windows of the rows * filters a dense backward multiplies. Where a token has
// many windows (a sentence's words: ~20 per sentence) summing over the winners does far less
// work than two dense products; for short sequences (a word's chars: ~5) the products' speed
// wins. Measured one thread, the two builds taking turns: Kim's banks of widths 3/4/5 over 50
// sentences of 10-35 words x 300 dims, 5.9/10.3/13.6 ms dense against 1.9/2.4/3.2 ms sparse; a
// tagger batch's char CNN (565 words of 1-9 chars, 30 dims, 100 filters) 2.15 against 2.18 ms.
constexpr size_t kSparseMinWindowsPerToken = 8;

namespace {

// d_kernel and the table's gradient from each winning window alone: for winner (t, f) at p,
// d_kernel[:, f] += dy * window, d_table[window's ids] += dy * kernel[:, f].
void sparse_backward(const CharCnnDims& d, const int32_t* ids, const float* table,
                     const float* kernel, const int32_t* best, const float* dy, float* d_table,
                     float* d_kernel) {
  const size_t span = d.width * d.emb;
  // A filter's weights and gradient contiguous: [filters, span].
  std::vector<float> kernel_t(d.filters * span);
  for (size_t r = 0; r < span; r++)
    for (size_t f = 0; f < d.filters; f++) kernel_t[f * span + r] = kernel[r * d.filters + f];
  std::vector<float> d_kernel_t(d.filters * span, 0.0f);
  for_each_winner(d, ids, best, dy, [&](const int32_t* word, size_t p, size_t f, float g) {
    for (size_t k = 0; k < d.width; k++) {
      const int32_t id = id_at(d, word, p, k);
      const float* x = table + (size_t)id * d.emb;
      float* dx = d_table + (size_t)id * d.emb;
      const float* w = kernel_t.data() + f * span + k * d.emb;
      float* dw = d_kernel_t.data() + f * span + k * d.emb;
      for (size_t e = 0; e < d.emb; e++) {
        dw[e] += g * x[e];
        dx[e] += g * w[e];
      }
    }
  });
  for (size_t f = 0; f < d.filters; f++)
    for (size_t r = 0; r < span; r++) d_kernel[r * d.filters + f] = d_kernel_t[f * span + r];
}

}  // namespace

void char_cnn_backward(const CharCnnDims& d, const int32_t* ids, const float* table,
                       const float* kernel, const int32_t* best, const float* dy,
                       float* d_table, float* d_kernel, float* d_bias, bool accumulate_table) {
  const size_t span = d.width * d.emb;
  if (!accumulate_table) std::memset(d_table, 0, d.vocab * d.emb * sizeof(float));
  std::memset(d_kernel, 0, span * d.filters * sizeof(float));
  std::memset(d_bias, 0, d.filters * sizeof(float));
  for (size_t t = 0; t < d.tokens; t++)
    for (size_t f = 0; f < d.filters; f++)
      if (best[t * d.filters + f] >= 0) d_bias[f] += dy[t * d.filters + f];
  const size_t windows = count_windows(d, ids);
  if (windows == 0) return;
  if (windows >= kSparseMinWindowsPerToken * d.tokens) {
    sparse_backward(d, ids, table, kernel, best, dy, d_table, d_kernel);
    return;
  }
  if (projects_table(d, windows)) {
    // The gradient of the projected table: each winner's dy at its window's width rows, then
    // through the one product back to the kernel and the table.
    const size_t wide = d.width * d.filters;
    std::vector<float> d_projected(d.vocab * wide, 0.0f);
    for_each_winner(d, ids, best, dy, [&](const int32_t* word, size_t p, size_t f, float g) {
      for (size_t k = 0; k < d.width; k++)
        d_projected[(size_t)id_at(d, word, p, k) * wide + k * d.filters + f] += g;
    });
    const std::vector<float> by_offset = kernel_by_offset(d, kernel);
    std::vector<float> d_by_offset(d.emb * wide);
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)d.emb, (int)wide, (int)d.vocab,
                1.0f, table, (int)d.emb, d_projected.data(), (int)wide, 0.0f, d_by_offset.data(),
                (int)wide);
    for (size_t k = 0; k < d.width; k++)
      for (size_t e = 0; e < d.emb; e++)
        std::memcpy(d_kernel + (k * d.emb + e) * d.filters,
                    d_by_offset.data() + e * wide + k * d.filters, d.filters * sizeof(float));
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)d.vocab, (int)d.emb, (int)wide,
                1.0f, d_projected.data(), (int)wide, by_offset.data(), (int)wide, 1.0f, d_table,
                (int)d.emb);
    return;
  }
  std::vector<float> cols;
  std::vector<int32_t> window_of;
  const size_t rows = gather_windows(d, ids, table, cols, window_of);
  std::vector<float> d_conv(rows * d.filters, 0.0f);
  for (size_t t = 0; t < d.tokens; t++)
    for (size_t f = 0; f < d.filters; f++) {
      const int32_t p = best[t * d.filters + f];
      if (p < 0) continue;
      d_conv[(size_t)window_of[t * d.positions + (size_t)p] * d.filters + f] =
          dy[t * d.filters + f];
    }
  // d_kernel = cols^T d_conv; d_cols = d_conv kernel^T, scattered back onto the chars' rows.
  cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)span, (int)d.filters, (int)rows, 1.0f,
              cols.data(), (int)span, d_conv.data(), (int)d.filters, 0.0f, d_kernel,
              (int)d.filters);
  std::vector<float>& d_cols = cols;  // the windows are no longer needed
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)rows, (int)span, (int)d.filters, 1.0f,
              d_conv.data(), (int)d.filters, kernel, (int)d.filters, 0.0f, d_cols.data(),
              (int)span);
  for (size_t t = 0; t < d.tokens; t++) {
    const int32_t* word = ids + t * d.positions;
    for (size_t p = 0; p < d.positions; p++) {
      const int32_t row = window_of[t * d.positions + p];
      if (row < 0) continue;
      const float* src = d_cols.data() + (size_t)row * span;
      for (size_t k = 0; k < d.width; k++) {
        const int32_t id = p + k < d.positions ? word[p + k] : 0;
        float* dst = d_table + (size_t)id * d.emb;
        for (size_t e = 0; e < d.emb; e++) dst[e] += src[k * d.emb + e];
      }
    }
  }
}

}  // namespace unfold_rnn

// See stream_session.h. Per chunk: each layer's input projection for all its frames in one
// product, then the recurrence frame by frame (matrix-vector products, rnn_kernels.cc), then the
// output layer for all frames in one product and its activation.
#include "stream_session.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <utility>

#include "rnn_kernels.h"

namespace unfold_rnn {

namespace {

int gate_blocks(StreamFamily family) {
  return family == StreamFamily::kLstm ? 4 : family == StreamFamily::kGru ? 3 : 1;
}

void softmax_rows(int rows, int cols, float* v) {
  for (int i = 0; i < rows; i++) {
    float* row = v + (size_t)i * cols;
    float top = row[0];
    for (int j = 1; j < cols; j++) top = std::max(top, row[j]);
    float sum = 0.0f;
    for (int j = 0; j < cols; j++) {
      row[j] = std::exp(row[j] - top);
      sum += row[j];
    }
    const float scale = 1.0f / sum;
    for (int j = 0; j < cols; j++) row[j] *= scale;
  }
}

}  // namespace

StreamSession::StreamSession(std::vector<StreamLayerSpec> layers, bool residual,
                             std::vector<float> out_w, std::vector<float> out_b, int classes,
                             StreamActivation activation)
    : layers_(std::move(layers)),
      residual_(residual),
      out_w_(std::move(out_w)),
      out_b_(std::move(out_b)),
      classes_(classes),
      activation_(activation) {
  for (const StreamLayerSpec& layer : layers_) {
    h_.emplace_back((size_t)layer.output, 0.0f);
    c_.emplace_back(layer.family == StreamFamily::kLstm ? (size_t)layer.units : 0, 0.0f);
  }
  ensure_capacity(8);
}

void StreamSession::reset() {
  for (auto& h : h_) std::fill(h.begin(), h.end(), 0.0f);
  for (auto& c : c_) std::fill(c.begin(), c.end(), 0.0f);
}

void StreamSession::ensure_capacity(int frames) {
  if (frames <= capacity_) return;
  size_t widest = 0, gates = 0, cells = 0;
  for (const StreamLayerSpec& layer : layers_) {
    widest = std::max({widest, (size_t)layer.input, (size_t)layer.output});
    gates = std::max(gates, (size_t)gate_blocks(layer.family) * layer.units);
    cells = std::max(cells, (size_t)3 * layer.units);
  }
  capacity_ = frames;
  z_.resize((size_t)frames * gates);
  a_.resize((size_t)frames * widest);
  b_.resize((size_t)frames * widest);
  scratch_.resize(cells);
}

void StreamSession::step(int frames, const float* x, float* out) {
  if (frames <= 0) return;
  ensure_capacity(frames);
  const float* in = x;
  float* bufs[2] = {a_.data(), b_.data()};
  float* y = nullptr;
  for (size_t l = 0; l < layers_.size(); l++) {
    const StreamLayerSpec& L = layers_[l];
    const int n = L.units, G = gate_blocks(L.family) * n;
    y = bufs[l % 2];
    float* z = z_.data();
    affine_rows(frames, L.input, G, in, L.w.data(), L.b.data(), z);
    float* h = h_[l].data();
    for (int t = 0; t < frames; t++) {
      float* zt = z + (size_t)t * G;
      switch (L.family) {
        case StreamFamily::kLstm:
          lstm_stream_step(n, L.output, L.u.data(), L.peep.empty() ? nullptr : L.peep.data(),
                           L.proj.empty() ? nullptr : L.proj.data(), zt, h, c_[l].data(),
                           scratch_.data());
          break;
        case StreamFamily::kGru:
          gru_stream_step(n, L.u.data(), zt, h, scratch_.data());
          break;
        case StreamFamily::kElman:
          elman_stream_step(n, L.sigmoid, L.u.data(), zt, h);
          break;
      }
      std::memcpy(y + (size_t)t * L.output, h, sizeof(float) * L.output);
    }
    if (residual_ && l > 0 && L.output == L.input)
      for (size_t k = 0; k < (size_t)frames * L.output; k++) y[k] += in[k];
    in = y;
  }
  const int top = layers_.back().output;
  affine_rows(frames, top, classes_, in, out_w_.data(), out_b_.data(), out);
  if (activation_ == StreamActivation::kSoftmax) {
    softmax_rows(frames, classes_, out);
  } else if (activation_ == StreamActivation::kSigmoid) {
    for (size_t k = 0; k < (size_t)frames * classes_; k++) out[k] = 1.0f / (1.0f + std::exp(-out[k]));
  }
}

}  // namespace unfold_rnn

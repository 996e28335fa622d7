#include "output_softmax.h"

#include "fast_exp.h"

#include <cblas.h>

#include <cmath>
#include <cstring>
#include <limits>

namespace unfold_rnn {

OutputSoftmaxStats output_softmax_forward(const OutputSoftmaxDims& d, const float* h,
                                          const float* kernel, const float* bias,
                                          const int32_t* ids, const float* weights, float* probs) {
  const size_t classes = (size_t)d.classes;
  for (int r = 0; r < d.rows; r++) std::memcpy(probs + r * classes, bias, classes * sizeof(float));
  if (d.rows > 0 && d.classes > 0)
    cblas_sgemm(CblasRowMajor, CblasNoTrans, d.tied ? CblasTrans : CblasNoTrans, d.rows,
                d.classes, d.input, 1.0f, h, d.input, kernel, d.tied ? d.input : d.classes, 1.0f,
                probs, d.classes);
  OutputSoftmaxStats stats{0, 0, 0};
  const float nan = std::numeric_limits<float>::quiet_NaN();
  for (int r = 0; r < d.rows; r++) {
    float* row = probs + r * classes;
    // The largest logit, and x - x summed: 0 unless a logit is NaN or infinite (the vectorised
    // max may drop a NaN; the probe keeps it).
    float max = -std::numeric_limits<float>::infinity();
    float probe = 0.0f;
    float logit_sum = 0.0f;
#pragma omp simd reduction(max : max) reduction(+ : probe, logit_sum)
    for (size_t c = 0; c < classes; c++) {
      const float x = row[c];
      max = x > max ? x : max;
      probe += x - x;
      logit_sum += x;
    }
    const int32_t target = ids[r];
    const bool in_range = target >= 0 && (size_t)target < classes;
    const float weight = weights[r];
    if (probe != 0.0f || classes == 0) {
      for (size_t c = 0; c < classes; c++) row[c] = nan;
      if (weight != 0.0f) {
        stats.loss_sum = std::numeric_limits<double>::quiet_NaN();
        stats.weight_sum += weight;
      }
      continue;
    }
    const float target_logit = in_range ? row[target] : 0.0f;
    size_t best = 0;  // the first largest logit, as tf.argMax
    while (row[best] != max) best++;
    float sum = 0.0f;
#pragma omp simd reduction(+ : sum)
    for (size_t c = 0; c < classes; c++) {
      const float e = fast_exp(row[c] - max);
      row[c] = e;
      sum += e;
    }
    const float inverse = 1.0f / sum;
#pragma omp simd
    for (size_t c = 0; c < classes; c++) row[c] *= inverse;
    if (weight == 0.0f) continue;
    // log-sum-exp minus the target's logit: exact where the target's probability underflows.
    const double log_sum_exp = (double)max + std::log((double)sum);
    double loss = in_range ? log_sum_exp - (double)target_logit
                           : std::numeric_limits<double>::infinity();
    if (d.smoothing != 0.0f)
      loss = (1.0 - d.smoothing) * loss +
             d.smoothing * (log_sum_exp - (double)logit_sum / (double)classes);
    stats.loss_sum += (double)weight * loss;
    if (in_range && best == (size_t)target) stats.correct += weight;
    stats.weight_sum += weight;
  }
  return stats;
}

void output_softmax_backward(const OutputSoftmaxDims& d, const float* h, const float* kernel,
                             const int32_t* ids, const float* weights, float scale, float* probs,
                             float* dh, float* dkernel, float* dbias) {
  const size_t classes = (size_t)d.classes;
  std::memset(dbias, 0, classes * sizeof(float));
  for (int r = 0; r < d.rows; r++) {
    float* row = probs + r * classes;
    const float factor = weights[r] * scale;
    if (factor == 0.0f) {
      std::memset(row, 0, classes * sizeof(float));
      continue;
    }
    // Smoothing spreads part of the one-hot evenly: s / classes off every class, 1 - s off the
    // target.
    const float spread = factor * d.smoothing / (float)classes;
#pragma omp simd
    for (size_t c = 0; c < classes; c++) row[c] = row[c] * factor - spread;
    const int32_t target = ids[r];
    if (target >= 0 && (size_t)target < classes) row[target] -= factor * (1.0f - d.smoothing);
#pragma omp simd
    for (size_t c = 0; c < classes; c++) dbias[c] += row[c];
  }
  const size_t kernel_size = (size_t)d.input * classes;
  if (d.rows == 0 || d.classes == 0 || d.input == 0) {
    std::memset(dh, 0, (size_t)d.rows * d.input * sizeof(float));
    std::memset(dkernel, 0, kernel_size * sizeof(float));
    return;
  }
  // dh = g W^T (untied, W [input, classes]) or g E (tied, E [classes, input]).
  cblas_sgemm(CblasRowMajor, CblasNoTrans, d.tied ? CblasNoTrans : CblasTrans, d.rows, d.input,
              d.classes, 1.0f, probs, d.classes, kernel, d.tied ? d.input : d.classes, 0.0f, dh,
              d.input);
  if (d.tied)  // dE = g^T h [classes, input]
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, d.classes, d.input, d.rows, 1.0f, probs,
                d.classes, h, d.input, 0.0f, dkernel, d.input);
  else  // dW = h^T g [input, classes]
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, d.input, d.classes, d.rows, 1.0f, h,
                d.input, probs, d.classes, 0.0f, dkernel, d.classes);
}

}  // namespace unfold_rnn

// The softmax output layer fused with its cross-entropy loss (domain/rnn/kernels/
// native-output-softmax.ts): logits = h W + b, the softmax, each row's loss and argmax forwards;
// the gradient (softmax - one-hot) x weight x scale and its three products backwards. The
// logits (rows x classes, 7 million floats for a 10,000-word LM step) live only here.
#pragma once

#include <cstddef>
#include <cstdint>

namespace unfold_rnn {

struct OutputSoftmaxDims {
  int rows;     // frames (time-major rows of the flattened top layer)
  int input;    // top layer size
  int classes;  // output size
  bool tied;    // kernel is [classes, input] (the embedding table), else [input, classes]
  // Label smoothing: the target is (1 - smoothing) one-hot + smoothing / classes everywhere.
  float smoothing = 0.0f;
};

struct OutputSoftmaxStats {
  double loss_sum;    // sum over weighted rows of weight x cross-entropy (NaN on a bad row)
  double correct;     // weight sum of rows whose first largest logit is the target
  double weight_sum;  // sum of the weights
};

// probs [rows, classes] receives each row's softmax. Rows of weight 0 add nothing to the stats.
// With smoothing s a row's loss is (1 - s) x its cross-entropy + s x the mean over the classes
// of -log p (log-sum-exp minus the mean logit).
// A weighted row with a NaN or infinite logit makes loss_sum NaN (its softmax is NaN); a target
// outside [0, classes) an infinite loss.
OutputSoftmaxStats output_softmax_forward(const OutputSoftmaxDims& d, const float* h,
                                          const float* kernel, const float* bias,
                                          const int32_t* ids, const float* weights, float* probs);

// Turns probs into the logits' gradient in place ((p - (1 - s) onehot - s / classes) x weight x
// scale; zero for rows of weight 0), then dh [rows, input], dkernel (the kernel's shape) and dbias [classes].
void output_softmax_backward(const OutputSoftmaxDims& d, const float* h, const float* kernel,
                             const int32_t* ids, const float* weights, float scale, float* probs,
                             float* dh, float* dkernel, float* dbias);

}  // namespace unfold_rnn

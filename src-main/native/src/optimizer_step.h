// One optimizer update over whole arrays in one pass (domain/rnn/optimizers.ts): the weights and
// the kind's slots in place, from the gradient. The same arithmetic as the optimizer's TF.js ops
// and its lazy rows, in float, so the compiler vectorises it: a chain of TF.js ops reads and
// writes every element about ten times.
#pragma once

#include <cstddef>

namespace unfold_rnn {

enum class OptimizerKind { kSgd = 0, kMomentum = 1, kNesterov = 2, kRmsprop = 3, kAdam = 4 };

struct OptimizerStep {
  OptimizerKind kind;
  float rate;          // the learning rate; Adam's bias-corrected step rate
  float decay;         // momentum mu, RMSProp rho, Adam beta1
  float decay2;        // Adam beta2
  float epsilon;       // RMSProp, Adam
  float weight_decay;  // added as weight_decay * w to the gradient
};

// w, g [n]; s1 the momentum / mean square / first moment, s2 Adam's second moment (null when
// the kind has none).
void optimizer_step(const OptimizerStep& step, size_t n, float* w, float* s1, float* s2,
                    const float* g);

}  // namespace unfold_rnn

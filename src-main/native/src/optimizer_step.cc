#include "optimizer_step.h"

#include <cmath>

namespace unfold_rnn {

void optimizer_step(const OptimizerStep& s, size_t n, float* __restrict w, float* __restrict s1,
                    float* __restrict s2, const float* __restrict g) {
  const float lr = s.rate, wd = s.weight_decay;
  switch (s.kind) {
    case OptimizerKind::kSgd:
      for (size_t i = 0; i < n; i++) w[i] -= lr * (g[i] + wd * w[i]);
      return;
    case OptimizerKind::kMomentum:
    case OptimizerKind::kNesterov: {
      const float mu = s.decay;
      const bool nesterov = s.kind == OptimizerKind::kNesterov;
      for (size_t i = 0; i < n; i++) {
        const float gi = g[i] + wd * w[i];
        const float vel = mu * s1[i] + gi;
        s1[i] = vel;
        w[i] -= lr * (nesterov ? gi + mu * vel : vel);
      }
      return;
    }
    case OptimizerKind::kRmsprop: {
      const float rho = s.decay, eps = s.epsilon;
      for (size_t i = 0; i < n; i++) {
        const float gi = g[i] + wd * w[i];
        const float mean = rho * s1[i] + (1.0f - rho) * gi * gi;
        s1[i] = mean;
        w[i] -= lr * gi / (std::sqrt(mean) + eps);
      }
      return;
    }
    case OptimizerKind::kAdam: {
      const float b1 = s.decay, b2 = s.decay2, eps = s.epsilon;
      for (size_t i = 0; i < n; i++) {
        const float gi = g[i] + wd * w[i];
        const float m1 = b1 * s1[i] + (1.0f - b1) * gi;
        const float v1 = b2 * s2[i] + (1.0f - b2) * gi * gi;
        s1[i] = m1;
        s2[i] = v1;
        w[i] -= lr * m1 / (std::sqrt(v1) + eps);
      }
      return;
    }
  }
}

}  // namespace unfold_rnn

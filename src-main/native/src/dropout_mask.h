// Dropout masks for training (domain/rnn/dropout.ts): each element 1 / keep with probability
// keep, else 0, from a seeded counter-based generator. TF.js's randomUniform draws each number
// in JavaScript (seedrandom's alea), a twentieth of a tagger's training step.
#pragma once

#include <cstddef>
#include <cstdint>

namespace unfold_rnn {

// out [n]: 1 / keep or 0. keep in (0, 1]. The same seed gives the same mask.
void dropout_mask(float* out, size_t n, float keep, uint32_t seed);

}  // namespace unfold_rnn

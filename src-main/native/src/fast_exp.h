// e^x, the logistic sigmoid and tanh for the element-wise loops of the kernels (gates, softmax,
// attention scores), branch-free so that GCC vectorises the loops that call them; and the
// attribute that compiles such a loop for AVX-512, AVX2 and baseline x86-64, picked at load time.
#pragma once

#include <cstdint>

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define UNFOLD_SIMD_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define UNFOLD_SIMD_CLONES
#endif

namespace unfold_rnn {

// e^x (Cephes expf polynomial, relative error ~2e-7): glibc's expf/tanhf are scalar calls and
// took a fifth of the kernel time. Inputs are clamped to [-87, 88] (no overflow, no denormals).
inline float fast_exp(float x) {
  x = x < -87.0f ? -87.0f : x;
  x = x > 88.0f ? 88.0f : x;
  // floor(x log2(e) + 0.5) by truncating a positive number (vectorises without SSE4.1).
  const float n = (float)(int32_t)(x * 1.44269504088896341f + 128.5f) - 128.0f;
  float r = x - n * 0.693359375f;
  r = r + n * 2.12194440e-4f;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * r * r + r + 1.0f;
  const int32_t bits = ((int32_t)n + 127) << 23;
  return p * __builtin_bit_cast(float, bits);
}

inline float fast_sigmoid(float v) { return 1.0f / (1.0f + fast_exp(-v)); }

// Absolute error ~1e-7 against libm's tanhf (a scalar call GCC cannot vectorise).
inline float fast_tanh(float v) { return 1.0f - 2.0f / (fast_exp(2.0f * v) + 1.0f); }

}  // namespace unfold_rnn

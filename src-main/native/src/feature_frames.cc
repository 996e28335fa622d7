// See feature_frames.h. The per-frame steps and their order follow frame-kernel.ts (FEATURES.md
// lists the conventions); the power spectrum is the same radix-4 real FFT as real-fft.ts.
#include "feature_frames.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace unfold_rnn {

namespace {
// Kaldi floors every log at FLT_EPSILON.
constexpr double kLogFloor = 1.1920928955078125e-7;
inline double floored_log(double x) { return std::log(std::max(x, kLogFloor)); }
}  // namespace

FeatureFrames::FeatureFrames(FeatureFrameSpec spec) : spec_(std::move(spec)) {
  const int n = spec_.fft_size;
  half_ = n / 2;
  dims_ = spec_.kind == 0   ? half_ + 1
          : spec_.kind == 1 ? spec_.bands + (spec_.use_energy ? 1 : 0)
                            : spec_.num_ceps;
  x_.assign(n, 0.0);
  re_.assign(half_, 0.0);
  im_.assign(half_, 0.0);
  power_.assign(half_ + 1, 0.0);
  log_mel_.assign(std::max(spec_.bands, 1), 0.0);
  int bits = 0;
  while ((1 << bits) < half_) bits++;
  reversed_.assign(half_, 0);
  for (int i = 0; i < half_; i++) {
    int r = 0;
    for (int b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
    reversed_[i] = r;
  }
  odd_stages_ = bits % 2 == 1;
  const double pi = 3.14159265358979323846;
  for (int m = odd_stages_ ? 2 : 1; m < half_; m *= 4)
    for (int k = 0; k < m; k++)
      for (int r = 1; r <= 3; r++) {
        const double angle = 2 * pi * r * k / (4.0 * m);
        stage_twiddles_.push_back(std::cos(angle));
        stage_twiddles_.push_back(-std::sin(angle));
      }
  split_re_.resize(half_ + 1);
  split_im_.resize(half_ + 1);
  for (int k = 0; k <= half_; k++) {
    split_re_[k] = std::cos(2 * pi * k / n);
    split_im_[k] = -std::sin(2 * pi * k / n);
  }
}

void FeatureFrames::compute(const float* samples, int frames, int shift, float* out) {
  for (int f = 0; f < frames; f++)
    frame(samples + static_cast<size_t>(f) * shift, out + static_cast<size_t>(f) * dims_);
}

void FeatureFrames::frame(const float* samples, float* out) {
  const int length = spec_.frame_length;
  double* x = x_.data();
  const double scale = spec_.scale;
  double sum = 0;
#pragma omp simd reduction(+ : sum)
  for (int i = 0; i < length; i++) {
    const double value = static_cast<double>(samples[i]) * scale;
    x[i] = value;
    sum += value;
  }
  const double mean = spec_.remove_dc ? sum / length : 0.0;
  // Energy of the DC-free frame (raw) or of the windowed one; pre-emphasis and window
  // backwards so that x[i - 1] is still the scaled sample when x[i] is computed.
  const double p = spec_.preemphasis;
  const double* window = spec_.window.data();
  double energy = 0;
  if (spec_.raw_energy) {
#pragma omp simd reduction(+ : energy)
    for (int i = 0; i < length; i++) {
      const double v = x[i] - mean;
      energy += v * v;
    }
  }
  double next = x[length - 1] - mean;
  for (int i = length - 1; i > 0; i--) {
    const double current = next;
    next = x[i - 1] - mean;
    x[i] = (current - p * next) * window[i];
  }
  x[0] = next * (1 - p) * window[0];
  if (!spec_.raw_energy) {
#pragma omp simd reduction(+ : energy)
    for (int i = 0; i < length; i++) energy += x[i] * x[i];
  }
  const double log_energy = floored_log(energy);

  power_spectrum();
  const double* power = power_.data();
  if (spec_.kind == 0) {
    for (int k = 0; k <= half_; k++) out[k] = static_cast<float>(floored_log(power[k]));
    out[0] = static_cast<float>(log_energy);  // Kaldi puts the log energy in the DC bin
    return;
  }
  const int bands = spec_.bands;
  double* log_mel = log_mel_.data();
  const double* weights = spec_.mel_weights.data();
  for (int b = 0; b < bands; b++) {
    const int first = spec_.mel_first[b];
    const int end = first + spec_.mel_width[b];
    const double* w = weights + spec_.mel_offset[b] - first;
    double even = 0, odd = 0;
    int k = first;
    for (; k + 1 < end; k += 2) {
      even += w[k] * power[k];
      odd += w[k + 1] * power[k + 1];
    }
    if (k < end) even += w[k] * power[k];
    log_mel[b] = floored_log(even + odd);
  }
  if (spec_.kind == 1) {
    int o = 0;
    if (spec_.use_energy) out[o++] = static_cast<float>(log_energy);
    for (int b = 0; b < bands; b++) out[o++] = static_cast<float>(log_mel[b]);
    return;
  }
  const double* dct = spec_.dct.data();
  for (int c = 0; c < spec_.num_ceps; c++) {
    double cepstrum = 0;
    const double* row = dct + static_cast<size_t>(c) * bands;
    for (int b = 0; b < bands; b++) cepstrum += row[b] * log_mel[b];
    out[c] = static_cast<float>(cepstrum * spec_.lifter[c]);
  }
  if (spec_.use_energy) out[0] = static_cast<float>(log_energy);
}

// |X_k|^2, k = 0 .. N/2, of x_ (N = fft_size): z_n = x_2n + i x_2n+1 through an N/2-point
// decimation-in-time FFT (radix-2 first stage when log2(N/2) is odd, then radix-4), then the
// split X_k = E_k + W^k O_k, X_{h-k} = conj(E_k - W^k O_k).
void FeatureFrames::power_spectrum() {
  const int half = half_;
  double* re = re_.data();
  double* im = im_.data();
  const double* x = x_.data();
  const int* rev = reversed_.data();
  int m;
  size_t table = 0;
  if (odd_stages_) {
    for (int i = 0; i < half; i += 2) {
      const double* a = x + 2 * rev[i];
      const double* b = x + 2 * rev[i + 1];
      re[i] = a[0] + b[0];
      im[i] = a[1] + b[1];
      re[i + 1] = a[0] - b[0];
      im[i + 1] = a[1] - b[1];
    }
    m = 2;
  } else {
    for (int i = 0; i < half; i += 4) {
      const double* a = x + 2 * rev[i];
      const double* b = x + 2 * rev[i + 1];
      const double* c = x + 2 * rev[i + 2];
      const double* d = x + 2 * rev[i + 3];
      const double ar = a[0] + b[0], ai = a[1] + b[1];
      const double br = a[0] - b[0], bi = a[1] - b[1];
      const double cr = c[0] + d[0], ci = c[1] + d[1];
      const double dr = c[1] - d[1], di = d[0] - c[0];
      re[i] = ar + cr;
      im[i] = ai + ci;
      re[i + 1] = br + dr;
      im[i + 1] = bi + di;
      re[i + 2] = ar - cr;
      im[i + 2] = ai - ci;
      re[i + 3] = br - dr;
      im[i + 3] = bi - di;
    }
    m = 4;
    table = 6;
  }
  const double* tw = stage_twiddles_.data();
  for (; m < half; m *= 4) {
    const int size = 4 * m;
    for (int block = 0; block < half; block += size) {
      const double* w = tw + table;
      for (int k = 0; k < m; k++, w += 6) {
        const int p0 = block + k, p1 = p0 + m, p2 = p1 + m, p3 = p2 + m;
        const double t0r = re[p0], t0i = im[p0];
        const double x2r = re[p1], x2i = im[p1];
        const double x1r = re[p2], x1i = im[p2];
        const double x3r = re[p3], x3i = im[p3];
        const double t1r = w[0] * x1r - w[1] * x1i, t1i = w[0] * x1i + w[1] * x1r;
        const double t2r = w[2] * x2r - w[3] * x2i, t2i = w[2] * x2i + w[3] * x2r;
        const double t3r = w[4] * x3r - w[5] * x3i, t3i = w[4] * x3i + w[5] * x3r;
        const double ar = t0r + t2r, ai = t0i + t2i;
        const double br = t0r - t2r, bi = t0i - t2i;
        const double cr = t1r + t3r, ci = t1i + t3i;
        const double dr = t1i - t3i, di = t3r - t1r;
        re[p0] = ar + cr;
        im[p0] = ai + ci;
        re[p1] = br + dr;
        im[p1] = bi + di;
        re[p2] = ar - cr;
        im[p2] = ai - ci;
        re[p3] = br - dr;
        im[p3] = bi - di;
      }
    }
    table += 6 * static_cast<size_t>(m);
  }
  double* power = power_.data();
  const double r0 = re[0], i0 = im[0];
  power[0] = (r0 + i0) * (r0 + i0);
  power[half] = (r0 - i0) * (r0 - i0);
  for (int k = 1; 2 * k <= half; k++) {
    const double ar = re[k], ai = im[k];
    const double br = re[half - k], bi = -im[half - k];
    const double er = 0.5 * (ar + br), ei = 0.5 * (ai + bi);
    const double or_ = 0.5 * (ai - bi), oi = -0.5 * (ar - br);
    const double c = split_re_[k], s = split_im_[k];
    const double pr = c * or_ - s * oi, pi = c * oi + s * or_;
    const double xr = er + pr, xi = ei + pi;
    power[k] = xr * xr + xi * xi;
    const double yr = er - pr, yi = ei - pi;
    power[half - k] = yr * yr + yi * yi;
  }
}

}  // namespace unfold_rnn

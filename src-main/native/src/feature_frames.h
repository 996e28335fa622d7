// Static speech features of consecutive frames (spectrogram, log-mel fbank, MFCC): the native
// twin of src-main/domain/audio/frame-kernel.ts, with the tables (window, mel filter bank, DCT,
// lifter) built on the TypeScript side and copied in, so both paths use the same numbers.
#pragma once

#include <cstddef>
#include <vector>

namespace unfold_rnn {

struct FeatureFrameSpec {
  int kind = 2;  // 0 spectrogram, 1 fbank, 2 mfcc
  int frame_length = 0;
  int fft_size = 0;  // a power of two >= 4 and >= frame_length
  double scale = 1;
  double preemphasis = 0;
  bool remove_dc = true;
  bool raw_energy = true;
  bool use_energy = true;
  int bands = 0;
  int num_ceps = 0;
  std::vector<double> window;  // frame_length
  std::vector<int> mel_first, mel_width, mel_offset;  // bands each
  std::vector<double> mel_weights;
  std::vector<double> dct;     // num_ceps x bands
  std::vector<double> lifter;  // num_ceps
};

class FeatureFrames {
 public:
  explicit FeatureFrames(FeatureFrameSpec spec);
  int dims() const { return dims_; }
  int frame_length() const { return spec_.frame_length; }
  // Frame f (f < frames) starts at samples[f * shift]; writes frames rows of dims() to out.
  void compute(const float* samples, int frames, int shift, float* out);

 private:
  void frame(const float* samples, float* out);
  void power_spectrum();

  FeatureFrameSpec spec_;
  int dims_;
  int half_;
  bool odd_stages_;
  std::vector<double> x_;  // fft_size, zero beyond frame_length
  std::vector<double> re_, im_, power_, log_mel_;
  std::vector<int> reversed_;
  std::vector<double> stage_twiddles_, split_re_, split_im_;
};

}  // namespace unfold_rnn

// A recurrent transducer stepped chunk by chunk on one stream (live recognition): the weights
// are copied in once, the state of every layer stays here between chunks, and a chunk of frames
// goes through every layer and the output layer into the caller's buffer with no allocation
// (scratch grows only when a longer chunk than any before arrives).
#pragma once

#include <vector>

namespace unfold_rnn {

enum class StreamFamily { kLstm = 0, kGru = 1, kElman = 2 };
enum class StreamActivation { kLinear = 0, kSoftmax = 1, kSigmoid = 2 };

struct StreamLayerSpec {
  StreamFamily family;
  int input;
  int units;   // n (cells for the LSTM family)
  int output;  // r (the projection size of an LSTMP, else n)
  bool sigmoid;  // Elman with the logistic sigmoid
  // tf.layers layout: kernel [input, G n], recurrent_kernel [r, G n], bias [G n]; peephole
  // [3, n] and projection [n, r] (LSTM family), empty when absent.
  std::vector<float> w, u, b, peep, proj;
};

class StreamSession {
 public:
  // output_kernel [top, classes], output_bias [classes]; `residual` adds a layer's input to its
  // output where the sizes match (every layer but the first), as the model does.
  StreamSession(std::vector<StreamLayerSpec> layers, bool residual, std::vector<float> out_w,
                std::vector<float> out_b, int classes, StreamActivation activation);

  int input_size() const { return layers_.front().input; }
  int classes() const { return classes_; }

  // x [frames, input] -> out [frames, classes], the state carried on.
  void step(int frames, const float* x, float* out);
  // Zero state (a new stream).
  void reset();
  // The state of layer l: h [r] and c [n] (empty for GRU and Elman).
  const std::vector<float>& h(int l) const { return h_[l]; }
  const std::vector<float>& c(int l) const { return c_[l]; }
  int layer_count() const { return (int)layers_.size(); }

 private:
  void ensure_capacity(int frames);

  std::vector<StreamLayerSpec> layers_;
  bool residual_;
  std::vector<float> out_w_, out_b_;
  int classes_;
  StreamActivation activation_;
  std::vector<std::vector<float>> h_, c_;
  int capacity_ = 0;
  std::vector<float> z_, a_, b_, scratch_;
};

}  // namespace unfold_rnn

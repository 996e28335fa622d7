// N-API glue for the sequence kernels (plain C N-API: ABI-stable, so one build loads in Node
// and in Electron). Every function takes dims [T, B, I, n, r, flags] and a list of
// Float32Array|null, checks every length, and returns newly allocated Float32Arrays, or fills
// the caller's when a third argument lists them (training reuses its arrays: allocating a cache
// per call kept V8 collecting for the external memory, a tenth of a tagger's training time).
// The work is synchronous, like TF.js's own CPU/wasm kernels.
#include <node_api.h>

#include <cblas.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "char_cnn.h"
#include "optimizer_step.h"
#include "decoder_attention_addon.h"
#include "dropout_mask.h"
#include "embedding_rows.h"
#include "feature_addon.h"
#include "lstm_packed_addon.h"
#include "napi_checks.h"
#include "output_softmax.h"
#include "rnn_kernels.h"
#include "stream_addon.h"

namespace {

using unfold_rnn::Dims;

using unfold_native::check;
using ArgError = unfold_native::NativeError;

constexpr const char* kErrorCode = "UNFOLD_RNN_NATIVE";

struct Args {
  Dims dims{};
  int flags = 0;
  std::vector<float*> data;
  std::vector<size_t> lengths;
  // The caller's output arrays (a third argument), or null: allocate them.
  napi_value outputs = nullptr;
};

constexpr int kPeephole = 1;
constexpr int kProjection = 2;
constexpr int kMask = 4;
constexpr int kSigmoid = 8;

Args read_args(napi_env env, napi_callback_info info, size_t array_count) {
  const auto argv =
      unfold_native::callback_args<3>(env, info, "expected (dims, arrays[, outputs])", 2);
  Args args;
  if (!unfold_native::is_absent(env, argv[2])) args.outputs = argv[2];
  int values[6] = {0, 0, 0, 0, 0, 0};
  for (uint32_t i = 0; i < 6; i++) {
    napi_value v;
    check(napi_get_element(env, argv[0], i, &v), "dims element");
    int32_t value = 0;
    if (napi_get_value_int32(env, v, &value) != napi_ok || value < 0)
      throw ArgError{"dims must be 6 non-negative integers"};
    values[i] = value;
  }
  args.dims = Dims{values[0], values[1], values[2], values[3], values[4]};
  args.flags = values[5];
  uint32_t length = 0;
  check(napi_get_array_length(env, argv[1], &length), "arrays length");
  if (length != array_count)
    throw ArgError{"expected " + std::to_string(array_count) + " arrays, got " +
                   std::to_string(length)};
  for (uint32_t i = 0; i < length; i++) {
    napi_value v;
    check(napi_get_element(env, argv[1], i, &v), "arrays element");
    if (unfold_native::is_absent(env, v)) {
      args.data.push_back(nullptr);
      args.lengths.push_back(0);
      continue;
    }
    bool is_typed = false;
    check(napi_is_typedarray(env, v, &is_typed), "is_typedarray");
    if (!is_typed) throw ArgError{"array " + std::to_string(i) + " is not a Float32Array"};
    napi_typedarray_type ta_type;
    size_t ta_length = 0;
    void* ptr = nullptr;
    check(napi_get_typedarray_info(env, v, &ta_type, &ta_length, &ptr, nullptr, nullptr),
          "typedarray_info");
    if (ta_type != napi_float32_array)
      throw ArgError{"array " + std::to_string(i) + " is not a Float32Array"};
    args.data.push_back(static_cast<float*>(ptr));
    args.lengths.push_back(ta_length);
  }
  return args;
}

// Input i must hold exactly `expected` floats (or be null when `optional` and expected == 0).
const float* input(const Args& args, size_t i, size_t expected, const char* name) {
  if (expected == 0) return nullptr;
  if (!args.data[i] || args.lengths[i] != expected)
    throw ArgError{std::string(name) + ": expected " + std::to_string(expected) +
                   " floats, got " + std::to_string(args.lengths[i])};
  return args.data[i];
}

// The arrays a call returns: new ones (zeroed by V8), or the caller's `given` ones, each
// checked for its exact length and zeroed, so both ways compute the same.
struct Outputs {
  napi_env env;
  napi_value array;
  napi_value given;
  uint32_t count = 0;
  explicit Outputs(napi_env e, napi_value caller_arrays = nullptr) : env(e), given(caller_arrays) {
    check(napi_create_array(env, &array), "array");
  }
  explicit Outputs(const Args& a, napi_env e) : Outputs(e, a.outputs) {}
  float* add(size_t length) {
    if (given) return add_given(length);
    napi_value buffer, typed;
    void* data = nullptr;
    check(napi_create_arraybuffer(env, length * sizeof(float), &data, &buffer), "buffer");
    check(napi_create_typedarray(env, napi_float32_array, length, buffer, 0, &typed),
          "typedarray");
    check(napi_set_element(env, array, count++, typed), "set_element");
    return length == 0 ? nullptr : static_cast<float*>(data);
  }

 private:
  float* add_given(size_t length) {
    const uint32_t index = count++;
    napi_value v;
    check(napi_get_element(env, given, index, &v), "outputs element");
    const std::string name = "output " + std::to_string(index);
    if (length == 0) {
      check(napi_set_element(env, array, index, v), "set_element");
      return nullptr;
    }
    const auto [data, given_length] =
        unfold_native::typed_array<float>(env, v, napi_float32_array, name);
    if (given_length != length)
      throw ArgError{name + ": expected " + std::to_string(length) + " floats, got " +
                     std::to_string(given_length)};
    std::memset(data, 0, length * sizeof(float));
    check(napi_set_element(env, array, index, v), "set_element");
    return data;
  }
};

template <typename F>
napi_value guarded(napi_env env, F body) {
  return unfold_native::guarded(env, kErrorCode, body);
}

size_t sz(int a, int b) { return (size_t)a * (size_t)b; }

// x, W and U of a GRU (3 gate blocks) or Elman (1 block) call: the first three arrays of
// both its forward and backward calls.
struct PlainInputs {
  const float* x;
  const float* w;
  const float* u;
};

PlainInputs plain_inputs(const Args& a, int blocks) {
  const Dims& d = a.dims;
  const int n = d.units;
  return {input(a, 0, sz(d.time * d.batch, d.input), "x"),
          input(a, 1, sz(d.input, blocks * n), "kernel"),
          input(a, 2, sz(n, blocks * n), "recurrent_kernel")};
}

const float* mask_input(const Args& a, size_t i) {
  return input(a, i, (a.flags & kMask) ? sz(a.dims.time, a.dims.batch) : 0, "mask");
}

// The inputs of an LSTM forward call: [x, W, U, b, peep, proj, h0, c0, mask, ...], checked.
struct LstmForwardInputs {
  unfold_rnn::LstmWeights wt;
  const float* x;
  const float* h0;
  const float* c0;
  const float* mask;
};

LstmForwardInputs lstm_forward_inputs(const Args& a) {
  const Dims& d = a.dims;
  const int T = d.time, B = d.batch, I = d.input, n = d.units, r = d.output;
  const bool peep = a.flags & kPeephole, proj = a.flags & kProjection;
  if (!proj && r != n) throw ArgError{"without a projection the output size is the cell count"};
  return {{input(a, 1, sz(I, 4 * n), "kernel"), input(a, 2, sz(r, 4 * n), "recurrent_kernel"),
           input(a, 3, 4 * n, "bias"), input(a, 4, peep ? 3 * n : 0, "peephole"),
           input(a, 5, proj ? sz(n, r) : 0, "projection")},
          input(a, 0, sz(T * B, I), "x"),
          input(a, 6, sz(B, r), "h0"),
          input(a, 7, sz(B, n), "c0"),
          mask_input(a, 8)};
}

// [x, W, U, b, peep, proj, h0, c0, mask] -> [gates, cells, cnew, tanhc, m, h]
napi_value LstmForward(napi_env env, napi_callback_info info) {
  return guarded(env, [&]() {
    Args a = read_args(env, info, 9);
    const Dims& d = a.dims;
    const int T = d.time, B = d.batch, n = d.units, r = d.output;
    const LstmForwardInputs in = lstm_forward_inputs(a);
    Outputs out(a, env);
    unfold_rnn::LstmCache cache{out.add(sz(T * B, 4 * n)), out.add(sz((T + 1) * B, n)),
                                out.add(sz(T * B, n)),     out.add(sz(T * B, n)),
                                out.add(in.wt.proj ? sz(T * B, n) : 0),
                                out.add(sz((T + 1) * B, r))};
    unfold_rnn::lstm_forward(d, in.x, in.wt, in.h0, in.c0, in.mask, cache);
    return out.array;
  });
}

// [x, W, U, b, peep, proj, h0, c0, mask, out] -> undefined. The forward with no cache, for
// when no gradient will be asked: out [T*B*r + B*n], the caller's, gets the outputs of every
// step and then the final cell state (runNativeSequence's packed value, with no copy).
napi_value LstmInfer(napi_env env, napi_callback_info info) {
  return guarded(env, [&]() {
    Args a = read_args(env, info, 10);
    const Dims& d = a.dims;
    const size_t steps = sz(d.time * d.batch, d.output);
    const LstmForwardInputs in = lstm_forward_inputs(a);
    float* out = const_cast<float*>(input(a, 9, steps + sz(d.batch, d.units), "out"));
    unfold_rnn::lstm_infer(d, in.x, in.wt, in.h0, in.c0, in.mask, out, out + steps);
    return unfold_native::undefined_value(env);
  });
}

// [x, W, U, b, peep, proj, mask, dout, dcfinal, gates, cells, cnew, tanhc, m, h]
//   -> [dx, dW, dU, db, dpeep, dproj, dh0, dc0]
napi_value LstmBackward(napi_env env, napi_callback_info info) {
  return guarded(env, [&]() {
    Args a = read_args(env, info, 15);
    const Dims& d = a.dims;
    const int T = d.time, B = d.batch, I = d.input, n = d.units, r = d.output;
    const bool peep = a.flags & kPeephole, proj = a.flags & kProjection;
    unfold_rnn::LstmWeights wt{input(a, 1, sz(I, 4 * n), "kernel"),
                               input(a, 2, sz(r, 4 * n), "recurrent_kernel"),
                               input(a, 3, 4 * n, "bias"),
                               input(a, 4, peep ? 3 * n : 0, "peephole"),
                               input(a, 5, proj ? sz(n, r) : 0, "projection")};
    const float* x = input(a, 0, sz(T * B, I), "x");
    const float* mask = mask_input(a, 6);
    const float* dout = input(a, 7, sz(T * B, r), "dOutputs");
    const float* dcfinal = a.data[8] ? input(a, 8, sz(B, n), "dFinalCell") : nullptr;
    unfold_rnn::LstmCache cache{const_cast<float*>(input(a, 9, sz(T * B, 4 * n), "gates")),
                                const_cast<float*>(input(a, 10, sz((T + 1) * B, n), "cells")),
                                const_cast<float*>(input(a, 11, sz(T * B, n), "cnew")),
                                const_cast<float*>(input(a, 12, sz(T * B, n), "tanhc")),
                                const_cast<float*>(input(a, 13, proj ? sz(T * B, n) : 0, "m")),
                                const_cast<float*>(input(a, 14, sz((T + 1) * B, r), "h"))};
    Outputs out(a, env);
    unfold_rnn::LstmGrads g{out.add(sz(T * B, I)),          out.add(sz(I, 4 * n)),
                            out.add(sz(r, 4 * n)),          out.add(4 * n),
                            out.add(peep ? 3 * n : 0),      out.add(proj ? sz(n, r) : 0),
                            out.add(sz(B, r)),              out.add(sz(B, n))};
    unfold_rnn::lstm_backward(d, x, wt, mask, cache, dout, dcfinal, g);
    return out.array;
  });
}

// The inputs of a GRU (3 gate blocks) or Elman (1 block) forward call: [x, W, U, b, h0, mask, ...].
struct PlainForwardInputs {
  PlainInputs p;
  const float* b;
  const float* h0;
  const float* mask;
};

PlainForwardInputs plain_forward_inputs(const Args& a, int blocks) {
  const int n = a.dims.units;
  return {plain_inputs(a, blocks), input(a, 3, sz(blocks, n), "bias"),
          input(a, 4, sz(a.dims.batch, n), "h0"), mask_input(a, 5)};
}

// [x, W, U, b, h0, mask] -> [gates, a, h]
napi_value GruForward(napi_env env, napi_callback_info info) {
  return guarded(env, [&]() {
    Args a = read_args(env, info, 6);
    const Dims& d = a.dims;
    const int T = d.time, B = d.batch, n = d.units;
    const PlainForwardInputs in = plain_forward_inputs(a, 3);
    Outputs out(a, env);
    unfold_rnn::GruCache cache{out.add(sz(T * B, 3 * n)), out.add(sz(T * B, n)),
                               out.add(sz((T + 1) * B, n))};
    unfold_rnn::gru_forward(d, in.p.x, in.p.w, in.p.u, in.b, in.h0, in.mask, cache);
    return out.array;
  });
}

// [x, W, U, b, h0, mask, out] -> undefined: the forward with no cache into out [T*B*n].
napi_value GruInfer(napi_env env, napi_callback_info info) {
  return guarded(env, [&]() {
    Args a = read_args(env, info, 7);
    const Dims& d = a.dims;
    const PlainForwardInputs in = plain_forward_inputs(a, 3);
    float* out = const_cast<float*>(input(a, 6, sz(d.time * d.batch, d.units), "out"));
    unfold_rnn::gru_infer(d, in.p.x, in.p.w, in.p.u, in.b, in.h0, in.mask, out);
    return unfold_native::undefined_value(env);
  });
}

// [x, W, U, mask, dout, gates, a, h] -> [dx, dW, dU, db, dh0]
napi_value GruBackward(napi_env env, napi_callback_info info) {
  return guarded(env, [&]() {
    Args a = read_args(env, info, 8);
    const Dims& d = a.dims;
    const int T = d.time, B = d.batch, I = d.input, n = d.units;
    const PlainInputs p = plain_inputs(a, 3);
    const float* mask = mask_input(a, 3);
    const float* dout = input(a, 4, sz(T * B, n), "dOutputs");
    unfold_rnn::GruCache cache{const_cast<float*>(input(a, 5, sz(T * B, 3 * n), "gates")),
                               const_cast<float*>(input(a, 6, sz(T * B, n), "a")),
                               const_cast<float*>(input(a, 7, sz((T + 1) * B, n), "h"))};
    Outputs out(a, env);
    unfold_rnn::PlainGrads g{out.add(sz(T * B, I)), out.add(sz(I, 3 * n)),
                             out.add(sz(n, 3 * n)), out.add(3 * n), out.add(sz(B, n))};
    unfold_rnn::gru_backward(d, p.x, p.w, p.u, mask, cache, dout, g);
    return out.array;
  });
}

// [x, W, U, b, h0, mask] -> [hnew, h]
napi_value ElmanForward(napi_env env, napi_callback_info info) {
  return guarded(env, [&]() {
    Args a = read_args(env, info, 6);
    const Dims& d = a.dims;
    const int T = d.time, B = d.batch, n = d.units;
    const PlainForwardInputs in = plain_forward_inputs(a, 1);
    Outputs out(a, env);
    unfold_rnn::ElmanCache cache{out.add(sz(T * B, n)), out.add(sz((T + 1) * B, n))};
    unfold_rnn::elman_forward(d, a.flags & kSigmoid, in.p.x, in.p.w, in.p.u, in.b, in.h0, in.mask,
                              cache);
    return out.array;
  });
}

// [x, W, U, b, h0, mask, out] -> undefined: the forward with no cache into out [T*B*n].
napi_value ElmanInfer(napi_env env, napi_callback_info info) {
  return guarded(env, [&]() {
    Args a = read_args(env, info, 7);
    const Dims& d = a.dims;
    const PlainForwardInputs in = plain_forward_inputs(a, 1);
    float* out = const_cast<float*>(input(a, 6, sz(d.time * d.batch, d.units), "out"));
    unfold_rnn::elman_infer(d, a.flags & kSigmoid, in.p.x, in.p.w, in.p.u, in.b, in.h0, in.mask,
                            out);
    return unfold_native::undefined_value(env);
  });
}

// [x, W, U, mask, dout, hnew, h] -> [dx, dW, dU, db, dh0]
napi_value ElmanBackward(napi_env env, napi_callback_info info) {
  return guarded(env, [&]() {
    Args a = read_args(env, info, 7);
    const Dims& d = a.dims;
    const int T = d.time, B = d.batch, I = d.input, n = d.units;
    const PlainInputs p = plain_inputs(a, 1);
    const float* mask = mask_input(a, 3);
    const float* dout = input(a, 4, sz(T * B, n), "dOutputs");
    unfold_rnn::ElmanCache cache{const_cast<float*>(input(a, 5, sz(T * B, n), "hnew")),
                                 const_cast<float*>(input(a, 6, sz((T + 1) * B, n), "h"))};
    Outputs out(a, env);
    unfold_rnn::PlainGrads g{out.add(sz(T * B, I)), out.add(sz(I, n)), out.add(sz(n, n)),
                             out.add(n), out.add(sz(B, n))};
    unfold_rnn::elman_backward(d, a.flags & kSigmoid, p.x, p.w, p.u, mask, cache, dout, g);
    return out.array;
  });
}

// matMul([M, N, K, transA, transB, 0], [A, B]) -> [C]: C [M, N] = op(A) op(B), row-major, one
// BLAS product (for the per-frame output layer, whose transposed gradient products are slow on
// the TF.js wasm backend).
napi_value MatMul(napi_env env, napi_callback_info info) {
  return guarded(env, [&]() {
    Args a = read_args(env, info, 2);
    const int m = a.dims.time, n = a.dims.batch, k = a.dims.input;
    const bool ta = a.dims.units != 0, tb = a.dims.output != 0;
    const float* lhs = input(a, 0, sz(m, k), "A");
    const float* rhs = input(a, 1, sz(k, n), "B");
    Outputs out(env);
    float* c = out.add(sz(m, n));
    if (c) unfold_rnn::matmul(ta, tb, m, n, k, lhs, rhs, c);
    return out.array;
  });
}

// One typed array argument of the expected element type; its data and element count.
template <typename T>
T* typed_argument(napi_env env, napi_value value, napi_typedarray_type type, const char* name,
                  size_t* length) {
  const auto [data, count] = unfold_native::typed_array<T>(env, value, type, name);
  *length = count;
  return data;
}

// (rows, dim, floats, ids) of gatherRows / scatterAddRows, with every id checked against
// [0, rows): an id out of range throws instead of reading or writing outside the table.
struct RowArgs {
  size_t rows = 0, dim = 0, float_count = 0, id_count = 0;
  const float* floats = nullptr;
  const int32_t* ids = nullptr;
};

RowArgs read_row_args(napi_env env, napi_callback_info info, const char* floats_name) {
  const auto argv = unfold_native::callback_args<4>(
      env, info, std::string("expected (rows, dim, ") + floats_name + ", ids)");
  RowArgs a;
  int32_t shape[2] = {0, 0};
  for (int i = 0; i < 2; i++)
    if (napi_get_value_int32(env, argv[i], &shape[i]) != napi_ok || shape[i] < 0)
      throw ArgError{"rows and dim must be non-negative integers"};
  a.rows = (size_t)shape[0];
  a.dim = (size_t)shape[1];
  a.floats = typed_argument<float>(env, argv[2], napi_float32_array, floats_name, &a.float_count);
  a.ids = typed_argument<int32_t>(env, argv[3], napi_int32_array, "ids", &a.id_count);
  for (size_t n = 0; n < a.id_count; n++) {
    const int32_t id = a.ids[n];
    if (id < 0 || (size_t)id >= a.rows)
      throw ArgError{"id " + std::to_string(id) + " at position " + std::to_string(n) +
                     " is outside the table of " + std::to_string(a.rows) + " rows"};
  }
  return a;
}

napi_value new_float_array(napi_env env, size_t length, float** data) {
  napi_value buffer, typed;
  void* raw = nullptr;
  check(napi_create_arraybuffer(env, length * sizeof(float), &raw, &buffer), "buffer");
  check(napi_create_typedarray(env, napi_float32_array, length, buffer, 0, &typed),
        "typedarray");
  *data = static_cast<float*>(raw);
  return typed;
}

// gatherRows(rows, dim, table [rows, dim], ids [N]) -> out [N, dim]: the embedding lookup.
napi_value GatherRows(napi_env env, napi_callback_info info) {
  return guarded(env, [&]() {
    const RowArgs a = read_row_args(env, info, "table");
    if (a.float_count != a.rows * a.dim)
      throw ArgError{"table: expected " + std::to_string(a.rows * a.dim) + " floats, got " +
                     std::to_string(a.float_count)};
    float* out = nullptr;
    napi_value result = new_float_array(env, a.id_count * a.dim, &out);
    if (out) unfold_rnn::gather_rows(a.floats, a.dim, a.ids, a.id_count, out);
    return result;
  });
}

// scatterAddRows(rows, dim, dy [N, dim], ids [N]) -> grad [rows, dim]: the lookup's gradient,
// rows of repeated ids summed.
napi_value ScatterAddRows(napi_env env, napi_callback_info info) {
  return guarded(env, [&]() {
    const RowArgs a = read_row_args(env, info, "dy");
    if (a.float_count != a.id_count * a.dim)
      throw ArgError{"dy: expected " + std::to_string(a.id_count * a.dim) + " floats, got " +
                     std::to_string(a.float_count)};
    float* grad = nullptr;
    napi_value result = new_float_array(env, a.rows * a.dim, &grad);
    if (grad) {
      std::memset(grad, 0, a.rows * a.dim * sizeof(float));
      unfold_rnn::scatter_add_rows(a.floats, a.dim, a.ids, a.id_count, grad);
    }
    return result;
  });
}

// Arguments shared by charCnnForward / charCnnBackward: dims [tokens, positions, vocab, emb,
// filters, width], ids [tokens, positions] (each checked against [0, vocab)), table
// [vocab, emb] and kernel [width * emb, filters], every length checked.
struct CharCnnArgs {
  unfold_rnn::CharCnnDims dims{};
  const int32_t* ids = nullptr;
  const float* table = nullptr;
  const float* kernel = nullptr;
};

size_t expect_length(size_t actual, size_t expected, const char* name) {
  if (actual != expected)
    throw ArgError{std::string(name) + ": expected " + std::to_string(expected) +
                   " elements, got " + std::to_string(actual)};
  return actual;
}

// dropoutMask(out, keep, seed): out's elements become 1 / keep with probability keep, else 0
// (dropout_mask.h); keep in (0, 1], seed a 32-bit unsigned integer.
napi_value DropoutMaskEntry(napi_env env, napi_callback_info info) {
  return guarded(env, [&]() {
    const auto argv = unfold_native::callback_args<3>(env, info, "expected (out, keep, seed)");
    size_t n = 0;
    float* out = typed_argument<float>(env, argv[0], napi_float32_array, "out", &n);
    double keep = 0;
    if (napi_get_value_double(env, argv[1], &keep) != napi_ok || !(keep > 0 && keep <= 1))
      throw ArgError{"keep must be a number in (0, 1]"};
    uint32_t seed = 0;
    if (napi_get_value_uint32(env, argv[2], &seed) != napi_ok)
      throw ArgError{"seed must be a 32-bit unsigned integer"};
    unfold_rnn::dropout_mask(out, n, (float)keep, seed);
    return unfold_native::undefined_value(env);
  });
}

// optimizerStep(kind, [rate, decay, decay2, epsilon, weightDecay], w, s1, s2, g[, ids]): one
// update of w (and the kind's slots) in place; kind 0 sgd, 1 momentum, 2 Nesterov, 3 RMSProp,
// 4 Adam; s1 and s2 null where the kind has none, else as long as w. Without ids g is as long as
// w; with ids (distinct rows of w seen as [rows, dim]) g is their gradient [ids, dim] and only
// those rows change (lazy sparse updates).
napi_value OptimizerStepEntry(napi_env env, napi_callback_info info) {
  return guarded(env, [&]() {
    const auto argv = unfold_native::callback_args<7>(
        env, info, "expected (kind, hyper, w, s1, s2, g[, ids])", 6);
    int32_t kind = -1;
    if (napi_get_value_int32(env, argv[0], &kind) != napi_ok || kind < 0 || kind > 4)
      throw ArgError{"kind must be 0 (sgd) to 4 (adam)"};
    size_t length = 0;
    const double* hyper =
        typed_argument<double>(env, argv[1], napi_float64_array, "hyper", &length);
    expect_length(length, 5, "hyper");
    size_t n = 0;
    float* w = typed_argument<float>(env, argv[2], napi_float32_array, "w", &n);
    auto slot = [&](napi_value v, const char* name) -> float* {
      if (unfold_native::is_absent(env, v)) return nullptr;
      size_t len = 0;
      float* p = typed_argument<float>(env, v, napi_float32_array, name, &len);
      expect_length(len, n, name);
      return p;
    };
    float* s1 = slot(argv[3], "s1");
    float* s2 = slot(argv[4], "s2");
    const float* g = typed_argument<float>(env, argv[5], napi_float32_array, "g", &length);
    size_t id_count = 0, dim = n;
    const int32_t* ids = nullptr;
    const bool by_rows = !unfold_native::is_absent(env, argv[6]);
    if (by_rows) {
      ids = typed_argument<int32_t>(env, argv[6], napi_int32_array, "ids", &id_count);
      if (id_count == 0 ? length != 0 : length % id_count != 0)
        throw ArgError{"g: expected ids x dim elements, got " + std::to_string(length)};
      dim = id_count == 0 ? 0 : length / id_count;
      const size_t rows = dim == 0 ? 0 : n / dim;
      if (dim != 0 && rows * dim != n)
        throw ArgError{"w: its length is not a whole number of rows of " + std::to_string(dim)};
      for (size_t r = 0; r < id_count; r++)
        if (ids[r] < 0 || (size_t)ids[r] >= rows)
          throw ArgError{"id " + std::to_string(ids[r]) + " at position " + std::to_string(r) +
                         " is outside the " + std::to_string(rows) + " rows"};
    } else {
      expect_length(length, n, "g");
    }
    const auto k = static_cast<unfold_rnn::OptimizerKind>(kind);
    const bool needs1 = k != unfold_rnn::OptimizerKind::kSgd;
    const bool needs2 = k == unfold_rnn::OptimizerKind::kAdam;
    if ((needs1 && !s1) || (needs2 && !s2)) throw ArgError{"a slot this kind updates is missing"};
    const unfold_rnn::OptimizerStep step{k,
                                         (float)hyper[0],
                                         (float)hyper[1],
                                         (float)hyper[2],
                                         (float)hyper[3],
                                         (float)hyper[4]};
    if (!by_rows) {
      if (n > 0) unfold_rnn::optimizer_step(step, n, w, s1, s2, g);
    } else {
      for (size_t r = 0; r < id_count; r++) {
        const size_t at = (size_t)ids[r] * dim;
        unfold_rnn::optimizer_step(step, dim, w + at, s1 ? s1 + at : nullptr,
                                   s2 ? s2 + at : nullptr, g + r * dim);
      }
    }
    napi_value undefined;
    check(napi_get_undefined(env, &undefined), "undefined");
    return undefined;
  });
}

CharCnnArgs read_char_cnn_args(napi_env env, const napi_value* argv) {
  CharCnnArgs a;
  bool is_array = false;
  check(napi_is_array(env, argv[0], &is_array), "is_array");
  if (!is_array) throw ArgError{"dims must be [tokens, positions, vocab, emb, filters, width]"};
  size_t values[6];
  for (uint32_t i = 0; i < 6; i++) {
    napi_value element;
    int32_t n = -1;
    if (napi_get_element(env, argv[0], i, &element) != napi_ok ||
        napi_get_value_int32(env, element, &n) != napi_ok || n < 0)
      throw ArgError{"dims must be 6 non-negative integers"};
    values[i] = (size_t)n;
  }
  a.dims = {values[0], values[1], values[2], values[3], values[4], values[5]};
  const auto& d = a.dims;
  if (d.width == 0 || d.vocab == 0) throw ArgError{"width and vocab must be positive"};
  size_t length = 0;
  a.ids = typed_argument<int32_t>(env, argv[1], napi_int32_array, "ids", &length);
  expect_length(length, d.tokens * d.positions, "ids");
  for (size_t n = 0; n < length; n++)
    if (a.ids[n] < 0 || (size_t)a.ids[n] >= d.vocab)
      throw ArgError{"id " + std::to_string(a.ids[n]) + " at position " + std::to_string(n) +
                     " is outside the table of " + std::to_string(d.vocab) + " rows"};
  a.table = typed_argument<float>(env, argv[2], napi_float32_array, "table", &length);
  expect_length(length, d.vocab * d.emb, "table");
  a.kernel = typed_argument<float>(env, argv[3], napi_float32_array, "kernel", &length);
  expect_length(length, d.width * d.emb * d.filters, "kernel");
  return a;
}

// charCnnForward(dims, ids, table, kernel, bias [filters]) -> [features [tokens, filters]
// (Float32Array), best [tokens, filters] (Int32Array: first maximal position, -1 if the max is 0)].
napi_value CharCnnForward(napi_env env, napi_callback_info info) {
  return guarded(env, [&]() {
    const auto argv = unfold_native::callback_args<5>(
        env, info, "expected (dims, ids, table, kernel, bias)");
    const CharCnnArgs a = read_char_cnn_args(env, argv.data());
    size_t length = 0;
    const float* bias = typed_argument<float>(env, argv[4], napi_float32_array, "bias", &length);
    expect_length(length, a.dims.filters, "bias");
    const size_t count = a.dims.tokens * a.dims.filters;
    float* features = nullptr;
    napi_value features_array = new_float_array(env, count, &features);
    napi_value best_buffer, best_array, result;
    void* best = nullptr;
    check(napi_create_arraybuffer(env, count * sizeof(int32_t), &best, &best_buffer),
          "buffer");
    check(napi_create_typedarray(env, napi_int32_array, count, best_buffer, 0, &best_array),
          "typedarray");
    unfold_rnn::char_cnn_forward(a.dims, a.ids, a.table, a.kernel, bias, features,
                                 static_cast<int32_t*>(best));
    check(napi_create_array_with_length(env, 2, &result), "array");
    check(napi_set_element(env, result, 0, features_array), "set_element");
    check(napi_set_element(env, result, 1, best_array), "set_element");
    return result;
  });
}

// charCnnBackward(dims, ids, table, kernel, best, dy [tokens, filters][, dTableInto]) ->
// [dTable, dKernel, dBias]: the gradient goes to each (token, filter)'s best position only.
// With dTableInto [vocab, emb] the table's gradient is added to it and it is the dTable returned.
napi_value CharCnnBackward(napi_env env, napi_callback_info info) {
  return guarded(env, [&]() {
    const auto argv = unfold_native::callback_args<7>(
        env, info, "expected (dims, ids, table, kernel, best, dy[, dTableInto])", 6);
    const CharCnnArgs a = read_char_cnn_args(env, argv.data());
    const auto& d = a.dims;
    size_t length = 0;
    const int32_t* best = typed_argument<int32_t>(env, argv[4], napi_int32_array, "best", &length);
    expect_length(length, d.tokens * d.filters, "best");
    for (size_t n = 0; n < length; n++)
      if (best[n] < -1 || best[n] >= (int32_t)d.positions ||
          (best[n] >= 0 && a.ids[(n / d.filters) * d.positions + (size_t)best[n]] == 0))
        throw ArgError{"best: entry " + std::to_string(n) + " is not a window of a real char"};
    const float* dy = typed_argument<float>(env, argv[5], napi_float32_array, "dy", &length);
    expect_length(length, d.tokens * d.filters, "dy");
    const bool into = !unfold_native::is_absent(env, argv[6]);
    float* d_table_into = nullptr;
    if (into) {
      d_table_into =
          typed_argument<float>(env, argv[6], napi_float32_array, "dTableInto", &length);
      expect_length(length, d.vocab * d.emb, "dTableInto");
    }
    Outputs out(env);
    float* d_table = into ? d_table_into : out.add(d.vocab * d.emb);
    if (into) check(napi_set_element(env, out.array, out.count++, argv[6]), "set_element");
    float* d_kernel = out.add(d.width * d.emb * d.filters);
    float* d_bias = out.add(d.filters);
    std::vector<float> scratch;  // stands in for zero-length outputs
    auto or_scratch = [&](float* p) {
      if (p) return p;
      scratch.assign(1, 0.0f);
      return scratch.data();
    };
    unfold_rnn::char_cnn_backward(d, a.ids, a.table, a.kernel, best, dy, or_scratch(d_table),
                                  or_scratch(d_kernel), or_scratch(d_bias), into);
    return out.array;
  });
}

// dims [rows, input, classes, tied, 0, 0] of outputSoftmaxForward / Backward, h [rows, input],
// kernel [input, classes] (or [classes, input] when tied), ids Int32Array [rows] and weights
// Float32Array [rows], every length checked (ids may lie outside [0, classes): an infinite loss).
struct OutputSoftmaxArgs {
  unfold_rnn::OutputSoftmaxDims dims{};
  const float* h = nullptr;
  const float* kernel = nullptr;
  const int32_t* ids = nullptr;
  const float* weights = nullptr;
};

// The optional smoothing argument (absent: 0), in [0, 1).
float read_smoothing(napi_env env, napi_value value) {
  if (unfold_native::is_absent(env, value)) return 0.0f;
  double smoothing = 0;
  if (napi_get_value_double(env, value, &smoothing) != napi_ok || !(smoothing >= 0) ||
      !(smoothing < 1))
    throw ArgError{"smoothing must be a number in [0, 1)"};
  return (float)smoothing;
}

OutputSoftmaxArgs read_output_softmax_args(napi_env env, const napi_value* argv) {
  OutputSoftmaxArgs a;
  int32_t values[4] = {0, 0, 0, 0};
  for (uint32_t i = 0; i < 4; i++) {
    napi_value v;
    check(napi_get_element(env, argv[0], i, &v), "dims element");
    if (napi_get_value_int32(env, v, &values[i]) != napi_ok || values[i] < 0)
      throw ArgError{"dims must be [rows, input, classes, tied, 0, 0], non-negative integers"};
  }
  a.dims = unfold_rnn::OutputSoftmaxDims{values[0], values[1], values[2], values[3] != 0};
  const size_t rows = (size_t)values[0];
  size_t length = 0;
  a.h = typed_argument<float>(env, argv[1], napi_float32_array, "h", &length);
  expect_length(length, rows * (size_t)values[1], "h");
  a.kernel = typed_argument<float>(env, argv[2], napi_float32_array, "kernel", &length);
  expect_length(length, sz(values[1], values[2]), "kernel");
  a.ids = typed_argument<int32_t>(env, argv[3], napi_int32_array, "ids", &length);
  expect_length(length, rows, "ids");
  a.weights = typed_argument<float>(env, argv[4], napi_float32_array, "weights", &length);
  expect_length(length, rows, "weights");
  return a;
}

napi_value new_double(napi_env env, double value) {
  napi_value result;
  check(napi_create_double(env, value, &result), "double");
  return result;
}

// outputSoftmaxForward(dims, h, kernel, ids, weights, bias [classes], probs [rows, classes],
// smoothing?) -> [lossSum, correct, weightSum]: the output layer, its softmax (written to probs, a buffer the
// caller reuses: a fresh 28 MB one per call cost more in page faults than the softmax) and the
// weighted cross-entropy.
napi_value OutputSoftmaxForward(napi_env env, napi_callback_info info) {
  return guarded(env, [&]() {
    const auto argv = unfold_native::callback_args<8>(
        env, info, "expected (dims, h, kernel, ids, weights, bias, probs, smoothing?)", 7);
    OutputSoftmaxArgs a = read_output_softmax_args(env, argv.data());
    a.dims.smoothing = read_smoothing(env, argv[7]);
    size_t length = 0;
    const float* bias = typed_argument<float>(env, argv[5], napi_float32_array, "bias", &length);
    expect_length(length, (size_t)a.dims.classes, "bias");
    float* probs = typed_argument<float>(env, argv[6], napi_float32_array, "probs", &length);
    expect_length(length, sz(a.dims.rows, a.dims.classes), "probs");
    const unfold_rnn::OutputSoftmaxStats stats =
        unfold_rnn::output_softmax_forward(a.dims, a.h, a.kernel, bias, a.ids, a.weights, probs);
    napi_value result;
    check(napi_create_array_with_length(env, 3, &result), "array");
    check(napi_set_element(env, result, 0, new_double(env, stats.loss_sum)), "set_element");
    check(napi_set_element(env, result, 1, new_double(env, stats.correct)), "set_element");
    check(napi_set_element(env, result, 2, new_double(env, stats.weight_sum)), "set_element");
    return result;
  });
}

// outputSoftmaxBackward(dims, h, kernel, ids, weights, probs, scale, smoothing?) -> [dh, dKernel,
// dBias]: probs (the forward's, overwritten with the logits' gradient) minus the (smoothed)
// one-hot, times weight x scale, through the output layer.
napi_value OutputSoftmaxBackward(napi_env env, napi_callback_info info) {
  return guarded(env, [&]() {
    const auto argv = unfold_native::callback_args<8>(
        env, info, "expected (dims, h, kernel, ids, weights, probs, scale, smoothing?)", 7);
    OutputSoftmaxArgs a = read_output_softmax_args(env, argv.data());
    a.dims.smoothing = read_smoothing(env, argv[7]);
    size_t length = 0;
    float* probs = typed_argument<float>(env, argv[5], napi_float32_array, "probs", &length);
    expect_length(length, sz(a.dims.rows, a.dims.classes), "probs");
    double scale = 0;
    if (napi_get_value_double(env, argv[6], &scale) != napi_ok)
      throw ArgError{"scale must be a number"};
    Outputs out(env);
    float* dh = out.add(sz(a.dims.rows, a.dims.input));
    float* d_kernel = out.add(sz(a.dims.input, a.dims.classes));
    float* d_bias = out.add((size_t)a.dims.classes);
    float scratch = 0;
    unfold_rnn::output_softmax_backward(a.dims, a.h, a.kernel, a.ids, a.weights, (float)scale,
                                        probs, dh ? dh : &scratch, d_kernel ? d_kernel : &scratch,
                                        d_bias ? d_bias : &scratch);
    return out.array;
  });
}

// setThreads(n): OpenBLAS worker threads; returns the count now in use.
napi_value SetThreads(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  int32_t n = 0;
  if (argc >= 1 && napi_get_value_int32(env, argv[0], &n) == napi_ok && n > 0)
    openblas_set_num_threads(n);
  napi_value result;
  napi_create_int32(env, openblas_get_num_threads(), &result);
  return result;
}

// setParallel(n): 2 overlaps the time-parallel products with the recurrence on a second
// thread, 1 keeps every call on the calling thread; returns the value now in use.
napi_value SetParallel(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  int32_t n = 0;
  if (argc >= 1 && napi_get_value_int32(env, argv[0], &n) == napi_ok && n > 0)
    unfold_rnn::set_parallel(n);
  napi_value result;
  napi_create_int32(env, unfold_rnn::get_parallel(), &result);
  return result;
}

// info(): the BLAS configuration string and thread count, for bench reports.
napi_value Info(napi_env env, napi_callback_info) {
  napi_value result, config, threads, cores;
  napi_create_object(env, &result);
  napi_create_string_utf8(env, openblas_get_config(), NAPI_AUTO_LENGTH, &config);
  napi_create_int32(env, openblas_get_num_threads(), &threads);
  napi_create_int32(env, openblas_get_num_procs(), &cores);
  napi_set_named_property(env, result, "blas", config);
  napi_set_named_property(env, result, "threads", threads);
  napi_set_named_property(env, result, "cores", cores);
  napi_value parallel;
  napi_create_int32(env, unfold_rnn::get_parallel(), &parallel);
  napi_set_named_property(env, result, "parallel", parallel);
  return result;
}

napi_value Init(napi_env env, napi_value exports) {
  const napi_property_descriptor props[] = {
      {"lstmForward", nullptr, LstmForward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"lstmInfer", nullptr, LstmInfer, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"lstmBackward", nullptr, LstmBackward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"gruForward", nullptr, GruForward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"gruInfer", nullptr, GruInfer, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"gruBackward", nullptr, GruBackward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"elmanForward", nullptr, ElmanForward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"elmanInfer", nullptr, ElmanInfer, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"elmanBackward", nullptr, ElmanBackward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"matMul", nullptr, MatMul, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"gatherRows", nullptr, GatherRows, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"dropoutMask", nullptr, DropoutMaskEntry, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"optimizerStep", nullptr, OptimizerStepEntry, nullptr, nullptr, nullptr, napi_default,
       nullptr},
      {"scatterAddRows", nullptr, ScatterAddRows, nullptr, nullptr, nullptr, napi_default,
       nullptr},
      {"charCnnForward", nullptr, CharCnnForward, nullptr, nullptr, nullptr, napi_default,
       nullptr},
      {"charCnnBackward", nullptr, CharCnnBackward, nullptr, nullptr, nullptr, napi_default,
       nullptr},
      {"outputSoftmaxForward", nullptr, OutputSoftmaxForward, nullptr, nullptr, nullptr,
       napi_default, nullptr},
      {"outputSoftmaxBackward", nullptr, OutputSoftmaxBackward, nullptr, nullptr, nullptr,
       napi_default, nullptr},
      {"decoderAttention", nullptr, unfold_rnn::decoder_attention_entry, nullptr, nullptr,
       nullptr, napi_default, nullptr},
      {"lstmPackedForward", nullptr, unfold_rnn::lstm_packed_entry, nullptr, nullptr, nullptr,
       napi_default, nullptr},
      {"setThreads", nullptr, SetThreads, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"setParallel", nullptr, SetParallel, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"info", nullptr, Info, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
  napi_set_named_property(env, exports, "StreamSession", unfold_rnn::define_stream_session(env));
  napi_set_named_property(env, exports, "FeatureKernel", unfold_rnn::define_feature_kernel(env));
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)

// lstmPackedForward([steps, batch, units, outStride], lengths Int32Array [batch], directions)
// -> undefined. Each direction is [rows Float32Array, rowIndex Int32Array [steps * batch],
// w Float32Array [inputs, 4n] | null, u Float32Array [n, 4n], bias Float32Array [4n],
// peep Float32Array [3n] | null, out Float32Array [outRows, outStride], outIndex Int32Array
// [steps * batch], outColumn, finalH Float32Array [batch, n], finalC Float32Array [batch, n]]
// (the last two optional: both or neither) and runs lstm_packed_forward into its `out`, and
// each sequence's final h and c into finalH and finalC when given: with w, `rows` are
// inputs [rowCount, inputs] projected here (x W); without, they are projections [rowCount, 4n]
// already (a tagger's distinct words, projected once per call). With more
// than one kernel thread (setParallel) the directions run side by side, one thread each: they
// are independent sequences. Every length and every index read is checked first.
#include "lstm_packed_addon.h"

#include "lstm_packed.h"
#include "napi_checks.h"
#include "rnn_kernels.h"

#include <cstdint>
#include <string>
#include <thread>
#include <vector>

namespace unfold_rnn {
namespace {

using unfold_native::check;
using unfold_native::NativeError;
using unfold_native::typed_array;

struct Direction {
  const float* x;       // inputs to project, or null
  const float* w;       // [inputs, 4n], or null
  int x_rows, inputs;
  const float* z_rows;  // the projections, when given
  const int32_t* z_index;
  const float* u;
  const float* bias;
  const float* peep;
  float* out;
  const int32_t* out_index;
  int out_column;
  float* final_h;  // [batch, n], or null
  float* final_c;
};

// A Float32Array argument or null (returns null); its length into *length when asked.
const float* optional_floats(napi_env env, napi_value value, const std::string& name,
                             size_t* length) {
  if (unfold_native::is_absent(env, value)) {
    if (length) *length = 0;
    return nullptr;
  }
  const auto array = typed_array<float>(env, value, napi_float32_array, name);
  if (length) *length = array.second;
  return array.first;
}

void expect(size_t actual, size_t wanted, const std::string& name) {
  if (actual != wanted)
    throw NativeError{name + ": expected " + std::to_string(wanted) + " values, got " +
                      std::to_string(actual)};
}

Direction read_direction(napi_env env, napi_value value, const PackedLstmDims& d,
                         const int32_t* lengths, uint32_t k) {
  const std::string at = "direction " + std::to_string(k) + " ";
  bool is_array = false;
  check(napi_is_array(env, value, &is_array), "is_array");
  uint32_t count = 0;
  if (is_array) check(napi_get_array_length(env, value, &count), "array length");
  if (!is_array || (count != 9 && count != 11))
    throw NativeError{at +
                      "must be [rows, rowIndex, w | null, u, bias, peep | null, out, outIndex, "
                      "outColumn] or that and [finalH, finalC]"};
  napi_value v[11];
  for (uint32_t i = 0; i < count; i++) check(napi_get_element(env, value, i, &v[i]), "element");
  const size_t n = (size_t)d.units, G = 4 * n, cells = (size_t)d.steps * d.batch;
  size_t w_length = 0;
  const float* w = optional_floats(env, v[2], at + "w", &w_length);
  const auto rows = typed_array<float>(env, v[0], napi_float32_array, at + "rows");
  // With w, rows are inputs of w's row count; without, projections of 4n.
  size_t inputs = G;
  if (w) {
    if (w_length % G != 0) throw NativeError{at + "w: not whole rows of 4 * units"};
    inputs = w_length / G;
  }
  if (inputs == 0 ? rows.second != 0 : rows.second % inputs != 0)
    throw NativeError{at + "rows: not whole rows of " + std::to_string(inputs)};
  const size_t row_count = inputs == 0 ? 0 : rows.second / inputs;
  const auto index = typed_array<int32_t>(env, v[1], napi_int32_array, at + "rowIndex");
  expect(index.second, cells, at + "rowIndex");
  for (int b = 0; b < d.batch; b++)
    for (int t = 0; t < lengths[b]; t++) {
      const int32_t row = index.first[(size_t)t * d.batch + b];
      if (row < 0 || (size_t)row >= row_count)
        throw NativeError{at + "rowIndex: row " + std::to_string(row) + " is outside rows"};
    }
  const auto u = typed_array<float>(env, v[3], napi_float32_array, at + "u");
  expect(u.second, n * G, at + "u");
  const auto bias = typed_array<float>(env, v[4], napi_float32_array, at + "bias");
  expect(bias.second, G, at + "bias");
  size_t peep_length = 0;
  const float* peep = optional_floats(env, v[5], at + "peep", &peep_length);
  if (peep) expect(peep_length, 3 * n, at + "peep");
  const auto out = typed_array<float>(env, v[6], napi_float32_array, at + "out");
  int32_t column = 0;
  if (napi_get_value_int32(env, v[8], &column) != napi_ok || column < 0 ||
      (size_t)column + n > (size_t)d.out_stride)
    throw NativeError{at + "outColumn: the direction's columns must fit in outStride"};
  if (d.out_stride == 0 || out.second % (size_t)d.out_stride != 0)
    throw NativeError{at + "out: not whole rows of outStride"};
  const size_t out_rows = out.second / (size_t)d.out_stride;
  const auto out_index = typed_array<int32_t>(env, v[7], napi_int32_array, at + "outIndex");
  expect(out_index.second, cells, at + "outIndex");
  for (int b = 0; b < d.batch; b++)
    for (int t = 0; t < lengths[b]; t++) {
      const int32_t row = out_index.first[(size_t)t * d.batch + b];
      if (row < 0 || (size_t)row >= out_rows)
        throw NativeError{at + "outIndex: row " + std::to_string(row) + " is outside out"};
    }
  float* final_h = nullptr;
  float* final_c = nullptr;
  if (count == 11) {
    const size_t states = (size_t)d.batch * n;
    const auto h = typed_array<float>(env, v[9], napi_float32_array, at + "finalH");
    expect(h.second, states, at + "finalH");
    const auto c = typed_array<float>(env, v[10], napi_float32_array, at + "finalC");
    expect(c.second, states, at + "finalC");
    final_h = h.first;
    final_c = c.first;
  }
  Direction r{};
  r.x = w ? rows.first : nullptr;
  r.w = w;
  r.x_rows = (int)row_count;
  r.inputs = (int)inputs;
  r.z_rows = w ? nullptr : rows.first;
  r.z_index = index.first;
  r.u = u.first;
  r.bias = bias.first;
  r.peep = peep;
  r.out = out.first;
  r.out_index = out_index.first;
  r.out_column = column;
  r.final_h = final_h;
  r.final_c = final_c;
  return r;
}

void run(const PackedLstmDims& d, const int32_t* lengths, const Direction& r,
         PackedLstmScratch& scratch) {
  const float* z_rows =
      r.w ? project_rows(r.x_rows, r.inputs, d.units, r.x, r.w, scratch) : r.z_rows;
  lstm_packed_forward(d, lengths, z_rows, r.z_index, r.u, r.bias, r.peep, r.out, r.out_index,
                      r.out_column, r.final_h, r.final_c, scratch);
}

}  // namespace

napi_value lstm_packed_entry(napi_env env, napi_callback_info info) {
  return unfold_native::guarded(env, "UNFOLD_RNN_NATIVE", [&]() -> napi_value {
    const auto argv = unfold_native::callback_args<3>(
        env, info, "expected ([steps, batch, units, outStride], lengths, directions)");
    int32_t dims[4] = {0, 0, 0, 0};
    for (uint32_t i = 0; i < 4; i++) {
      napi_value v;
      check(napi_get_element(env, argv[0], i, &v), "dims element");
      if (napi_get_value_int32(env, v, &dims[i]) != napi_ok || dims[i] < 0)
        throw NativeError{"dims must be [steps, batch, units, outStride], non-negative integers"};
    }
    const PackedLstmDims d{dims[0], dims[1], dims[2], dims[3]};
    const auto lengths = typed_array<int32_t>(env, argv[1], napi_int32_array, "lengths");
    expect(lengths.second, (size_t)d.batch, "lengths");
    for (int b = 0; b < d.batch; b++) {
      const int32_t length = lengths.first[b];
      if (length < 0 || length > d.steps || (b > 0 && length > lengths.first[b - 1]))
        throw NativeError{"lengths must be non-increasing, each in [0, steps]"};
    }
    bool is_array = false;
    check(napi_is_array(env, argv[2], &is_array), "is_array");
    if (!is_array) throw NativeError{"directions must be an array"};
    uint32_t count = 0;
    check(napi_get_array_length(env, argv[2], &count), "directions length");
    std::vector<Direction> directions;
    for (uint32_t k = 0; k < count; k++) {
      napi_value v;
      check(napi_get_element(env, argv[2], k, &v), "directions element");
      directions.push_back(read_direction(env, v, d, lengths.first, k));
    }
    // The calling thread's scratch, one per direction (a second thread borrows the second).
    thread_local std::vector<PackedLstmScratch> scratch;
    if (scratch.size() < directions.size()) scratch.resize(directions.size());
    if (directions.size() == 2 && get_parallel() > 1) {
      // By pointer: inside the lambda, `scratch` would name the new thread's own (empty) one.
      PackedLstmScratch* borrowed = &scratch[1];
      std::thread second([&, borrowed] { run(d, lengths.first, directions[1], *borrowed); });
      run(d, lengths.first, directions[0], scratch[0]);
      second.join();
    } else {
      for (size_t k = 0; k < directions.size(); k++)
        run(d, lengths.first, directions[k], scratch[k]);
    }
    return unfold_native::undefined_value(env);
  });
}

}  // namespace unfold_rnn

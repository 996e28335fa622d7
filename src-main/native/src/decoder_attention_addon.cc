// decoderAttention(dims, rowSources, arrays) -> [attended, weights]: one step of decoder
// attention for every decoder row (decoder_attention.h).
//   dims [rows, batch, sourceTime, decoderSize, attentionSize, encoderSize];
//   rowSources Int32Array [rows], each in [0, batch);
//   arrays [top [rows, D], keys [batch, S, A], values [batch, S, E], mask [batch, S] | null,
//           W_dec [D, A], v [A], W_c [E + D, D], b_c [D]], every one a Float32Array;
//   returns attended [rows, D] and weights [rows, S] as new Float32Arrays.
// Every length and source index is checked: a wrong one throws instead of reading out of range.
#include "decoder_attention_addon.h"

#include "decoder_attention.h"
#include "napi_checks.h"

#include <cstdint>
#include <string>

namespace unfold_rnn {
namespace {

using unfold_native::check;
using unfold_native::NativeError;

constexpr const char* kErrorCode = "UNFOLD_RNN_NATIVE";
constexpr uint32_t kArrayCount = 8;
const char* const kArrayNames[kArrayCount] = {"top",   "keys", "values", "mask",
                                              "W_dec", "v",    "W_c",    "b_c"};

DecoderAttentionDims read_dims(napi_env env, napi_value value) {
  int32_t v[6] = {0, 0, 0, 0, 0, 0};
  for (uint32_t i = 0; i < 6; i++) {
    napi_value element;
    check(napi_get_element(env, value, i, &element), "dims element");
    if (napi_get_value_int32(env, element, &v[i]) != napi_ok || v[i] < 0)
      throw NativeError{
          "dims must be [rows, batch, sourceTime, decoderSize, attentionSize, encoderSize], "
          "non-negative integers"};
  }
  return DecoderAttentionDims{v[0], v[1], v[2], v[3], v[4], v[5]};
}

// Array i of the list, which must hold exactly `expected` floats (the mask may be null).
const float* float_array(napi_env env, napi_value list, uint32_t i, size_t expected,
                         bool optional) {
  napi_value value;
  check(napi_get_element(env, list, i, &value), "arrays element");
  if (optional && unfold_native::is_absent(env, value)) return nullptr;
  const auto [data, length] =
      unfold_native::typed_array<float>(env, value, napi_float32_array, kArrayNames[i]);
  if (length != expected)
    throw NativeError{std::string(kArrayNames[i]) + ": expected " + std::to_string(expected) +
                      " floats, got " + std::to_string(length)};
  return data;
}

napi_value new_floats(napi_env env, size_t length, float** data) {
  napi_value buffer, typed;
  void* raw = nullptr;
  check(napi_create_arraybuffer(env, length * sizeof(float), &raw, &buffer), "buffer");
  check(napi_create_typedarray(env, napi_float32_array, length, buffer, 0, &typed), "typedarray");
  *data = static_cast<float*>(raw);
  return typed;
}

}  // namespace

napi_value decoder_attention_entry(napi_env env, napi_callback_info info) {
  return unfold_native::guarded(env, kErrorCode, [&]() -> napi_value {
    const auto argv = unfold_native::callback_args<3>(
        env, info, "expected (dims, rowSources, arrays)");
    const DecoderAttentionDims d = read_dims(env, argv[0]);
    const auto [sources, source_count] =
        unfold_native::typed_array<int32_t>(env, argv[1], napi_int32_array, "rowSources");
    if (source_count != (size_t)d.rows)
      throw NativeError{"rowSources: expected " + std::to_string(d.rows) + " entries, got " +
                        std::to_string(source_count)};
    for (size_t r = 0; r < source_count; r++)
      if (sources[r] < 0 || sources[r] >= d.batch)
        throw NativeError{"rowSources: source " + std::to_string(sources[r]) + " of row " +
                          std::to_string(r) + " is outside the batch of " +
                          std::to_string(d.batch)};
    bool is_array = false;
    check(napi_is_array(env, argv[2], &is_array), "is_array");
    uint32_t count = 0;
    if (is_array) check(napi_get_array_length(env, argv[2], &count), "arrays length");
    if (count != kArrayCount)
      throw NativeError{"arrays must be [top, keys, values, mask, W_dec, v, W_c, b_c]"};
    const size_t rows = d.rows, batch = d.batch, steps = d.source_time;
    const size_t decoder = d.decoder, size = d.attention, encoder = d.encoder;
    const float* top = float_array(env, argv[2], 0, rows * decoder, false);
    const DecoderAttentionMemory memory{
        float_array(env, argv[2], 1, batch * steps * size, false),
        float_array(env, argv[2], 2, batch * steps * encoder, false),
        float_array(env, argv[2], 3, batch * steps, true)};
    const DecoderAttentionWeights weights{
        float_array(env, argv[2], 4, decoder * size, false),
        float_array(env, argv[2], 5, size, false),
        float_array(env, argv[2], 6, (encoder + decoder) * decoder, false),
        float_array(env, argv[2], 7, decoder, false)};
    napi_value result, attended_array, weights_array;
    float* attended = nullptr;
    float* attention_weights = nullptr;
    attended_array = new_floats(env, rows * decoder, &attended);
    weights_array = new_floats(env, rows * steps, &attention_weights);
    decoder_attention_step(d, sources, top, memory, weights, attended, attention_weights);
    check(napi_create_array_with_length(env, 2, &result), "array");
    check(napi_set_element(env, result, 0, attended_array), "set_element");
    check(napi_set_element(env, result, 1, weights_array), "set_element");
    return result;
  });
}

}  // namespace unfold_rnn

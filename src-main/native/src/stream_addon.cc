// N-API glue of the streaming session (see rnn-native.ts, NativeStreamSession, for the JS side):
//   new StreamSession(spec: Int32Array, arrays: Array<Float32Array | null>)
//     spec = [layers, residual, activation (0 linear, 1 softmax, 2 sigmoid), classes, then per
//             layer: family (0 LSTM, 1 GRU, 2 Elman), input, units, output, flags (1 peephole,
//             2 projection, 8 sigmoid)]
//     arrays = per layer [kernel, recurrent_kernel, bias, peephole | null, projection | null],
//              then the output kernel [top, classes] and bias [classes]; every length checked,
//              the values copied.
//   step(frames, x [>= frames * input], out [>= frames * classes]): fills out, carries the state
//   reset(): zero state;  state(layer): [h, c] copies (c empty without a cell state)
#include "stream_addon.h"

#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "napi_checks.h"
#include "stream_session.h"

namespace unfold_rnn {

namespace {

using StreamError = unfold_native::NativeError;
constexpr auto ok = unfold_native::check;

template <typename F>
napi_value guard(napi_env env, F body) {
  return unfold_native::guarded(env, "UNFOLD_RNN_NATIVE", body);
}

// A Float32Array's data and length; null/undefined gives {nullptr, 0} when allowed.
std::pair<float*, size_t> floats(napi_env env, napi_value v, const std::string& name,
                                 bool nullable) {
  napi_valuetype type;
  ok(napi_typeof(env, v, &type), "typeof");
  if (nullable && (type == napi_null || type == napi_undefined)) return {nullptr, 0};
  return unfold_native::typed_array<float>(env, v, napi_float32_array, name);
}

std::vector<float> copy_exact(napi_env env, napi_value v, size_t expected,
                              const std::string& name) {
  auto [data, length] = floats(env, v, name, expected == 0);
  if (expected == 0) {
    if (data) throw StreamError{name + ": expected null"};
    return {};
  }
  if (length != expected)
    throw StreamError{name + ": expected " + std::to_string(expected) + " floats, got " +
                      std::to_string(length)};
  return std::vector<float>(data, data + length);
}

void finalize(napi_env, void* data, void*) { delete static_cast<StreamSession*>(data); }

StreamSession* unwrap(napi_env env, napi_callback_info info, size_t* argc, napi_value* argv) {
  napi_value self;
  ok(napi_get_cb_info(env, info, argc, argv, &self, nullptr), "get_cb_info");
  void* data = nullptr;
  ok(napi_unwrap(env, self, &data), "unwrap");
  return static_cast<StreamSession*>(data);
}

napi_value Construct(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    size_t argc = 2;
    napi_value argv[2], self;
    ok(napi_get_cb_info(env, info, &argc, argv, &self, nullptr), "get_cb_info");
    if (argc < 2) throw StreamError{"expected (spec, arrays)"};
    const auto [spec, spec_length] =
        unfold_native::typed_array<const int32_t>(env, argv[0], napi_int32_array, "spec");
    if (spec_length < 4) throw StreamError{"spec too short"};
    const int layer_count = spec[0], classes = spec[3], activation = spec[2];
    if (layer_count < 1 || spec_length != 4 + 5 * (size_t)layer_count)
      throw StreamError{"spec: expected 4 + 5 entries per layer"};
    if (classes < 1 || activation < 0 || activation > 2)
      throw StreamError{"spec: bad classes or activation"};
    uint32_t array_count = 0;
    ok(napi_get_array_length(env, argv[1], &array_count), "arrays length");
    if (array_count != 5 * (uint32_t)layer_count + 2)
      throw StreamError{"expected " + std::to_string(5 * layer_count + 2) + " arrays"};
    auto array = [&](uint32_t i) {
      napi_value v;
      ok(napi_get_element(env, argv[1], i, &v), "arrays element");
      return v;
    };
    std::vector<StreamLayerSpec> layers;
    int previous = -1;
    for (int l = 0; l < layer_count; l++) {
      const int32_t* s = spec + 4 + 5 * l;
      const int family = s[0], input = s[1], n = s[2], r = s[3], flags = s[4];
      const std::string at = "layer " + std::to_string(l) + " ";
      if (family < 0 || family > 2 || input < 1 || n < 1 || r < 1)
        throw StreamError{at + "spec: bad family or sizes"};
      if (previous >= 0 && input != previous)
        throw StreamError{at + "input size differs from the layer below's output"};
      const bool peep = flags & 1, proj = flags & 2;
      if (family != 0 && (peep || proj || r != n))
        throw StreamError{at + "only the LSTM family has peepholes or a projection"};
      if (!proj && r != n) throw StreamError{at + "without a projection the output is the cells"};
      const int G = (family == 0 ? 4 : family == 1 ? 3 : 1) * n;
      StreamLayerSpec layer;
      layer.family = static_cast<StreamFamily>(family);
      layer.input = input;
      layer.units = n;
      layer.output = r;
      layer.sigmoid = (flags & 8) != 0;
      const uint32_t k = 5 * (uint32_t)l;
      layer.w = copy_exact(env, array(k), (size_t)input * G, at + "kernel");
      layer.u = copy_exact(env, array(k + 1), (size_t)r * G, at + "recurrent_kernel");
      layer.b = copy_exact(env, array(k + 2), (size_t)G, at + "bias");
      layer.peep = copy_exact(env, array(k + 3), peep ? (size_t)3 * n : 0, at + "peephole");
      layer.proj = copy_exact(env, array(k + 4), proj ? (size_t)n * r : 0, at + "projection");
      previous = r;
      layers.push_back(std::move(layer));
    }
    const uint32_t k = 5 * (uint32_t)layer_count;
    std::vector<float> out_w =
        copy_exact(env, array(k), (size_t)previous * classes, "output kernel");
    std::vector<float> out_b = copy_exact(env, array(k + 1), (size_t)classes, "output bias");
    auto session = std::make_unique<StreamSession>(std::move(layers), spec[1] != 0,
                                                   std::move(out_w), std::move(out_b), classes,
                                                   static_cast<StreamActivation>(activation));
    ok(napi_wrap(env, self, session.get(), finalize, nullptr, nullptr), "wrap");
    session.release();
    return self;
  });
}

napi_value Step(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    size_t argc = 3;
    napi_value argv[3];
    StreamSession* session = unwrap(env, info, &argc, argv);
    if (argc < 3) throw StreamError{"expected (frames, x, out)"};
    int32_t frames = -1;
    if (napi_get_value_int32(env, argv[0], &frames) != napi_ok || frames < 0)
      throw StreamError{"frames must be a non-negative integer"};
    auto [x, x_length] = floats(env, argv[1], "x", false);
    auto [out, out_length] = floats(env, argv[2], "out", false);
    if (x_length < (size_t)frames * session->input_size())
      throw StreamError{"x: " + std::to_string(frames) + " frames need " +
                        std::to_string((size_t)frames * session->input_size()) + " floats"};
    if (out_length < (size_t)frames * session->classes())
      throw StreamError{"out: " + std::to_string(frames) + " frames need " +
                        std::to_string((size_t)frames * session->classes()) + " floats"};
    session->step(frames, x, out);
    return nullptr;
  });
}

napi_value Reset(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    size_t argc = 0;
    unwrap(env, info, &argc, nullptr)->reset();
    return nullptr;
  });
}

napi_value CopyOut(napi_env env, const std::vector<float>& values) {
  napi_value buffer, typed;
  void* data = nullptr;
  ok(napi_create_arraybuffer(env, values.size() * sizeof(float), &data, &buffer), "buffer");
  if (!values.empty()) std::memcpy(data, values.data(), values.size() * sizeof(float));
  ok(napi_create_typedarray(env, napi_float32_array, values.size(), buffer, 0, &typed), "typed");
  return typed;
}

napi_value State(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    size_t argc = 1;
    napi_value argv[1];
    StreamSession* session = unwrap(env, info, &argc, argv);
    int32_t l = -1;
    if (argc < 1 || napi_get_value_int32(env, argv[0], &l) != napi_ok || l < 0 ||
        l >= session->layer_count())
      throw StreamError{"state(layer): no such layer"};
    napi_value result;
    ok(napi_create_array_with_length(env, 2, &result), "array");
    ok(napi_set_element(env, result, 0, CopyOut(env, session->h(l))), "set");
    ok(napi_set_element(env, result, 1, CopyOut(env, session->c(l))), "set");
    return result;
  });
}

}  // namespace

napi_value define_stream_session(napi_env env) {
  const napi_property_descriptor methods[] = {
      {"step", nullptr, Step, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"reset", nullptr, Reset, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"state", nullptr, State, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_value constructor;
  napi_define_class(env, "StreamSession", NAPI_AUTO_LENGTH, Construct, nullptr,
                    sizeof(methods) / sizeof(methods[0]), methods, &constructor);
  return constructor;
}

}  // namespace unfold_rnn

// N-API glue of the native feature kernel (src-main/domain/audio/native-frames.ts is the JS side):
//   new FeatureKernel(params: Float64Array, window: Float64Array, melFirst: Int32Array,
//                     melWidth: Int32Array, melOffset: Int32Array, melWeights: Float64Array,
//                     dct: Float64Array, lifter: Float64Array)
//     params = [kind (0 spectrogram, 1 fbank, 2 mfcc), frameLength, fftSize, sampleScale,
//               preemphasis, removeDcOffset, rawEnergy, useEnergy, melBands, numCeps];
//     the tables are copied; a spectrogram passes empty mel tables, fbank empty dct/lifter.
//   compute(samples: Float32Array, start, frames, shift, out: Float32Array, outOffset): frame f
//     from samples[start + f * shift], its dims values at out[outOffset + f * dims]; every index
//     range is checked.
//   dims: the values per frame.
#include "feature_addon.h"

#include <cstdint>
#include <string>
#include <vector>

#include "feature_frames.h"
#include "napi_checks.h"

namespace unfold_rnn {

namespace {

using FeatureError = unfold_native::NativeError;
constexpr auto ok = unfold_native::check;
using unfold_native::typed_array;

template <typename F>
napi_value guard(napi_env env, F body) {
  return unfold_native::guarded(env, "UNFOLD_FEATURE_NATIVE", body);
}

template <typename T>
std::vector<T> copy(napi_env env, napi_value v, napi_typedarray_type want, const char* name) {
  auto [data, length] = typed_array<T>(env, v, want, name);
  return std::vector<T>(data, data + length);
}

int64_t integer(napi_env env, napi_value v, const char* name) {
  int64_t value = 0;
  if (napi_get_value_int64(env, v, &value) != napi_ok)
    throw FeatureError{std::string(name) + " must be an integer"};
  return value;
}

void finalize(napi_env, void* data, void*) { delete static_cast<FeatureFrames*>(data); }

napi_value Construct(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    size_t argc = 8;
    napi_value argv[8];
    napi_value self;
    ok(napi_get_cb_info(env, info, &argc, argv, &self, nullptr), "get_cb_info");
    if (argc < 8)
      throw FeatureError{
          "expected (params, window, melFirst, melWidth, melOffset, melWeights, dct, lifter)"};
    auto params = copy<double>(env, argv[0], napi_float64_array, "params");
    if (params.size() != 10) throw FeatureError{"params must hold 10 numbers"};
    FeatureFrameSpec spec;
    spec.kind = static_cast<int>(params[0]);
    spec.frame_length = static_cast<int>(params[1]);
    spec.fft_size = static_cast<int>(params[2]);
    spec.scale = params[3];
    spec.preemphasis = params[4];
    spec.remove_dc = params[5] != 0;
    spec.raw_energy = params[6] != 0;
    spec.use_energy = params[7] != 0;
    spec.bands = static_cast<int>(params[8]);
    spec.num_ceps = static_cast<int>(params[9]);
    spec.window = copy<double>(env, argv[1], napi_float64_array, "window");
    spec.mel_first = copy<int>(env, argv[2], napi_int32_array, "melFirst");
    spec.mel_width = copy<int>(env, argv[3], napi_int32_array, "melWidth");
    spec.mel_offset = copy<int>(env, argv[4], napi_int32_array, "melOffset");
    spec.mel_weights = copy<double>(env, argv[5], napi_float64_array, "melWeights");
    spec.dct = copy<double>(env, argv[6], napi_float64_array, "dct");
    spec.lifter = copy<double>(env, argv[7], napi_float64_array, "lifter");

    const int n = spec.fft_size;
    if (spec.kind < 0 || spec.kind > 2) throw FeatureError{"kind must be 0, 1 or 2"};
    if (n < 4 || (n & (n - 1)) != 0) throw FeatureError{"fftSize must be a power of two >= 4"};
    if (spec.frame_length < 2 || spec.frame_length > n)
      throw FeatureError{"frameLength must lie in 2 .. fftSize"};
    if (static_cast<int>(spec.window.size()) != spec.frame_length)
      throw FeatureError{"window must hold frameLength numbers"};
    if (spec.kind > 0) {
      const size_t bands = static_cast<size_t>(spec.bands);
      if (spec.bands < 1 || spec.mel_first.size() != bands || spec.mel_width.size() != bands ||
          spec.mel_offset.size() != bands)
        throw FeatureError{"the mel tables must hold melBands entries"};
      for (size_t b = 0; b < bands; b++) {
        const int first = spec.mel_first[b], width = spec.mel_width[b], at = spec.mel_offset[b];
        if (first < 0 || width < 0 || first + width > n / 2 + 1 || at < 0 ||
            static_cast<size_t>(at) + width > spec.mel_weights.size())
          throw FeatureError{"mel band " + std::to_string(b) + " reaches outside its tables"};
      }
    }
    if (spec.kind == 2) {
      if (spec.num_ceps < 1 || spec.num_ceps > spec.bands ||
          spec.dct.size() != static_cast<size_t>(spec.num_ceps) * spec.bands ||
          spec.lifter.size() != static_cast<size_t>(spec.num_ceps))
        throw FeatureError{"dct must be numCeps x melBands and lifter numCeps long"};
    }
    auto* frames = new FeatureFrames(std::move(spec));
    if (napi_wrap(env, self, frames, finalize, nullptr, nullptr) != napi_ok) {
      delete frames;
      throw FeatureError{"N-API call failed: wrap"};
    }
    return self;
  });
}

FeatureFrames* unwrap(napi_env env, napi_callback_info info, size_t* argc, napi_value* argv) {
  napi_value self;
  ok(napi_get_cb_info(env, info, argc, argv, &self, nullptr), "get_cb_info");
  void* data = nullptr;
  ok(napi_unwrap(env, self, &data), "unwrap");
  return static_cast<FeatureFrames*>(data);
}

napi_value Compute(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    size_t argc = 6;
    napi_value argv[6];
    FeatureFrames* kernel = unwrap(env, info, &argc, argv);
    if (argc < 6) throw FeatureError{"expected (samples, start, frames, shift, out, outOffset)"};
    auto [samples, sample_count] = typed_array<float>(env, argv[0], napi_float32_array, "samples");
    const int64_t start = integer(env, argv[1], "start");
    const int64_t frames = integer(env, argv[2], "frames");
    const int64_t shift = integer(env, argv[3], "shift");
    auto [out, out_count] = typed_array<float>(env, argv[4], napi_float32_array, "out");
    const int64_t out_offset = integer(env, argv[5], "outOffset");
    if (start < 0 || frames < 0 || shift < 1 || out_offset < 0)
      throw FeatureError{"start, frames and outOffset must be >= 0 and shift >= 1"};
    if (frames == 0) return nullptr;
    if (start + (frames - 1) * shift + kernel->frame_length() > static_cast<int64_t>(sample_count))
      throw FeatureError{"the frames reach past the end of samples"};
    if (out_offset + frames * kernel->dims() > static_cast<int64_t>(out_count))
      throw FeatureError{"out is too short for the frames"};
    kernel->compute(samples + start, static_cast<int>(frames), static_cast<int>(shift),
                    out + out_offset);
    return nullptr;
  });
}

napi_value Dims(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    size_t argc = 0;
    napi_value result;
    ok(napi_create_int32(env, unwrap(env, info, &argc, nullptr)->dims(), &result), "int32");
    return result;
  });
}

}  // namespace

napi_value define_feature_kernel(napi_env env) {
  const napi_property_descriptor members[] = {
      {"compute", nullptr, Compute, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"dims", nullptr, nullptr, Dims, nullptr, nullptr, napi_default, nullptr},
  };
  napi_value constructor;
  napi_define_class(env, "FeatureKernel", NAPI_AUTO_LENGTH, Construct, nullptr,
                    sizeof(members) / sizeof(members[0]), members, &constructor);
  return constructor;
}

}  // namespace unfold_rnn

// The argument checks every N-API entry point of the addon shares (addon.cc, stream_addon.cc,
// feature_addon.cc): a failed N-API call or a bad argument throws NativeError, which guarded()
// turns into a JS Error with the entry point's code instead of reading or writing out of range.
#pragma once

#include <node_api.h>

#include <array>
#include <new>
#include <string>
#include <utility>

namespace unfold_native {

struct NativeError {
  std::string message;
};

inline void check(napi_status status, const char* what) {
  if (status != napi_ok) throw NativeError{std::string("N-API call failed: ") + what};
}

// A call's `undefined` result (for functions that write into arrays the caller passed).
inline napi_value undefined_value(napi_env env) {
  napi_value undefined;
  check(napi_get_undefined(env, &undefined), "undefined");
  return undefined;
}

// Runs an entry point's body; its NativeError (or running out of memory) becomes a JS Error.
template <typename F>
napi_value guarded(napi_env env, const char* code, F body) {
  try {
    return body();
  } catch (const NativeError& e) {
    napi_throw_error(env, code, e.message.c_str());
  } catch (const std::bad_alloc&) {
    napi_throw_error(env, code, "out of memory");
  }
  return nullptr;
}

// An entry point's first N arguments, of which the first `required` must be given (N-API
// passes the others as undefined); fewer throw `expected` (the parameter list it wants).
template <size_t N>
std::array<napi_value, N> callback_args(napi_env env, napi_callback_info info,
                                        const std::string& expected, size_t required = N) {
  size_t argc = N;
  std::array<napi_value, N> argv{};
  check(napi_get_cb_info(env, info, &argc, argv.data(), nullptr, nullptr), "get_cb_info");
  if (argc < required) throw NativeError{expected};
  return argv;
}

// Whether an optional argument was left out (undefined) or given as null.
inline bool is_absent(napi_env env, napi_value value) {
  napi_valuetype type;
  check(napi_typeof(env, value, &type), "typeof");
  return type == napi_null || type == napi_undefined;
}

inline const char* typed_array_name(napi_typedarray_type type) {
  switch (type) {
    case napi_int32_array:
      return "Int32Array";
    case napi_float32_array:
      return "Float32Array";
    case napi_float64_array:
      return "Float64Array";
    default:
      return "typed array";
  }
}

// A typed array argument of the given element type: its data and element count.
template <typename T>
std::pair<T*, size_t> typed_array(napi_env env, napi_value value, napi_typedarray_type type,
                                  const std::string& name) {
  bool is_typed = false;
  check(napi_is_typedarray(env, value, &is_typed), "is_typedarray");
  napi_typedarray_type actual = napi_int8_array;
  size_t length = 0;
  void* data = nullptr;
  if (is_typed)
    check(napi_get_typedarray_info(env, value, &actual, &length, &data, nullptr, nullptr),
          "typedarray_info");
  if (!is_typed || actual != type)
    throw NativeError{name + " must be a " + typed_array_name(type)};
  return {static_cast<T*>(data), length};
}

}  // namespace unfold_native

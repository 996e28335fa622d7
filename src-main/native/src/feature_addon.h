// N-API class FeatureKernel over unfold_rnn::FeatureFrames (feature_frames.h).
#pragma once

#include <node_api.h>

namespace unfold_rnn {

// The constructor to export as `FeatureKernel`.
napi_value define_feature_kernel(napi_env env);

}  // namespace unfold_rnn

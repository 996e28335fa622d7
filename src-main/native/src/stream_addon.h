// N-API class StreamSession over unfold_rnn::StreamSession (stream_session.h).
#pragma once

#include <node_api.h>

namespace unfold_rnn {

// The constructor to export as `StreamSession`.
napi_value define_stream_session(napi_env env);

}  // namespace unfold_rnn

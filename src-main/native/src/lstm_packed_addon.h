// N-API entry point lstmPackedForward over unfold_rnn::lstm_packed_forward (lstm_packed.h).
#pragma once

#include <node_api.h>

namespace unfold_rnn {

// lstmPackedForward(dims, lengths, directions): see lstm_packed_addon.cc.
napi_value lstm_packed_entry(napi_env env, napi_callback_info info);

}  // namespace unfold_rnn

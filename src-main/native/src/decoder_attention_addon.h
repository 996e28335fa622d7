// N-API entry point decoderAttention over unfold_rnn::decoder_attention_step (decoder_attention.h).
#pragma once

#include <node_api.h>

namespace unfold_rnn {

// decoderAttention(dims, rowSources, arrays): see decoder_attention_addon.cc.
napi_value decoder_attention_entry(napi_env env, napi_callback_info info);

}  // namespace unfold_rnn

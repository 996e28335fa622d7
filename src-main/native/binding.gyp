{
  "targets": [
    {
      "target_name": "unfold_rnn",
      "sources": ["src/addon.cc", "src/rnn_kernels.cc", "src/embedding_rows.cc", "src/char_cnn.cc", "src/output_softmax.cc", "src/optimizer_step.cc", "src/dropout_mask.cc", "src/decoder_attention.cc", "src/decoder_attention_addon.cc", "src/lstm_packed.cc", "src/lstm_packed_addon.cc", "src/stream_session.cc", "src/stream_addon.cc", "src/feature_frames.cc", "src/feature_addon.cc"],
      "cflags_cc": ["-O3", "-std=c++17", "-fno-math-errno", "-fno-trapping-math", "-fopenmp-simd"],
      "cflags_cc!": ["-fno-exceptions"],
      "libraries": ["-lopenblas"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}

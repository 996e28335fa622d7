"""Compares Unfold's features with torchaudio.compliance.kaldi (Kaldi's definitions).

Run through features-kaldi-check.ts, which writes the audio and Unfold's features. Usage:
  /usr/bin/python3 features-kaldi-check.py DIR
DIR holds audio.wav (16 kHz mono 16-bit) and unfold-<name>.npy; prints JSON.
"""
import json
import sys

import numpy as np
import torch
import torchaudio
import torchaudio.compliance.kaldi as kaldi

folder = sys.argv[1]
waveform, rate = torchaudio.load(f"{folder}/audio.wav")
# Kaldi reads 16-bit samples as integers; Unfold's sampleScale 32768 does the same.
waveform = (waveform * 32768.0).to(torch.float64)
common = dict(
    sample_frequency=rate,
    frame_length=25.0,
    frame_shift=10.0,
    window_type="hamming",
    preemphasis_coefficient=0.97,
    remove_dc_offset=True,
    dither=0.0,
    raw_energy=True,
    energy_floor=0.0,  # torchaudio defaults to 1.0; Kaldi's binaries to 0.0
    snip_edges=True,
)
mel = dict(low_freq=20.0, high_freq=0.0)
reference = {
    "spectrogram": kaldi.spectrogram(waveform, **common),
    "fbank40": kaldi.fbank(waveform, num_mel_bins=40, use_energy=False, **common, **mel),
    "fbank40e": kaldi.fbank(waveform, num_mel_bins=40, use_energy=True, **common, **mel),
    "mfcc13": kaldi.mfcc(waveform, num_mel_bins=23, num_ceps=13, cepstral_lifter=22.0, use_energy=True, **common, **mel),
    "mfcc13c0": kaldi.mfcc(waveform, num_mel_bins=23, num_ceps=13, cepstral_lifter=22.0, use_energy=False, **common, **mel),
}
result = {"torchaudio": torchaudio.__version__, "frames": int(reference["mfcc13"].shape[0])}
for name, expected in reference.items():
    ours = np.load(f"{folder}/unfold-{name}.npy")
    expected = expected.numpy()
    if ours.shape != expected.shape:
        result[name] = {"shapeOurs": list(ours.shape), "shapeKaldi": list(expected.shape)}
        continue
    difference = np.abs(ours.astype(np.float64) - expected)
    result[name] = {
        "dims": int(ours.shape[1]),
        "maxAbsDiff": float(difference.max()),
        "meanAbsDiff": float(difference.mean()),
        "valueRange": [float(expected.min()), float(expected.max())],
    }
print(json.dumps(result, indent=2))

"""The torchaudio peer of `npm run bench:features -- --side-by-side` (features-side-by-side.ts).

    /usr/bin/python3 tests/bench/features_torch.py --audio FILE --threads 1 [--warmup W] [--runs R] [--out FILE]

FILE holds 16 kHz mono float32 samples in [-1, 1] (raw, little-endian), the same samples Unfold
gets. Computes torchaudio.compliance.kaldi.mfcc with Unfold's defaults (FEATURES.md: Hamming,
pre-emphasis 0.97, DC removal, no dither, raw energy, 23 mel bands from 20 Hz to Nyquist, 13
cepstra, lifter 22, c0 = log energy, samples scaled by 32768 as Kaldi reads 16-bit WAV) and
torchaudio.functional.compute_deltas twice (delta, delta-delta), 39 dims. Runs W untimed
passes, then R timed ones; prints one JSON object with framesPerSecond (all timed frames over
the wall-clock seconds), framesPerCpuSecond (over the process's CPU time), realTimeFactor,
batches (= R) and the BLAS libraries mapped. --out writes the last features as float32 raw
[frames, 39] for the cross-check.
"""
import argparse
import json
import time

import numpy as np
import torch
import torchaudio
import torchaudio.compliance.kaldi as kaldi
import torchaudio.functional as F

RATE = 16000


def mfcc_with_deltas(waveform):
    statics = kaldi.mfcc(
        waveform,
        sample_frequency=RATE,
        frame_length=25.0,
        frame_shift=10.0,
        window_type="hamming",
        preemphasis_coefficient=0.97,
        remove_dc_offset=True,
        dither=0.0,
        raw_energy=True,
        energy_floor=0.0,  # torchaudio defaults to 1.0; Kaldi's binaries and Unfold to 0.0
        snip_edges=True,
        num_mel_bins=23,
        low_freq=20.0,
        high_freq=0.0,
        num_ceps=13,
        cepstral_lifter=22.0,
        use_energy=True,
    )
    # compute_deltas works over the last axis: (ceps, frames).
    by_time = statics.transpose(0, 1)
    delta = F.compute_deltas(by_time, win_length=5)
    delta2 = F.compute_deltas(delta, win_length=5)
    return torch.cat([by_time, delta, delta2], dim=0).transpose(0, 1)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--audio", required=True)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    samples = np.fromfile(args.audio, dtype="<f4")
    waveform = torch.from_numpy(samples * np.float32(32768.0)).unsqueeze(0)
    for _ in range(args.warmup):
        mfcc_with_deltas(waveform)
    frames = 0
    cpu_start = time.process_time()
    start = time.perf_counter()
    for _ in range(args.runs):
        features = mfcc_with_deltas(waveform)
        frames += features.shape[0]
    seconds = time.perf_counter() - start
    cpu_seconds = time.process_time() - cpu_start
    if args.out:
        features.numpy().astype("<f4").tofile(args.out)
    with open("/proc/self/maps") as f:
        blas = sorted({line.split()[-1] for line in f if "blas" in line.lower()})
    audio_seconds = len(samples) / RATE * args.runs
    print(json.dumps({
        "framesPerSecond": frames / seconds,
        "realTimeFactor": audio_seconds / seconds,
        "dims": int(features.shape[1]),
        "seconds": seconds,
        # CPU time of the whole process (every thread): less sensitive than the wall clock to
        # other work on a shared machine.
        "cpuSeconds": cpu_seconds,
        "framesPerCpuSecond": frames / cpu_seconds,
        "batches": args.runs,
        "threads": torch.get_num_threads(),
        "torch": torch.__version__,
        "torchaudio": torchaudio.__version__,
        "blasLibraries": blas,
    }))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Generates the torchaudio reference fixtures of rnn4j's AudioFeaturesTorchTest.

    /usr/bin/python3 data/src/test/resources/audio/make_fixtures.py [OUT_DIR]    # default: this folder

Needs PyTorch and torchaudio only (Debian's python3-torch 1.13 and python3-torchaudio 0.13 are enough); the
safetensors file is written with struct and json, as core/src/test/resources/safetensors_io.py does.

Writes three short WAVs, each < 50 KB, written byte by byte here (no audio library), so their header is known:
  * chirp_8k_s16.wav     8 kHz mono 16-bit PCM, 0.6 s: a 200 -> 3500 Hz chirp plus white noise;
  * tones_44k_s24.wav    44.1 kHz stereo 24-bit PCM, 0.15 s: a different tone mix per channel plus noise;
  * vowel_16k_f32.wav    16 kHz mono 32-bit float (format 3), 0.4 s: harmonics of 140 Hz plus noise, with an
                         odd-sized LIST chunk (padded) between 'fmt ' and 'data'.
and references.safetensors, F32 tensors named <wav>.<what>:
  * <wav>.mono         the samples as rnn4j decodes them (int / 2^(bits-1), channels averaged in float64, then
                       rounded to float32): must match exactly;
  * <wav>.resampled    torchaudio.functional.resample(mono, rate, 16000) with its defaults (Hann-windowed sinc,
                       lowpass_filter_width 6, rolloff 0.99), for the files not at 16 kHz;
  * <wav>.logmel, .logmel_deltas, .mfcc, .mfcc_deltas   [T, F] features at 16 kHz (after resampling);
  * chirp_8k_s16.logmel_8k   log-mel at the file's own 8 kHz (200-sample window, 80 hop, n_fft 256).

The pipeline (rnn4j's AudioFeatures documents the same):
  MelSpectrogram(sample_rate, n_fft=next_pow2(win), win_length=round(0.025 sr), hop_length=round(0.010 sr),
                 f_min=0, f_max=None, n_mels=40, window_fn=hann_window (periodic), power=2, normalized=False,
                 center=True, pad_mode="reflect", norm=None, mel_scale="htk")
  logmel = log(mel + 1e-6)
  MFCC(sample_rate, n_mfcc=13, dct_type=2, norm="ortho", log_mels=True, melkwargs=the above)  (its log offset is 1e-6)
  deltas: [x, compute_deltas(x, win_length=5), compute_deltas(that, win_length=5)] along the feature axis.

References are computed in float64 from the float32 decoded samples (modules and waveform .double()) and stored as
float32. The same pipeline run by torchaudio in float32 is compared with them and the largest difference printed
(and stored in the metadata as float32_max_abs_diff_*), so the Java test's tolerance is known to be reachable by a
float32 pipeline.
"""

import json
import math
import os
import struct
import sys

import numpy as np
import torch
import torchaudio

TARGET_RATE = 16000
N_MELS = 40
N_MFCC = 13
LOG_OFFSET = 1e-6


# ---------------------------------------------------------------------------------------------- WAV writing

def riff_chunk(chunk_id, body):
    pad = b"\0" if len(body) % 2 else b""
    return chunk_id + struct.pack("<I", len(body)) + body + pad


def write_wav(path, frames, rate, encoding, extra_chunks=()):
    """frames: float64 [N, C] in [-1, 1); encoding: 's16', 's24' or 'f32'. Returns the decoded mono (float32)."""
    n, channels = frames.shape
    if encoding == "s16":
        ints = np.clip(np.round(frames * 32768), -32768, 32767).astype(np.int64)
        data = ints.astype("<i2").tobytes()
        decoded = ints / 32768.0
        tag, bits = 1, 16
    elif encoding == "s24":
        ints = np.clip(np.round(frames * 8388608), -8388608, 8388607).astype(np.int64)
        raw = ints.astype("<i4").tobytes()
        data = b"".join(raw[i:i + 3] for i in range(0, len(raw), 4))   # low three bytes of each int32
        decoded = ints / 8388608.0
        tag, bits = 1, 24
    elif encoding == "f32":
        floats = frames.astype("<f4")
        data = floats.tobytes()
        decoded = floats.astype(np.float64)
        tag, bits = 3, 32
    else:
        raise ValueError(encoding)
    block = channels * bits // 8
    fmt = struct.pack("<HHIIHH", tag, channels, rate, rate * block, block, bits)
    body = b"WAVE" + riff_chunk(b"fmt ", fmt)
    for chunk_id, chunk_body in extra_chunks:
        body += riff_chunk(chunk_id, chunk_body)
    body += riff_chunk(b"data", data)
    with open(path, "wb") as f:
        f.write(b"RIFF" + struct.pack("<I", len(body)) + body)
    mono = decoded.mean(axis=1) if channels > 1 else decoded[:, 0]
    return torch.from_numpy(mono.astype(np.float32))


# ---------------------------------------------------------------------------------------------- signals

def signals(rng):
    out = []
    # 8 kHz chirp + noise, faded in and out
    rate, seconds = 8000, 0.6
    t = np.arange(int(rate * seconds)) / rate
    f0, f1 = 200.0, 3500.0
    phase = 2 * math.pi * (f0 * t + (f1 - f0) * t * t / (2 * seconds))
    fade = np.minimum(1.0, np.minimum(t, seconds - t) / 0.05)
    x = 0.5 * np.sin(phase) * fade + 0.03 * rng.standard_normal(t.size)
    out.append(("chirp_8k_s16", rate, "s16", x[:, None], ()))
    # 44.1 kHz stereo 24-bit: different content per channel, so a wrong mixdown shows
    rate, seconds = 44100, 0.15
    t = np.arange(int(rate * seconds)) / rate
    left = 0.4 * np.sin(2 * math.pi * 440 * t) + 0.2 * np.sin(2 * math.pi * 3000 * t)
    right = 0.3 * np.sin(2 * math.pi * 1250 * t) + 0.2 * np.sin(2 * math.pi * 9000 * t)
    noise = 0.02 * rng.standard_normal((t.size, 2))
    out.append(("tones_44k_s24", rate, "s24", np.stack([left, right], axis=1) + noise, ()))
    # 16 kHz float: a vowel-like harmonic series; an odd-sized LIST chunk before the data
    rate, seconds = 16000, 0.4
    t = np.arange(int(rate * seconds)) / rate
    x = sum((0.3 / h) * np.sin(2 * math.pi * 140 * h * t + h) for h in range(1, 20)) + 0.01 * rng.standard_normal(t.size)
    info = b"INFO" + riff_chunk(b"ISFT", b"rnn4j fixture\0")   # 4 + 8 + 14: even; the LIST body below is odd
    out.append(("vowel_16k_f32", rate, "f32", x[:, None], ((b"LIST", info + b"!"),)))
    return out


# ---------------------------------------------------------------------------------------------- features

def settings(rate):
    win = round(0.025 * rate)
    hop = round(0.010 * rate)
    n_fft = 1 << (win - 1).bit_length()
    return dict(sample_rate=rate, n_fft=n_fft, win_length=win, hop_length=hop, f_min=0.0, f_max=None, n_mels=N_MELS,
                window_fn=torch.hann_window, power=2.0, normalized=False, center=True, pad_mode="reflect", norm=None,
                mel_scale="htk")


def with_deltas(x):
    """x [F, T] -> [3F, T]: x, its deltas, their deltas."""
    d1 = torchaudio.functional.compute_deltas(x, win_length=5)
    d2 = torchaudio.functional.compute_deltas(d1, win_length=5)
    return torch.cat([x, d1, d2], dim=0)


def features(mono, rate, dtype):
    """{name: [T, F] tensor} at the target rate, computed in dtype."""
    x = mono.to(dtype)
    out = {}
    if rate != TARGET_RATE:
        x = torchaudio.functional.resample(x, rate, TARGET_RATE)
        out["resampled"] = x
    kwargs = settings(TARGET_RATE)
    mel = torchaudio.transforms.MelSpectrogram(**kwargs).to(dtype)
    mfcc = torchaudio.transforms.MFCC(sample_rate=TARGET_RATE, n_mfcc=N_MFCC, dct_type=2, norm="ortho", log_mels=True,
                                      melkwargs={k: v for k, v in kwargs.items() if k != "sample_rate"}).to(dtype)
    logmel = torch.log(mel(x) + LOG_OFFSET)
    cepstra = mfcc(x)
    out["logmel"] = logmel.T
    out["logmel_deltas"] = with_deltas(logmel).T
    out["mfcc"] = cepstra.T
    out["mfcc_deltas"] = with_deltas(cepstra).T
    if rate == 8000:
        own = torchaudio.transforms.MelSpectrogram(**settings(rate)).to(dtype)
        out["logmel_8k"] = torch.log(own(mono.to(dtype)) + LOG_OFFSET).T
    return out


# ---------------------------------------------------------------------------------------------- safetensors

def write_safetensors(path, tensors, metadata):
    header = {"__metadata__": {str(k): str(v) for k, v in metadata.items()}}
    blobs, offset = [], 0
    for name, t in tensors:
        data = t.detach().contiguous().to(torch.float32).numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((-(8 + len(text))) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    rng = np.random.default_rng(20240502)
    tensors = []
    metadata = {"torch_version": torch.__version__, "torchaudio_version": torchaudio.__version__,
                "target_rate": TARGET_RATE, "log_offset": LOG_OFFSET}
    for name, rate, encoding, frames, extra in signals(rng):
        path = os.path.join(out_dir, name + ".wav")
        mono = write_wav(path, frames, rate, encoding, extra)
        size = os.path.getsize(path)
        assert size < 50_000, (path, size)
        tensors.append((f"{name}.mono", mono))
        reference = features(mono, rate, torch.float64)
        single = features(mono, rate, torch.float32)
        for what, value in reference.items():
            tensors.append((f"{name}.{what}", value))
            diff = (single[what].double() - value).abs().max().item()
            metadata[f"float32_max_abs_diff_{name}.{what}"] = f"{diff:.3g}"
            print(f"{name}.{what}: shape {list(value.shape)}, float32 vs float64 max |diff| {diff:.3g}")
        print(f"{path}: {size} bytes")
    write_safetensors(os.path.join(out_dir, "references.safetensors"), tensors, metadata)


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Golden log-mel fixtures for the extractor conformance suite (docs/behaviour.md#spectrogram, steps 3-6).

Run with Debian's python3 (it has torch + numpy):

    /usr/bin/python3 tools/golden/generate.py

Writes packages/golden-fixtures/golden/index.json and golden.bin. For every case it computes
  * the float64 reference in numpy (the values extractors are tested against), and
  * the seed's own computation in torch float32 (torch.stft + librosa-equivalent float32 filters),
and records how far torch float32 is from float64 (max abs, p99.9): the "torch tolerance".
librosa is not needed: its `filters.mel` (Slaney scale, Slaney norm, and htk) is rebuilt below with
the same formula. Signals are deterministic (fixed seeds, closed-form), stored as float32 because
extractors take a Float32Array; the float64 reference is computed from those float32 values.
"""

import json
import math
import os

import numpy as np
import torch

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "packages", "golden-fixtures", "golden")

PARAM_SETS = [
    (16000, 400, 160, 80),
    (16000, 400, 160, 64),
    (16000, 512, 160, 128),
    (32000, 800, 320, 128),
    (22050, 1024, 256, 80),
    # odd n_fft: a prime (Bluestein in dsp-js) and an odd mixed radix (3 x 5^3)
    (16000, 401, 160, 64),
    (16000, 375, 160, 64),
]


# ---------------------------------------------------------------- librosa-equivalent filterbank


def hz_to_mel(f, htk):
    f = np.asanyarray(f, dtype=np.float64)
    if htk:
        return 2595.0 * np.log10(1.0 + f / 700.0)
    f_sp = 200.0 / 3
    mels = f / f_sp
    min_log_hz = 1000.0
    min_log_mel = min_log_hz / f_sp
    logstep = np.log(6.4) / 27.0
    log_t = f >= min_log_hz
    mels = np.where(log_t, min_log_mel + np.log(np.maximum(f, 1e-300) / min_log_hz) / logstep, mels)
    return mels


def mel_to_hz(m, htk):
    m = np.asanyarray(m, dtype=np.float64)
    if htk:
        return 700.0 * (10.0 ** (m / 2595.0) - 1.0)
    f_sp = 200.0 / 3
    freqs = f_sp * m
    min_log_hz = 1000.0
    min_log_mel = min_log_hz / f_sp
    logstep = np.log(6.4) / 27.0
    return np.where(m >= min_log_mel, min_log_hz * np.exp(logstep * (m - min_log_mel)), freqs)


def mel_filters(sr, n_fft, n_mels, fmin=0.0, fmax=None, htk=False):
    """librosa.filters.mel(sr=sr, n_fft=n_fft, n_mels=n_mels, fmin, fmax, htk, norm='slaney'), float64."""
    if fmax is None:
        fmax = sr / 2.0
    fftfreqs = np.fft.rfftfreq(n=n_fft, d=1.0 / sr)
    mel_f = mel_to_hz(np.linspace(hz_to_mel(fmin, htk), hz_to_mel(fmax, htk), n_mels + 2), htk)
    fdiff = np.diff(mel_f)
    ramps = np.subtract.outer(mel_f, fftfreqs)
    weights = np.zeros((n_mels, 1 + n_fft // 2), dtype=np.float64)
    for i in range(n_mels):
        lower = -ramps[i] / fdiff[i]
        upper = ramps[i + 2] / fdiff[i + 1]
        weights[i] = np.maximum(0, np.minimum(lower, upper))
    enorm = 2.0 / (mel_f[2 : n_mels + 2] - mel_f[:n_mels])
    weights *= enorm[:, np.newaxis]
    return weights


# ---------------------------------------------------------------- the two computations


def finish(log_spec, normalize):
    log_spec = np.maximum(log_spec, log_spec.max() - 8.0)
    s = (log_spec + 4.0) / 4.0
    if normalize:
        s = (s - s.mean()) / s.std(ddof=1)
    return s


def logmel_float64(x, sr, n_fft, hop, n_mels, normalize):
    x = x.astype(np.float64)
    frames = len(x) // hop
    pad = n_fft // 2
    padded = np.pad(x, (pad, pad), mode="reflect")
    window = 0.5 - 0.5 * np.cos(2.0 * np.pi * np.arange(n_fft) / n_fft)  # periodic Hann
    idx = np.arange(frames)[:, None] * hop + np.arange(n_fft)[None, :]
    spec = np.fft.rfft(padded[idx] * window, axis=1)  # [frames, bins]
    power = spec.real**2 + spec.imag**2
    mel = mel_filters(sr, n_fft, n_mels) @ power.T  # [n_mels, frames]
    return finish(np.log10(np.maximum(mel, 1e-10)), normalize)


def logmel_torch32(x, sr, n_fft, hop, n_mels, normalize):
    """The seed's computation (Whisper-style), in torch float32 with float32 librosa filters."""
    audio = torch.from_numpy(x.astype(np.float32))
    window = torch.hann_window(n_fft)
    stft = torch.stft(audio, n_fft, hop, window=window, center=True, pad_mode="reflect", return_complex=True)
    magnitudes = stft[..., :-1].abs() ** 2
    filters = torch.from_numpy(mel_filters(sr, n_fft, n_mels).astype(np.float32))
    mel = filters @ magnitudes
    log_spec = torch.clamp(mel, min=1e-10).log10()
    log_spec = torch.maximum(log_spec, log_spec.max() - 8.0)
    s = (log_spec + 4.0) / 4.0
    if normalize:
        s = (s - s.mean()) / s.std()
    return s.numpy().astype(np.float64)


# ---------------------------------------------------------------- signals (deterministic)


def speech_like(sr, n, seed):
    """Voiced source (gliding f0, glottal-like harmonics) through moving formant resonators, with
    syllable-rate amplitude modulation, short pauses and a little breath noise."""
    rng = np.random.default_rng(seed)
    t = np.arange(n) / sr
    f0 = 120.0 + 40.0 * np.sin(2 * np.pi * 1.3 * t) + 15.0 * np.sin(2 * np.pi * 3.1 * t)
    phase = 2 * np.pi * np.cumsum(f0) / sr
    source = np.zeros(n)
    for k in range(1, 40):
        amp = 1.0 / k**1.2
        harmonic = np.sin(k * phase)
        source += np.where(k * f0 < sr / 2 - 200, amp * harmonic, 0.0)
    source += 0.05 * rng.standard_normal(n)
    out = np.zeros(n)
    formants = [(700.0, 300.0, 130.0), (1220.0, 500.0, 70.0), (2600.0, 300.0, 160.0)]
    for centre, swing, bandwidth in formants:
        fc = centre + swing * np.sin(2 * np.pi * 2.2 * t + centre)
        y = np.zeros(n)
        r = math.exp(-math.pi * bandwidth / sr)
        y1 = y2 = 0.0
        for i in range(n):
            theta = 2 * math.pi * fc[i] / sr
            v = source[i] + 2 * r * math.cos(theta) * y1 - r * r * y2
            y[i] = v
            y2, y1 = y1, v
        out += y / np.max(np.abs(y))
    envelope = np.clip(np.sin(2 * np.pi * 4.0 * t) * 0.6 + 0.5, 0.0, 1.0) ** 1.5
    out *= envelope
    return 0.3 * out / np.max(np.abs(out))


def signals_for(sr, n_fft):
    n = sr + 77  # about 1 s, not a multiple of any hop
    t = np.arange(n) / sr
    rng = np.random.default_rng(sr)
    tones = 0.3 * np.sin(2 * np.pi * 440.0 * t) + 0.2 * np.sin(2 * np.pi * 1234.5 * t + 0.3)
    tones += 0.1 * np.sin(2 * np.pi * 0.41 * sr * t)
    k = (0.45 * sr - 50.0) / t[-1]
    chirp = 0.5 * np.sin(2 * np.pi * (50.0 * t + 0.5 * k * t * t))
    short_n = (3 * n_fft) // 4  # shorter than one window, longer than the reflect pad
    return {
        "noise": 0.25 * rng.standard_normal(n),
        "tones": tones,
        "chirp": chirp,
        "near-silence": 1e-4 * np.random.default_rng(sr + 1).standard_normal(n),
        "short": 0.5 * np.random.default_rng(sr + 2).standard_normal(short_n) * np.hanning(short_n),
        "speech-like": speech_like(sr, n, sr + 3),
    }


# ---------------------------------------------------------------- output


def main():
    os.makedirs(OUT, exist_ok=True)
    blob = bytearray()

    def put(array, dtype):
        while len(blob) % 8:
            blob.append(0)
        offset = len(blob)
        data = np.ascontiguousarray(array, dtype=dtype)
        blob.extend(data.astype("<" + data.dtype.str[1:]).tobytes())
        return {"offset": offset, "length": int(data.size)}

    signals = {}
    cases = []
    for sr, n_fft, hop, n_mels in PARAM_SETS:
        for name, signal in signals_for(sr, n_fft).items():
            signal32 = signal.astype(np.float32)
            key = f"{sr}/{n_fft}/{name}"
            if key not in signals:
                signals[key] = {"sampleRate": sr, **put(signal32, np.float32)}
            for normalize in (False, True):
                expected = logmel_float64(signal32, sr, n_fft, hop, n_mels, normalize)
                torch32 = logmel_torch32(signal32, sr, n_fft, hop, n_mels, normalize)
                assert expected.shape == torch32.shape == (n_mels, len(signal32) // hop), key
                diff = np.abs(expected - torch32).ravel()
                cases.append(
                    {
                        "name": f"sr{sr}-nfft{n_fft}-hop{hop}-mels{n_mels}-{name}{'-normalized' if normalize else ''}",
                        "params": {
                            "sampleRate": sr,
                            "nFft": n_fft,
                            "hopLength": hop,
                            "nMels": n_mels,
                            "normalize": normalize,
                        },
                        "signal": key,
                        "shape": [n_mels, int(expected.shape[1])],
                        "expected": put(expected, np.float64),
                        "torchFloat32": {
                            "maxAbs": float(diff.max()),
                            "p999": float(np.quantile(diff, 0.999)),
                        },
                    }
                )
    index = {
        "description": "Golden log-mel fixtures (docs/behaviour.md#spectrogram, steps 3-6). Generated by tools/golden/generate.py.",
        "binary": "golden.bin",
        "layout": "little-endian; signals float32, expected float64 mel-major [nMels, frames]; offsets in bytes",
        "signals": signals,
        "cases": cases,
    }
    with open(os.path.join(OUT, "golden.bin"), "wb") as f:
        f.write(bytes(blob))
    with open(os.path.join(OUT, "index.json"), "w") as f:
        json.dump(index, f, indent=1)
        f.write("\n")
    worst = {
        False: max(c["torchFloat32"]["maxAbs"] for c in cases if not c["params"]["normalize"]),
        True: max(c["torchFloat32"]["maxAbs"] for c in cases if c["params"]["normalize"]),
    }
    worst999 = {
        False: max(c["torchFloat32"]["p999"] for c in cases if not c["params"]["normalize"]),
        True: max(c["torchFloat32"]["p999"] for c in cases if c["params"]["normalize"]),
    }
    print(f"{len(cases)} cases, {len(blob) / 1e6:.2f} MB")
    print(f"torch float32 vs float64, normalize off: max abs {worst[False]:.3g}, p99.9 {worst999[False]:.3g}")
    print(f"torch float32 vs float64, normalize on:  max abs {worst[True]:.3g}, p99.9 {worst999[True]:.3g}")


if __name__ == "__main__":
    main()

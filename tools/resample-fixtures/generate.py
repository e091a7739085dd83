#!/usr/bin/python3
"""Reference resampled signals for the resampler conformance suite (resamplerCases).

Run with Debian's python3 (apt-get install python3-numpy):

    /usr/bin/python3 tools/resample-fixtures/generate.py

Writes packages/golden-fixtures/golden/resample-index.json and resample.bin (shipped in
@spgdataset/golden-fixtures, next to the log-mel fixtures). The reference is an ideal
band-limited resampler evaluated directly in float64: output k is sum_n x[n] h(k * from / to - n)
with zeros outside the signal, h a Kaiser-windowed sinc (beta 14, about 140 dB) cut off at the
lower Nyquist frequency, +-1024 input samples long, so its transition (about 0.0045 cycles per
input sample wide) stays inside [0.95, 1.05] x the lower Nyquist frequency. The signals have no
content in that band: tones and noise below 0.9 x 0.95 x Nyquist, plus (downsampling) tones and
noise above 1.1 x 1.05 x Nyquist, with 10 ms Hann fades so edges add nothing in between. A
resampler with a flat passband to 0.95 x Nyquist and a stopband from 1.05 x Nyquist therefore
matches this reference up to its passband ripple and stopband leakage, edges included. Signals are
stored as float32 (resamplers take Float32Array); the reference is computed from those values.
"""

import json
import math
import os

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "packages", "golden-fixtures", "golden")

PAIRS = [
    (44100, 16000),
    (48000, 16000),
    (22050, 16000),
    (96000, 16000),
    (32000, 16000),
    (8000, 16000),
    (16000, 44100),
    (11025, 16000),
    (44100, 16001),
]
SECONDS = 0.1
HALF = 1024
BETA = 14.0


def output_length(n, fr, to):
    """round(n * to / fr), halves up (JavaScript's Math.round), in integers."""
    return (2 * n * to + fr) // (2 * fr)


def reference(x, fr, to):
    g = math.gcd(fr, to)
    up, down = to // g, fr // g
    fc = min(fr, to) / 2 / fr  # cycles per input sample
    n_out = output_length(len(x), fr, to)
    xp = np.concatenate([np.zeros(HALF), x.astype(np.float64), np.zeros(HALF + 1)])
    y = np.zeros(n_out)
    offsets = np.arange(-HALF + 1, HALF + 1)
    i0_beta = np.i0(BETA)
    for start in range(0, n_out, 256):
        k = np.arange(start, min(start + 256, n_out))
        base = (k * down) // up
        frac = (k * down - base * up) / up
        n = base[:, None] + offsets[None, :]
        tau = (base + frac)[:, None] - n
        u = np.clip(tau / HALF, -1.0, 1.0)
        h = 2 * fc * np.sinc(2 * fc * tau) * np.i0(BETA * np.sqrt(1 - u * u)) / i0_beta
        h[np.abs(tau) > HALF] = 0.0
        # xp[HALF + n] is x[n] (zero outside the signal); n >= -HALF + 1 and <= len + HALF.
        y[k] = np.sum(h * xp[n + HALF], axis=1)
    return y


def fade(n, rate):
    w = np.ones(n)
    r = int(round(0.01 * rate))
    ramp = 0.5 - 0.5 * np.cos(np.pi * np.arange(r) / r)
    w[:r] = ramp
    w[n - r :] = ramp[::-1]
    return w


def band_noise(n, rate, lo, hi, rng):
    spectrum = np.fft.rfft(rng.standard_normal(4 * n))
    f = np.fft.rfftfreq(4 * n, 1 / rate)
    spectrum[(f < lo) | (f > hi)] = 0
    noise = np.fft.irfft(spectrum, 4 * n)[:n]
    return noise / np.max(np.abs(noise))


def signals(fr, to, rng):
    n = int(round(SECONDS * fr))
    t = np.arange(n) / fr
    lower = min(fr, to)
    pass_top = 0.9 * 0.95 * lower / 2
    stop_low = 1.1 * 1.05 * lower / 2
    down = to < fr
    tones = sum(a * np.sin(2 * np.pi * f * t + p) for a, f, p in [(0.3, 0.1 * pass_top, 0.3), (0.25, 0.55 * pass_top, 1.1), (0.2, pass_top, 2.0)])
    noise = 0.5 * band_noise(n, fr, 20, pass_top, rng)
    if down and stop_low < 0.95 * fr / 2:
        tones = tones + sum(a * np.sin(2 * np.pi * f * t) for a, f in [(0.1, stop_low), (0.1, 0.95 * fr / 2)])
        noise = noise + 0.2 * band_noise(n, fr, stop_low, 0.95 * fr / 2, rng)
    w = fade(n, fr)
    return {"tones": (tones * w).astype(np.float32), "noise": (noise * w).astype(np.float32)}


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(20240611)
    blob = bytearray()
    cases = []

    def put(array):
        blob.extend(bytes(-len(blob) % 8))  # 8-byte aligned, so Float64Array views work
        offset = len(blob)
        blob.extend(array.tobytes())
        return {"offset": offset, "length": int(array.size)}

    for fr, to in PAIRS:
        for kind, x in signals(fr, to, rng).items():
            y = reference(x, fr, to)
            cases.append(
                {
                    "name": f"{fr}->{to}-{kind}",
                    "fromRate": fr,
                    "toRate": to,
                    "signal": put(x),
                    "expected": put(y.astype(np.float64)),
                    "peak": float(np.max(np.abs(x))),
                }
            )
            print(f"{cases[-1]['name']}: {x.size} -> {y.size} samples")
    with open(os.path.join(OUT, "resample.bin"), "wb") as f:
        f.write(blob)
    index = {
        "binary": "resample.bin",
        "generator": "tools/resample-fixtures/generate.py",
        "reference": f"Kaiser-windowed sinc, beta {BETA}, +-{HALF} input samples, cutoff at the lower Nyquist frequency, float64",
        "signalDtype": "float32 little-endian",
        "expectedDtype": "float64 little-endian",
        "cases": cases,
    }
    with open(os.path.join(OUT, "resample-index.json"), "w") as f:
        json.dump(index, f, indent=1)
        f.write("\n")
    print(f"{len(cases)} cases, {len(blob)} bytes")


if __name__ == "__main__":
    main()

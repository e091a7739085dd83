"""Times the seed's log-mel in torch float32 on one CPU thread (docs/behaviour.md#spectrogram, steps 3-6).

Usage: torch-log-mel.py <audio.f32> <sample_rate> <n_fft> <hop> <n_mels> <normalize 0|1> <repeats>
Prints JSON {"seconds": median of the full computation, "stftSeconds": median of torch.stft + power
alone (no BLAS involved), "blas": torch's BLAS, "torch": version}, or exits 3 when torch is missing.
"""
import json
import sys
import time

try:
    import numpy as np
    import torch
except ImportError as error:  # python3-torch not installed
    print(json.dumps({"skipped": str(error)}))
    sys.exit(3)


def hz_to_mel(f):
    f_sp = 200.0 / 3
    logstep = np.log(6.4) / 27.0
    return np.where(f >= 1000.0, 15.0 + np.log(np.maximum(f, 1e-300) / 1000.0) / logstep, f / f_sp)


def mel_to_hz(m):
    f_sp = 200.0 / 3
    logstep = np.log(6.4) / 27.0
    return np.where(m >= 15.0, 1000.0 * np.exp(logstep * (m - 15.0)), f_sp * m)


def mel_filters(sr, n_fft, n_mels):
    """librosa.filters.mel defaults (Slaney scale and norm), float32."""
    fftfreqs = np.arange(n_fft // 2 + 1) * sr / n_fft
    mel_f = mel_to_hz(np.linspace(hz_to_mel(np.float64(0)), hz_to_mel(np.float64(sr / 2)), n_mels + 2))
    fdiff = np.diff(mel_f)
    ramps = np.subtract.outer(mel_f, fftfreqs)
    lower = -ramps[:-2] / fdiff[:-1, None]
    upper = ramps[2:] / fdiff[1:, None]
    weights = np.maximum(0, np.minimum(lower, upper)) * (2.0 / (mel_f[2:] - mel_f[:-2]))[:, None]
    return torch.from_numpy(weights.astype(np.float32))


def main():
    path, sr, n_fft, hop, n_mels, normalize, repeats = sys.argv[1:8]
    sr, n_fft, hop, n_mels, repeats = int(sr), int(n_fft), int(hop), int(n_mels), int(repeats)
    torch.set_num_threads(1)
    audio = torch.from_numpy(np.fromfile(path, dtype=np.float32))
    filters = mel_filters(sr, n_fft, n_mels)
    window = torch.hann_window(n_fft)

    def run():
        stft = torch.stft(audio, n_fft, hop, window=window, center=True, pad_mode="reflect", return_complex=True)
        magnitudes = stft[..., :-1].abs() ** 2
        log_spec = torch.clamp(filters @ magnitudes, min=1e-10).log10()
        log_spec = torch.maximum(log_spec, log_spec.max() - 8.0)
        s = (log_spec + 4.0) / 4.0
        if normalize == "1":
            s = (s - s.mean()) / s.std()
        return s

    def stft_power():
        stft = torch.stft(audio, n_fft, hop, window=window, center=True, pad_mode="reflect", return_complex=True)
        return stft[..., :-1].abs() ** 2

    def median_seconds(fn):
        fn()  # warm-up
        runs = []
        for _ in range(repeats):
            start = time.perf_counter()
            fn()
            runs.append(time.perf_counter() - start)
        return sorted(runs)[len(runs) // 2]

    config = torch.__config__.show()
    blas = next((part.split("=")[1] for part in config.replace(",", " ").split() if part.startswith("BLAS_INFO=")), "?")
    print(
        json.dumps(
            {
                "seconds": median_seconds(run),
                "stftSeconds": median_seconds(stft_power),
                "blas": blas,
                "torch": torch.__version__,
            }
        )
    )


main()

#!/usr/bin/python3
"""Small PCM fixtures (WAV, RF64, RIFX, AIFF, AIFF-C, FLAC) and the float32 values they must decode to.

Run with Debian's python3 (python3-soundfile, python3-numpy) with ffmpeg, sox and flac installed:

    /usr/bin/python3 tools/pcm-fixtures/generate.py

Writes packages/core/test/pcm-fixtures/: the audio files, reference.bin and index.json. For every
file, the reference is what soundfile (libsndfile) reads: `sf.read(path, dtype='float32',
always_2d=True)`, stored interleaved as little-endian float32, followed by the mono mean computed in
numpy float32 the way `downmix()` defines it (0 + channel 0 + channel 1 + ..., then x (1 / channels)
rounded from float64). Integer sources are also checked here against numpy's x / 2^(bits - 1) of
the raw integers, so the reference does not rest on libsndfile alone. Where libsndfile cannot read
a variant, the numpy values are the reference and index.json says so.

Signals are deterministic: an integer ramp over the full range that includes the most negative
value, the extremes and small values, then noise; each channel different (reversed, rotated).
"""

import json
import os
import shutil
import struct
import subprocess
import tempfile

import numpy as np
import soundfile as sf

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "packages", "core", "test", "pcm-fixtures")
FRAMES = 200


def int_signal(bits, channels, seed):
    """frames x channels int64 in the signed `bits`-bit range, extremes first."""
    rng = np.random.default_rng(seed)
    lo, hi = -(1 << (bits - 1)), (1 << (bits - 1)) - 1
    head = np.array([lo, hi, lo + 1, hi - 1, -1, 0, 1, lo // 2, hi // 2, 1097 % hi, -(1097 % hi)])
    ramp = np.linspace(lo, hi, 80).round().astype(np.int64)
    noise = rng.integers(lo, hi + 1, FRAMES - len(head) - len(ramp))
    base = np.concatenate([head, ramp, noise]).astype(np.int64)
    return np.stack([base, base[::-1].copy(), np.roll(base, 37)][:channels], axis=1)


def float_signal(channels, seed, dtype):
    """Floats past +-1, +-0 (also -0 in every channel at once), subnormals, then noise."""
    rng = np.random.default_rng(seed)
    head = [0.0, -0.0, 1.0, -1.0, 1.5, -2.25, 1e-30, 1.5e-45, 0.5, -0.75]
    if dtype == np.float64:
        head += [1e-40, 1.0000000001, -0.1]  # float32 subnormal, then values float32 must round
    base = np.concatenate([head, rng.uniform(-1.2, 1.2, FRAMES - len(head))]).astype(dtype)
    x = np.stack([base, base[::-1].copy(), np.roll(base, 37)][:channels], axis=1)
    x[1, :] = -0.0  # every channel -0 in frame 1: the mean must be +0 (0 + -0 + -0 = +0)
    return x


def to_int32(x, bits):
    return (x << (32 - bits)).astype(np.int32)


def exact(x, bits):
    return (x.astype(np.float64) / float(1 << (bits - 1))).astype(np.float32)


def mono_mean(x):
    """downmix(): float32 sum from +0 in channel order, then x (1 / channels) in float64, to float32."""
    if x.shape[1] == 1:
        return x[:, 0].copy()
    acc = np.zeros(x.shape[0], dtype=np.float32)
    for c in range(x.shape[1]):
        acc = (acc + x[:, c]).astype(np.float32)
    return (acc.astype(np.float64) * (1.0 / x.shape[1])).astype(np.float32)


def chunk(cid, body, le=True, pad=True):
    head = cid.encode("ascii") + struct.pack("<I" if le else ">I", len(body))
    return head + body + (b"\0" if pad and len(body) % 2 else b"")


def fmt_pcm(channels, rate, bits, tag=1):
    block = channels * ((bits + 7) // 8)
    return struct.pack("<HHIIHH", tag, channels, rate, rate * block, block, bits)


def pcm_bytes_le(x, bits):
    """Interleaved little-endian integers (8-bit: unsigned, as WAV stores it)."""
    flat = x.reshape(-1)
    if bits == 8:
        return (flat + 128).astype(np.uint8).tobytes()
    raw = flat.astype("<i4").view(np.uint8).reshape(-1, 4)
    return raw[:, : bits // 8].tobytes()


entries = []
blob = bytearray()


def add(name, path, *, reference="soundfile", expected=None, codec=False, note=None):
    """Record `path` with soundfile's float32 reading as its reference (checked against `expected`)."""
    freeze_timestamps(path)
    info = sf.info(path) if reference == "soundfile" else None
    if reference == "soundfile":
        ref, rate = sf.read(path, dtype="float32", always_2d=True)
        if expected is not None and not np.array_equal(ref.view(np.uint32), expected.view(np.uint32)):
            raise SystemExit(f"{name}: soundfile differs from numpy x / 2^(bits-1)")
    else:
        ref, rate = expected, reference
        reference = "numpy"
    ref = np.ascontiguousarray(ref, dtype=np.float32)
    mono = mono_mean(ref)
    entry = {
        "name": name,
        "file": os.path.basename(path),
        "channels": int(ref.shape[1]),
        "sampleRate": int(rate),
        "frames": int(ref.shape[0]),
        "reference": reference,
        "offset": len(blob),
        "monoOffset": len(blob) + ref.nbytes,
    }
    if codec:
        # ADPCM decoders differ (libsndfile's IMA ADPCM is not ffmpeg's): keep ffmpeg's reading too.
        raw = subprocess.run(
            ["ffmpeg", "-hide_banner", "-loglevel", "error", "-i", path, "-f", "f32le", "-"],
            check=True,
            capture_output=True,
        ).stdout
        by_ffmpeg = np.frombuffer(raw, dtype="<f4").reshape(-1, ref.shape[1])
        entry["codec"] = True
        entry["ffmpegFrames"] = int(by_ffmpeg.shape[0])
        entry["ffmpegOffset"] = len(blob) + ref.nbytes + mono.nbytes
    if note:
        entry["note"] = note
    if info is not None:
        entry["soundfile"] = f"{info.format}/{info.subtype}" + (f"/{info.endian}" if info.endian != "FILE" else "")
    blob.extend(ref.astype("<f4").tobytes())
    blob.extend(mono.astype("<f4").tobytes())
    if codec:
        blob.extend(by_ffmpeg.astype("<f4").tobytes())
    entries.append(entry)


def check_flac_holds(path, x, bits):
    """The reference CLI decoder (flac -d) must give back exactly the integers written."""
    raw = subprocess.run(
        ["flac", "--silent", "-d", "--force-raw-format", "--endian=little", "--sign=signed", "-c"]
        + (["--ogg"] if path.endswith(".oga") else []) + [path],
        check=True,
        capture_output=True,
    ).stdout
    width = bits // 8
    got = np.frombuffer(raw, dtype=np.uint8).reshape(-1, width)
    padded = np.zeros((got.shape[0], 4), dtype=np.uint8)
    padded[:, 4 - width :] = got
    values = padded.view("<i4").reshape(-1) >> (32 - bits)
    if not np.array_equal(values, x.reshape(-1)):
        raise SystemExit(f"{path}: flac -d does not give back the integers written")


def freeze_timestamps(path):
    """Zero the write-time stamps (libsndfile's PEAK chunk, sox's AIFF COMT) so reruns give the same bytes."""
    with open(path, "rb") as f:
        data = bytearray(f.read())
    for cid, at in ((b"PEAK", 12), (b"COMT", 10)):
        i = data.find(cid)
        if i >= 0:
            data[i + at : i + at + 4] = b"\0\0\0\0"
    with open(path, "wb") as f:
        f.write(data)


def out(name):
    return os.path.join(OUT, name)


def main():
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)
    tmp = tempfile.mkdtemp()

    # ------------------------------------------------------------------ WAV family, by soundfile
    ints = [
        # name, format, subtype, bits, channels, rate, endian
        ("wav-u8-1ch.wav", "WAV", "PCM_U8", 8, 1, 8000, "FILE"),
        ("wav-u8-2ch.wav", "WAV", "PCM_U8", 8, 2, 11025, "FILE"),
        ("wav-s16-1ch.wav", "WAV", "PCM_16", 16, 1, 16000, "FILE"),
        ("wav-s16-2ch.wav", "WAV", "PCM_16", 16, 2, 44100, "FILE"),
        ("wav-s16-3ch.wav", "WAV", "PCM_16", 16, 3, 48000, "FILE"),
        ("wav-s24-2ch.wav", "WAV", "PCM_24", 24, 2, 22050, "FILE"),
        ("wav-s32-2ch.wav", "WAV", "PCM_32", 32, 2, 16000, "FILE"),
        ("wavex-u8-1ch.wav", "WAVEX", "PCM_U8", 8, 1, 8000, "FILE"),
        ("wavex-s16-3ch.wav", "WAVEX", "PCM_16", 16, 3, 16000, "FILE"),
        ("wavex-s24-2ch.wav", "WAVEX", "PCM_24", 24, 2, 48000, "FILE"),
        ("wavex-s32-1ch.wav", "WAVEX", "PCM_32", 32, 1, 44100, "FILE"),
        ("rf64-s16-2ch.wav", "RF64", "PCM_16", 16, 2, 16000, "FILE"),
        ("rf64-s24-1ch.wav", "RF64", "PCM_24", 24, 1, 8000, "FILE"),
        ("rifx-s16-2ch.wav", "WAV", "PCM_16", 16, 2, 16000, "BIG"),
        ("rifx-s24-1ch.wav", "WAV", "PCM_24", 24, 1, 22050, "BIG"),
        ("rifx-s32-2ch.wav", "WAV", "PCM_32", 32, 2, 8000, "BIG"),
        ("aiff-s8-1ch.aiff", "AIFF", "PCM_S8", 8, 1, 8000, "FILE"),
        ("aiff-s8-2ch.aiff", "AIFF", "PCM_S8", 8, 2, 11025, "FILE"),
        ("aifc-raw-u8-2ch.aiff", "AIFF", "PCM_U8", 8, 2, 8000, "FILE"),
        ("aiff-s16-2ch.aiff", "AIFF", "PCM_16", 16, 2, 44100, "FILE"),
        ("aiff-s24-3ch.aiff", "AIFF", "PCM_24", 24, 3, 48000, "FILE"),
        ("aiff-s32-1ch.aiff", "AIFF", "PCM_32", 32, 1, 16000, "FILE"),
        ("aifc-sowt-s16-2ch.aiff", "AIFF", "PCM_16", 16, 2, 22050, "LITTLE"),
        ("aifc-sowt-s24-1ch.aiff", "AIFF", "PCM_24", 24, 1, 16000, "LITTLE"),
        ("flac-s8-1ch.flac", "FLAC", "PCM_S8", 8, 1, 8000, "FILE"),
        ("flac-s16-1ch.flac", "FLAC", "PCM_16", 16, 1, 16000, "FILE"),
        ("flac-s16-2ch.flac", "FLAC", "PCM_16", 16, 2, 44100, "FILE"),
        ("flac-s24-2ch.flac", "FLAC", "PCM_24", 24, 2, 48000, "FILE"),
        ("flac-s24-3ch.flac", "FLAC", "PCM_24", 24, 3, 16000, "FILE"),
    ]
    for i, (name, fmt, subtype, bits, channels, rate, endian) in enumerate(ints):
        x = int_signal(bits, channels, seed=100 + i)
        sf.write(out(name), to_int32(x, bits), rate, subtype=subtype, format=fmt, endian=endian)
        add(name, out(name), expected=exact(x, bits))

    floats = [
        ("wav-f32-2ch.wav", "WAV", "FLOAT", np.float32, 2, 16000, "FILE"),
        ("wav-f64-2ch.wav", "WAV", "DOUBLE", np.float64, 2, 44100, "FILE"),
        ("wavex-f32-3ch.wav", "WAVEX", "FLOAT", np.float32, 3, 48000, "FILE"),
        ("rf64-f64-1ch.wav", "RF64", "DOUBLE", np.float64, 1, 16000, "FILE"),
        ("rifx-f32-2ch.wav", "WAV", "FLOAT", np.float32, 2, 8000, "BIG"),
        ("aifc-fl32-2ch.aiff", "AIFF", "FLOAT", np.float32, 2, 16000, "FILE"),
        ("aifc-fl64-3ch.aiff", "AIFF", "DOUBLE", np.float64, 3, 22050, "FILE"),
    ]
    for i, (name, fmt, subtype, dtype, channels, rate, endian) in enumerate(floats):
        x = float_signal(channels, seed=200 + i, dtype=dtype)
        sf.write(out(name), x, rate, subtype=subtype, format=fmt, endian=endian)
        add(name, out(name), expected=x.astype(np.float32))

    # G.711: soundfile encodes 16-bit input; its decoding (16-bit expansion / 32768) is the reference.
    g711 = [
        ("wav-ulaw-1ch.wav", "WAV", "ULAW", 1, 8000),
        ("wav-alaw-2ch.wav", "WAV", "ALAW", 2, 8000),
        ("wavex-ulaw-2ch.wav", "WAVEX", "ULAW", 2, 16000),
        ("aifc-ulaw-1ch.aiff", "AIFF", "ULAW", 1, 8000),
        ("aifc-alaw-2ch.aiff", "AIFF", "ALAW", 2, 8000),
    ]
    for i, (name, fmt, subtype, channels, rate) in enumerate(g711):
        x = int_signal(16, channels, seed=300 + i)
        sf.write(out(name), to_int32(x, 16), rate, subtype=subtype, format=fmt)
        add(name, out(name))

    # WAV ADPCM goes to another decoder (@audio/decode-wav): soundfile's and ffmpeg's readings kept.
    t = np.arange(FRAMES * 4) / 8000.0
    tones = np.stack([0.5 * np.sin(2 * np.pi * 440 * t * (c + 1)) for c in range(2)], axis=1)
    for name, subtype, channels in [("wav-ima-adpcm-2ch.wav", "IMA_ADPCM", 2), ("wav-ms-adpcm-1ch.wav", "MS_ADPCM", 1)]:
        sf.write(out(name), tones[:, :channels], 8000, subtype=subtype, format="WAV")
        add(name, out(name), codec=True)
    # Compressed AIFF-C that core refuses (no decoder here reads it correctly): the error is tested.
    unsupported = []
    for name, subtype in [("aifc-ima4-2ch.aiff", "IMA_ADPCM"), ("aifc-gsm-1ch.aiff", "GSM610")]:
        channels = 2 if "2ch" in name else 1
        sf.write(out(name), tones[:, :channels], 8000, subtype=subtype, format="AIFF")
        freeze_timestamps(out(name))
        unsupported.append({"file": name, "soundfile": f"AIFF/{subtype}"})

    # ------------------------------------------------------------------ other writers
    # ffmpeg writing to a pipe cannot seek back: RIFF and data sizes stay 0xFFFFFFFF.
    src = os.path.join(tmp, "src.wav")
    x = int_signal(16, 2, seed=400)
    sf.write(src, to_int32(x, 16), 16000, subtype="PCM_16")
    with open(out("ffmpeg-pipe-s16-2ch.wav"), "wb") as f:
        subprocess.run(
            ["ffmpeg", "-hide_banner", "-loglevel", "error", "-i", src, "-c:a", "pcm_s16le", "-f", "wav", "pipe:1"],
            stdout=f,
            check=True,
        )
    add("ffmpeg-pipe-s16-2ch.wav", out("ffmpeg-pipe-s16-2ch.wav"), expected=exact(x, 16))
    # ffmpeg AIFF-C sowt and sox AIFF (NONE), 24-bit.
    x = int_signal(16, 1, seed=401)
    sf.write(src, to_int32(x, 16), 16000, subtype="PCM_16")
    subprocess.run(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-i", src, "-c:a", "pcm_s16le", out("ffmpeg-sowt-s16-1ch.aiff")],
        check=True,
    )
    add("ffmpeg-sowt-s16-1ch.aiff", out("ffmpeg-sowt-s16-1ch.aiff"), expected=exact(x, 16))
    x = int_signal(24, 2, seed=402)
    sf.write(src, to_int32(x, 24), 44100, subtype="PCM_24")
    subprocess.run(["sox", src, "-b", "24", out("sox-s24-2ch.aiff")], check=True)
    add("sox-s24-2ch.aiff", out("sox-s24-2ch.aiff"), expected=exact(x, 24))
    # flac CLI: a 32-bit stream (libsndfile cannot read it: numpy's x / 2^31 is the reference).
    x = int_signal(32, 2, seed=403)
    raw = os.path.join(tmp, "in.raw")
    with open(raw, "wb") as f:
        f.write(pcm_bytes_le(x, 32))
    subprocess.run(
        ["flac", "--silent", "--force", "--no-padding", "--force-raw-format", "--endian=little", "--sign=signed",
         "--channels=2", "--bps=32", "--sample-rate=16000", "-o", out("flac-s32-2ch.flac"), raw],
        check=True,
    )
    check_flac_holds(out("flac-s32-2ch.flac"), x, 32)
    add("flac-s32-2ch.flac", out("flac-s32-2ch.flac"), reference=16000, expected=exact(x, 32),
        note="libsndfile 1.2 cannot read 32-bit FLAC; flac -d checked the file holds the integers")
    x = int_signal(16, 2, seed=420)
    sf.write(src, to_int32(x, 16), 22050, subtype="PCM_16")
    subprocess.run(["flac", "--silent", "--force", "--no-padding", "--ogg", "--serial-number=1", "-o", out("ogg-flac-s16-2ch.oga"), src], check=True)
    check_flac_holds(out("ogg-flac-s16-2ch.oga"), x, 16)
    add("ogg-flac-s16-2ch.oga", out("ogg-flac-s16-2ch.oga"), reference=22050, expected=exact(x, 16),
        note="libsndfile cannot read Ogg FLAC; flac -d checked the file holds the integers")

    # ------------------------------------------------------------------ hand-built headers
    # Odd-sized chunks with their pad bytes before and after an odd-sized data chunk (24-bit mono,
    # 201 frames), and an unknown chunk before fmt.
    x = int_signal(24, 1, seed=500)
    x = np.concatenate([x, x[:1]])
    body = b"WAVE" + chunk("junk", b"abc") + chunk("fmt ", fmt_pcm(1, 16000, 24)) + chunk("LIST", b"INFOx")
    body += chunk("data", pcm_bytes_le(x, 24)) + chunk("smpl", b"12345")
    with open(out("riff-odd-chunks-s24-1ch.wav"), "wb") as f:
        f.write(b"RIFF" + struct.pack("<I", len(body)) + body)
    add("riff-odd-chunks-s24-1ch.wav", out("riff-odd-chunks-s24-1ch.wav"), expected=exact(x, 24))
    # A streaming writer's zero sizes (RIFF and data): the data runs to the end of the file.
    x = int_signal(16, 2, seed=501)
    data = pcm_bytes_le(x, 16)
    with open(out("riff-zero-sizes-s16-2ch.wav"), "wb") as f:
        f.write(b"RIFF" + struct.pack("<I", 0) + b"WAVE" + chunk("fmt ", fmt_pcm(2, 16000, 16)))
        f.write(b"data" + struct.pack("<I", 0) + data)
    zero_ok = True
    try:
        got, _ = sf.read(out("riff-zero-sizes-s16-2ch.wav"), dtype="float32", always_2d=True)
        zero_ok = got.shape == x.shape
    except RuntimeError:
        zero_ok = False
    if zero_ok:
        add("riff-zero-sizes-s16-2ch.wav", out("riff-zero-sizes-s16-2ch.wav"), expected=exact(x, 16))
    else:
        add("riff-zero-sizes-s16-2ch.wav", out("riff-zero-sizes-s16-2ch.wav"), reference=16000,
            expected=exact(x, 16), note="libsndfile does not read a data size of 0 as 'to end of file'")
    # 8-bit AIFF with an odd frame count (odd SSND size, pad byte) and an odd-sized NAME chunk.
    x = int_signal(8, 1, seed=502)
    x = np.concatenate([x, x[:1]])
    comm = struct.pack(">hIh", 1, len(x), 8) + bytes.fromhex("400bfa00000000000000")  # 8000 Hz
    ssnd = struct.pack(">II", 0, 0) + (x.astype(np.int8).tobytes())
    body = b"AIFF" + chunk("NAME", b"odd", le=False) + chunk("COMM", comm, le=False) + chunk("SSND", ssnd, le=False)
    body += chunk("ANNO", b"x", le=False)
    with open(out("aiff-odd-chunks-s8-1ch.aiff"), "wb") as f:
        f.write(b"FORM" + struct.pack(">I", len(body)) + body)
    add("aiff-odd-chunks-s8-1ch.aiff", out("aiff-odd-chunks-s8-1ch.aiff"), expected=exact(x, 8))

    # Every 16-bit value once, as a ramp from -32768 (FLAC compresses it to a few kB): the test expects
    # sample i to be (i - 32768) / 32768, the values soundfile reads, checked here.
    ramp = np.arange(-32768, 32768, dtype=np.int64).reshape(-1, 1)
    sf.write(out("flac-s16-every-value.flac"), to_int32(ramp, 16), 16000, subtype="PCM_16")
    got, _ = sf.read(out("flac-s16-every-value.flac"), dtype="float32", always_2d=True)
    if not np.array_equal(got, exact(ramp, 16)):
        raise SystemExit("flac-s16-every-value.flac: soundfile differs from x / 32768")
    ramps = [{"file": "flac-s16-every-value.flac", "bits": 16, "first": -32768, "frames": 65536}]

    with open(os.path.join(OUT, "reference.bin"), "wb") as f:
        f.write(bytes(blob))
    index = {
        "generator": "tools/pcm-fixtures/generate.py",
        "soundfile": sf.__version__,
        "libsndfile": sf.__libsndfile_version__,
        "numpy": np.__version__,
        "layout": "per file: frames x channels float32 LE interleaved at offset, then frames float32 mono at monoOffset",
        "files": entries,
        "ramps": ramps,
        "unsupported": unsupported,
    }
    with open(os.path.join(OUT, "index.json"), "w") as f:
        json.dump(index, f, indent=1)
        f.write("\n")
    shutil.rmtree(tmp)
    total = sum(os.path.getsize(os.path.join(OUT, n)) for n in os.listdir(OUT))
    print(f"{len(entries)} files, {total} bytes in {OUT}")


if __name__ == "__main__":
    main()

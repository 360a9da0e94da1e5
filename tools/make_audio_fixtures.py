#!/usr/bin/env python3
"""Writes the VVAudio test fixtures into Tests/VVAudioTests/Fixtures/ (developer-only; CI never runs this).

Run with the reference venv (numpy 2.x, scipy) and with sox and ffmpeg on PATH:

    VV_UPSTREAM=/tmp/vv /work/venv-ref/bin/python tools/make_audio_fixtures.py

It produces
  normalizer.json      the upstream AudioNormalizer (microsoft/VibeVoice vibevoice/processor/audio_utils.py) applied
                       to deterministic float32 signals; the Swift test rebuilds the same inputs from the same LCG.
  resample-*.f32       sweeps/tones (float32 little-endian) and scipy.signal.resample_poly outputs with a Kaiser
                       windowed-sinc designed like VVAudio's Resampler (same cutoff, taps, beta).
  resample.json        the cases above and their parameters.
  codec/*              a 440 Hz tone written by sox and ffmpeg in each codec/container, plus odd WAV variants.
"""
import importlib.util
import json
import math
import os
import subprocess
import sys

import numpy as np
from scipy import signal

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "VVAudioTests", "Fixtures")


def upstream_normalizer():
    base = os.environ.get("VV_UPSTREAM", "/tmp/vv")
    path = os.path.join(base, "vibevoice", "processor", "audio_utils.py")
    spec = importlib.util.spec_from_file_location("vv_audio_utils", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.AudioNormalizer()


def lcg_signal(n, seed, amplitude_log2, burst=False):
    """float32 samples v = (24-bit LCG value - 2^23) * 2^(amplitude_log2 - 23): exact in float32 on both sides."""
    out = np.empty(n, dtype=np.float32)
    x = seed & 0xFFFFFFFF
    for i in range(n):
        x = (1664525 * x + 1013904223) & 0xFFFFFFFF
        v = ((x >> 8) - (1 << 23)) * 2.0 ** (amplitude_log2 - 23)
        if burst and (i // 1000) % 10 == 3:
            v *= 64.0
        out[i] = v
    return out


def fnv1a64(data):
    h = 0xCBF29CE484222325
    for b in data:
        h ^= b
        h = (h * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def normalizer_cases():
    norm = upstream_normalizer()
    cases = []
    specs = [
        ("tiny", 1, 7, -3, False), ("seven", 7, 11, -4, False), ("short", 100, 3, -2, False),
        ("block", 1000, 5, -6, False), ("second", 24000, 9, -5, False), ("burst", 60000, 13, -8, True),
        ("long", 300001, 21, -7, False), ("loud", 5000, 17, 0, False),
    ]
    for name, n, seed, amp, burst in specs:
        x = lcg_signal(n, seed, amp, burst)
        y = norm(x.copy())
        assert y.dtype == np.float32
        rms = np.sqrt(np.mean(x ** 2))
        case = {"name": name, "count": n, "seed": seed, "amplitudeLog2": amp, "burst": burst,
                "rmsBits": int(np.float32(rms).view(np.uint32)),
                "outputFNV1a64": str(fnv1a64(y.astype("<f4").tobytes())),
                "peakAfter": float(np.max(np.abs(y)))}
        if n <= 1000:
            case["outputBits"] = [int(v) for v in y.view(np.uint32)]
        cases.append(case)
    zeros = np.zeros(64, dtype=np.float32)
    cases.append({"name": "silence", "count": 64, "seed": 0, "amplitudeLog2": -200, "burst": False,
                  "rmsBits": 0, "outputFNV1a64": str(fnv1a64(norm(zeros.copy()).astype("<f4").tobytes())),
                  "peakAfter": 0.0, "outputBits": [int(v) for v in norm(zeros.copy()).view(np.uint32)]})
    with open(os.path.join(OUT, "normalizer.json"), "w") as f:
        json.dump({"numpy": np.__version__, "cases": cases}, f, indent=1)


def vv_filter(in_rate, out_rate):
    """The Resampler design: Kaiser 90 dB, pass = 10/12 of the lower Nyquist, stop = the lower Nyquist."""
    g = math.gcd(in_rate, out_rate)
    up, down = out_rate // g, in_rate // g
    stop = 0.5 * min(in_rate, out_rate) / in_rate
    pas = stop * 10.0 / 12.0
    beta = 0.1102 * (90 - 8.7)
    length = (90 - 8) / (2.285 * 2 * math.pi * (stop - pas))
    taps = (int(math.ceil(length)) + 7) // 8 * 8
    cutoff_hz = (pas + stop) / 2 * in_rate
    # resample_poly multiplies custom coefficients by `up` itself.
    h = signal.firwin(up * taps + 1, cutoff_hz, window=("kaiser", beta), fs=in_rate * up)
    return up, down, h


def resample_cases():
    cases = []
    for name, in_rate, kind in [("sweep44k", 44100, "sweep"), ("sweep48k", 48000, "sweep"),
                                ("tones16k", 16000, "tones"), ("sweep22k", 22050, "sweep")]:
        n = in_rate // 2
        t = np.arange(n) / in_rate
        if kind == "sweep":
            f1 = min(10000.0, 0.45 * in_rate)
            x = 0.5 * signal.chirp(t, f0=20.0, t1=t[-1], f1=f1, method="logarithmic")
        else:
            x = 0.3 * np.sin(2 * np.pi * 440 * t) + 0.2 * np.sin(2 * np.pi * 3000 * t) + 0.1 * np.sin(2 * np.pi * 6500 * t)
        x = x.astype(np.float32)
        up, down, h = vv_filter(in_rate, 24000)
        y = signal.resample_poly(x.astype(np.float64), up, down, window=h).astype(np.float32)
        x.astype("<f4").tofile(os.path.join(OUT, f"resample-{name}-in.f32"))
        y.astype("<f4").tofile(os.path.join(OUT, f"resample-{name}-scipy.f32"))
        cases.append({"name": name, "inputRate": in_rate, "outputRate": 24000, "inputCount": n,
                      "outputCount": int(len(y)), "up": up, "down": down})
    with open(os.path.join(OUT, "resample.json"), "w") as f:
        json.dump({"scipy": __import__("scipy").__version__, "cases": cases}, f, indent=1)


def run(cmd):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def codec_files():
    d = os.path.join(OUT, "codec")
    os.makedirs(d, exist_ok=True)
    p = lambda name: os.path.join(d, name)
    # 0.5 s 440 Hz at 0.5 amplitude, 24 kHz mono, 16-bit: the reference every other file is compared with.
    run(["sox", "-n", "-r", "24000", "-c", "1", "-b", "16", p("tone-s16.wav"), "synth", "0.5", "sine", "440", "vol", "0.5"])
    src = p("tone-s16.wav")
    run(["sox", "-D", src, "-b", "8", "-e", "unsigned-integer", p("tone-u8.wav")])
    run(["sox", "-D", src, "-b", "24", p("tone-s24.wav")])  # sox writes WAVE_FORMAT_EXTENSIBLE for 24-bit
    run(["sox", "-D", src, "-b", "32", "-e", "signed-integer", p("tone-s32.wav")])
    run(["sox", "-D", src, "-b", "32", "-e", "floating-point", p("tone-f32.wav")])
    run(["sox", "-D", src, "-b", "64", "-e", "floating-point", p("tone-f64.wav")])
    run(["sox", "-D", src, "-e", "a-law", p("tone-alaw.wav")])
    run(["sox", "-D", src, "-e", "u-law", p("tone-ulaw.wav")])
    run(["sox", "-D", src, "-e", "ima-adpcm", p("tone-adpcm.wav")])
    run(["sox", "-D", src, "-r", "44100", "-c", "2", p("tone-44k-stereo.wav")])
    ff = ["ffmpeg", "-nostdin", "-y", "-loglevel", "error", "-i", src]
    run(ff + ["-c:a", "flac", p("tone.flac")])
    run(ff + ["-c:a", "libvorbis", "-q:a", "4", p("tone.ogg")])
    run(ff + ["-c:a", "libopus", "-b:a", "48k", p("tone.opus")])
    run(ff + ["-c:a", "libmp3lame", "-b:a", "64k", p("tone.mp3")])
    run(ff + ["-c:a", "aac", "-b:a", "64k", p("tone.m4a")])
    run(ff + ["-c:a", "libopus", "-b:a", "48k", p("tone.webm")])
    run(ff + ["-c:a", "aac", "-b:a", "64k", "-f", "adts", p("tone.aac")])
    # VBR MP3 written to a pipe (no Xing/Info header): 1 s of noise, then 2 s of silence, 24 kHz mono. Its first
    # frames are big, so a length guessed from them is far too short.
    with open(p("vbr-pipe.mp3"), "wb") as f:
        subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i",
                        "anoisesrc=d=1:a=0.3:r=24000,apad=pad_dur=2", "-ac", "1", "-c:a", "libmp3lame", "-q:a", "2",
                        "-f", "mp3", "pipe:1"], check=True, stdout=f)
    # Streaming writer: ffmpeg to a pipe leaves the RIFF/data sizes unknown.
    with open(p("tone-pipe.wav"), "wb") as f:
        subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-i", src, "-f", "wav", "pipe:1"], check=True, stdout=f)


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    normalizer_cases()
    resample_cases()
    codec_files()
    print("fixtures written to", OUT)

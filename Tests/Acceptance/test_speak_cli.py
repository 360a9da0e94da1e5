"""`vibevoice speak` end to end on the tiny random-weight realtime checkpoint (Tests/VVModelsTests/Fixtures/
realtime_tiny, made by tools/reference/make_realtime_fixtures.py from upstream `generate()`).

With `--noise` carrying the diffusion noise the reference drew, the command reproduces the reference's audio: the
WAV holds the same frames (and stops on the same EOS frame) with every sample within 1 LSB of the reference's fp32
audio quantised to 16 bits (the Swift loop matches it to ~5e-7 relative; see RealtimeSessionTests).
"""
import json
import os
import shutil
import struct
import subprocess
import wave

from conftest import BINARY, ROOT

FIXTURE = os.path.join(ROOT, "Tests", "VVModelsTests", "Fixtures", "realtime_tiny")


def read_safetensors(path):
    """name -> (dtype, shape, raw bytes) of a safetensors file (the format is an 8-byte header size + JSON)."""
    with open(path, "rb") as f:
        data = f.read()
    (size,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + size])
    body = data[8 + size:]
    return {name: (t["dtype"], t["shape"], body[t["data_offsets"][0]:t["data_offsets"][1]])
            for name, t in header.items() if name != "__metadata__"}


def floats(raw):
    return list(struct.unpack(f"<{len(raw) // 4}f", raw))


def write_noise(path, rows, width):
    payload = raw = b"".join(struct.pack(f"<{width}f", *row) for row in rows)
    header = json.dumps({"noise": {"dtype": "F32", "shape": [len(rows), width], "data_offsets": [0, len(raw)]}})
    header = header.encode() + b" " * (-len(header) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(header)) + header + payload)


def voices(tmp_path):
    folder = tmp_path / "voices"
    folder.mkdir()
    shutil.copy(os.path.join(FIXTURE, "voice.pt"), folder / "en-Tiny_woman.pt")
    return folder


def speak(*args, env=None):
    return subprocess.run([BINARY, "speak", *args], capture_output=True, text=True, timeout=120, env=env)


def test_speak_reproduces_the_reference_run(tmp_path):
    expected = read_safetensors(os.path.join(FIXTURE, "expected.safetensors"))
    frames, steps, _ = struct.unpack("<3i", expected["eos.meta"][2])
    noise = floats(expected["eos.noise"][2])
    write_noise(tmp_path / "noise.safetensors", [noise[i * 64:(i + 1) * 64] for i in range(frames)], 64)
    out = tmp_path / "out.wav"
    r = speak("Hello there", "--model-dir", FIXTURE, "--voices-dir", str(voices(tmp_path)), "--voice", "tiny",
              "--noise", str(tmp_path / "noise.safetensors"), "--steps", str(steps), "--cfg-scale", "1.5",
              "-o", str(out), "--dump", str(tmp_path / "dump.safetensors"))
    assert r.returncode == 0, r.stderr
    assert f"{frames} frames" in r.stderr and "stop: endOfSpeech" in r.stderr, r.stderr
    with wave.open(str(out)) as w:
        assert (w.getframerate(), w.getnchannels(), w.getsampwidth()) == (24000, 1, 2)
        got = struct.unpack(f"<{w.getnframes()}h", w.readframes(w.getnframes()))
    reference = floats(expected["eos.audio"][2])
    assert len(got) == len(reference) == frames * 3200
    quantised = [round(max(-1.0, min(1.0, x)) * 32767) for x in reference]
    worst = max(abs(a - b) for a, b in zip(got, quantised))
    assert worst <= 1, f"largest difference {worst} LSB"
    assert max(abs(x) for x in quantised) > 100, "reference audio is not near-silent"
    # --dump carries the float latents and audio: the latents match the reference's (fp32 max-abs 1e-4, as
    # RealtimeSessionTests), the audio is the WAV's before quantisation.
    dump = read_safetensors(tmp_path / "dump.safetensors")
    assert dump["latents"][1] == [frames, 64] and dump["audio"][1] == [frames * 3200]
    latent_err = max(abs(a - b) for a, b in zip(floats(dump["latents"][2]), floats(expected["eos.latents"][2])))
    assert latent_err <= 1e-4, latent_err
    # (±1: Swift scales in float32 and rounds halves away from zero, Python here in double with ties to even)
    requantised = [round(max(-1.0, min(1.0, x)) * 32767) for x in floats(dump["audio"][2])]
    assert max(abs(a - b) for a, b in zip(requantised, got)) <= 1


def test_speak_seed_and_frame_limit(tmp_path):
    folder = voices(tmp_path)
    runs = []
    for name in ["a.wav", "b.wav"]:
        r = speak("Hello there", "--model-dir", FIXTURE, "--voices-dir", str(folder), "--seed", "9",
                  "--max-frames", "3", "-o", str(tmp_path / name))
        assert r.returncode == 0, r.stderr
        runs.append((tmp_path / name).read_bytes())
    assert runs[0] == runs[1], "the same seed gives the same audio"
    assert len(runs[0]) == 44 + 3 * 3200 * 2


def test_speak_errors_are_one_line(tmp_path):
    folder = voices(tmp_path)
    cases = [
        (["hi", "--model-dir", str(tmp_path / "missing"), "--voices-dir", str(folder)], "is not a model folder"),
        (["hi", "--model-dir", FIXTURE, "--voices-dir", str(folder), "--voice", "nobody"], "voice nobody not found"),
        (["hi", "--model-dir", FIXTURE, "--voices-dir", str(folder), "--noise", str(tmp_path / "none.st")],
         "none.st"),
        (["   ", "--model-dir", FIXTURE, "--voices-dir", str(folder)], "the text is empty"),
        (["hi", "--model-dir", FIXTURE, "--voices-dir", str(folder), "--backend", "cuda"], "NVIDIA driver"),
    ]
    empty_cache = dict(os.environ, VIBEVOICE_CACHE=str(tmp_path / "cache"))
    empty_cache.pop("VOICES_PATH", None)
    for args, message in cases + [(["hi"], "no model: pass --model-dir DIR or run `vibevoice models pull")]:
        r = speak(*args, "-o", str(tmp_path / "x.wav"), env=empty_cache)
        assert r.returncode != 0, args
        lines = [line for line in r.stderr.splitlines() if line.strip()]
        assert len(lines) == 1 and message in lines[0], r.stderr
        assert not (tmp_path / "x.wav").exists()


def test_speak_finds_voices_inside_the_model_folder(tmp_path):
    """A folder laid out as the model store caches it: weights, tokenizer.json and voices/streaming_model/*.pt."""
    model = tmp_path / "VibeVoice-Realtime-0.5B"
    (model / "voices" / "streaming_model").mkdir(parents=True)
    for name in ["config.json", "model.safetensors", "tokenizer.json"]:
        shutil.copy(os.path.join(FIXTURE, name), model / name)
    shutil.copy(os.path.join(FIXTURE, "voice.pt"), model / "voices" / "streaming_model" / "en-Tiny_woman.pt")
    env = dict(os.environ)
    env.pop("VOICES_PATH", None)
    r = speak("Hello there", "--model-dir", str(model), "--max-frames", "2", "-o", str(tmp_path / "o.wav"), env=env)
    assert r.returncode == 0, r.stderr
    assert "voice en-Tiny_woman" in r.stderr


def test_speak_resolves_voices_as_the_server_does(tmp_path):
    """An OpenAI voice name resolves through the server's order (exact, short name, alias, tokens)."""
    r = speak("Hello there", "--model-dir", FIXTURE, "--voices-dir", str(voices(tmp_path)), "--voice", "alloy",
              "--max-frames", "1", "-o", str(tmp_path / "a.wav"))
    assert r.returncode == 0, r.stderr
    assert "voice en-Tiny_woman" in r.stderr

"""The OpenAI contract, end to end: the real `openai` Python client and curl against `vibevoice serve`."""
import base64
import concurrent.futures
import json
import socket
import subprocess
import time
import urllib.request

import openai
import pytest

from conftest import tone_wav

FRAME_BYTES = 3200 * 2  # one speech frame of the tone double as s16le
TEXT = "Hello from the acceptance test."  # 31 characters → 4 frames of the tone double


def client(server, key="unused"):
    return openai.OpenAI(base_url=server.base + "/v1", api_key=key, max_retries=0, timeout=30)


MAGIC = {
    "mp3": lambda b: b[:3] == b"ID3" or (b[0] == 0xFF and (b[1] & 0xE0) == 0xE0),
    "opus": lambda b: b[:4] == b"OggS" and b"OpusHead" in b[:64],
    "aac": lambda b: b[0] == 0xFF and (b[1] & 0xF6) == 0xF0,
    "flac": lambda b: b[:4] == b"fLaC",
    "wav": lambda b: b[:4] == b"RIFF" and b[8:12] == b"WAVE",
    "pcm": lambda b: len(b) == 4 * FRAME_BYTES,
}


@pytest.mark.parametrize("fmt", ["mp3", "opus", "aac", "flac", "wav", "pcm"])
def test_speech_every_format(server, fmt):
    audio = client(server).audio.speech.create(model="tts-1", voice="alloy", input=TEXT, response_format=fmt)
    body = audio.content
    assert len(body) > 100
    assert MAGIC[fmt](body), f"{fmt}: unexpected bytes {body[:16]!r}"
    assert audio.response.headers["content-type"] == {
        "mp3": "audio/mpeg", "opus": "audio/opus", "aac": "audio/aac", "flac": "audio/flac", "wav": "audio/wav",
        "pcm": "audio/pcm"}[fmt]


def test_speech_default_format_is_mp3(server):
    audio = client(server).audio.speech.create(model="tts-1", voice="alloy", input=TEXT)
    assert audio.response.headers["content-type"] == "audio/mpeg"


def test_speech_streams_chunked(server):
    with client(server).audio.speech.with_streaming_response.create(
            model="vibevoice-realtime", voice="en-Carter_man", input=TEXT, response_format="wav") as r:
        assert r.headers["transfer-encoding"] == "chunked"
        assert r.headers["x-voice"] == "en-Carter_man"
        data = b"".join(r.iter_bytes())
    assert len(data) == 44 + 4 * FRAME_BYTES


def test_speech_sse(server):
    req = urllib.request.Request(server.base + "/v1/audio/speech", method="POST", data=json.dumps(
        {"model": "tts-1", "voice": "nova", "input": TEXT, "stream_format": "sse", "response_format": "pcm"}).encode(),
        headers={"Content-Type": "application/json", "Accept": "application/octet-stream"})
    with urllib.request.urlopen(req) as r:
        assert r.headers["Content-Type"] == "text/event-stream"
        events = [json.loads(block[6:]) for block in r.read().decode().split("\n\n") if block]
    deltas = [e for e in events if e["type"] == "speech.audio.delta"]
    assert sum(len(base64.b64decode(e["audio"])) for e in deltas) == 4 * FRAME_BYTES
    assert events[-1] == {"type": "speech.audio.done",
                          "usage": {"input_tokens": 5, "output_tokens": 4, "total_tokens": 9}}


def test_speech_with_curl(server, tmp_path):
    out = tmp_path / "speech.wav"
    head = subprocess.run(
        ["curl", "-sS", "-N", "-D", "-", "-o", str(out), "-X", "POST", server.base + "/v1/audio/speech",
         "-H", "Content-Type: application/json",
         "-d", json.dumps({"model": "tts-1", "input": TEXT, "voice": "echo", "response_format": "wav", "speed": 2.0})],
        check=True, capture_output=True, text=True).stdout
    assert head.startswith("HTTP/1.1 200")
    assert "Transfer-Encoding: chunked" in head
    data = out.read_bytes()
    assert data[:4] == b"RIFF"
    assert len(data) == 44 + 2 * round(4 * 3200 / 2.0), "speed 2 halves the duration"


def test_speech_errors(server):
    c = client(server)
    with pytest.raises(openai.BadRequestError) as e:
        c.audio.speech.create(model="tts-1", voice="alloy", input="")
    assert e.value.body["param"] == "input"
    with pytest.raises(openai.BadRequestError) as e:
        c.audio.speech.create(model="tts-1", voice="alloy", input="x", speed=9)
    assert e.value.body["param"] == "speed"
    with pytest.raises(openai.BadRequestError) as e:
        c.audio.speech.create(model="tts-1", voice="alloy", input="x" * 5000)
    assert e.value.body["code"] == "string_above_max_length"
    with pytest.raises(openai.NotFoundError) as e:
        c.audio.speech.create(model="vibevoice-1.5b", voice="alloy", input="x")
    assert e.value.body["code"] == "model_not_found" and "models.tts_1_5b.enabled" in e.value.body["message"]


@pytest.mark.parametrize("fmt", ["json", "text", "srt", "vtt", "verbose_json", "diarized_json"])
def test_transcription_every_format(server, fmt):
    r = client(server).audio.transcriptions.create(
        model="whisper-1", file=("tone.wav", tone_wav(), "audio/wav"), response_format=fmt)
    words = "Hello from the first speaker. And this is the second speaker."
    if fmt == "json":
        assert r.text == words
    elif fmt == "text":
        assert r.strip() == words
    elif fmt == "srt":
        assert r.startswith("1\n00:00:00,000 --> 00:00:01,000\n[Speaker 0] Hello from the first speaker.")
        assert "[Speaker 1] And this is the second speaker." in r
    elif fmt == "vtt":
        assert r.startswith("WEBVTT") and "<v Speaker 0>Hello" in r and "<v Speaker 1>And" in r
    elif fmt == "verbose_json":
        assert r.duration == pytest.approx(2.0, abs=0.01)
        assert [s.speaker for s in r.segments] == ["Speaker 0", "Speaker 1"]
        assert r.segments[1].start == pytest.approx(1.0, abs=0.01)
    else:
        assert [s.speaker for s in r.segments] == ["A", "B"]
        assert r.text == "A: Hello from the first speaker.\nB: And this is the second speaker."


def test_transcription_stream(server):
    stream = client(server).audio.transcriptions.create(
        model="gpt-4o-transcribe-diarize", file=("tone.wav", tone_wav(), "audio/wav"),
        response_format="diarized_json", stream=True)
    events = list(stream)
    types = [e.type for e in events]
    assert types.count("transcript.text.delta") == 11
    assert types.count("transcript.text.segment") == 2
    assert types[-1] == "transcript.text.done"
    assert "".join(e.delta for e in events if e.type == "transcript.text.delta") == events[-1].text


def test_translation_transcribes_with_warning(server):
    raw = client(server).audio.translations.with_raw_response.create(
        model="whisper-1", file=("tone.wav", tone_wav(), "audio/wav"))
    assert raw.headers["x-vibevoice-warning"] == "translation-unsupported"
    assert raw.parse().text.startswith("Hello")


def test_transcription_errors(server, strict_server):
    c = client(server)
    with pytest.raises(openai.BadRequestError) as e:  # a WAV whose fmt chunk is cut short
        c.audio.transcriptions.create(model="whisper-1", file=("x.wav", b"RIFF\x24\0\0\0WAVEfmt \x10\0\0\0\x01\0", "audio/wav"))
    assert e.value.body["param"] == "file"
    with pytest.raises(openai.APIStatusError) as e:  # not audio at all
        c.audio.transcriptions.create(model="whisper-1", file=("x.wav", b"this is not audio" * 10, "audio/wav"))
    assert e.value.status_code == 415 and e.value.body["code"] == "unsupported_audio_format"
    with pytest.raises(openai.APIStatusError) as e:
        client(strict_server, "secret-1").audio.transcriptions.create(
            model="whisper-1", file=("big.wav", b"\0" * (2 << 20), "audio/wav"))
    assert e.value.status_code == 413 and e.value.body["code"] == "file_too_large"


def test_models_and_voices(server):
    c = client(server)
    assert [m.id for m in c.models.list().data] == ["vibevoice-realtime", "vibevoice-asr"]
    assert c.models.retrieve("whisper-1").id == "vibevoice-asr"
    with urllib.request.urlopen(server.base + "/v1/audio/voices?model=tts-1") as r:
        v = json.loads(r.read())
    assert v["data"] == v["voices"] and {"id", "name"} <= set(v["data"][0])
    with urllib.request.urlopen(server.base + "/v1/audio/models") as r:
        assert json.loads(r.read()) == {"models": [{"id": "vibevoice-realtime", "name": "VibeVoice Realtime 0.5B"}]}


def test_auth_and_strict_models(strict_server):
    with pytest.raises(openai.AuthenticationError):
        client(strict_server, "wrong").audio.speech.create(model="tts-1", voice="alloy", input="x")
    ok = client(strict_server, "secret-2").audio.speech.create(
        model="tts-1", voice="alloy", input="x", response_format="pcm")
    assert len(ok.content) == FRAME_BYTES
    with pytest.raises(openai.NotFoundError):
        client(strict_server, "secret-1").audio.speech.create(model="no-such-model", voice="alloy", input="x")
    # Listings are exempt on this server (auth_exempt_listings); health never needs a key.
    assert [m.id for m in client(strict_server, "anything").models.list().data]
    with urllib.request.urlopen(strict_server.base + "/health") as r:
        assert json.loads(r.read())["status"] == "healthy"


def raw_exchange(port, payload, read=True):
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(payload)
        if not read:
            return b""
        chunks = []
        try:
            while True:
                b = s.recv(65536)
                if not b:
                    break
                chunks.append(b)
        except socket.timeout:
            pass
        return b"".join(chunks)


def test_bad_input_never_wedges_the_server(server):
    raw_exchange(server.port, b"\x00\x01\xff garbage\r\n\r\n")
    raw_exchange(server.port, b"POST /v1/audio/speech HTTP/1.1\r\nContent-Length: 100\r\n\r\n{\"inp", read=False)
    raw_exchange(server.port, b"POST /v1/audio/transcriptions HTTP/1.1\r\nContent-Type: multipart/form-data; "
                              b"boundary=x\r\nContent-Length: 30\r\nConnection: close\r\n\r\n--x\r\nbroken\r\n\r\n\r\n12345")
    # A client that leaves in the middle of a streamed response.
    with socket.create_connection(("127.0.0.1", server.port)) as s:
        body = json.dumps({"input": "a" * 2000, "response_format": "pcm"}).encode()
        s.sendall(b"POST /v1/audio/speech HTTP/1.1\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
        s.recv(100)
    with urllib.request.urlopen(server.base + "/health") as r:
        assert r.status == 200


def test_load_every_request_answered_and_memory_flat(busy_server):
    """Hundreds of requests, many concurrent beyond the queue: each is either served exactly or refused with 503
    and Retry-After; listings stay fast; resident memory stays flat after warm-up."""
    c = client(busy_server)

    def speech(i):
        try:
            r = c.audio.speech.create(model="tts-1", voice="alloy", input="x" * (8 * (1 + i % 3)), response_format="pcm")
            assert len(r.content) == FRAME_BYTES * (1 + i % 3)
            return 200
        except openai.APIStatusError as e:
            assert e.status_code == 503, e
            assert e.response.headers.get("retry-after"), "503 without Retry-After"
            assert e.body["code"] == "server_busy"
            return 503

    def listing(_):
        with urllib.request.urlopen(busy_server.base + "/v1/audio/voices", timeout=10) as r:
            assert r.status == 200
        return 0

    def round_of(n):
        with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:
            futures = [pool.submit(speech if i % 4 else listing, i) for i in range(n)]
            return [f.result() for f in futures]

    round_of(100)  # warm-up: allocator pools, caches
    warm = busy_server.rss_kb()
    results = []
    for _ in range(3):
        results += round_of(100)
    after = busy_server.rss_kb()
    assert results.count(200) > 0 and results.count(503) > 0, "the load must both succeed and overflow the queue"
    assert after - warm < 30 * 1024, f"RSS grew from {warm} kB to {after} kB"
    with urllib.request.urlopen(busy_server.base + "/metrics") as r:
        text = r.read().decode()
    assert 'vibevoice_queue_depth{model="vibevoice-realtime"} 0' in text
    assert 'status="503"' in text

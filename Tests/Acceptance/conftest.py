"""Starts `vibevoice serve --test-doubles` processes on loopback for the acceptance tests.

The servers run test doubles (a 440 Hz tone for speech, a fixed two-speaker transcript), so these tests check the
HTTP/OpenAI contract end to end with real clients, not model quality.
"""
import io
import math
import os
import socket
import struct
import subprocess
import time
import urllib.request
import wave

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BINARY = os.environ.get("VIBEVOICE_BIN", os.path.join(ROOT, ".build", "debug", "vibevoice"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, *args):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        cmd = [BINARY, "serve", "--test-doubles", "--host", "127.0.0.1", "--port", str(self.port),
               "--set", "models.asr.enabled=true", "--log-level", "warning", *args]
        self.log = open(os.path.join("/tmp", f"vibevoice-acceptance-{self.port}.log"), "w")
        self.proc = subprocess.Popen(cmd, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(self.base + "/health/ready", timeout=1) as r:
                    if r.status == 200:
                        return
            except Exception:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"server exited with {self.proc.returncode}: {open(self.log.name).read()}")
                time.sleep(0.1)
        raise RuntimeError("server did not become ready")

    def rss_kb(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


@pytest.fixture(scope="session")
def server():
    s = Server()
    yield s
    s.stop()


@pytest.fixture(scope="session")
def strict_server():
    s = Server("--api-key", "secret-1", "--api-key", "secret-2", "--set", "server.strict_models=true",
               "--set", "audio.max_upload_mb=1", "--set", "server.auth_exempt_listings=true")
    yield s
    s.stop()


@pytest.fixture(scope="session")
def busy_server():
    s = Server("--test-double-delay-ms", "3", "--set", "models.realtime.max_queue=2",
               "--set", "models.realtime.queue_timeout_s=2")
    yield s
    s.stop()


def tone_wav(seconds=2.0, rate=16000, channels=2):
    """A stereo 16-bit WAV at a rate the server must resample (16 kHz → 24 kHz)."""
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(rate)
        frames = bytearray()
        for i in range(int(seconds * rate)):
            v = int(12000 * math.sin(2 * math.pi * 300 * i / rate))
            frames += struct.pack("<h", v) * channels
        w.writeframes(bytes(frames))
    return buf.getvalue()

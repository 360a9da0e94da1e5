#!/usr/bin/env python3
"""A loopback stand-in for the Hugging Face hub, for measuring `vibevoice models pull` throughput (developer-only).

Serves the repositories of the built-in `asr` model (microsoft/VibeVoice-ASR, Qwen/Qwen2.5-7B) with random files:
a config, a shard index and N shards of the given size. LFS shards get the hub's 302 with X-Linked-Etag/X-Linked-Size;
Range requests are honoured; /api/models/{repo}/revision/{rev} lists sizes and SHA-256 digests. Binds 127.0.0.1 only.

    python3 tools/bench_hub.py --shard-mb 512 --shards 2 --port 8765 &
    time .build/release/vibevoice models pull asr --endpoint http://127.0.0.1:8765 --cache-dir /tmp/vv-bench --plain
    time .build/release/vibevoice models verify asr --cache-dir /tmp/vv-bench
"""
import argparse, hashlib, json, os, tempfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

def git_blob(data):
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shard-mb", type=int, default=256)
    ap.add_argument("--shards", type=int, default=2)
    ap.add_argument("--port", type=int, default=8765)
    args = ap.parse_args()
    folder = tempfile.mkdtemp(prefix="vv-bench-hub-")
    files = {}  # (repo, name) -> (path, size, sha256 or None, blob or None)
    def add_small(repo, name, data):
        path = os.path.join(folder, repo.replace("/", "_") + "_" + name)
        open(path, "wb").write(data)
        files[(repo, name)] = (path, len(data), None, git_blob(data))
    shards = [f"model-{i + 1:05d}-of-{args.shards:05d}.safetensors" for i in range(args.shards)]
    for name in shards:
        path = os.path.join(folder, name)
        digest = hashlib.sha256()
        with open(path, "wb") as out:
            for _ in range(args.shard_mb):
                chunk = os.urandom(1 << 20)
                digest.update(chunk)
                out.write(chunk)
        files[("microsoft/VibeVoice-ASR", name)] = (path, args.shard_mb << 20, digest.hexdigest(), None)
    add_small("microsoft/VibeVoice-ASR", "config.json", b'{"model_type": "vibevoice"}')
    add_small("microsoft/VibeVoice-ASR", "model.safetensors.index.json",
              json.dumps({"weight_map": {f"w{i}": n for i, n in enumerate(shards)}}).encode())
    add_small("Qwen/Qwen2.5-7B", "tokenizer.json", b'{"model": {}}')
    add_small("Qwen/Qwen2.5-7B", "tokenizer_config.json", b"{}")

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        def log_message(self, *a):
            pass
        def send_file(self, path, size, extra, head):
            start = 0
            rng = self.headers.get("Range")
            if rng and rng.startswith("bytes="):
                start = int(rng[6:].split("-")[0])
                if start >= size:
                    self.send_response(416); self.send_header("Content-Length", "0"); self.end_headers(); return
                self.send_response(206)
                self.send_header("Content-Range", f"bytes {start}-{size - 1}/{size}")
            else:
                self.send_response(200)
            for k, v in extra:
                self.send_header(k, v)
            self.send_header("Content-Length", str(size - start))
            self.end_headers()
            if head:
                return
            with open(path, "rb") as f:
                f.seek(start)
                while chunk := f.read(1 << 20):
                    self.wfile.write(chunk)
        def do_HEAD(self):
            self.route(head=True)
        def do_GET(self):
            self.route(head=False)
        def route(self, head):
            parts = self.path.split("?")[0].strip("/").split("/")
            if parts[:2] == ["api", "models"] and len(parts) >= 6:
                repo = "/".join(parts[2:4])
                sib = []
                for (r, name), (path, size, sha, blob) in files.items():
                    if r != repo:
                        continue
                    entry = {"rfilename": name, "size": size, "blobId": blob or "0" * 40}
                    if sha:
                        entry["lfs"] = {"sha256": sha, "size": size, "pointerSize": 134}
                    sib.append(entry)
                body = json.dumps({"sha": "f" * 40, "siblings": sib}).encode()
                self.send_response(200); self.send_header("Content-Length", str(len(body))); self.end_headers()
                if not head:
                    self.wfile.write(body)
                return
            if parts[0] == "cdn":
                key = ("/".join(parts[1:3]), parts[3])
                path, size, sha, _ = files[key]
                return self.send_file(path, size, [], head)
            if len(parts) >= 5 and parts[2] == "resolve":
                key = ("/".join(parts[:2]), "/".join(parts[4:]))
                if key not in files:
                    self.send_response(404); self.send_header("Content-Length", "0"); self.end_headers(); return
                path, size, sha, blob = files[key]
                if sha:
                    self.send_response(302)
                    self.send_header("Location", f"http://127.0.0.1:{args.port}/cdn/{key[0]}/{key[1]}")
                    self.send_header("X-Linked-Etag", f'"{sha}"'); self.send_header("X-Linked-Size", str(size))
                    self.send_header("Content-Length", "0"); self.end_headers(); return
                return self.send_file(path, size, [("ETag", f'"{blob}"')], head)
            self.send_response(404); self.send_header("Content-Length", "0"); self.end_headers()

    print(f"serving {args.shards} x {args.shard_mb} MB shards on 127.0.0.1:{args.port} from {folder}", flush=True)
    ThreadingHTTPServer(("127.0.0.1", args.port), Handler).serve_forever()

if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Time from saving one briefing to the reload event of `sitpress serve`.

usage: bench/reload_latency.py SITPRESS_BINARY SITE_ROOT [RUNS]

Starts `sitpress serve` on SITE_ROOT, listens to the event stream an open page listens to,
then RUNS times: appends a sentence to one briefing's body, and measures the wall time from the
write to the first `reload` event an open copy of that page would act on (one that names the
page, or `*`). PAUSE (seconds, 0.3 by default) is the time between a reload and the next save. Prints min / median / max in milliseconds and the server's own
last rebuild line.
"""
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def main():
    binary, root = sys.argv[1], Path(sys.argv[2])
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 10
    port = free_port()
    # The server's output goes to a file: an undrained pipe would block it.
    log = open(os.environ.get("SERVE_LOG", "/dev/shm/sitpress-serve.log"), "w+")
    server = subprocess.Popen(
        [binary, "serve", "--root", str(root), "--port", str(port)],
        stdout=log,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        # The first build happens before the port listens.
        deadline = time.time() + 600
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.time() > deadline or server.poll() is not None:
                    sys.exit("serve did not start")
                time.sleep(0.05)
        # Ready when the first build is served.
        while True:
            probe = socket.create_connection(("127.0.0.1", port))
            probe.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            status = probe.recv(64)
            probe.close()
            if b" 200 " in status:
                break
            time.sleep(0.1)
        events = socket.create_connection(("127.0.0.1", port))
        events.sendall(b"GET /__sitpress/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
        events.settimeout(30)
        time.sleep(0.5)
        briefing = sorted((root / "content" / "briefings").rglob("*.md"))[len(list((root / "content" / "briefings").rglob("*.md"))) // 2]
        original = briefing.read_text()
        page = "/briefings/" + briefing.stem + "/"
        times = []
        buf = b""
        for i in range(runs):
            # Events of the previous save's rebuild are not this save's reload.
            events.setblocking(False)
            try:
                while events.recv(65536):
                    pass
            except BlockingIOError:
                pass
            events.setblocking(True)
            events.settimeout(30)
            buf = b""
            start = time.perf_counter()
            briefing.write_text(original + f"\nEdit number {i}.\n")
            # The reload an open copy of the page would act on: one naming it, or "*".
            while True:
                while b"\n\n" not in buf:
                    buf += events.recv(65536)
                event, buf = buf.split(b"\n\n", 1)
                text = event.decode(errors="replace")
                if "event: reload" in text and (page in text or "data: *" in text):
                    break
            times.append((time.perf_counter() - start) * 1000)
            time.sleep(float(os.environ.get("PAUSE", "0.3")))
        briefing.write_text(original)
        times.sort()
        print(
            f"{len(list((root / 'content' / 'briefings').rglob('*.md')))} briefings, {runs} saves of {briefing.name}: "
            f"min {times[0]:.0f} ms, median {statistics.median(times):.0f} ms, max {times[-1]:.0f} ms"
        )
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.seek(0)
        out = log.read()
        rebuilds = [l for l in out.splitlines() if l.startswith("rebuilt")]
        if rebuilds:
            print("server's last rebuild:", rebuilds[-1])


if __name__ == "__main__":
    main()

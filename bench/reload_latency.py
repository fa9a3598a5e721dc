#!/usr/bin/env python3
"""Time from saving one briefing to the reload event of `sitpress serve`.

usage: bench/reload_latency.py SITPRESS_BINARY SITE_ROOT [RUNS] [EDIT]

Starts `sitpress serve` on SITE_ROOT, listens to the event stream an open page listens to,
then RUNS times: edits one briefing, and measures the wall time from the write to the first
`reload` event an open copy of that page would act on (one that names the page, or `*`).
EDIT says what each save changes:

  body   appends a sentence to the Markdown body (the default)
  title  gives the briefing a new title (front matter)
  claim  adds a claim to the briefing (front matter)

PAUSE (seconds, 0.3 by default) is the time between a reload and the next save. Prints min /
median / max in milliseconds and the server's own last rebuild line.
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


def edited(original, edit, i):
    """The briefing's text after save `i` of kind `edit`; each save differs from the last."""
    if edit == "body":
        return original + f"\nEdit number {i}.\n"
    head, sep, rest = original.partition("\n---\n")
    if not sep:
        sys.exit("the briefing has no front matter to edit")
    if edit == "title":
        lines = head.split("\n")
        at = next(n for n, line in enumerate(lines) if line.startswith("title:"))
        lines[at] = f'title: "Edited title number {i}"'
        return "\n".join(lines) + sep + rest
    if edit == "claim":
        # A claim list is the last key the corpus writes; a new item is appended to it, with
        # the first claim's author and source, so the save stays valid.
        by = next(l.split(":", 1)[1].strip() for l in head.split("\n") if l.strip().startswith("by:"))
        source = next(l.split(":", 1)[1].strip() for l in head.split("\n") if l.strip().startswith("- id: s"))
        if "claims:" not in head:
            head += "\nclaims:"
        claim = (
            f"\n  - id: added{i}\n    type: assessment\n    by: {by}\n"
            f'    text: "An added assessment, number {i}."\n    sources: [{source}]'
        )
        return head + claim + sep + rest
    sys.exit(f"unknown EDIT `{edit}`: body, title or claim")


def main():
    binary, root = sys.argv[1], Path(sys.argv[2])
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 10
    edit = sys.argv[4] if len(sys.argv) > 4 else "body"
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
            briefing.write_text(edited(original, edit, i))
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
            f"{len(list((root / 'content' / 'briefings').rglob('*.md')))} briefings, {runs} {edit} edits of {briefing.name}: "
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

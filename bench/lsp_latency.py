#!/usr/bin/env python3
"""Time from a change of an unsaved buffer to the diagnostic `sitpress lsp` publishes for it.

usage: bench/lsp_latency.py SITPRESS_BINARY SITE_ROOT [RUNS]

Starts `sitpress lsp` on SITE_ROOT as an editor would, opens one briefing, then RUNS times:
misspells the first actor id of its front matter in the buffer (nothing is saved), and
measures the wall time from sending the change to the `publishDiagnostics` that reports
that id as unknown; then puts the id back and waits until the file is clean again (or back
to what it showed before). Prints min / median / max in milliseconds for both, and the time
to the first whole check.
"""
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lsp_client import Client  # noqa: E402


def main():
    binary, root = str(Path(sys.argv[1]).resolve()), Path(sys.argv[2]).resolve()
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 9
    briefing = next(p for p in sorted((root / "content/briefings").rglob("*.md")) if "\nactors:" in p.read_text())
    text = briefing.read_text()
    lines = text.split("\n")
    i = lines.index("actors:") if "actors:" in lines else next(n for n, l in enumerate(lines) if l.startswith("actors:"))
    line = lines[i]
    if line.strip() == "actors:":
        i += 1
        line = lines[i]
    actor = line.split("[")[-1].split(",")[0].strip(" -]") if "[" in line else line.strip(" -")
    typo = actor + "zz"

    started = time.monotonic()
    client = Client([binary, "lsp"], str(root))
    client.initialize(root.as_uri())
    uri = briefing.as_uri()
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}})
    client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": i, "character": 4}}, timeout=600)
    ready = time.monotonic() - started

    def published(pred):
        return client.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri and pred(m["params"]["diagnostics"]), timeout=600)

    bad_text = text.replace(lines[i], lines[i].replace(actor, typo, 1), 1)
    unknown = f"unknown actor `{typo}`"
    shown, cleared = [], []
    version = 1
    for _ in range(runs):
        version += 1
        sent = time.monotonic()
        client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": bad_text}]})
        at, _ = published(lambda ds: any(d["message"] == unknown for d in ds))
        shown.append((at - sent) * 1000)
        time.sleep(0.5)
        version += 1
        sent = time.monotonic()
        client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]})
        at, _ = published(lambda ds: not any(d["message"] == unknown for d in ds))
        cleared.append((at - sent) * 1000)
        time.sleep(0.5)
    client.close()

    def line_of(name, xs):
        xs = sorted(xs)
        return f"{name}: min {xs[0]:.1f} ms, median {statistics.median(xs):.1f} ms, max {xs[-1]:.1f} ms ({len(xs)} changes)"

    print(f"{briefing.relative_to(root)}: `{actor}` misspelled as `{typo}`; server ready after {ready * 1000:.0f} ms")
    print(line_of("diagnostic shown", shown))
    print(line_of("diagnostic cleared", cleared))


if __name__ == "__main__":
    main()

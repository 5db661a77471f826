#!/usr/bin/env python3
"""Helper for scripts/bench: page weight, constant-rate latency and the Markdown report.

Why a Python load generator and not wrk or oha: Debian's wrk cannot hold a fixed request rate,
and `cargo install oha` would compete for the machine's two cores with the project's own
builds. asyncio with keep-alive HTTP/1.1 connections is ample for a few hundred requests a
second on loopback, and lets us measure the way that matters for a form people submit:

* open loop: request i is due at t0 + i/rate whether or not earlier ones have finished;
* latency is measured from that *scheduled* time, so a stalled server is charged for the
  queue it builds (no coordinated omission);
* everything is bounded: a fixed number of requests, a per-request timeout and a drain limit.

Subcommands (all write JSON for `report`):
  bytes  --base URL --token T --out F
  load   --base URL --pid PID --label NAME --rate R --seconds S --conns C --out F
  report --machine F --bytes F [--backend F ...] [--note TEXT ...] --out results.md
"""

import argparse
import asyncio
import gzip
import json
import math
import re
import sys
import time
import urllib.parse

import brotli

REQUEST_TIMEOUT = 10.0  # seconds for one request, queueing included
DRAIN_LIMIT = 15.0  # seconds to wait for stragglers once the schedule is done


# ---------------------------------------------------------------------------------------------
# A minimal HTTP/1.1 keep-alive client on asyncio streams


class Conn:
    """One keep-alive connection; reconnects when the server has closed it."""

    def __init__(self, host, port):
        self.host, self.port = host, port
        self.reader = self.writer = None

    async def connect(self):
        self.close()
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    def close(self):
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None

    async def request(self, raw):
        """Sends raw request bytes; returns (status, headers, body)."""
        for attempt in (0, 1):
            fresh = self.writer is None
            if fresh:
                await self.connect()
            try:
                self.writer.write(raw)
                await self.writer.drain()
                return await self._read_response()
            except (asyncio.IncompleteReadError, ConnectionError) as e:
                # A reused connection the server had already closed: retry once on a new one.
                self.close()
                if fresh or attempt == 1 or getattr(e, "partial", b"") not in (b"", None):
                    raise
        raise RuntimeError("unreachable")

    async def _read_response(self):
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                k, v = line.split(":", 1)
                headers[k.strip().lower()] = v.strip()
        if headers.get("transfer-encoding", "").lower() == "chunked":
            body = bytearray()
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                if size == 0:
                    await self.reader.readuntil(b"\r\n")  # no trailers expected
                    break
                body += await self.reader.readexactly(size)
                await self.reader.readexactly(2)
            body = bytes(body)
        else:
            body = await self.reader.readexactly(int(headers.get("content-length", "0")))
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, headers, body


# "Start the questionnaire" posts the ticked consent box: without it nothing is made.
START_BODY = b"agree=yes"
START_HEADERS = ["Content-Type: application/x-www-form-urlencoded"]


def build_request(method, path, host, body=b"", headers=()):
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}", "User-Agent: trustbridge-bench"]
    lines += list(headers)
    if method == "POST":
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def split_base(base):
    u = urllib.parse.urlsplit(base)
    return u.hostname, u.port, u.netloc


async def one_shot(base, method, path, body=b"", headers=()):
    host, port, netloc = split_base(base)
    c = Conn(host, port)
    try:
        return await c.request(build_request(method, path, netloc, body, headers))
    finally:
        c.close()


# ---------------------------------------------------------------------------------------------
# Constant-rate (open-loop) runner


async def constant_rate(base, make_request, check, rate, seconds, conns):
    """Sends rate*seconds requests on a fixed schedule; returns a stats dict.

    make_request(i) -> raw request bytes; check(status, headers, body) -> (ok, extra).
    """
    host, port, _ = split_base(base)
    total = max(1, int(rate * seconds))
    queue = asyncio.Queue()
    latencies, extras, errors = [], [], {}
    last_done = [0.0]
    loop = asyncio.get_running_loop()

    pool = [Conn(host, port) for _ in range(conns)]
    await asyncio.gather(*(c.connect() for c in pool))

    async def worker(conn):
        while True:
            i, due = await queue.get()
            try:
                status, headers, body = await asyncio.wait_for(
                    conn.request(make_request(i)), REQUEST_TIMEOUT
                )
                ok, extra = check(status, headers, body)
                now = loop.time()
                if ok:
                    latencies.append(now - due)
                    if extra is not None:
                        extras.append(extra)
                    last_done[0] = max(last_done[0], now)
                else:
                    key = f"HTTP {status}"
                    errors[key] = errors.get(key, 0) + 1
            except Exception as e:  # noqa: BLE001 - every failure is counted, none is fatal
                conn.close()
                key = type(e).__name__
                errors[key] = errors.get(key, 0) + 1
            finally:
                queue.task_done()

    workers = [asyncio.create_task(worker(c)) for c in pool]
    t0 = loop.time() + 0.05
    for i in range(total):
        due = t0 + i / rate
        delay = due - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        queue.put_nowait((i, due))
    schedule_end = loop.time()
    try:
        await asyncio.wait_for(queue.join(), DRAIN_LIMIT)
    except asyncio.TimeoutError:
        pass
    for w in workers:
        w.cancel()
    await asyncio.gather(*workers, return_exceptions=True)
    for c in pool:
        c.close()
    unfinished = total - len(latencies) - sum(errors.values())
    if unfinished > 0:
        errors["unfinished"] = errors.get("unfinished", 0) + unfinished

    latencies.sort()
    elapsed = max(last_done[0], schedule_end) - t0

    def pct(p):
        if not latencies:
            return None
        k = min(len(latencies) - 1, max(0, math.ceil(p / 100.0 * len(latencies)) - 1))
        return latencies[k] * 1000.0

    return {
        "rate": rate,
        "seconds": seconds,
        "sent": total,
        "ok": len(latencies),
        "errors": errors,
        "p50_ms": pct(50),
        "p90_ms": pct(90),
        "p99_ms": pct(99),
        "max_ms": latencies[-1] * 1000.0 if latencies else None,
        "throughput": len(latencies) / elapsed if elapsed > 0 else 0.0,
        "extras": extras,
    }


# ---------------------------------------------------------------------------------------------
# Reading the section page


INPUT_RE = re.compile(r"<input\b[^>]*>", re.I)
ATTR_RE = re.compile(r'([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*=\s*"([^"]*)"')


def section_answers(html):
    """The radio groups q_<id> of a section page, each answered (deterministically, 1..5)."""
    groups = {}
    for tag in INPUT_RE.findall(html):
        attrs = dict(ATTR_RE.findall(tag))
        name = attrs.get("name", "")
        if attrs.get("type") == "radio" and name.startswith("q_"):
            groups.setdefault(name, []).append(attrs.get("value", ""))
    pairs = []
    for n, (name, values) in enumerate(groups.items()):
        values = [v for v in values if v]
        if values:
            pairs.append((name, values[(n * 2 + 1) % len(values)]))
    return pairs


def token_from_location(location):
    # `/start` leads to the intake's first page (older servers: straight to section 1).
    m = re.match(r"^(?:https?://[^/]+)?/q/([^/]+)/(?:about|s/1)$", location or "")
    return m.group(1) if m else None


# ---------------------------------------------------------------------------------------------
# Subcommands


def cmd_bytes(a):
    async def run():
        path = f"/q/{a.token}/s/1"
        status, _, html = await one_shot(a.base, "GET", path, headers=["Accept-Encoding: identity"])
        if status != 200:
            sys.exit(f"bench: GET {path} answered {status}")
        text = html.decode("utf-8", "replace")
        refs = []
        for ref in re.findall(r'(?:href|src)="(/[^"]+\.(?:css|js|wasm))"', text):
            if ref not in refs:
                refs.append(ref)
        order = {"css": 0, "js": 1, "wasm": 2}
        refs.sort(key=lambda r: order[r.rsplit(".", 1)[1]])
        kinds = {r.rsplit(".", 1)[1] for r in refs}
        missing = sorted({"css", "js", "wasm"} - kinds)
        files = [("/q/<token>/s/1 (HTML)", "html", html, ("identity", len(html)))]
        for ref in refs:
            status, _, body = await one_shot(a.base, "GET", ref, headers=["Accept-Encoding: identity"])
            if status != 200:
                sys.exit(f"bench: the page loads {ref}, which answered {status}")
            st, hd, wire = await one_shot(a.base, "GET", ref, headers=["Accept-Encoding: br, gzip"])
            served = (hd.get("content-encoding", "identity"), len(wire))
            files.append((ref, ref.rsplit(".", 1)[1], body, served))
        st, hd, wire = await one_shot(a.base, "GET", path, headers=["Accept-Encoding: br, gzip"])
        files[0] = files[0][:3] + ((hd.get("content-encoding", "identity"), len(wire)),)
        return files, missing

    files, missing = asyncio.run(run())
    out = {"files": [], "missing_kinds": missing}
    for name, kind, body, served in files:
        out["files"].append(
            {
                "name": name,
                "kind": kind,
                "raw": len(body),
                "gzip9": len(gzip.compress(body, compresslevel=9, mtime=0)),
                "brotli11": len(brotli.compress(body, quality=11)),
                "served_encoding": served[0],
                "served_bytes": served[1],
            }
        )
    json.dump(out, open(a.out, "w"), indent=1)


def vm_hwm_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(("VmHWM:",)):
                return int(line.split()[1])
    return None


async def finish_intake(base, token):
    """Through the intake's "About you" page, answering nothing (the questionnaire waits for it)."""
    body = b"nav=next"
    status, _, _ = await one_shot(base, "POST", f"/q/{token}/about", body, START_HEADERS)
    if status != 303:
        sys.exit(f"bench: POST /q/<token>/about answered {status}")


def cmd_load(a):
    host, port, netloc = split_base(a.base)

    async def run():
        result = {"label": a.label}
        loop_start = time.monotonic()

        # The form a client posts: every item of section 1, read from the page itself.
        status, headers, _ = await one_shot(a.base, "POST", "/start", START_BODY, START_HEADERS)
        token = token_from_location(headers.get("location"))
        if status != 303 or not token:
            sys.exit(f"bench: POST /start answered {status} {headers.get('location')!r}")
        await finish_intake(a.base, token)
        status, _, html = await one_shot(a.base, "GET", f"/q/{token}/s/1")
        answers = section_answers(html.decode("utf-8", "replace"))
        if not answers:
            sys.exit("bench: found no radio inputs named q_<id> on /q/<token>/s/1")
        form = urllib.parse.urlencode(answers + [("nav", "save")]).encode()
        result["items"] = len(answers)
        result["form_bytes"] = len(form)
        result["rss_idle_kib"] = vm_hwm_kib(a.pid)

        start_req = build_request("POST", "/start", netloc, START_BODY, START_HEADERS)

        def check_start(status, headers, body):
            t = token_from_location(headers.get("location"))
            return status == 303 and t is not None, t

        # Warm-up (not recorded): connections, allocator, statement caches.
        await constant_rate(a.base, lambda i: start_req, check_start, a.rate, 1.0, a.conns)

        r = await constant_rate(a.base, lambda i: start_req, check_start, a.rate, a.seconds, a.conns)
        tokens = r.pop("extras") or [token]
        result["start"] = r

        # Saves go to the questionnaires just started, each a different client.
        def save_req(i):
            return build_request(
                "POST",
                f"/q/{tokens[i % len(tokens)]}/s/1",
                netloc,
                form,
                ["Content-Type: application/x-www-form-urlencoded", "Accept: application/json"],
            )

        def check_save(status, headers, body):
            return status == 200 and b'"saved":true' in body, None

        r = await constant_rate(a.base, save_req, check_save, a.rate, a.seconds, a.conns)
        r.pop("extras")
        result["save"] = r

        # The section page, re-rendered with the saved answers checked.
        def page_req(i):
            return build_request("GET", f"/q/{tokens[i % len(tokens)]}/s/1", netloc)

        def check_page(status, headers, body):
            return status == 200 and b'name="q_' in body, None

        r = await constant_rate(a.base, page_req, check_page, a.page_rate, a.page_seconds, a.conns)
        r.pop("extras")
        result["page"] = r

        result["rss_peak_kib"] = vm_hwm_kib(a.pid)
        result["wall_seconds"] = time.monotonic() - loop_start
        return result

    result = asyncio.run(run())
    json.dump(result, open(a.out, "w"), indent=1)


# ---------------------------------------------------------------------------------------------
# Report


def kb(n):
    return f"{n / 1000:.1f} KB"


def fmt_bytes(n):
    return f"{n:,} B ({kb(n)})" if n >= 1000 else f"{n:,} B"


def ms(x):
    if x is None:
        return "–"
    return f"{x:.2f} ms" if x < 10 else f"{x:.1f} ms"


def cmd_report(a):
    machine = json.load(open(a.machine))
    by = json.load(open(a.bytes))
    backends = [json.load(open(f)) for f in a.backend]
    budget = a.budget_bytes
    out = []
    w = out.append
    w("### Benchmarks")
    w("")
    w(
        f"Measured by `scripts/bench` on {machine['date']}, commit `{machine['commit']}`: "
        f"{machine['nproc']} × {machine['cpu']}, {machine['mem']} RAM, Linux {machine['kernel']}. "
        "Server (`target/release/trustbridge`) and load generator share the machine; "
        "all traffic is on loopback. KB = 1,000 bytes."
    )
    w("")
    w("**Download size of the questionnaire page** (`GET /q/<token>/s/1` and the files it loads)")
    w("")
    w("| file | raw | gzip -9 | brotli 11 | served (Accept-Encoding: br, gzip) |")
    w("| --- | ---: | ---: | ---: | --- |")
    tot = {"raw": 0, "gzip9": 0, "brotli11": 0}
    for f in by["files"]:
        w(
            f"| `{f['name']}` | {f['raw']:,} | {f['gzip9']:,} | {f['brotli11']:,} | "
            f"{f['served_encoding']}, {f['served_bytes']:,} |"
        )
        if f["kind"] in ("css", "js", "wasm"):
            for k in tot:
                tot[k] += f[k]
    w(
        f"| **JS + WASM + CSS** | **{tot['raw']:,}** | **{tot['gzip9']:,}** | "
        f"**{tot['brotli11']:,}** | |"
    )
    w("")
    verdict = "PASS" if tot["brotli11"] <= budget and not by["missing_kinds"] else "FAIL"
    w(
        f"Sizes in bytes. Budget: JS + WASM + CSS ≤ {kb(budget)} brotli → **{verdict}** "
        f"({kb(tot['brotli11'])}, {100.0 * tot['brotli11'] / budget:.0f} % of budget)."
    )
    if by["missing_kinds"]:
        w(f"The page references no {', '.join(by['missing_kinds'])} file: FAIL.")
    w("")
    if backends:
        b0 = backends[0]
        w(
            f"**Latency at a constant rate** (open loop: each request is due at a fixed time and "
            f"its latency counts from then, so queueing is included; {b0['start']['rate']:g} req/s "
            f"for {b0['start']['seconds']:g} s per row, page GETs {b0['page']['rate']:g} req/s "
            f"for {b0['page']['seconds']:g} s; after a 1 s warm-up)"
        )
        w("")
        w("| backend | request | sent | ok | errors | p50 | p90 | p99 | max | throughput |")
        w("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for b in backends:
            rows = [
                ("`POST /start` → 303", b["start"]),
                (f"`POST /q/<token>/s/1` ({b['items']} answers, JSON)", b["save"]),
                ("`GET /q/<token>/s/1` (page render)", b["page"]),
            ]
            for label, r in rows:
                errs = sum(r["errors"].values())
                err_s = f"{errs}" + (
                    " (" + ", ".join(f"{k}: {v}" for k, v in sorted(r["errors"].items())) + ")"
                    if errs
                    else ""
                )
                w(
                    f"| {b['label']} | {label} | {r['sent']:,} | {r['ok']:,} | {err_s} | "
                    f"{ms(r['p50_ms'])} | {ms(r['p90_ms'])} | {ms(r['p99_ms'])} | "
                    f"{ms(r['max_ms'])} | {r['throughput']:.1f} req/s |"
                )
        w("")
        w("**Server memory** (from `/proc/<pid>/status`)")
        w("")
        w("| backend | peak RSS before the load (VmHWM) | peak RSS after the load (VmHWM) |")
        w("| --- | ---: | ---: |")
        for b in backends:
            idle = b.get("rss_idle_kib")
            peak = b.get("rss_peak_kib")
            w(
                f"| {b['label']} | {idle / 1024:.1f} MiB | {peak / 1024:.1f} MiB |"
                if idle and peak
                else f"| {b['label']} | – | – |"
            )
        w("")
    for note in a.note or []:
        w(f"_{note}_")
        w("")
    text = "\n".join(out).rstrip() + "\n"
    open(a.out, "w").write(text)
    sys.stdout.write(text)
    return 3 if a.strict and verdict != "PASS" else 0


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("bytes")
    b.add_argument("--base", required=True)
    b.add_argument("--token", required=True)
    b.add_argument("--out", required=True)
    l = sub.add_parser("load")
    l.add_argument("--base", required=True)
    l.add_argument("--pid", required=True, type=int)
    l.add_argument("--label", required=True)
    l.add_argument("--rate", type=float, default=200)
    l.add_argument("--seconds", type=float, default=20)
    l.add_argument("--page-rate", type=float, default=50)
    l.add_argument("--page-seconds", type=float, default=5)
    l.add_argument("--conns", type=int, default=32)
    l.add_argument("--out", required=True)
    r = sub.add_parser("report")
    r.add_argument("--machine", required=True)
    r.add_argument("--bytes", required=True)
    r.add_argument("--backend", action="append", default=[])
    r.add_argument("--note", action="append", default=[])
    r.add_argument("--budget-bytes", type=int, default=45_000)
    r.add_argument("--strict", action="store_true", help="exit 3 when over the budget")
    r.add_argument("--out", required=True)
    a = p.parse_args()
    if a.cmd == "bytes":
        cmd_bytes(a)
    elif a.cmd == "load":
        cmd_load(a)
    else:
        sys.exit(cmd_report(a))


if __name__ == "__main__":
    main()

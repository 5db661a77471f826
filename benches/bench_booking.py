#!/usr/bin/env python3
"""Booking POST latency at a steady rate, on SQLite and PostgreSQL (run by scripts/bench-booking).

For each backend: start the release server on a fresh database, create a clinician who offers
consults every day from 00:00 to 23:59 (one 50-minute consult an hour, 28 days ahead), bring N
clients through the questionnaire and the private check-in, then send one booking per client at
a constant rate, each for a different open time. Open loop: latency counts from each request's
scheduled time (see bench.py). Every booking must answer 303; anything else is an error.

usage: bench_booking.py --bin target/release/trustbridge [--rate 20] [--seconds 15]
                        [--pg-url postgres://postgres@127.0.0.1:5432] [--out F]
"""

import argparse
import asyncio
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402  (the load generator shared with scripts/bench)

EMAIL = "bench-clinician@practice.example"
PASSWORD = "copper meadow lantern tide"
ITEMS = None  # filled from the first section pages


def start_server(binary, database_url, workdir):
    env = dict(
        os.environ,
        BIND_ADDR="127.0.0.1:0",
        DATABASE_URL=database_url,
        SITE_ROOT="target/site",
        RUST_LOG="warn",
        # Every bench client starts from one address.
        START_BURST="0",
        BOOKING_BURST="0",
        BOOKINGS_PER_DAY="1000000",
        MAIL_DIR=os.path.join(workdir, "mail"),
        PRACTICE_EMAIL="bench@practice.example",
        PRACTICE_COUNTRY="US",
    )
    admin = subprocess.run(
        [binary, "create-admin", "--email", EMAIL, "--name", "Bench", "--password-stdin"],
        input=PASSWORD + "\n", text=True, env=env, capture_output=True, timeout=60,
    )
    if admin.returncode not in (0, 3):
        sys.exit(f"create-admin failed: {admin.stderr}")
    hours = subprocess.run(
        [binary, "set-hours", "--email", EMAIL, "--hours", "00:00-23:59",
         "--days", "mon,tue,wed,thu,fri,sat,sun"],
        env=env, capture_output=True, text=True, timeout=60,
    )
    if hours.returncode != 0:
        sys.exit(f"set-hours failed: {hours.stderr}")
    proc = subprocess.Popen([binary], env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    deadline = time.time() + 30
    while time.time() < deadline:
        line = proc.stdout.readline()
        m = re.match(r"^listening on (http://\S+)", line or "")
        if m:
            return proc, m.group(1)
    proc.kill()
    sys.exit("the server did not start")


async def prepare_clients(base, n):
    """n clients who finished the questionnaire and the check-in; their tokens."""
    tokens = []
    for _ in range(n):
        status, headers, _ = await bench.one_shot(
            base, "POST", "/start", bench.START_BODY, bench.START_HEADERS
        )
        token = bench.token_from_location(headers.get("location"))
        if status != 303 or not token:
            sys.exit(f"POST /start answered {status}")
        await bench.finish_intake(base, token)
        for section in range(1, 7):
            status, _, html = await bench.one_shot(base, "GET", f"/q/{token}/s/{section}")
            pairs = bench.section_answers(html.decode("utf-8", "replace")) + [("nav", "next")]
            body = urllib.parse.urlencode(pairs).encode()
            status, _, _ = await bench.one_shot(
                base, "POST", f"/q/{token}/s/{section}", body,
                ["Content-Type: application/x-www-form-urlencoded"],
            )
            if status != 303:
                sys.exit(f"saving section {section} answered {status}")
        check_in = urllib.parse.urlencode(
            [(f"s_{i}", "no") for i in ("afraid", "hurt", "threatened", "controlled", "forced")]
        ).encode()
        status, _, _ = await bench.one_shot(
            base, "POST", f"/q/{token}/private", check_in,
            ["Content-Type: application/x-www-form-urlencoded"],
        )
        if status != 303:
            sys.exit(f"check-in answered {status}")
        tokens.append(token)
    return tokens


async def open_slots(base, token):
    status, _, html = await bench.one_shot(base, "GET", f"/q/{token}/book")
    if status != 200:
        sys.exit(f"GET /book answered {status}")
    return re.findall(r'name="slot" value="([^"]+)"', html.decode("utf-8", "replace"))


def run_backend(label, binary, database_url, rate, seconds):
    workdir = tempfile.mkdtemp(prefix="trustbridge-bench-booking.")
    proc, base = start_server(binary, database_url, workdir)
    try:
        n = int(rate * seconds)
        tokens = asyncio.run(prepare_clients(base, n))
        slots = asyncio.run(open_slots(base, tokens[0]))
        if len(slots) < n:
            sys.exit(f"only {len(slots)} open times for {n} bookings; lower --rate or --seconds")
        _, _, netloc = bench.split_base(base)

        def booking(i):
            form = urllib.parse.urlencode([
                ("slot", slots[i]), ("tz", "Europe/Berlin"), ("request_key", f"{i:032x}"),
                ("name", f"Client {i}"), ("email", f"client{i}@example.org"),
                ("phone", "+1 555 010 0200"), ("consent", "yes"),
            ]).encode()
            return bench.build_request(
                "POST", f"/q/{tokens[i]}/book", netloc, form,
                ["Content-Type: application/x-www-form-urlencoded"],
            )

        def booked(status, headers, body):
            return status == 303 and "?booked=1" in headers.get("location", ""), None

        result = asyncio.run(bench.constant_rate(base, booking, booked, rate, seconds, 16))
        result["label"] = label
        result["rss_peak_kib"] = bench.vm_hwm_kib(proc.pid)
        return result
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--bin", default="target/release/trustbridge")
    p.add_argument("--rate", type=float, default=20)
    p.add_argument("--seconds", type=float, default=15)
    p.add_argument("--pg-url", default="")
    p.add_argument("--out", default="")
    a = p.parse_args()
    rows = []
    tmp = tempfile.mkdtemp(prefix="trustbridge-bench-booking-db.")
    rows.append(run_backend("SQLite", a.bin, f"sqlite://{tmp}/bench.db", a.rate, a.seconds))
    if a.pg_url:
        name = f"trustbridge_bench_booking_{os.getpid()}"
        subprocess.run(["psql", f"{a.pg_url}/postgres", "-qAtc", f"create database {name}"], check=True)
        try:
            rows.append(run_backend("PostgreSQL", a.bin, f"{a.pg_url}/{name}", a.rate, a.seconds))
        finally:
            subprocess.run(["psql", f"{a.pg_url}/postgres", "-qAtc", f"drop database if exists {name} with (force)"])
    lines = [
        f"**Booking `POST /q/<token>/book` at a constant {a.rate:g} req/s for {a.seconds:g} s** "
        "(each a different client and time; open loop)",
        "",
        "| backend | sent | booked (303) | errors | p50 | p90 | p99 | max | peak RSS |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        errors = sum(r["errors"].values())
        lines.append(
            f"| {r['label']} | {r['sent']} | {r['ok']} | {errors} | {bench.ms(r['p50_ms'])} | "
            f"{bench.ms(r['p90_ms'])} | {bench.ms(r['p99_ms'])} | {bench.ms(r['max_ms'])} | "
            f"{(r['rss_peak_kib'] or 0) / 1024:.1f} MiB |"
        )
    text = "\n".join(lines) + "\n"
    sys.stdout.write(text)
    if a.out:
        open(a.out, "w").write(text)


if __name__ == "__main__":
    main()

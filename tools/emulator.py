#!/usr/bin/env python
"""Start, stop and inspect the embedded AWS emulator.

The emulator is moto's server on 127.0.0.1 with the few operations moto lacks
added by :mod:`emulator_ext` (applied in the server process before it serves),
and two routes that save and load its whole state by name (:mod:`emulator_snapshot`).
With ``DR_EMULATOR_CALL_LOG`` set it also logs every call it serves (:mod:`emulator_calls`).
It listens only on loopback, on ``$DR_EMULATOR_PORT`` (default 4566), so the
emulator, ``inventories/local``, ``make`` and the tests always agree.

    tools/emulator.py start|stop|status|reset|serve
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

HOST = "127.0.0.1"
ROOT = Path(__file__).resolve().parent.parent
STATE_DIR = ROOT / ".emulator"
# Saved states the server loads by name (tools/emulator_snapshot.py, tools/stack_cache.py).
SNAPSHOT_DIR = STATE_DIR / "snapshots"
# Six suite jobs on two cores (load 10 to 14) have kept a starting server busy past 60 s.
READY_TIMEOUT = 180


def port() -> int:
    return int(os.environ.get("DR_EMULATOR_PORT", "4566"))


def pid_file(p: int) -> Path:
    return STATE_DIR / f"moto-{p}.pid"


def log_file(p: int) -> Path:
    return STATE_DIR / f"moto-{p}.log"


def endpoint(p: int) -> str:
    return f"http://{HOST}:{p}"


def client(endpoint_url: str, service: str, region: str = "us-east-1", config=None):
    """A boto3 client for the emulator at ``endpoint_url``, with the fake credentials it takes."""
    import boto3  # not at module level: starting and stopping the emulator need no boto3

    return boto3.client(service, region_name=region, endpoint_url=endpoint_url, config=config,
                        aws_access_key_id="testing", aws_secret_access_key="testing")  # fmt: skip


def is_ready(p: int) -> bool:
    try:
        with urllib.request.urlopen(f"{endpoint(p)}/moto-api/", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


def running_pid(p: int) -> int | None:
    try:
        pid = int(pid_file(p).read_text().strip())
    except (FileNotFoundError, ValueError):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    return pid


def server_environment() -> dict[str, str]:
    env = dict(os.environ)
    empty_amis = STATE_DIR / "amis.json"
    empty_amis.write_text("[]")
    env.update(
        {
            # AWS managed policies (AWSLambdaVPCAccessExecutionRole...) must exist.
            "MOTO_IAM_LOAD_MANAGED_POLICIES": "true",
            # Without this moto loads ~1300 sample AMIs and snapshots at start.
            "MOTO_AMIS_PATH": str(empty_amis),
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
        }
    )
    return env


def start(p: int) -> int:
    if running_pid(p) and is_ready(p):
        print(f"emulator already running on {endpoint(p)}")
        return 0
    if is_ready(p):
        print(f"port {p} already serves an emulator not started here; using it")
        return 0
    STATE_DIR.mkdir(exist_ok=True)
    with open(log_file(p), "ab") as log:
        process = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "serve"],
            env={**server_environment(), "DR_EMULATOR_PORT": str(p)},
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    pid_file(p).write_text(str(process.pid))
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            print(f"emulator exited with {process.returncode}; see {log_file(p)}", file=sys.stderr)
            return 1
        if is_ready(p):
            print(f"emulator ready on {endpoint(p)} (pid {process.pid})")
            return 0
        time.sleep(0.2)
    print(f"emulator not ready after {READY_TIMEOUT}s; see {log_file(p)}", file=sys.stderr)
    return 1


def stop(p: int) -> int:
    pid = running_pid(p)
    if pid is None:
        print(f"no emulator started here on port {p}")
        pid_file(p).unlink(missing_ok=True)
        return 0
    cpu = process_cpu_seconds(pid)
    try:
        os.killpg(pid, signal.SIGTERM)
        for _attempt in range(100):
            if running_pid(p) is None:
                break
            time.sleep(0.1)
        else:
            os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass  # it exited between the check and the signal
    pid_file(p).unlink(missing_ok=True)
    print(f"emulator on port {p} stopped after {cpu:.1f} s of CPU")
    # The server is detached from whoever started it, so no parent's rusage counts it:
    # the suite runner names a file here to add the emulator's CPU to its job's.
    cpu_log = os.environ.get("DR_EMULATOR_CPU_LOG")
    if cpu_log:
        with open(cpu_log, "a") as handle:
            handle.write(f"{p} {cpu:.2f}\n")
    return 0


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a running process has used (``/proc/<pid>/stat``; 0.0 where there is none)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    # Fields 14 and 15 of proc(5) are utime and stime; fields[0] here is field 3.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def status(p: int) -> int:
    pid = running_pid(p)
    ready = is_ready(p)
    print(json.dumps({"endpoint": endpoint(p), "pid": pid, "ready": ready}))
    return 0 if ready else 3


def reset(p: int) -> int:
    """Empty the emulator: every resource in every region is gone."""
    request = urllib.request.Request(f"{endpoint(p)}/moto-api/reset", method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return 0 if response.status == 200 else 1
    except (urllib.error.URLError, OSError) as e:
        print(f"no emulator answers on {endpoint(p)}: {e}", file=sys.stderr)
        return 1


def serve(p: int) -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import emulator_calls
    import emulator_ext
    import emulator_snapshot
    from moto.server import main as moto_main

    emulator_ext.apply()
    emulator_calls.install()  # only with DR_EMULATOR_CALL_LOG (the IAM policy check)
    emulator_snapshot.install(SNAPSHOT_DIR)
    emulator_ext.start_data_plane(STATE_DIR, endpoint(p))
    moto_main(["--host", HOST, "--port", str(p)])
    return 0


COMMANDS = {"start": start, "stop": stop, "status": status, "reset": reset, "serve": serve}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=sorted(COMMANDS))
    args = parser.parse_args(argv)
    return COMMANDS[args.command](port())


if __name__ == "__main__":
    sys.exit(main())

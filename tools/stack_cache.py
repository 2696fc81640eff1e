#!/usr/bin/env python
"""Put a prepared stack into an emulator: built once per change of the code, restored everywhere else.

The molecule scenarios and the integration tests need the same prerequisite stacks (the
network under the aurora and lambda_alb scenarios, the network and the application tier
under dns_failover and hardening, those and Aurora under monitoring, the whole stack
under the DR drill and the reliability tests' reference). Converging
them again in every scenario was most of the suite's time. ``ensure NAME`` makes the
emulator on ``$DR_EMULATOR_PORT`` hold stack NAME:

- if a snapshot of NAME exists for the current code, the emulator loads it (about a second);
- otherwise the stack is built on that emulator by running the playbooks in ``STACKS``
  (on top of the stack it extends, itself ensured first), then saved as a snapshot.

A snapshot's key is a digest of everything that decides what the playbooks build (roles,
playbooks, plugins, the local inventory, the emulator's own code, moto's version), so a
change to any of them builds the stack anew; stale snapshots of that stack are removed.
Several scenarios asking at once build it once: the first holds a lock on the stack's
name, the others wait for it and then load what it saved. Nothing depends on which
scenario asks first, and each scenario still runs alone (it builds what it needs).

    tools/stack_cache.py ensure NAME      # the emulator on $DR_EMULATOR_PORT holds NAME
    tools/stack_cache.py key NAME         # the current key of NAME
"""

from __future__ import annotations

import argparse
import fcntl
import hashlib
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOTS = ROOT / ".emulator" / "snapshots"  # tools/emulator.py SNAPSHOT_DIR: where the server reads them
# What decides the stacks the playbooks build.
INPUTS = ("roles", "playbooks", "plugins", "meta", "inventories/local", "ansible.cfg",
          "tools/emulator_ext.py", "tools/emulator_timing.py", "tools/emulator_dataplane.py",
          "tools/emulator_snapshot.py", "tools/stack_cache.py")  # fmt: skip
SKIPPED_PARTS = {"__pycache__", ".pytest_cache"}

# name: (the stack it extends or None, the ansible-playbook arguments that add to it).
# Every stack is what site.yml builds with those tags, as a user running
# `site.yml --tags ...` would get it.
STACKS: dict[str, tuple[str | None, list[str]]] = {
    "network": (None, ["playbooks/site.yml", "--tags", "network"]),
    "network_app": ("network", ["playbooks/site.yml", "--tags", "lambda_alb"]),
    "network_app_dns": ("network_app", ["playbooks/site.yml", "--tags", "dns_failover"]),
    "network_app_dns_aurora": ("network_app_dns", ["playbooks/site.yml", "--tags", "aurora"]),
    "stack": (None, ["playbooks/site.yml"]),
}
BUILD_TIMEOUT = 1800


def port() -> int:
    return int(os.environ.get("DR_EMULATOR_PORT", "4566"))


def _files(root: Path) -> list[Path]:
    found = []
    for name in INPUTS:
        path = root / name
        if path.is_file():
            found.append(path)
            continue
        for directory, subdirectories, files in os.walk(path):
            subdirectories[:] = sorted(d for d in subdirectories if d not in SKIPPED_PARTS)
            found += [Path(directory) / f for f in sorted(files) if not f.endswith(".pyc")]
    return found


def key(name: str, root: Path = ROOT) -> str:
    """A digest of the stack's recipe (and those it extends), the code that builds it and moto's version."""
    digest = hashlib.sha256()
    chain = name
    while chain:
        base, arguments = STACKS[chain]
        digest.update(json.dumps([chain, base, arguments]).encode())
        chain = base
    digest.update(metadata.version("moto").encode())
    for path in _files(root):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return f"{name}-{digest.hexdigest()[:16]}"


def _call(p: int, action: str, snapshot: str) -> dict:
    request = urllib.request.Request(f"http://127.0.0.1:{p}/moto-api/dr/{action}?name={snapshot}", method="POST")
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as error:
        raise RuntimeError(f"emulator on port {p}: {action} {snapshot}: {error.read().decode(errors='replace')}")


def _build(name: str, p: int) -> None:
    base, arguments = STACKS[name]
    if base:
        ensure(base, p)
    else:
        _reset(p)
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "DR_EMULATOR_PORT": str(p), "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"),
           "ANSIBLE_NOCOLOR": "1", "ANSIBLE_FORCE_COLOR": "0"}  # fmt: skip
    # Every snapshot is built the same way, under ansible.cfg's strategy, whatever the caller runs under.
    env.pop("ANSIBLE_STRATEGY", None)
    command = [str(bin_dir / "ansible-playbook"), "-i", "inventories/local", *arguments]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=BUILD_TIMEOUT,
                            check=False)  # fmt: skip
    if result.returncode != 0:
        raise RuntimeError(f"building stack {name} failed ({' '.join(command)}):\n{result.stdout[-6000:]}{result.stderr[-2000:]}")


def _reset(p: int) -> None:
    request = urllib.request.Request(f"http://127.0.0.1:{p}/moto-api/reset", method="POST")
    with urllib.request.urlopen(request, timeout=30):
        pass


def ensure(name: str, p: int) -> str:
    """Make the emulator on port ``p`` hold stack ``name``; returns ``restored`` or ``built``."""
    if name not in STACKS:
        raise KeyError(f"unknown stack {name!r}; known: {', '.join(STACKS)}")
    snapshot = key(name)
    SNAPSHOTS.mkdir(parents=True, exist_ok=True)
    with open(SNAPSHOTS / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (SNAPSHOTS / f"{snapshot}.pickle").exists():
            _call(p, "restore", snapshot)
            return "restored"
        _build(name, p)
        _call(p, "snapshot", snapshot)
        for stale in SNAPSHOTS.glob(f"{name}-*.pickle"):
            if stale.name != f"{snapshot}.pickle":
                stale.unlink(missing_ok=True)
        return "built"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["ensure", "key"])
    parser.add_argument("name", choices=sorted(STACKS))
    args = parser.parse_args(argv)
    if args.command == "key":
        print(key(args.name))
        return 0
    begin = time.monotonic()
    try:
        how = ensure(args.name, port())
    except (RuntimeError, OSError) as error:
        print(f"stack {args.name}: {error}", file=sys.stderr)
        return 1
    print(f"stack {args.name} {how} on port {port()} in {time.monotonic() - begin:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

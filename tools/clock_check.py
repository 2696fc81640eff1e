#!/usr/bin/env python
"""Every wait right on AWS's clock: the whole life of a stack with the emulator's timing on.

``make clock-check`` (``TIME_SCALE`` as for the bench, default 0.02) starts its own emulator with
``DR_EMULATOR_TIMING=aws`` (tools/emulator_timing.py: resources take AWS's time times the scale, and
AWS's refusals meanwhile) and runs, in order, each step of issue 21's list:

- a first deploy, then a rerun and every role's ``--tags`` run, which must change nothing;
- the edge role with CloudFront on and awaited, then again (nothing changed);
- ``dr_status.yml``, a switchover and back, a failover with the primary region unreachable, a rejoin;
- ``destroy.yml`` twice (the second changes nothing).

A wait that only worked because the emulator is instant fails here with AWS's error. Each step prints
its wall time and the play recap's changes; logs go to reports/clock-check-<timestamp>/.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from pathlib import Path

import bench

ROOT = bench.ROOT
TAGS = ("audit", "network", "aurora", "s3", "lambda_alb", "eventbridge", "dns_failover", "monitoring", "edge")
RECAP = re.compile(r"^(\S+)\s+:\s+ok=\d+\s+changed=(\d+)", re.MULTILINE)


def steps(suffix: str, lost_inventory: Path) -> list[tuple[str, list[str], bool]]:
    """(name, ansible-playbook arguments, must change nothing) in the order they run."""
    cloudfront = ["--tags", "edge", "-e", "edge_cloudfront_enabled=true", "-e", "edge_cloudfront_wait=true"]
    destroy = ["playbooks/destroy.yml", "-e", f"dr_confirm_destroy={suffix}"]
    return [
        ("deploy", ["playbooks/site.yml"], False),
        ("rerun", ["playbooks/site.yml"], True),
        *((f"--tags {tag}", ["playbooks/site.yml", "--tags", tag], True) for tag in TAGS),
        ("edge with CloudFront", ["playbooks/site.yml", *cloudfront], False),
        ("edge with CloudFront again", ["playbooks/site.yml", *cloudfront], True),
        ("dr_status", ["playbooks/dr_status.yml"], True),
        ("switchover", ["playbooks/switchover.yml"], False),
        ("switchback", ["playbooks/switchover.yml"], False),
        ("failover", ["-i", str(lost_inventory), "playbooks/failover.yml", "-e", f"dr_confirm_failover={suffix}"], False),
        ("rejoin", ["playbooks/rejoin.yml"], False),
        ("destroy", destroy, False),
        ("destroy again", destroy, True),
    ]


def changes(log: str) -> dict[str, int]:
    """Each host's ``changed=`` count in the play recap of an ansible-playbook log."""
    return {host: int(count) for host, count in RECAP.findall(log)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--emulator-port", type=int, default=4598)
    parser.add_argument("--closed-port", type=int, default=None, help="where the lost region points; default: port + 1")
    parser.add_argument("--time-scale", type=float, default=0.02, help="DR_EMULATOR_TIME_SCALE")
    parser.add_argument("--inventory", default="inventories/local")
    args = parser.parse_args(argv)
    closed_port = args.closed_port or args.emulator_port + 1
    if bench.emulator_ready(args.emulator_port) or not bench.port_free(closed_port):
        print(f"clock-check: ports {args.emulator_port} and {closed_port} must be free", file=sys.stderr)
        return 2

    env = {**bench.tool_environment("aws", args.time_scale), "DR_EMULATOR_PORT": str(args.emulator_port)}
    logs = ROOT / "reports" / time.strftime("clock-check-%Y%m%dT%H%M%SZ", time.gmtime())
    logs.mkdir(parents=True)
    suffix = bench.inventory_value(args.inventory, env, "dr_environment_suffix")
    lost_inventory = logs / "region_lost.json"
    lost_inventory.write_text(
        json.dumps(bench.unreachable(bench.inventory_value(args.inventory, env, "dr_primary_region"), closed_port))
    )

    failures = 0
    print(f"clock-check: AWS's clock at {args.time_scale}, emulator 127.0.0.1:{args.emulator_port}; logs in {logs}")
    bench.run_tool([str(bench.TOOLS / "emulator.py"), "start"], env)
    try:
        for number, (name, arguments, unchanged) in enumerate(steps(suffix, lost_inventory), 1):
            log = logs / f"{number:02d}-{re.sub(r'[^a-z0-9]+', '-', name.lower()).strip('-')}.log"
            started = time.monotonic()
            with log.open("w") as out:
                rc = subprocess.run(
                    [bench.tool("ansible-playbook"), "-i", args.inventory, *arguments],
                    cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, check=False,
                ).returncode  # fmt: skip
            changed = changes(log.read_text())
            ok = rc == 0 and not (unchanged and any(changed.values()))
            failures += not ok
            print(f"  {'PASS' if ok else 'FAIL'}  {name:28} {time.monotonic() - started:6.1f} s  rc={rc}  "
                  f"changed {' '.join(f'{h}={c}' for h, c in changed.items())}", flush=True)  # fmt: skip
            if rc != 0:
                print(f"  stopped: see {log}", file=sys.stderr)
                break
    finally:
        subprocess.run([sys.executable, str(bench.TOOLS / "emulator.py"), "stop"], cwd=ROOT, env=env,
                       stdout=subprocess.DEVNULL, check=False)  # fmt: skip
    print("clock-check: " + ("PASS" if not failures else f"FAIL ({failures} step(s))"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

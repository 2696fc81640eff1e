#!/usr/bin/env python
"""Benchmark deploy, no-op rerun, the DR playbooks and destroy against the API-call floor.

On a fresh emulator (its own port, started here) with tools/faulty_proxy.py in
front of it at fault rate 0 (so it only counts), each run:

1. deploy:        ansible-playbook -i <inventory> playbooks/site.yml
2. rerun:         the same again (a no-op: changed should be 0)
3. switchover:    playbooks/switchover.yml (planned: the writer moves to the other region)
4. switchback:    the same again (the writer comes home)
5. failover:      playbooks/failover.yml -e dr_confirm_failover=<suffix>, with the primary region's
                  host pointed at a loopback port nothing listens on (``--closed-port``), as if
                  that region were gone: the path an operator waits on while a region is down
6. rejoin:        playbooks/rejoin.yml (the lost region back, as the reader)
7. destroy:       ansible-playbook -i <inventory> playbooks/destroy.yml -e dr_confirm_destroy=<suffix>
8. destroy_empty: the same again, with nothing left to delete

The order is the DR drill's (molecule/dr_drill), so each phase starts from the
state the runbook leaves it.

The inventory reaches the emulator through the proxy because DR_EMULATOR_PORT
is set to the proxy's port for the playbooks. For each phase it records the
wall time, the PLAY RECAP totals, and the API calls the proxy forwarded, by
service and operation, split into reads (operation name starts with
Describe/Get/List/Head, or an unnamed REST call made with GET/HEAD) and writes
(everything else).

The floor of a phase is the time ONE Python process (this one: boto3 already
imported, clients created inside the timing, one per service and region)
takes to make that phase's calls once, through the same proxy, right after the
phase (so against the state the phase left). What it replays, per region,
service and operation counted:

* a read operation with no required parameter is replayed as itself, N times;
* anything else (writes, reads that need an identifier, calls the proxy could
  not name) is replayed as N calls of the service's cheap parameterless read
  (ec2 DescribeVpcs, iam ListRoles, s3 ListBuckets, ...).

Writes are never replayed as writes (the floor must not change the stack), so
the floor counts round trips at the cost of a read; on the emulator a write
costs about the same. Calls whose service is unknown (unsigned) are skipped and
reported. The ratio is wall time / floor.

It prints one table and writes reports/bench-<UTC timestamp>.json. With
``--runs N`` (default 3) the emulator is emptied (moto reset) between runs and
the table shows medians (ratio = median wall / median floor); ``--quick`` is
one run. The benchmark is indifferent to which roles site.yml contains.

    tools/bench.py [--runs 3 | --quick] [--emulator-port 4595] [--proxy-port 4596] [--closed-port 4597]
                   [--inventory inventories/local] [--suffix dev] [--output reports]
                   [--timing aws [--time-scale 0.02]]

With ``--timing aws`` the emulator runs on AWS's clock (``DR_EMULATOR_TIMING=aws``, tools/emulator_timing.py) at
``--time-scale``, and the bench also prints, from tools/bench_timing.py, the deploy's critical path by the duration
table beside its head, tail and wall in AWS minutes, and each other phase's wall in AWS minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import bench_timing

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / "tools"
VENV_BIN = ROOT / ".venv" / "bin"
PHASES = ("deploy", "rerun", "switchover", "switchback", "failover", "rejoin", "destroy", "destroy_empty")
READ_PREFIXES = ("Describe", "Get", "List", "Head")

# Signing names (what the proxy sees) that are not boto3 client names.
CLIENT_ALIASES = {
    "monitoring": ["cloudwatch"],
    "elasticloadbalancing": ["elbv2", "elb"],
    "email": ["ses", "sesv2"],
    "states": ["stepfunctions"],
    "execute-api": ["apigateway"],
}
# The cheap parameterless read a service's other calls are replayed as.
CHEAP_READS = {
    "acm": "ListCertificates",
    "cloudwatch": "DescribeAlarms",
    "ec2": "DescribeVpcs",
    "elb": "DescribeLoadBalancers",
    "elbv2": "DescribeLoadBalancers",
    "events": "ListEventBuses",
    "iam": "ListRoles",
    "kms": "ListKeys",
    "lambda": "ListFunctions",
    "logs": "DescribeLogGroups",
    "rds": "DescribeDBClusters",
    "route53": "ListHostedZones",
    "s3": "ListBuckets",
    "secretsmanager": "ListSecrets",
    "sns": "ListTopics",
    "sqs": "ListQueues",
    "sts": "GetCallerIdentity",
}


# ---------------------------------------------------------------- pure functions


def is_read(operation: str) -> bool:
    """Describe/Get/List/Head operations, and unnamed REST GET/HEAD calls ("GET /path/*")."""
    method, _sep, rest = operation.partition(" ")
    if rest and method in ("GET", "HEAD"):
        return True
    return operation.startswith(READ_PREFIXES)


def classify(forwarded: dict[str, dict[str, int]]) -> dict:
    """Totals of a proxy's ``forwarded`` counters: calls, reads, writes, and the write operations."""
    reads = writes = 0
    write_ops: dict[str, int] = {}
    for service, operations in forwarded.items():
        for operation, count in operations.items():
            if is_read(operation):
                reads += count
            else:
                writes += count
                write_ops[f"{service}:{operation}"] = count
    return {"calls": reads + writes, "reads": reads, "writes": writes, "write_ops": dict(sorted(write_ops.items()))}


_RECAP = re.compile(r"^\S+\s*:\s*((?:\w+=\d+\s*)+)$")


def parse_recap(output: str) -> dict[str, int]:
    """Sum the PLAY RECAP counters (ok, changed, failed, ...) over all hosts."""
    totals: dict[str, int] = {}
    in_recap = False
    for line in output.splitlines():
        if line.startswith("PLAY RECAP"):
            in_recap, totals = True, {}
            continue
        if not in_recap:
            continue
        match = _RECAP.match(line.strip())
        if not match:
            if line.strip():
                in_recap = False
            continue
        for pair in match.group(1).split():
            key, _sep, value = pair.partition("=")
            totals[key] = totals.get(key, 0) + int(value)
    return totals


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def ratio(wall, floor):
    return wall / floor if wall is not None and floor else None


def summarize(runs: list[dict]) -> dict[str, dict]:
    """Per phase, the medians over runs of wall time, CPU time, calls, reads, writes, changed and floor."""
    summary = {}
    for phase in PHASES:
        records = [run["phases"][phase] for run in runs if phase in run.get("phases", {})]
        if not records:
            continue
        keys = ("wall_s", "cpu_s", "calls", "reads", "writes", "floor_s")
        row = {key: median([r.get(key) for r in records]) for key in keys}
        row["changed"] = median([r.get("recap", {}).get("changed") for r in records])
        row["ratio"] = ratio(row["wall_s"], row["floor_s"])
        row["runs"] = len(records)
        row["failed_runs"] = sum(1 for r in records if r.get("rc", 0) != 0)
        summary[phase] = row
    return summary


def _fmt(value, digits=1) -> str:
    if value is None:
        return "-"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.{digits}f}"
    if isinstance(value, float):
        return f"{value:.{digits}f}" if digits else str(int(value))
    return str(value)


def format_table(summary: dict[str, dict]) -> str:
    headers = ["phase", "wall s", "API calls", "writes", "reads", "changed", "floor s", "ratio", "CPU s"]
    rows = []
    for phase, row in summary.items():
        rows.append(
            [
                phase + (" (failed)" if row.get("failed_runs") else ""),
                _fmt(row.get("wall_s")),
                _fmt(row.get("calls"), 0),
                _fmt(row.get("writes"), 0),
                _fmt(row.get("reads"), 0),
                _fmt(row.get("changed"), 0),
                _fmt(row.get("floor_s"), 2),
                (_fmt(row.get("ratio")) + "x") if row.get("ratio") is not None else "-",
                _fmt(row.get("cpu_s")),
            ]
        )
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]
    lines = [
        "  ".join(h.ljust(w) if i == 0 else h.rjust(w) for i, (h, w) in enumerate(zip(headers, widths))),
        "  ".join("-" * w for w in widths),
    ]
    for r in rows:
        lines.append("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))))
    return "\n".join(lines)


# ---------------------------------------------------------------- replay (floor)


def _model(client_name: str):
    return _session().get_service_model(client_name)


_SESSION = None


def _session():
    global _SESSION
    if _SESSION is None:
        import botocore.session

        _SESSION = botocore.session.get_session()
    return _SESSION


def _has_required_input(model, operation: str) -> bool:
    shape = model.operation_model(operation).input_shape
    return bool(shape and shape.required_members)


def client_for(service: str, operation: str) -> str | None:
    """The boto3 client name for a signing name, preferring one whose model has the operation."""
    candidates = CLIENT_ALIASES.get(service, []) + [service]
    loadable = []
    for name in candidates:
        try:
            model = _model(name)
        except Exception:  # noqa: BLE001 - not a botocore service name
            continue
        if operation in model.operation_names:
            return name
        loadable.append(name)
    return loadable[0] if loadable else None


def cheap_read(client_name: str) -> str | None:
    if client_name in CHEAP_READS:
        return CHEAP_READS[client_name]
    model = _model(client_name)
    reads = sorted(
        (
            op
            for op in model.operation_names
            if op.startswith(("List", "Describe")) and not _has_required_input(model, op)
        ),
        key=lambda op: (len(op), op),
    )
    return reads[0] if reads else None


def plan_replay(by_region: dict[str, dict[str, dict[str, int]]]) -> dict:
    """What the floor replays: [(region, client, operation, count, as_itself)], and what it skips."""
    steps = []
    skipped: dict[str, int] = {}
    for region, services in sorted(by_region.items()):
        for service, operations in sorted(services.items()):
            for operation, count in sorted(operations.items()):
                client = client_for(service, operation) if service != "unknown" else None
                if client is None:
                    skipped[f"{service}:{operation}"] = skipped.get(f"{service}:{operation}", 0) + count
                    continue
                model = _model(client)
                as_itself = (
                    is_read(operation)
                    and operation in model.operation_names
                    and not _has_required_input(model, operation)
                )
                replayed = operation if as_itself else cheap_read(client)
                if replayed is None:
                    skipped[f"{service}:{operation}"] = skipped.get(f"{service}:{operation}", 0) + count
                    continue
                region_name = region if region != "unknown" else "us-east-1"
                steps.append([region_name, client, replayed, count, as_itself, f"{service}:{operation}"])
    return {"steps": steps, "skipped": skipped}


def replay(plan: dict, endpoint: str) -> dict:
    """Make the planned calls once in this process; time them (client creation included)."""
    from botocore.config import Config
    from botocore import xform_name
    from emulator import client as emulator_client
    from botocore.exceptions import ClientError

    config = Config(retries={"total_max_attempts": 1, "mode": "standard"})
    clients = {}
    calls = errors = 0
    started = time.perf_counter()
    for region, client_name, operation, count, _extra1, _extra2 in plan["steps"]:
        key = (region, client_name)
        if key not in clients:
            clients[key] = emulator_client(endpoint, client_name, region, config)
        method = getattr(clients[key], xform_name(operation))
        for _call in range(count):
            calls += 1
            try:
                method()
            except ClientError:
                errors += 1
    elapsed = time.perf_counter() - started
    return {"floor_s": elapsed, "floor_calls": calls, "floor_errors": errors}


# ---------------------------------------------------------------- running


def tool(name: str) -> str:
    candidate = VENV_BIN / name
    return str(candidate) if candidate.exists() else name


def http_json(url: str, method: str = "GET", timeout: float = 10):
    request = urllib.request.Request(url, data=b"" if method == "POST" else None, method=method)
    with urllib.request.urlopen(request, timeout=timeout) as response:
        body = response.read()
        return json.loads(body) if body.strip().startswith((b"{", b"[")) else body


def emulator_ready(port: int) -> bool:
    try:
        http_json(f"http://127.0.0.1:{port}/moto-api/", timeout=2)
        return True
    except (urllib.error.URLError, OSError, ValueError):
        return False


def port_free(port: int) -> bool:
    with socket.socket() as probe:
        # As the proxy binds: connections of an earlier run in TIME_WAIT do not count.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


def tool_environment(timing: str, time_scale: float) -> dict[str, str]:
    """This process's environment without AWS credentials, for the project's ansible.cfg and venv, uncoloured;
    with ``timing`` ``aws``, the emulator on AWS's clock at ``time_scale``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        {
            "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"),
            "ANSIBLE_NOCOLOR": "1",
            "ANSIBLE_FORCE_COLOR": "0",
            "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        }
    )
    if timing == "aws":
        env.update({"DR_EMULATOR_TIMING": "aws", "DR_EMULATOR_TIME_SCALE": str(time_scale)})
    return env


def run_tool(args: list[str], env: dict) -> None:
    subprocess.run([sys.executable, *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def inventory_value(inventory: str, env: dict, name: str) -> str:
    """The value of variable ``name`` on the inventory's hosts (the first host that has it)."""
    output = subprocess.run(
        [tool("ansible-inventory"), "-i", inventory, "--list"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    hostvars = json.loads(output).get("_meta", {}).get("hostvars", {})
    for variables in hostvars.values():
        if name in variables:
            return str(variables[name])
    raise SystemExit(f"bench: no {name} in the inventory {inventory}")


def inventory_values(inventory: str, env: dict, name: str) -> list[str]:
    """The values of variable ``name`` on every host of the inventory that has it."""
    output = subprocess.run(
        [tool("ansible-inventory"), "-i", inventory, "--list"], cwd=ROOT, env=env, check=True, capture_output=True,
        text=True,
    ).stdout
    return [str(v[name]) for v in json.loads(output).get("_meta", {}).get("hostvars", {}).values() if name in v]


def aws_clock(run: dict, phase: str, record: dict, endpoint: str, regions: list[str], scale: float) -> None:
    """With --timing aws: the phase in AWS time (tools/bench_timing.py), kept in the run as ``aws_clock``."""
    import boto3

    clock = run.setdefault("aws_clock", {})
    if phase == "deploy":
        session = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing")
        found = bench_timing.lifecycles(session, endpoint, regions, scale)
        clock["deploy"] = bench_timing.deploy_report(found, record["started_epoch"], record["ended_epoch"], scale)
    else:
        clock[phase] = bench_timing.waits_report(phase, record["wall_s"], bench_timing.phase_waits()[phase], scale)


def unreachable(host: str, closed_port: int) -> dict:
    """An inventory to add after the bench's: ``host`` reaches AWS through a loopback port nothing listens on."""
    endpoint = f"http://127.0.0.1:{closed_port}"
    return {"all": {"children": {"regions": {"hosts": {host: {"dr_aws_endpoint_url": endpoint}}}}}}


def run_phase(name: str, command: list[str], env: dict, proxy_port: int, log_path: Path) -> dict:
    control = f"http://127.0.0.1:{proxy_port}/__proxy__/"
    http_json(control + "reset", method="POST")
    started = time.perf_counter()
    started_epoch = time.time()
    cpu_before = children_cpu()
    with open(log_path, "w") as log:
        completed = subprocess.run(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, check=False)
    wall = time.perf_counter() - started
    # CPU seconds of the playbook and every process it ran: on a shared machine
    # the wall time follows the load, this much less so.
    cpu = children_cpu() - cpu_before
    stats = http_json(control + "stats")
    output = log_path.read_text(errors="replace")
    record = {
        "command": " ".join(command),
        "rc": completed.returncode,
        "wall_s": round(wall, 3),
        "started_epoch": started_epoch,
        "ended_epoch": started_epoch + wall,
        "cpu_s": round(cpu, 3),
        "loadavg_end": loadavg(),
        "recap": parse_recap(output),
        "log": str(log_path.relative_to(ROOT)) if log_path.is_relative_to(ROOT) else str(log_path),
        "forwarded": stats["forwarded"],
        "forwarded_by_region": stats["forwarded_by_region"],
        "unsigned_or_unknown": stats["forwarded"].get("unknown", {}),
    }
    record.update(classify(stats["forwarded"]))
    # A failed phase's calls were made all the same: its floor is measured too.
    if stats["forwarded_total"]:
        plan = plan_replay(stats["forwarded_by_region"])
        floor = replay(plan, f"http://127.0.0.1:{proxy_port}")
        record.update({k: round(v, 3) if isinstance(v, float) else v for k, v in floor.items()})
        record["floor_replayed_as_itself"] = sum(s[3] for s in plan["steps"] if s[4])
        record["floor_replayed_as_cheap_read"] = sum(s[3] for s in plan["steps"] if not s[4])
        record["floor_skipped"] = plan["skipped"]
        record["ratio"] = ratio(record["wall_s"], record["floor_s"])
    http_json(control + "reset", method="POST")
    print(
        f"  {name:8} {wall:7.1f} s  cpu={cpu:.1f} s  rc={completed.returncode}  calls={record['calls']} "
        f"writes={record['writes']}  changed={record['recap'].get('changed')}"
        + (f"  floor={record.get('floor_s')} s" if "floor_s" in record else ""),
        flush=True,
    )
    if completed.returncode != 0:
        tail = "\n".join(output.splitlines()[-25:])
        print(f"bench: {name} failed (rc {completed.returncode}); last lines of {log_path}:\n{tail}", file=sys.stderr)
    return record


def children_cpu() -> float:
    """User + system CPU seconds of the waited-for child processes so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def loadavg():
    try:
        return list(os.getloadavg())
    except OSError:
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="one run")
    parser.add_argument("--emulator-port", type=int, default=int(os.environ.get("BENCH_EMULATOR_PORT", "4595")))
    parser.add_argument("--proxy-port", type=int, default=None, help="default: emulator port + 1")
    parser.add_argument("--closed-port", type=int, default=None,
                        help="where the failover's lost region points (nothing may listen); default: proxy port + 1")
    parser.add_argument("--inventory", default="inventories/local")
    parser.add_argument("--suffix", default=None,
                        help="dr_confirm_destroy and dr_confirm_failover value (default: from the inventory)")
    parser.add_argument("--output", default="reports")
    parser.add_argument("--timing", choices=["off", "aws"], default="off",
                        help="aws: the emulator on AWS's clock (tools/emulator_timing.py), reported in AWS minutes")
    parser.add_argument("--time-scale", type=float, default=0.02, help="with --timing aws: DR_EMULATOR_TIME_SCALE")
    args = parser.parse_args(argv)
    runs = 1 if args.quick else args.runs
    if runs < 1:
        parser.error("--runs must be at least 1")
    emulator_port = args.emulator_port
    proxy_port = args.proxy_port or emulator_port + 1
    closed_port = args.closed_port or proxy_port + 1

    timestamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    output_dir = (ROOT / args.output).resolve()
    output_dir.mkdir(parents=True, exist_ok=True)
    logs = output_dir / f"bench-{timestamp}"
    logs.mkdir(exist_ok=True)

    base_env = tool_environment(args.timing, args.time_scale)
    emulator_env = {**base_env, "DR_EMULATOR_PORT": str(emulator_port)}
    playbook_env = {**base_env, "DR_EMULATOR_PORT": str(proxy_port)}
    suffix = args.suffix or inventory_value(args.inventory, playbook_env, "dr_environment_suffix")
    lost = inventory_value(args.inventory, playbook_env, "dr_primary_region")
    regions = inventory_values(args.inventory, playbook_env, "dr_region")
    lost_inventory = logs / "region_lost.json"
    lost_inventory.write_text(json.dumps(unreachable(lost, closed_port)))

    if emulator_ready(emulator_port):
        print(f"bench: port {emulator_port} already serves an emulator; the bench needs a fresh one "
              f"(stop it or pass --emulator-port)", file=sys.stderr)  # fmt: skip
        return 2
    for port, option in ((proxy_port, "--proxy-port"), (closed_port, "--closed-port")):
        if not port_free(port):
            print(f"bench: port {port} is in use; pass another {option}", file=sys.stderr)
            return 2
    report = {
        "started": timestamp,
        "host": {"cpus": os.cpu_count(), "python": platform.python_version(), "loadavg_start": loadavg()},
        "inventory": args.inventory,
        "suffix": suffix,
        "emulator_port": emulator_port,
        "proxy_port": proxy_port,
        "runs": [],
    }
    playbook = tool("ansible-playbook")
    run_playbook = [playbook, "-i", args.inventory]
    destroy = [*run_playbook, "playbooks/destroy.yml", "-e", f"dr_confirm_destroy={suffix}"]
    commands = {
        "deploy": [*run_playbook, "playbooks/site.yml"],
        "rerun": [*run_playbook, "playbooks/site.yml"],
        "switchover": [*run_playbook, "playbooks/switchover.yml"],
        "switchback": [*run_playbook, "playbooks/switchover.yml"],
        "failover": [*run_playbook, "-i", str(lost_inventory), "playbooks/failover.yml",
                     "-e", f"dr_confirm_failover={suffix}"],
        "rejoin": [*run_playbook, "playbooks/rejoin.yml"],
        "destroy": destroy,
        "destroy_empty": destroy,
    }  # fmt: skip
    failed = False
    print(f"bench: {runs} run(s); emulator 127.0.0.1:{emulator_port}, proxy 127.0.0.1:{proxy_port}, "
          f"{lost} lost at failover through 127.0.0.1:{closed_port}", flush=True)  # fmt: skip
    try:
        run_tool([str(TOOLS / "emulator.py"), "start"], emulator_env)
        run_tool(
            [str(TOOLS / "faulty_proxy.py"), "start", "--port", str(proxy_port),
             "--upstream", f"http://127.0.0.1:{emulator_port}", "--fault-rate", "0"],
            base_env,
        )  # fmt: skip
        for number in range(1, runs + 1):
            http_json(f"http://127.0.0.1:{emulator_port}/moto-api/reset", method="POST")
            print(f"run {number}/{runs}", flush=True)
            run = {"phases": {}}
            report["runs"].append(run)
            for phase in PHASES:
                record = run_phase(phase, commands[phase], playbook_env, proxy_port, logs / f"run{number}-{phase}.log")
                run["phases"][phase] = record
                if args.timing == "aws" and record["rc"] == 0:
                    aws_clock(run, phase, record, f"http://127.0.0.1:{emulator_port}", regions, args.time_scale)
                if record["rc"] != 0:
                    failed = True
                    break
            if failed:
                break
    finally:
        subprocess.run([sys.executable, str(TOOLS / "faulty_proxy.py"), "stop", "--port", str(proxy_port)],
                       cwd=ROOT, env=base_env, stdout=subprocess.DEVNULL, check=False)  # fmt: skip
        subprocess.run([sys.executable, str(TOOLS / "emulator.py"), "stop"], cwd=ROOT, env=emulator_env,
                       stdout=subprocess.DEVNULL, check=False)  # fmt: skip

    report["host"]["loadavg_end"] = loadavg()
    report["median"] = summarize(report["runs"])
    table = format_table(report["median"])
    report["table"] = table
    path = output_dir / f"bench-{timestamp}.json"
    path.write_text(json.dumps(report, indent=1, sort_keys=False))
    print()
    print(f"medians of {len(report['runs'])} run(s)" + (" (FAILED: incomplete)" if failed else "") + ":")
    print(table)
    load = report["host"]
    print(f"load average {load['loadavg_start']} -> {load['loadavg_end']} on {load['cpus']} CPUs")
    if args.timing == "aws" and report["runs"] and "aws_clock" in report["runs"][-1]:
        clock = report["runs"][-1]["aws_clock"]
        report["aws_clock"] = clock
        path.write_text(json.dumps(report, indent=1, sort_keys=False))
        print(bench_timing.format_report(clock["deploy"], {k: v for k, v in clock.items() if k != "deploy"}))
    print(f"written to {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

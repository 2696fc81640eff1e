#!/usr/bin/env python
"""Run the test suite's parts side by side: pytest, ansible-lint, the quality gates and every molecule scenario.

What `make test` calls. Each part is one job; up to ``--jobs`` run at once.
Molecule scenarios are found from ``molecule/*/molecule.yml``, so a new one
joins without touching this file or the Makefile. Every molecule job gets its
own emulator port: worker slot ``k`` uses ``--base-port + k`` (its create.yml
starts a fresh emulator there, its destroy.yml stops it), so at most ``--jobs``
ports are used, ``--base-port`` .. ``--base-port + jobs - 1``; pytest's
integration tests get ``--base-port + jobs`` (``DR_INTEGRATION_PORT``) and the
next ``INTEGRATION_PORTS`` ports; the port after those is the one the DR drill
checks nothing listens on (``DR_DRILL_CLOSED_PORT``), so no job ever opens it.

Logs never interleave: each job writes ``tests/output/suite/<job>.log`` and,
when it ends, one line is printed (``ok``/``FAIL``, seconds, log path); a
failed job's last lines follow it. At the end a table of every job's time,
longest first, and the wall time; the exit status is 1 if any job failed.

Every emulator a job starts logs the calls it serves to ``tests/output/suite/calls/<job>.jsonl``
(``DR_EMULATOR_CALL_LOG``); when the jobs are done, ``tools/iam_check.py`` checks that the deployer and
operator policies grant every call the playbooks made, and, after a whole suite that passed, that the
recording of those calls (which the unit tests hold the policies to) is still what they call. Its
line is ``iam-policies`` in the closing table.

Jobs start longest first, using the times of the previous run
(``tests/output/suite/timings.json``) and, for jobs never timed, pytest and the
whole-stack scenarios first and lint and the gates last; the longest job then does not start last.

    tools/run_suite.py [--jobs 6] [--base-port 4577] [--only molecule|pytest|lint|gates|<scenario>] ...
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
TEMPLATE_CACHE = ROOT / "tests" / "output" / "template-cache"  # plugins/plugin_utils/template_code_cache.py
TAIL_LINES = 60


# The pytest files that each build or load a whole stack on emulators of their own:
# chains of playbook runs, long in wall time, each a job of its own.
STACK_TESTS = {"pytest-reliability": "tests/integration/test_reliability.py",
               "pytest-runner": "tests/integration/test_runner.py"}  # fmt: skip


def scenarios(root: Path = ROOT) -> list[str]:
    """Every molecule scenario: a folder of molecule/ that holds a molecule.yml."""
    return sorted(p.parent.name for p in (root / "molecule").glob("*/molecule.yml"))


def make_jobs(names: list[str], only: list[str] | None = None) -> list[dict]:
    """The jobs to run: pytest, lint, gates (``make gates``), and molecule-<scenario> for each scenario.

    pytest is split: each file of ``STACK_TESTS`` is a job, the rest of the tests
    another, so the whole-stack chains run beside the rest instead of after it.
    ``only`` keeps the jobs named there: ``pytest`` (all its jobs), ``lint``, ``gates``,
    ``molecule`` (every scenario), a scenario's name or a job's (``pytest-runner``).
    """
    jobs = [{"name": "pytest", "kind": "pytest", "args": [f"--ignore={t}" for t in STACK_TESTS.values()]}]
    jobs += [{"name": name, "kind": "pytest", "args": [path]} for name, path in STACK_TESTS.items()]
    jobs += [{"name": kind, "kind": kind} for kind in ("lint", "gates")]
    jobs += [{"name": f"molecule-{n}", "kind": "molecule", "scenario": n} for n in names]
    if only:
        wanted = set(only)
        unknown = wanted - {"pytest", "lint", "gates", "molecule"} - set(names) - {j["name"] for j in jobs}
        if unknown:
            raise ValueError(f"unknown job(s): {', '.join(sorted(unknown))}; scenarios: {', '.join(names)}")
        jobs = [j for j in jobs if wanted & {j["kind"], j["name"], j.get("scenario")}]
    return jobs


def order(jobs: list[dict], timings: dict[str, float]) -> list[dict]:
    """Longest first by the last run's times; untimed: pytest and the whole-stack scenarios first, lint and gates last."""

    def key(job: dict) -> tuple:
        if job["name"] in timings:
            return (0, -timings[job["name"]], job["name"])
        rank = {"pytest": 0, "pytest-reliability": 0, "pytest-runner": 0, "molecule-default": 0,
                "molecule-dr_drill": 0, "gates": 3, "lint": 3}.get(job["name"], 1)  # fmt: skip
        return (1, rank, job["name"])

    return sorted(jobs, key=key)


def command(job: dict) -> list[str]:
    if job["kind"] == "pytest":
        return [str(VENV_BIN / "pytest"), *job.get("args", [])]
    if job["kind"] == "lint":
        return [str(VENV_BIN / "ansible-lint")]
    if job["kind"] == "gates":
        return ["make", "--no-print-directory", "gates"]
    return [str(VENV_BIN / "molecule"), "test", "-s", job["scenario"]]


# The integration port's followers taken by the whole-stack tests: test_reliability.py
# (+1 to +4) and test_runner.py (+5).
INTEGRATION_PORTS = 5


def environment(job: dict, port: int, integration_port: int) -> dict[str, str]:
    env = {**os.environ, "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.setdefault("ANSIBLE_CONFIG", str(ROOT / "ansible.cfg"))
    env["ANSIBLE_NOCOLOR"] = "1"
    # Each playbook run ends with its wall time, which steps() reads from the log.
    env["ANSIBLE_CALLBACKS_ENABLED"] = "ansible.posix.timer"
    env["PY_COLORS"] = "0"
    # Compiled templates are kept in the checkout, not the user's ~/.cache: a fresh clone starts cold, as in CI.
    env.setdefault("HEALTHCARE_DR_TEMPLATE_CACHE", str(TEMPLATE_CACHE))
    if job["kind"] == "molecule":
        env["DR_EMULATOR_PORT"] = str(port)
        env["DR_DRILL_CLOSED_PORT"] = str(integration_port + INTEGRATION_PORTS + 1)
    if job["kind"] == "pytest":
        env["DR_INTEGRATION_PORT"] = str(integration_port)
    if job["kind"] == "lint":
        env["ANSIBLE_COLLECTIONS_PATH"] = str(ROOT)
    return env


def wait_with_cpu(process: subprocess.Popen) -> tuple[int, float]:
    """The job's exit status and the CPU seconds (user + system) of it and every process it waited for.

    ``os.wait4`` reports the rusage of the whole tree the job reaped: ansible-playbook,
    molecule and every module process they ran. Detached processes (the emulator,
    which is reparented when its launcher exits) are not in it: see :func:`emulator_cpu`.
    """
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return process.returncode, usage.ru_utime + usage.ru_stime


def emulator_cpu(cpu_log: Path) -> float:
    """CPU seconds of the emulators the job stopped: ``tools/emulator.py stop`` appends ``<port> <seconds>`` there."""
    try:
        lines = cpu_log.read_text().splitlines()
    except OSError:
        return 0.0
    return sum(float(line.split()[1]) for line in lines if len(line.split()) == 2)


def tail(path: Path, lines: int = TAIL_LINES) -> str:
    text = path.read_text(errors="replace").splitlines()
    return "\n".join(text[-lines:])


def run(jobs: list[dict], workers: int, base_port: int, logs: Path, integration_port: int) -> list[dict]:
    """Run the jobs, ``workers`` at a time, each worker on its own emulator port."""
    logs.mkdir(parents=True, exist_ok=True)
    pending = list(jobs)
    lock = threading.Lock()
    results: list[dict] = []
    started = time.monotonic()

    def worker(slot: int) -> None:
        port = base_port + slot
        while True:
            with lock:
                if not pending:
                    return
                job = pending.pop(0)
                print(f"start {job['name']}" + (f" (emulator port {port})" if job["kind"] == "molecule" else ""),
                      flush=True)  # fmt: skip
            log = logs / f"{job['name']}.log"
            cpu_log = logs / f"{job['name']}.emulator-cpu"
            cpu_log.unlink(missing_ok=True)
            call_log = calls_dir(logs) / f"{job['name']}.jsonl"
            env = {**environment(job, port, integration_port), "DR_EMULATOR_CPU_LOG": str(cpu_log),
                   "DR_EMULATOR_CALL_LOG": str(call_log)}  # fmt: skip
            begin = time.monotonic()
            with open(log, "w") as handle:
                process = subprocess.Popen(
                    command(job), cwd=ROOT, env=env,
                    stdout=handle, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                )  # fmt: skip
                rc, cpu = wait_with_cpu(process)
            seconds = time.monotonic() - begin
            cpu += emulator_cpu(cpu_log)
            result = {"name": job["name"], "rc": rc, "seconds": round(seconds, 1), "cpu": round(cpu, 1),
                      "log": str(log)}  # fmt: skip
            with lock:
                results.append(result)
                at = time.monotonic() - started
                status = "ok  " if rc == 0 else "FAIL"
                print(f"{status} {job['name']:28} {seconds:7.1f} s  {cpu:7.1f} s CPU  (at {at:6.1f} s)  {log}",
                      flush=True)  # fmt: skip
                if rc != 0:
                    print(f"---- last {TAIL_LINES} lines of {log} ----\n{tail(log)}\n---- end of {job['name']} ----",
                          flush=True)  # fmt: skip

    threads = [threading.Thread(target=worker, args=(slot,)) for slot in range(max(1, workers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def calls_dir(logs: Path) -> Path:
    """Where each job's emulators log the calls they serve (tools/emulator_calls.py)."""
    path = logs / "calls"
    path.mkdir(parents=True, exist_ok=True)
    return path


def iam_check(logs: Path, complete: bool) -> dict:
    """``tools/iam_check.py`` on every job's call log, as one more result of the run.

    ``complete`` (the whole suite ran and passed) also compares the calls with the committed recording.
    """
    log = logs / "iam-policies.log"
    arguments = ["check", *(["--complete"] if complete else []), *sorted(map(str, calls_dir(logs).glob("*.jsonl")))]
    begin = time.monotonic()
    with open(log, "w") as handle:
        process = subprocess.Popen([str(VENV_BIN / "python"), str(ROOT / "tools" / "iam_check.py"), *arguments],
                                   cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)  # fmt: skip
        rc, cpu = wait_with_cpu(process)
    seconds = time.monotonic() - begin
    status = "ok  " if rc == 0 else "FAIL"
    print(f"{status} {'iam-policies':28} {seconds:7.1f} s  {cpu:7.1f} s CPU  {log}\n{tail(log, 30)}", flush=True)
    return {"name": "iam-policies", "rc": rc, "seconds": round(seconds, 1), "cpu": round(cpu, 1), "log": str(log)}


STEP = re.compile(r"^INFO\s+\[[^\]>]+> (\w+)\] Executing")
PLAYBOOK_TOOK = re.compile(r"^Playbook run took (\d+) days, (\d+) hours, (\d+) minutes, (\d+) seconds")


def steps(log: Path) -> dict[str, int]:
    """Seconds each molecule step's playbooks took (``converge``: 95), from the timer callback's lines."""
    found: dict[str, int] = {}
    step = None
    try:
        lines = log.read_text(errors="replace").splitlines()
    except OSError:
        return found
    for line in lines:
        started = STEP.match(line)
        if started:
            step = started.group(1)
            continue
        took = PLAYBOOK_TOOK.match(line)
        if took and step:
            days, hours, minutes, seconds = (int(g) for g in took.groups())
            found[step] = found.get(step, 0) + ((days * 24 + hours) * 60 + minutes) * 60 + seconds
    return found


def summary(results: list[dict], wall: float) -> str:
    lines = [f"{'job':30} {'wall s':>8} {'CPU s':>8}  result"]
    for r in sorted(results, key=lambda r: -r["seconds"]):
        verdict = "ok" if r["rc"] == 0 else f"FAILED rc={r['rc']}"
        parts = steps(Path(r["log"])) if r["name"].startswith("molecule-") else {}
        detail = ("  " + ", ".join(f"{k} {v}" for k, v in parts.items() if v)) if parts else ""
        lines.append(f"{r['name']:30} {r['seconds']:8.1f} {r.get('cpu', 0.0):8.1f}  {verdict}{detail}")
    total = sum(r["seconds"] for r in results)
    cpu = sum(r.get("cpu", 0.0) for r in results)
    lines.append(f"{'suite':30} {wall:8.1f} {cpu:8.1f}  (sum of job wall times {total:.1f} s; CPU per wall second "
                 f"{cpu / wall if wall else 0.0:.2f})")  # fmt: skip
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=int(os.environ.get("TEST_JOBS", "6")))
    parser.add_argument("--base-port", type=int, default=int(os.environ.get("TEST_EMULATOR_PORT", "4577")))
    parser.add_argument("--integration-port", type=int, default=None, help="default: base port + jobs")
    parser.add_argument("--only", nargs="+", default=None, help="pytest, lint, gates, molecule, scenario or job names")
    parser.add_argument("--logs", default="tests/output/suite")
    args = parser.parse_args(argv)
    if args.jobs < 1:
        parser.error("--jobs must be at least 1")
    try:
        jobs = make_jobs(scenarios(), args.only)
    except ValueError as error:
        parser.error(str(error))
    logs = (ROOT / args.logs).resolve()
    timings_file = logs / "timings.json"
    try:
        timings = json.loads(timings_file.read_text())
    except (OSError, ValueError):
        timings = {}
    jobs = order(jobs, timings)
    workers = min(args.jobs, len(jobs))
    integration_port = args.integration_port or args.base_port + args.jobs
    print(f"suite: {len(jobs)} job(s), {workers} at a time; emulator ports {args.base_port}-"
          f"{args.base_port + workers - 1}, integration {integration_port}; logs in {logs}", flush=True)  # fmt: skip
    begin = time.monotonic()
    for stale in calls_dir(logs).glob("*.jsonl"):  # only this run's calls are checked
        stale.unlink()
    results = run(jobs, workers, args.base_port, logs, integration_port)
    timings.update({r["name"]: r["seconds"] for r in results if r["rc"] == 0})
    results.append(iam_check(logs, complete=args.only is None and all(r["rc"] == 0 for r in results)))
    wall = time.monotonic() - begin
    timings_file.write_text(json.dumps(timings, indent=2, sort_keys=True) + "\n")
    print(summary(results, wall), flush=True)
    failed = [r["name"] for r in results if r["rc"] != 0]
    if failed:
        print(f"suite: FAILED: {', '.join(failed)}", flush=True)
        return 1
    print("suite: all passed", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

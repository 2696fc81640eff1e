"""The playbooks driven the way AWX and Automation Platform drive them: by
ansible-runner, from a private data directory, with no terminal to answer a
prompt and credentials only from the environment.

The private data directory is laid out as AWX lays it out for a job:

* ``project/``: a copy of this repository (AWX checks the project out there,
  away from where the collection is installed);
* ``collections/``: this collection installed with ``ansible-galaxy collection
  install``, as the execution environment holds it (``execution-environment.yml``);
* ``inventory/``: the local inventory without its credentials;
* ``env/envvars``: the emulator's port, fake credentials as AWX's AWS credential
  type injects them, an empty ``HOME``; ``env/extravars``: the job's extra vars;
  ``env/settings``: timeouts, so a playbook waiting on input fails the job.

The emulator of its own (integration port + 5) starts from the suite's ``stack``
(tools/stack_cache.py, the whole of site.yml), so site.yml's run is the no-op
rerun a scheduled job makes; then dr_status.yml, then destroy.yml with its
confirmation as an extra var, as a survey answer would give it, twice: the
second finds nothing to delete and changes nothing (the suite's "destroy twice"
lives here). dr_status.yml runs under the plain strategy (``ANSIBLE_STRATEGY=linear``
in the job's environment): it reads every role's state, from both regions; the
others run under the project's ansible.cfg strategy, Mitogen's. site.yml under the
plain strategy took about 280 CPU s for its no-op (each task starts a Python that
imports boto3 anew) against Mitogen's 30; the plain strategy also builds the network
from empty in a user's own play (test_user_play.py). Each job is
checked from runner's own artifacts: its status and rc, its job events (a task
of every role, the report written, no secret), and the stack it leaves.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import ansible_runner
import pytest
import yaml

import stack
import stack_cache
from ansible_collections.healthcare.dr.plugins.callback.default import ACKNOWLEDGED

ROOT = Path(__file__).resolve().parents[2]
# test_reliability.py takes the integration port + 1 to + 4 (tools/run_suite.py INTEGRATION_PORTS counts them all).
PORT = int(os.environ.get("DR_INTEGRATION_PORT", "4578")) + 5
ENDPOINT = f"http://127.0.0.1:{PORT}"
# What is never copied into the project: .gitignore's build outputs and the venv.
NOT_PROJECT = (".git", ".venv", ".emulator", "ansible_collections", "tests/output", "reports", "__pycache__",
               ".pytest_cache", "*.tar.gz")  # fmt: skip
# AWX's AWS credential type injects these; the emulator takes any key. The secret is
# recognisable so that a leak into an event is found.
FAKE_SECRET = "runner-fake-secret-3b9f0c2e"
SITE_ROLES = {"network", "aurora", "lambda_alb", "s3", "eventbridge", "dns_failover", "monitoring"}
# A job that waits this long with no output is waiting for input no one will give.
IDLE_TIMEOUT = 600
CALLER_SETTINGS = ("ANSIBLE_", "DR_")
JOB_TIMEOUT = 1500


def _ignored(directory: str, names: list[str]) -> set[str]:
    relative = Path(directory).relative_to(ROOT)
    return {n for n in names for pattern in NOT_PROJECT if (relative / n).match(pattern) or n == pattern}


def _write_yaml(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def lay_out(private: Path) -> Path:
    """A private data directory as AWX writes it for a job of this project."""
    project = private / "project"
    shutil.copytree(ROOT, project, ignore=_ignored, symlinks=True)
    subprocess.run(
        [str(Path(sys.executable).parent / "ansible-galaxy"), "collection", "install", str(project),
         "--collections-path", str(private / "collections"), "--force"],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    local = ROOT / "inventories" / "local"
    (private / "inventory").mkdir()
    shutil.copy(local / "hosts.yml", private / "inventory" / "hosts.yml")
    group_vars = yaml.safe_load((local / "group_vars" / "all.yml").read_text())
    # Credentials come from the job's credential (the environment), never from the inventory.
    for key in ("dr_aws_access_key", "dr_aws_secret_key"):
        group_vars.pop(key)
    _write_yaml(private / "inventory" / "group_vars" / "all.yml", group_vars)
    home = private / "home"
    home.mkdir()
    envvars = {
        "DR_EMULATOR_PORT": str(PORT),
        "AWS_ACCESS_KEY_ID": "AKIARUNNERFAKE000000",
        "AWS_SECRET_ACCESS_KEY": FAKE_SECRET,
        "HOME": str(home),
        # The execution environment's ansible-core and runner: this venv's.
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "ANSIBLE_COLLECTIONS_PATH": str(private / "collections"),
        "ANSIBLE_NOCOLOR": "1",
    }
    _write_yaml(private / "env" / "envvars", envvars)
    _write_yaml(private / "env" / "settings", {"idle_timeout": IDLE_TIMEOUT, "job_timeout": JOB_TIMEOUT})
    return private


def run_job(private: Path, playbook: str, ident: str, extravars: dict | None = None, strategy: str | None = None):
    """One job, as AWX starts it: runner reads env/ and inventory/ from the private data directory.

    ``strategy`` is set as a job template's environment would set ``ANSIBLE_STRATEGY``;
    without it the project's ansible.cfg chooses (healthcare.dr.mitogen_linear).
    """
    _write_yaml(private / "env" / "extravars", extravars or {})
    envvars = yaml.safe_load((private / "env" / "envvars").read_text())
    envvars.pop("ANSIBLE_STRATEGY", None)
    _write_yaml(private / "env" / "envvars", {**envvars, **({"ANSIBLE_STRATEGY": strategy} if strategy else {})})
    # The caller's settings must not reach the job (an execution environment has none of the
    # suite's): the project's ansible.cfg applies, with no extra callback.
    outside = {k: os.environ.pop(k) for k in list(os.environ) if k.startswith(CALLER_SETTINGS)}
    try:
        return ansible_runner.run(private_data_dir=str(private), playbook=playbook, ident=ident, quiet=True)
    finally:
        os.environ.update(outside)


def artifacts(private: Path, ident: str) -> dict:
    folder = private / "artifacts" / ident
    events = sorted((json.loads(p.read_text()) for p in (folder / "job_events").glob("*.json")),
                    key=lambda event: event["counter"])  # fmt: skip
    return {"status": (folder / "status").read_text(), "rc": int((folder / "rc").read_text()), "events": events,
            "stdout": (folder / "stdout").read_text()}  # fmt: skip


def _roles(events: list[dict]) -> set[str]:
    return {e["event_data"]["role"].rsplit(".", 1)[-1] for e in events
            if e["event"] == "runner_on_ok" and e.get("event_data", {}).get("role")}  # fmt: skip


@pytest.fixture(scope="module")
def jobs(tmp_path_factory):
    stack.emulator(PORT, "start")
    stack.emulator(PORT, "reset")
    try:
        stack_cache.ensure("stack", PORT)
        private = lay_out(tmp_path_factory.mktemp("awx-job"))
        password = stack.master_password(ENDPOINT)
        results = {}
        for ident, playbook, extravars, strategy in (
            ("site", "playbooks/site.yml", None, None),
            ("dr_status", "playbooks/dr_status.yml", None, "linear"),
            ("destroy", "playbooks/destroy.yml", {"dr_confirm_destroy": "dev"}, None),
            ("destroy_again", "playbooks/destroy.yml", {"dr_confirm_destroy": "dev"}, None),
        ):
            run_job(private, playbook, ident, extravars, strategy)
            results[ident] = artifacts(private, ident)
            if ident == "dr_status":
                results["reports"] = sorted(p.name for p in (private / "project" / "reports").glob("dr-status-*"))
            if ident == "destroy":
                # An alias stays with its key through the key's pending-deletion window (AWS deletes
                # both when it ends); the inventory counts keys only while they are enabled.
                left = stack.non_empty(stack.inventory(ENDPOINT))
                results["left"] = {kind: names for kind, names in left.items() if kind != "kms_alias"}
        yield {"private": private, "password": password, **results}
    finally:
        stack.emulator(PORT, "stop")


JOBS = ("site", "dr_status", "destroy", "destroy_again")


@pytest.mark.parametrize("ident", JOBS)
def test_each_job_is_successful_by_runners_own_artifacts(jobs, ident):
    job = jobs[ident]
    assert (job["status"], job["rc"]) == ("successful", 0), job["stdout"][-4000:]
    assert _stats(job)["ok"], job["stdout"][-4000:]


def _stats(job: dict) -> dict:
    return next(e["event_data"] for e in reversed(job["events"]) if e["event"] == "playbook_on_stats")


@pytest.mark.parametrize("ident", ["site", "destroy_again"])
def test_a_rerun_changes_nothing(jobs, ident):
    """site.yml on the built stack; destroy.yml when the first destroy left nothing."""
    stats = _stats(jobs[ident])
    assert set(stats["ok"]) == set(stack.REGIONS) and not stats["failures"] and not stats["changed"], stats


def test_the_site_job_runs_a_task_of_every_role(jobs):
    assert SITE_ROLES <= _roles(jobs["site"]["events"]), _roles(jobs["site"]["events"])


def test_the_site_job_ensured_the_route_tables_in_one_task_per_region(jobs):
    """healthcare.dr.vpc_route_tables ran on both regions and, on the built stack, found the five tables of each
    as they should be."""
    ran = {e["event_data"]["host"]: e["event_data"]["res"] for e in jobs["site"]["events"]
           if e["event"] == "runner_on_ok"
           and e["event_data"].get("task_action") == "healthcare.dr.vpc_route_tables"}  # fmt: skip
    assert set(ran) == set(stack.REGIONS), sorted(ran)
    for host, res in ran.items():
        assert res["changed"] is False, (host, res.get("actions"))
        # Five tables per region: public, one app table per availability zone (three), database.
        assert len(res["route_tables"]) == 5, (host, [t["name"] for t in res["route_tables"]])


def test_the_dr_status_job_writes_its_report_into_the_project(jobs):
    assert {Path(n).suffix for n in jobs["reports"]} == {".json", ".md"}, jobs["reports"]


def test_the_destroy_job_takes_its_confirmation_as_an_extra_var_and_leaves_nothing(jobs):
    assert jobs["left"] == {}, jobs["left"]
    plays = [e["event_data"]["play"] for e in jobs["destroy"]["events"] if e["event"] == "playbook_on_play_start"]
    # Past the confirmation to the last play, destroy.yml's own check that nothing is left.
    assert plays[-1] == "Check that nothing of the stack is left", plays


def _destroy_task_roles(events: list[dict]) -> set[str]:
    """The roles whose destroy tasks (roles/<role>/tasks/*destroy*.yml) ran, by the events' task paths."""
    return {e["event_data"]["role"].rsplit(".", 1)[-1] for e in events
            if e["event"] in ("runner_on_ok", "runner_on_skipped") and e.get("event_data", {}).get("role")
            and "destroy" in Path(e["event_data"].get("task_path", "").split(":")[0]).name}  # fmt: skip


def test_destroy_looks_first_and_runs_no_roles_destroy_when_nothing_is_left(jobs):
    """The first destroy found the stack and ran every site role's destroy tasks; the second found
    nothing in its first look and ran none, then passed the same nothing-left check."""
    assert SITE_ROLES <= _destroy_task_roles(jobs["destroy"]["events"]), _destroy_task_roles(jobs["destroy"]["events"])
    assert _destroy_task_roles(jobs["destroy_again"]["events"]) == set()
    plays = [e["event_data"]["play"] for e in jobs["destroy_again"]["events"] if e["event"] == "playbook_on_play_start"]
    assert plays[-1] == "Check that nothing of the stack is left", plays


def test_no_event_holds_a_secret(jobs):
    assert len(jobs["password"]) >= 16
    for ident in JOBS:
        for event in jobs[ident]["events"]:
            text = json.dumps(event)
            assert jobs["password"] not in text, (ident, event["event"], event.get("event_data", {}).get("task"))
            assert FAKE_SECRET not in text, (ident, event["event"], event.get("event_data", {}).get("task"))


# ansible-core's own notice that a strategy plugin outside ansible.builtin is used (the project's
# ansible.cfg chooses healthcare.dr.mitogen_linear, docs/performance.md), and the hint that comes with
# the first deprecation shown; neither is about a task.
CORE_NOTICES = ("Use of strategy plugins not included in ansible.builtin are deprecated",
                "Deprecation warnings can be disabled by setting")  # fmt: skip


def _unexpected_notices(stdout: str) -> list[str]:
    """Every [WARNING] / [DEPRECATION WARNING] line that neither ansible-core's nor an acknowledged upstream one."""
    notices = [line.split("]: ", 1)[-1] for line in stdout.splitlines()
               if line.startswith(("[WARNING]: ", "[DEPRECATION WARNING]: "))]  # fmt: skip
    known = CORE_NOTICES + tuple(notice.starts for notice in ACKNOWLEDGED)
    return [notice for notice in notices if not notice.startswith(known)]


def test_no_job_prints_a_warning_that_is_not_acknowledged(jobs):
    """ansible-runner's own callback prints every notice, so each must be one plugins/callback/default.py
    acknowledges (and hides from ansible-playbook's output) or ansible-core's strategy notice."""
    assert _unexpected_notices("[WARNING]: a new one\n[DEPRECATION WARNING]: " + ACKNOWLEDGED[0].starts) == ["a new one"]
    for ident in JOBS:
        assert _unexpected_notices(jobs[ident]["stdout"]) == [], ident

"""tools/run_suite.py: scenario discovery, job order, ports, logs and the exit status."""

from __future__ import annotations

import configparser
import json
import sys
from pathlib import Path

import pytest
import yaml

import run_suite


def test_every_scenario_with_a_molecule_yml_is_found(tmp_path):
    for name in ("default", "network", "zeta"):
        (tmp_path / "molecule" / name).mkdir(parents=True)
        (tmp_path / "molecule" / name / "molecule.yml").write_text("---\n")
    (tmp_path / "molecule" / "resources").mkdir()  # shared playbooks, not a scenario
    assert run_suite.scenarios(tmp_path) == ["default", "network", "zeta"]


def test_the_repository_scenarios_include_the_whole_stack():
    assert "default" in run_suite.scenarios()
    assert "resources" not in run_suite.scenarios()


def test_jobs_are_pytest_split_lint_gates_and_one_per_scenario():
    jobs = {j["name"]: j for j in run_suite.make_jobs(["default", "s3"])}
    assert list(jobs) == ["pytest", "pytest-reliability", "pytest-runner", "lint", "gates", "molecule-default",
                          "molecule-s3"]  # fmt: skip
    assert run_suite.command({"name": "gates", "kind": "gates"})[-1] == "gates"
    # Between them the pytest jobs run every test file once.
    stack_files = [run_suite.command(jobs[n])[1:] for n in ("pytest-reliability", "pytest-runner")]
    assert all(len(f) == 1 and (run_suite.ROOT / f[0]).is_file() for f in stack_files)
    assert run_suite.command(jobs["pytest"])[1:] == [f"--ignore={f[0]}" for f in stack_files]


def test_only_selects_by_kind_or_scenario():
    assert [j["name"] for j in run_suite.make_jobs(["default", "s3"], ["molecule"])] == [
        "molecule-default",
        "molecule-s3",
    ]
    assert [j["name"] for j in run_suite.make_jobs(["default", "s3"], ["s3", "lint"])] == ["lint", "molecule-s3"]
    assert [j["name"] for j in run_suite.make_jobs(["default"], ["pytest"])] == ["pytest", "pytest-reliability", "pytest-runner"]
    assert [j["name"] for j in run_suite.make_jobs(["default"], ["pytest-runner"])] == ["pytest-runner"]
    with pytest.raises(ValueError, match="nope"):
        run_suite.make_jobs(["default"], ["nope"])


def test_longest_first_from_the_last_run_then_untimed_jobs_whole_stack_first_lint_last():
    jobs = run_suite.make_jobs(["default", "network", "s3"])
    ordered = [j["name"] for j in run_suite.order(jobs, {"molecule-s3": 50.0, "pytest": 90.0})]
    assert ordered == ["pytest", "molecule-s3", "molecule-default", "pytest-reliability", "pytest-runner",
                       "molecule-network", "gates", "lint"]  # fmt: skip
    # Never timed (a clean checkout, as in CI): the longest kinds start first.
    untimed = [j["name"] for j in run_suite.order(jobs, {})]
    assert untimed == ["molecule-default", "pytest", "pytest-reliability", "pytest-runner", "molecule-network",
                       "molecule-s3", "gates", "lint"]  # fmt: skip


def test_every_job_keeps_compiled_templates_in_the_checkout_so_a_fresh_clone_starts_cold(monkeypatch):
    monkeypatch.delenv("HEALTHCARE_DR_TEMPLATE_CACHE", raising=False)
    for job in ({"name": "molecule-s3", "kind": "molecule", "scenario": "s3"}, {"name": "pytest", "kind": "pytest"}):
        cache = run_suite.environment(job, 4600, 4610)["HEALTHCARE_DR_TEMPLATE_CACHE"]
        assert cache == str(run_suite.ROOT / "tests" / "output" / "template-cache")
    monkeypatch.setenv("HEALTHCARE_DR_TEMPLATE_CACHE", "off")
    assert run_suite.environment({"name": "pytest", "kind": "pytest"}, 4600, 4610)["HEALTHCARE_DR_TEMPLATE_CACHE"] == "off"


def test_molecule_gets_its_port_and_pytest_the_integration_port():
    molecule = run_suite.environment({"name": "molecule-s3", "kind": "molecule", "scenario": "s3"}, 4600, 4610)
    assert molecule["DR_EMULATOR_PORT"] == "4600"
    pytest_env = run_suite.environment({"name": "pytest", "kind": "pytest"}, 4601, 4610)
    assert pytest_env["DR_INTEGRATION_PORT"] == "4610"
    # The drill's closed port is past every port a job opens: the molecule slots and the integration ports.
    closed = int(molecule["DR_DRILL_CLOSED_PORT"])
    assert closed > 4610 + run_suite.INTEGRATION_PORTS


def test_every_playbook_runs_under_the_projects_strategy_which_is_mitogens(monkeypatch):
    """The suite chooses no strategy: ansible.cfg does, and molecule's own ansible.cfg says the same."""
    monkeypatch.delenv("ANSIBLE_STRATEGY", raising=False)
    for job in ({"name": "molecule-s3", "kind": "molecule", "scenario": "s3"}, {"name": "pytest", "kind": "pytest"}):
        assert "ANSIBLE_STRATEGY" not in run_suite.environment(job, 4600, 4610)
    config = configparser.ConfigParser()
    config.read(run_suite.ROOT / "ansible.cfg")
    assert config["defaults"]["strategy"] == "healthcare.dr.mitogen_linear"
    molecule = yaml.safe_load((run_suite.ROOT / ".config" / "molecule" / "config.yml").read_text())
    assert molecule["provisioner"]["config_options"]["defaults"]["strategy"] == config["defaults"]["strategy"]


def test_each_job_reports_its_cpu_and_its_emulators(tmp_path, monkeypatch):
    burn = "import time; end = time.process_time() + 0.3\nwhile time.process_time() < end: pass"
    log = "import os; open(os.environ['DR_EMULATOR_CPU_LOG'], 'a').write('4700 2.50\\n')"
    fake_commands(monkeypatch, {"molecule-a": burn, "molecule-b": log})
    jobs = [{"name": n, "kind": "molecule", "scenario": n[-1]} for n in ("molecule-a", "molecule-b")]
    results = {r["name"]: r for r in run_suite.run(jobs, 2, 4700, tmp_path, 4702)}
    assert results["molecule-a"]["cpu"] >= 0.3
    assert 2.5 <= results["molecule-b"]["cpu"] < 3.0
    table = run_suite.summary(list(results.values()), 1.0)
    assert "CPU s" in table.splitlines()[0] and "CPU per wall second" in table.splitlines()[-1]


def fake_commands(monkeypatch, scripts: dict[str, str]):
    def command(job):
        return [sys.executable, "-c", scripts[job["name"]]]

    monkeypatch.setattr(run_suite, "command", command)


def test_jobs_run_side_by_side_each_on_its_own_port_with_its_own_log(tmp_path, monkeypatch):
    # Each job prints its port and when it started and ended sleeping; side by side, the two spans overlap
    # (compared as spans, not as a total wall time, so a loaded machine's slow interpreter start does not matter).
    script = (
        "import os, time; start = time.time(); time.sleep(1.0); "
        "print('port', os.environ.get('DR_EMULATOR_PORT'), start, time.time())"
    )
    fake_commands(monkeypatch, {"molecule-a": script, "molecule-b": script})
    jobs = [{"name": n, "kind": "molecule", "scenario": n[-1]} for n in ("molecule-a", "molecule-b")]
    results = run_suite.run(jobs, 2, 4700, tmp_path, 4702)
    assert all(r["rc"] == 0 for r in results)
    lines = [(tmp_path / f"{n}.log").read_text().split() for n in ("molecule-a", "molecule-b")]
    assert sorted(line[1] for line in lines) == ["4700", "4701"]
    (a_start, a_end), (b_start, b_end) = ((float(words[2]), float(words[3])) for words in lines)
    assert a_start < b_end and b_start < a_end  # both slept at once


def test_a_failed_job_makes_the_suite_fail_and_shows_its_log_tail(tmp_path, monkeypatch, capsys):
    fake_commands(monkeypatch, {"pytest": "print('fine')", "pytest-reliability": "pass", "pytest-runner": "pass",
                                "lint": "import sys; print('broken rule'); sys.exit(3)"})  # fmt: skip
    monkeypatch.setattr(run_suite, "scenarios", lambda root=None: [])
    rc = run_suite.main(["--jobs", "2", "--logs", str(tmp_path)])
    out = capsys.readouterr().out
    assert rc == 1
    assert "FAIL lint" in out and "broken rule" in out
    assert "suite: FAILED: lint" in out
    # Only passing jobs are remembered for the next run's order.
    assert "pytest" in (tmp_path / "timings.json").read_text()
    assert "lint" not in (tmp_path / "timings.json").read_text()


def test_all_passing_exits_zero(tmp_path, monkeypatch, capsys):
    fake_commands(monkeypatch, {"pytest": "pass", "pytest-reliability": "pass", "pytest-runner": "pass", "lint": "pass",
                                "gates": "pass"})  # fmt: skip
    monkeypatch.setattr(run_suite, "scenarios", lambda root=None: [])
    # The fake jobs call nothing; the policy check's own tests are below.
    checked = []
    monkeypatch.setattr(run_suite, "iam_check", lambda logs, complete: checked.append(complete) or
                        {"name": "iam-policies", "rc": 0, "seconds": 0.1, "cpu": 0.1, "log": str(logs / "x.log")})  # fmt: skip
    assert run_suite.main(["--jobs", "1", "--logs", str(tmp_path)]) == 0
    assert "suite: all passed" in capsys.readouterr().out
    assert checked == [True]  # the whole suite passed: the recording is compared too


def test_each_jobs_emulators_log_their_calls_in_a_file_of_the_job(tmp_path, monkeypatch):
    fake_commands(monkeypatch, {"molecule-a": "import os; print(os.environ['DR_EMULATOR_CALL_LOG'])"})
    run_suite.run([{"name": "molecule-a", "kind": "molecule", "scenario": "a"}], 1, 4700, tmp_path, 4702)
    assert (tmp_path / "molecule-a.log").read_text().strip() == str(tmp_path / "calls" / "molecule-a.jsonl")


def test_a_call_no_policy_grants_fails_the_suite_naming_it(tmp_path):
    call = {"caller": "healthcare.dr-operator", "service": "ec2", "operation": "DeleteVpc", "status": 200}
    (run_suite.calls_dir(tmp_path) / "molecule-a.jsonl").write_text(json.dumps(call) + "\n")
    result = run_suite.iam_check(tmp_path, complete=False)
    assert result["rc"] == 1 and result["name"] == "iam-policies"
    assert "operator: ec2:DeleteVpc is not granted (needed by ec2:DeleteVpc)" in Path(result["log"]).read_text()


def test_the_table_shows_each_molecule_steps_seconds(tmp_path):
    log = tmp_path / "molecule-x.log"
    log.write_text(
        "INFO     [x > prepare] Executing\nPlaybook run took 0 days, 0 hours, 0 minutes, 4 seconds\n"
        "INFO     [x > converge] Executing\nPlaybook run took 0 days, 0 hours, 2 minutes, 5 seconds\n"
        "INFO     [x > cleanup] Executing\nPlaybook run took 0 days, 0 hours, 0 minutes, 7 seconds\n"
        "Playbook run took 0 days, 0 hours, 0 minutes, 3 seconds\n"
    )
    assert run_suite.steps(log) == {"prepare": 4, "converge": 125, "cleanup": 10}
    table = run_suite.summary([{"name": "molecule-x", "rc": 0, "seconds": 140.0, "cpu": 60.0, "log": str(log)}], 140.0)
    assert "converge 125" in table

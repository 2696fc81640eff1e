"""Bad input fails in the pre-flight plays, before any AWS call, with one line
naming the variable and what is wrong; the emulator holds nothing of the stack
afterwards.

The cases run side by side (they make no AWS call, so they cannot disturb one
another) in one fixture; each case is then its own test. Cases that change the
inventory's shape (a host missing a variable, a third region, hosts that
disagree on the primary) get an inventory of their own next to
inventories/local's group_vars.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml

import stack

ROOT = Path(__file__).resolve().parents[2]
LOCAL = ROOT / "inventories" / "local"
PREFLIGHT_PLAYS = {"Check the region pair before touching AWS", "Check every role's inputs before touching AWS"}


def _hosts(change) -> dict:
    hosts = yaml.safe_load((LOCAL / "hosts.yml").read_text())
    change(hosts["all"])
    return hosts


def _drop(host, key):
    def change(all_):
        if host is None:
            del all_["vars"][key]
        else:
            del all_["children"]["regions"]["hosts"][host][key]

    return change


def _set(host, key, value):
    def change(all_):
        all_["children"]["regions"]["hosts"][host][key] = value

    return change


def _third_region(all_):
    all_["children"]["regions"]["hosts"]["eu-west-1"] = {"dr_region": "eu-west-1", "dr_vpc_cidr": "10.2.0.0/16"}


def _two_primaries(all_):
    del all_["vars"]["dr_primary_region"]
    for name, host in all_["children"]["regions"]["hosts"].items():
        host["dr_primary_region"] = name  # each host believes it is the primary


# id: (extra vars or None, inventory change or None, variable named, what the line says)
CASES = {
    "overlapping-cidrs": ({"dr_vpc_cidr": "10.0.0.0/16"}, None, "dr_vpc_cidr", "overlap"),
    "same-region-twice": ({"dr_region": "us-east-1"}, None, "dr_region", "two different regions"),
    "bad-suffix": ({"dr_environment_suffix": "Bad_1"}, None, "dr_environment_suffix", "lower-case letters or digits"),
    "short-suffix": ({"dr_environment_suffix": "x"}, None, "dr_environment_suffix", "2 to 12"),
    "long-suffix": ({"dr_environment_suffix": "abcdefghijklm"}, None, "dr_environment_suffix", "2 to 12"),
    "no-primary": ({"dr_primary_region": "eu-west-1"}, None, "dr_primary_region", "exactly one of the regions"),
    "two-primaries": (None, _two_primaries, "dr_primary_region", "exactly one region can be the primary"),
    "bad-cidr": ({"dr_vpc_cidr": "10.0.0.1/16"}, None, "dr_vpc_cidr", "not an IPv4 CIDR block"),
    "bad-region": ({"dr_region": "useast1"}, None, "dr_region", "not an AWS region name"),
    "three-regions": (None, _third_region, "regions", "exactly two region hosts"),
    "missing-vpc-cidr": (None, _drop("us-west-2", "dr_vpc_cidr"), "dr_vpc_cidr", "(unset) on host us-west-2"),
    "missing-suffix": (None, _drop(None, "dr_environment_suffix"), "dr_environment_suffix", "(unset)"),
    "vpc-too-small": (None, _set("us-west-2", "dr_vpc_cidr", "10.9.0.0/26"), "network_subnet_newbits", "subnets of /28 or larger"),
    "ingress-not-a-cidr": (
        {"network_alb_ingress_cidrs": ["0.0.0.0/0", "anywhere"]}, None, "network_alb_ingress_cidrs", "anywhere is not an IPv4 CIDR",
    ),
    "az-count-choice": ({"network_availability_zone_count": 4}, None, "network_availability_zone_count", "must be one of"),
    "nat-choice": ({"network_nat_gateways": "two"}, None, "network_nat_gateways", "must be one of"),
    "unknown-engine-version": ({"aurora_engine_version": "99.1"}, None, "aurora_engine_version", "not a known aurora-postgresql version"),
    "unknown-engine": ({"aurora_engine": "postgres"}, None, "aurora_engine", "must be one of"),
    "zero-instances": ({"aurora_instances_per_region": 0}, None, "aurora_instances_per_region", "must be 1 or more"),
    "instances-not-int": ({"aurora_instances_per_region": "two"}, None, "aurora_instances_per_region", "unable to convert to int"),
    "protection-not-bool": ({"aurora_deletion_protection": "perhaps"}, None, "aurora_deletion_protection", "unable to convert to bool"),
    "kms-window": ({"s3_kms_key_deletion_window_days": 3}, None, "s3_kms_key_deletion_window_days", "between 7 and 30"),
    "certificate-wrong-region": (
        {"lambda_alb_certificate_arn": "arn:aws:acm:eu-west-1:123456789012:certificate/0b7f7d4e-1111-2222-3333-444455556666"},
        None, "lambda_alb_certificate_arn", "is in region eu-west-1",
    ),
    "certificate-not-acm": (
        {"lambda_alb_certificate_arn": "arn:aws:iam::123456789012:server-certificate/app"},
        None, "lambda_alb_certificate_arn", "not an ACM certificate ARN",
    ),
    "log-retention-choice": ({"lambda_alb_log_retention_days": 2}, None, "lambda_alb_log_retention_days", "must be one of"),
    "health-check-shorter-than-function": ({"lambda_alb_timeout": 30}, None, "lambda_alb_timeout", "must hold"),
    "dns-interval-choice": ({"dns_failover_request_interval": 20}, None, "dns_failover_request_interval", "must be one of"),
    "domain-malformed": ({"dns_failover_domain": "Not A Domain"}, None, "dns_failover_domain", "lower-case DNS name"),
    "malformed-email": (
        {"monitoring_alarm_emails": ["ops@example.org", "ops-at-example.org"]}, None, "monitoring_alarm_emails",
        "ops-at-example.org is not an email address",
    ),
    "emails-not-a-list": ({"monitoring_alarm_emails": {"to": "ops@example.org"}}, None, "monitoring_alarm_emails", "cannot be converted to a list"),
    "cpu-threshold": ({"monitoring_rds_cpu_threshold": 150}, None, "monitoring_rds_cpu_threshold", "not a percentage"),
}  # fmt: skip


def _run(case_id: str, endpoint: str, workdir: Path) -> subprocess.CompletedProcess:
    extra_vars, change = CASES[case_id][:2]
    inventory = "inventories/local"
    if change is not None:
        folder = workdir / case_id
        folder.mkdir()
        (folder / "hosts.yml").write_text(yaml.safe_dump(_hosts(change)))
        (folder / "group_vars").symlink_to(LOCAL / "group_vars")
        inventory = str(folder)
    args = ["-e", json.dumps(extra_vars)] if extra_vars else []
    bin_dir = Path(sys.executable).parent
    env = {
        **os.environ,
        "DR_EMULATOR_PORT": endpoint.rsplit(":", 1)[-1],
        "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"),
        "ANSIBLE_NOCOLOR": "1",
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    return subprocess.run(
        [str(bin_dir / "ansible-playbook"), "-i", inventory, "playbooks/site.yml", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


@pytest.fixture(scope="module")
def bad_runs(emulator, tmp_path_factory):
    """Every case's run, four at a time, then what the emulator holds."""
    workdir = tmp_path_factory.mktemp("inventories")
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = {case: pool.submit(_run, case, emulator, workdir) for case in CASES}
        results = {case: future.result() for case, future in futures.items()}
    return results, stack.non_empty(stack.inventory(emulator))


def test_there_are_at_least_25_bad_inputs():
    assert len(CASES) >= 25


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_fails_before_any_aws_write(bad_runs, case):
    results, left = bad_runs
    result = results[case]
    variable, says = CASES[case][2:]
    assert result.returncode != 0, result.stdout[-3000:]
    # One line names the variable and says what is wrong with it.
    lines = [line for line in result.stdout.splitlines() if variable in line and says in line]
    assert lines, result.stdout[-4000:]
    # Only the pre-flight plays ran, and nothing changed.
    plays = {line[len("PLAY [") :].split("]")[0] for line in result.stdout.splitlines() if line.startswith("PLAY [")}
    assert plays - {"RECAP"} <= PREFLIGHT_PLAYS, plays
    assert "changed: [" not in result.stdout
    assert left == {}, left


def test_destroy_refuses_without_confirmation(playbook):
    result = playbook("destroy.yml")
    assert result.returncode != 0
    assert "dr_confirm_destroy: destroying environment dev" in result.stdout


def test_destroy_refuses_the_wrong_environment(playbook):
    result = playbook("destroy.yml", "-e", "dr_confirm_destroy=prod")
    assert result.returncode != 0
    assert "rerun with -e dr_confirm_destroy=dev" in result.stdout

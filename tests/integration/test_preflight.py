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

from ansible_collections.healthcare.dr.plugins.module_utils.names import stack_names

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
    "vpc-too-small": (None, _set("us-west-2", "dr_vpc_cidr", "10.9.0.0/26"), "network_subnet_newbits", "must be /27 or larger"),
    "ingress-not-a-cidr": (
        {"network_alb_ingress_cidrs": ["0.0.0.0/0", "anywhere"]}, None, "network_alb_ingress_cidrs", "anywhere is not an IPv4 CIDR",
    ),
    "az-count-choice": ({"network_availability_zone_count": 4}, None, "network_availability_zone_count", "must be one of"),
    "nat-choice": ({"network_nat_gateways": "two"}, None, "network_nat_gateways", "must be one of"),
    "unknown-engine-version": ({"aurora_engine_version": "99.1"}, None, "aurora_engine_version", "not a known aurora-postgresql version"),
    "unknown-engine": ({"aurora_engine": "postgres"}, None, "aurora_engine", "must be one of"),
    "zero-instances": ({"aurora_instances_per_region": 0}, None, "aurora_instances_per_region", "must be 1 to 16"),
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


# A host whose region name makes every derived name too long (the pair play accepts the shape), its alarms'
# names one character over CloudWatch's 255. The secret's name holds no region: the suffix's 12 characters keep it
# far inside Secrets Manager's 512, so its check has no case here (the filter's unit test has both sides of 512).
LONG_REGION_NAME = "us-" + "x" * 225 + "-1"
LONG_REGION = _set("us-west-2", "dr_region", LONG_REGION_NAME)
LONG_NAMES = stack_names(LONG_REGION_NAME, "dev")
NAMES = "dr_region / dr_environment_suffix"


def _too_long(what: str, key: str) -> str:
    """What pre-flight says of the long region's name for ``key`` (from the collection's name map)."""
    return f"{what} {LONG_NAMES[key]} is {len(LONG_NAMES[key])} characters"


# A DNS name of 253 characters (Route 53's 255 bytes with the final dot and the length byte), labels of 63 at most.
DOMAIN_253 = ".".join(("a" * 63, "b" * 63, "c" * 63, "d" * 61))

# AWS's own limits, each just outside: id: (extra vars, inventory change or None, variable named, what the
# line says). The roles' checks all run in pre-flight and report together, so cases share a run
# (LIMIT_RUNS) when they set different variables; a spec failure skips its role's own checks, so
# cases failing a spec (choices) run apart from the checks of validate.yml.
LIMIT_CASES = {
    "ingress-31-blocks": ({"network_alb_ingress_cidrs": [f"10.{n}.0.0/16" for n in range(31)]}, None, "network_alb_ingress_cidrs", "62 rules"),
    "vpc-block-15": ({"network_vpc_cidr": "10.0.0.0/15"}, None, "network_vpc_cidr", "between /16 and /28"),
    "subnets-28": ({"network_vpc_cidr": "10.0.0.0/16", "network_subnet_newbits": 12}, None, "network_subnet_newbits", "must be /27 or larger"),
    "subnets-too-few": ({"network_subnet_newbits": 4}, None, "network_subnet_newbits", "at least 5 bits"),
    "network-wait-delay-0": ({"network_wait_delay": 0}, None, "network_wait_delay", "must be 1 or more"),
    "flow-log-retention-2": ({"network_flow_logs_retention_days": 2}, None, "network_flow_logs_retention_days", "must be one of"),
    "backup-retention-0": ({"aurora_backup_retention_days": 0}, None, "aurora_backup_retention_days", "must be 1 to 35"),
    "backup-retention-36": ({"aurora_backup_retention_days": 36}, None, "aurora_backup_retention_days", "must be 1 to 35"),
    "instances-17": ({"aurora_instances_per_region": 17}, None, "aurora_instances_per_region", "must be 1 to 16"),
    "instance-class-burstable": ({"aurora_instance_class": "db.t4g.medium"}, None, "aurora_instance_class", "not a memory-optimised class"),
    "port-1149": ({"aurora_port": 1149}, None, "aurora_port", "must be 1150 to 65535"),
    "port-65536": ({"aurora_port": 65536}, None, "aurora_port", "must be 1150 to 65535"),
    "username-digit-first": ({"aurora_master_username": "1admin"}, None, "aurora_master_username", "starting with a letter"),
    "username-64": ({"aurora_master_username": "a" * 64}, None, "aurora_master_username", "1 to 63 letters"),
    "database-name-hyphen": ({"aurora_database_name": "my-db"}, None, "aurora_database_name", "starting with a letter"),
    "database-name-64": ({"aurora_database_name": "d" * 64}, None, "aurora_database_name", "1 to 63 letters"),
    "log-export-of-mysql": ({"aurora_cloudwatch_logs_exports": ["audit"]}, None, "aurora_cloudwatch_logs_exports", "audit is not a log"),
    "aurora-kms-window-31": ({"aurora_kms_pending_window_days": 31}, None, "aurora_kms_pending_window_days", "must be 7 to 30"),
    "secret-window-6": ({"aurora_secret_recovery_window_days": 6}, None, "aurora_secret_recovery_window_days", "must be 0 or 7 to 30"),
    "aurora-wait-delay-0": ({"aurora_primary_wait_delay": 0}, None, "aurora_primary_wait_delay", "must each be 1 or more"),
    "bucket-64": ({"s3_bucket_purpose": "p" * 34}, None, "s3_bucket_purpose / dr_environment_suffix", "is 64 characters; AWS allows 3 to 63"),
    "bucket-upper-case": ({"s3_bucket_purpose": "Data"}, None, "s3_bucket_purpose / dr_environment_suffix", "is not lower-case letters"),
    "log-bucket-shape": ({"s3_access_log_bucket": "Logs_Bucket"}, None, "s3_access_log_bucket", "is not lower-case letters"),
    "s3-kms-window-31": ({"s3_kms_key_deletion_window_days": 31}, None, "s3_kms_key_deletion_window_days", "between 7 and 30"),
    "memory-127": ({"lambda_alb_memory_size": 127}, None, "lambda_alb_memory_size", "must be 128 to 10240"),
    "memory-10241": ({"lambda_alb_memory_size": 10241}, None, "lambda_alb_memory_size", "must be 128 to 10240"),
    "function-timeout-0": ({"lambda_alb_timeout": 0}, None, "lambda_alb_timeout", "must be 1 to 900"),
    "reserved-concurrency-negative": ({"lambda_alb_reserved_concurrency": -1}, None, "lambda_alb_reserved_concurrency", "0 or more"),
    "idle-timeout-0": ({"lambda_alb_idle_timeout": 0}, None, "lambda_alb_idle_timeout", "must be 1 to 4000"),
    "idle-timeout-4001": ({"lambda_alb_idle_timeout": 4001}, None, "lambda_alb_idle_timeout", "must be 1 to 4000"),
    "health-interval-301": ({"lambda_alb_health_check_interval": 301}, None, "lambda_alb_health_check_interval", "must be 5 to 300"),
    "health-timeout-1": ({"lambda_alb_health_check_timeout": 1}, None, "lambda_alb_health_check_timeout", "must be 2 to 120"),
    "healthy-threshold-1": ({"lambda_alb_healthy_threshold_count": 1}, None, "lambda_alb_healthy_threshold_count", "must be 2 to 10"),
    "unhealthy-threshold-11": ({"lambda_alb_unhealthy_threshold_count": 11}, None, "lambda_alb_unhealthy_threshold_count", "must be 2 to 10"),
    "health-path-relative": ({"lambda_alb_health_check_path": "health"}, None, "lambda_alb_health_check_path", "must start with /"),
    "ssl-policy-shape": ({"lambda_alb_ssl_policy": "TLS12"}, None, "lambda_alb_ssl_policy", "not an ELB security policy"),
    "runtime-python2": ({"lambda_alb_runtime": "python2.7"}, None, "lambda_alb_runtime", "must be one of"),
    "event-source-empty": ({"eventbridge_event_source": ""}, None, "eventbridge_event_source", "must be 1 to 256"),
    "retries-186": ({"eventbridge_retry_maximum_attempts": 186}, None, "eventbridge_retry_maximum_attempts", "must be 0 to 185"),
    "event-age-59": ({"eventbridge_retry_maximum_event_age_seconds": 59}, None, "eventbridge_retry_maximum_event_age_seconds", "must be 60 to 86400"),
    "event-age-86401": ({"eventbridge_retry_maximum_event_age_seconds": 86401}, None, "eventbridge_retry_maximum_event_age_seconds", "must be 60 to 86400"),
    "dlq-retention-59": ({"eventbridge_dlq_message_retention_seconds": 59}, None, "eventbridge_dlq_message_retention_seconds", "must be 60 to 1209600"),
    "dlq-retention-1209601": (
        {"eventbridge_dlq_message_retention_seconds": 1209601}, None,
        "eventbridge_dlq_message_retention_seconds", "must be 60 to 1209600",
    ),
    "events-kms-window-6": ({"eventbridge_kms_key_deletion_days": 6}, None, "eventbridge_kms_key_deletion_days", "must be 7 to 30"),
    "source-account-shape": ({"eventbridge_source_account_id": "12345"}, None, "eventbridge_source_account_id", "not a 12-digit account ID"),
    "record-label-64": ({"dns_failover_record_name": "a" * 64 + ".dev.healthcare-dr.example.com"}, None, "dns_failover_record_name", "labels of 1-63"),
    "domain-254": (
        {"dns_failover_domain": DOMAIN_253[:-1] + "dd"}, None,
        "dns_failover_domain", "is not a lower-case DNS name (labels of 1-63 characters, 253 in all)",
    ),
    "dns-health-path-256": ({"dns_failover_health_check_path": "/" + "a" * 255}, None, "dns_failover_health_check_path", "1 to 255 printable"),
    "failure-threshold-11": ({"dns_failover_failure_threshold": 11}, None, "dns_failover_failure_threshold", "must be one of"),
    "alarm-period-90": ({"monitoring_alarm_period": 90}, None, "monitoring_alarm_period", "not 10, 20, 30 or a multiple of 60"),
    "lag-evaluation-0": ({"monitoring_replication_lag_evaluation_periods": 0}, None, "monitoring_replication_lag_evaluation_periods", "must be 1 or more"),
    "alarm-over-one-day": (
        {"monitoring_health_check_period": 300, "monitoring_health_check_evaluation_periods": 289}, None,
        "monitoring_health_check_period / monitoring_health_check_evaluation_periods", "86700 s; CloudWatch evaluates at most one day",
    ),
    "alarms-kms-window-31": ({"monitoring_kms_deletion_window_days": 31}, None, "monitoring_kms_deletion_window_days", "must be 7 to 30"),
    "route53-metrics-region": ({"monitoring_route53_metrics_region": "us-west-2"}, None, "monitoring_route53_metrics_region", "must be one of"),
    "function-name-long": (None, LONG_REGION, NAMES, _too_long("function name", "lambda_function")),
    "lambda-role-name-long": (None, LONG_REGION, NAMES, _too_long("IAM role name", "lambda_role")),
    "flow-log-role-name-long": (None, LONG_REGION, NAMES, _too_long("IAM role name", "flow_log_role")),
    "cluster-id-long": (None, LONG_REGION, NAMES, _too_long("DB identifier", "aurora_cluster")),
    "event-bus-name-long": (None, LONG_REGION, NAMES, _too_long("event bus or rule name", "event_bus")),
    "alarm-name-256": (None, LONG_REGION, NAMES, _too_long("alarm name", "replication_lag_alarm")),
    "instance-class-newer-than-engine": (
        {"aurora_instance_class": "db.r7g.large", "aurora_engine_version": "14.6"}, None,
        "aurora_instance_class / aurora_engine_version", "db.r7g.large needs aurora-postgresql 14.7 or later; the version is 14.6",
    ),
    "instance-class-not-in-major": (
        {"aurora_instance_class": "db.r8g.large", "aurora_engine_version": "12.20"}, None,
        "aurora_instance_class / aurora_engine_version", "needs aurora-postgresql a later major version than 12.20",
    ),
}  # fmt: skip

# The values just inside each limit; each run sets many at once and must pass pre-flight.
BOUNDARY_RUNS = {
    "lower": {
        "network_vpc_cidr": "10.0.0.0/22", "network_subnet_newbits": 5, "network_wait_delay": 1, "network_wait_timeout": 1,
        "network_alb_ingress_cidrs": [f"10.{n}.0.0/16" for n in range(30)], "network_flow_logs_retention_days": 1,
        "aurora_backup_retention_days": 1, "aurora_instances_per_region": 16, "aurora_instance_class": "db.r7g.16xlarge",
        "aurora_engine_version": "14.7",
        "aurora_port": 1150, "aurora_master_username": "a", "aurora_database_name": "d",
        "aurora_cloudwatch_logs_exports": ["postgresql", "instance", "iam-db-auth-error"],
        "aurora_kms_pending_window_days": 7, "aurora_secret_recovery_window_days": 0,
        "aurora_wait_timeout": 1, "aurora_primary_wait_retries": 1, "aurora_primary_wait_delay": 1,
        "s3_bucket_purpose": "p" * 33, "s3_access_log_bucket": "abc", "s3_kms_key_deletion_window_days": 7,
        "lambda_alb_memory_size": 128, "lambda_alb_timeout": 1, "lambda_alb_reserved_concurrency": 0,
        "lambda_alb_idle_timeout": 1, "lambda_alb_health_check_interval": 5, "lambda_alb_health_check_timeout": 2,
        "lambda_alb_healthy_threshold_count": 2, "lambda_alb_unhealthy_threshold_count": 2,
        "lambda_alb_health_check_path": "/", "lambda_alb_runtime": "python3.10", "lambda_alb_log_retention_days": 1,
        "eventbridge_event_source": "a", "eventbridge_retry_maximum_attempts": 0,
        "eventbridge_retry_maximum_event_age_seconds": 60, "eventbridge_dlq_message_retention_seconds": 60,
        "eventbridge_kms_key_deletion_days": 7, "eventbridge_source_account_id": "123456789012",
        "dns_failover_record_name": "a" * 63 + ".dev.healthcare-dr.example.com", "dns_failover_health_check_path": "/",
        "dns_failover_failure_threshold": 1, "dns_failover_request_interval": 30,
        "monitoring_alarm_period": 10, "monitoring_alarm_evaluation_periods": 8640,
        "monitoring_health_check_period": 300, "monitoring_health_check_evaluation_periods": 288,
        "monitoring_replication_lag_period": 3600, "monitoring_replication_lag_evaluation_periods": 168,
        "monitoring_kms_deletion_window_days": 7, "monitoring_rds_cpu_threshold": 0,
    },
    "upper": {
        "dr_environment_suffix": "abcdefghijkl", "network_flow_logs_retention_days": 3653,
        # each region's own certificate: the template is rendered for each host
        "lambda_alb_certificate_arn": "arn:aws:acm:{{ dr_region }}:123456789012:certificate/0b7f7d4e-1111-2222-3333-444455556666",
        "aurora_backup_retention_days": 35, "aurora_instance_class": "db.serverless", "aurora_port": 65535,
        "aurora_master_username": "a" * 63, "aurora_database_name": "d" * 63,
        "aurora_kms_pending_window_days": 30, "aurora_secret_recovery_window_days": 30,
        "s3_access_log_bucket": "b" * 63, "s3_kms_key_deletion_window_days": 30,
        "lambda_alb_memory_size": 10240, "lambda_alb_timeout": 119, "lambda_alb_idle_timeout": 4000,
        "lambda_alb_health_check_interval": 300, "lambda_alb_health_check_timeout": 120,
        "lambda_alb_healthy_threshold_count": 10, "lambda_alb_unhealthy_threshold_count": 10,
        "lambda_alb_health_check_path": "/" + "h" * 1023, "lambda_alb_runtime": "python3.13",
        "lambda_alb_log_retention_days": 3653,
        "eventbridge_event_source": "s" * 256, "eventbridge_retry_maximum_attempts": 185,
        "eventbridge_retry_maximum_event_age_seconds": 86400, "eventbridge_dlq_message_retention_seconds": 1209600,
        "eventbridge_kms_key_deletion_days": 30, "dns_failover_health_check_path": "/" + "h" * 254,
        "dns_failover_failure_threshold": 10, "dns_failover_domain": DOMAIN_253, "dns_failover_record_name": DOMAIN_253,
        "monitoring_alarm_emails": ["a@b.co", "ops.team+dr@mail.example.org"], "monitoring_alarm_period": 60, "monitoring_alarm_evaluation_periods": 1440,
        "monitoring_kms_deletion_window_days": 30, "monitoring_rds_cpu_threshold": 100,
    },
}  # fmt: skip


# The variables the pair play checks: it stops at its first failed check, so a case
# naming one of them runs alone.
PAIR_VARIABLES = {"dr_region", "dr_vpc_cidr", "dr_environment_suffix", "dr_primary_region", "regions"}
# What argument_specs says of a value it refuses (a spec failure skips its role's own checks).
SPEC_FAILURES = ("must be one of", "unable to convert to", "cannot be converted to")


def _packed_runs(cases: dict) -> list[dict]:
    """Cases packed into as few runs as their variables allow: {"change", "vars", "cases"} each.

    The roles' checks all run in pre-flight and report together, so cases share a
    run when they set different variables on the same inventory; cases failing a
    spec run apart from the checks of validate.yml; a pair-play case runs alone.
    """
    runs: list[dict] = []
    for case, (extra_vars, change, variable, says) in cases.items():
        extra_vars = extra_vars or {}
        spec = says.startswith(SPEC_FAILURES)
        alone = variable in PAIR_VARIABLES
        for run in runs:
            if (not alone and not run["alone"] and run["change"] is change and run["spec"] == spec
                    and not set(run["vars"]) & set(extra_vars)):  # fmt: skip
                break
        else:
            run = {"change": change, "spec": spec, "alone": alone, "vars": {}, "cases": []}
            runs.append(run)
        run["vars"].update(extra_vars)
        run["cases"].append(case)
    return runs


LIMIT_RUNS = _packed_runs(LIMIT_CASES)
BAD_RUNS = _packed_runs(CASES)


def _playbook(name: str, extra_vars: dict | None, change, endpoint: str, folder: Path) -> subprocess.CompletedProcess:
    inventory = "inventories/local"
    if change is not None:
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
        [str(bin_dir / "ansible-playbook"), "-i", inventory, f"playbooks/{name}", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


def _only_preflight_ran(result: subprocess.CompletedProcess) -> None:
    plays = {line[len("PLAY [") :].split("]")[0] for line in result.stdout.splitlines() if line.startswith("PLAY [")}
    assert plays - {"RECAP"} <= PREFLIGHT_PLAYS, plays
    assert "changed: [" not in result.stdout


def _names_the_variable(result: subprocess.CompletedProcess, variable: str, says: str) -> None:
    lines = [line for line in result.stdout.splitlines() if variable in line and says in line]
    assert lines, result.stdout[-4000:]


@pytest.fixture(scope="module")
def bad_runs(emulator, tmp_path_factory):
    """Every case's run (BAD_RUNS), four at a time, then what the emulator holds."""
    workdir = tmp_path_factory.mktemp("inventories")
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = [pool.submit(_playbook, "site.yml", run["vars"], run["change"], emulator, workdir / f"run{n}")
                   for n, run in enumerate(BAD_RUNS)]  # fmt: skip
        results = {case: future.result() for run, future in zip(BAD_RUNS, futures) for case in run["cases"]}
    return results, stack.non_empty(stack.inventory(emulator))


def test_there_are_at_least_25_bad_inputs_and_the_pair_cases_run_alone():
    assert len(CASES) >= 25
    pair = [case for case, (_vars, _change, variable, _says) in CASES.items() if variable in PAIR_VARIABLES]
    assert len(pair) >= 10 and all(run["cases"] in ([c] for c in pair) for run in BAD_RUNS if set(run["cases"]) & set(pair))
    assert len(BAD_RUNS) <= len(pair) + 6, [run["cases"] for run in BAD_RUNS]


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_fails_before_any_aws_write(bad_runs, case):
    results, left = bad_runs
    result = results[case]
    variable, says = CASES[case][2:]
    assert result.returncode != 0, result.stdout[-3000:]
    # One line names the variable and says what is wrong with it; only the pre-flight plays ran.
    _names_the_variable(result, variable, says)
    _only_preflight_ran(result)
    assert left == {}, left


@pytest.fixture(scope="module")
def limit_runs(emulator, tmp_path_factory):
    """The limit cases through site.yml (grouped), the boundary runs through pre-flight alone."""
    workdir = tmp_path_factory.mktemp("limits")
    with ThreadPoolExecutor(max_workers=4) as pool:
        bad = [
            pool.submit(_playbook, "site.yml", run["vars"], run["change"], emulator, workdir / f"run{n}")
            for n, run in enumerate(LIMIT_RUNS)
        ]
        good = {name: pool.submit(_playbook, "preflight.yml", values, None, emulator, workdir / name)
                for name, values in BOUNDARY_RUNS.items()}  # fmt: skip
        results = {case: future.result() for run, future in zip(LIMIT_RUNS, bad) for case in run["cases"]}
        boundaries = {name: future.result() for name, future in good.items()}
    return results, boundaries, stack.non_empty(stack.inventory(emulator))


def test_the_limit_cases_share_few_runs():
    assert len(LIMIT_CASES) >= 50
    assert len(LIMIT_RUNS) <= 5, [run["cases"] for run in LIMIT_RUNS]


@pytest.mark.parametrize("case", list(LIMIT_CASES))
def test_a_value_just_outside_an_aws_limit_fails_in_preflight(limit_runs, case):
    results, _boundaries, left = limit_runs
    result = results[case]
    variable, says = LIMIT_CASES[case][2:]
    assert result.returncode != 0, result.stdout[-3000:]
    _names_the_variable(result, variable, says)
    _only_preflight_ran(result)
    assert left == {}, left


@pytest.mark.parametrize("run", list(BOUNDARY_RUNS))
def test_the_values_just_inside_the_limits_pass_preflight(limit_runs, run):
    result = limit_runs[1][run]
    assert result.returncode == 0, result.stdout[-6000:]
    assert "failed: [" not in result.stdout and "fatal: [" not in result.stdout, result.stdout[-6000:]


def test_destroy_refuses_without_confirmation(playbook):
    result = playbook("destroy.yml")
    assert result.returncode != 0
    assert "dr_confirm_destroy: destroying environment dev" in result.stdout


def test_destroy_refuses_the_wrong_environment(playbook):
    result = playbook("destroy.yml", "-e", "dr_confirm_destroy=prod")
    assert result.returncode != 0
    assert "rerun with -e dr_confirm_destroy=dev" in result.stdout

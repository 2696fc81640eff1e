"""The stack under faults, interruptions and check mode, and its security on the
emulator.

Three emulators of their own, side by side (each scenario is a chain of
ansible-playbook runs; they share nothing, so they run in parallel threads):

* reference (port + 4): one clean converge of playbooks/site.yml: the suite's
  ``stack`` (tools/stack_cache.py), built once for the current code and loaded
  here, as the DR drill loads it.
* faults (port + 1, tools/faulty_proxy.py on port + 2 in front of it):
  1. ``--check`` on the empty emulator through the proxy at fault rate 0: the
     run must succeed, predict changes, and the proxy must see no write call;
  2. a converge (``-v``) through the proxy at 10 % faults (throttling, 500s,
     connection resets, 200 ms delays, seeded) in which the first answer of
     every create and put operation (``LOSE_FIRST``) in each region is lost
     after the emulator applied it: must succeed and give the same resources as
     the reference, with no duplicate and no orphan, every create operation of
     the converge having lost an answer;
  3. a no-op rerun through the proxy at 10 % faults (another seed): changed=0
     and not one write call reaches the emulator.
  The security checks read this stack.
* interrupted (port + 3): site.yml SIGKILLed (the whole process group, the
  running module included) while a task of network (NAT gateways), aurora
  (primary cluster) and lambda_alb (load balancer) runs, each time rerun; the last run completes and the stack must equal the
  reference, with no duplicate.
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from ansible_collections.healthcare.dr.plugins.module_utils.names import stack_names

import stack
import stack_cache
from bench import classify, parse_recap

import faulty_proxy

ROOT = Path(__file__).resolve().parents[2]
# The integration emulator's port (conftest.py); these scenarios take the next four.
BASE = int(os.environ.get("DR_INTEGRATION_PORT", "4578"))
FAULT_EMULATOR, FAULT_PROXY, INTERRUPT_EMULATOR, REFERENCE_EMULATOR = BASE + 1, BASE + 2, BASE + 3, BASE + 4
FAULT_RATE = 0.1
# Every create and put operation the stack makes: the first call of each, in each region, is applied and its
# answer lost (faulty_proxy's lose_first), the fault that makes a retry create a second resource.
LOSE_FIRST = ["Create*", "Put*", "AllocateAddress"]
DELAY_MS = 200
PLAYBOOK_TIMEOUT = 1500
# (role, a fragment of the task's name, seconds after the task starts): the run is
# killed while that task runs, then rerun; each kill lands further in site.yml.
KILL_POINTS = [
    ("network", "Ensure the NAT gateways exist in the public subnets", 2.0),
    ("aurora", "Ensure the region's cluster is a member of the global cluster", 1.5),
    ("lambda_alb", "Ensure the load balancer forwards to the function", 1.5),
]

# The local inventory's environment suffix; the stack's names come from the collection's name map.
SUFFIX = "dev"


def _names(region: str) -> dict[str, str]:
    return stack_names(region, SUFFIX)


def _env(port: int) -> dict:
    bin_dir = Path(sys.executable).parent
    return {
        **os.environ,
        "DR_EMULATOR_PORT": str(port),
        "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"),
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_FORCE_COLOR": "0",
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
    }


def _command(*extra: str) -> list[str]:
    return [str(Path(sys.executable).parent / "ansible-playbook"), "-i", "inventories/local", "playbooks/site.yml", *extra]


def site(port: int, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        _command(*extra), cwd=ROOT, env=_env(port), capture_output=True, text=True, timeout=PLAYBOOK_TIMEOUT,
        check=False,
    )


def _stat(stat: Path) -> list[str] | None:
    """A /proc/<pid>/stat's fields after the command (which may hold spaces): the state, then the parent...;
    None once the process is gone."""
    try:
        return stat.read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def _descendants(pid: int) -> list[int]:
    """Every process below ``pid``, whatever its process group or session (from /proc)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        fields = _stat(stat)
        if fields:
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def site_killed(port: int, role: str, task: str, after: float) -> dict:
    """Run site.yml and SIGKILL its process group ``after`` seconds into the first ``role`` task named ``task``."""
    process = subprocess.Popen(
        _command(), cwd=ROOT, env=_env(port), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )  # fmt: skip
    header = f"TASK [healthcare.dr.{role} : {task}"
    tasks, killed, timer = 0, None, None
    lines: list[str] = []
    tree: list[int] = []

    def kill() -> None:
        # Mitogen's connection multiplexer leaves the process group (a session of its own):
        # killed with the group's processes, or it outlives the run, idle, for good.
        tree.extend([process.pid, *_descendants(process.pid)])
        for pid in tree:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    for line in process.stdout:
        lines.append(line)
        if line.startswith("TASK ["):
            tasks += 1
            if timer is None and line.startswith(header):
                killed = {"after_tasks": tasks, "task": line.strip(" *\n")}
                timer = threading.Timer(after, kill)
                timer.start()
    process.wait(timeout=PLAYBOOK_TIMEOUT)
    if timer is not None:
        timer.join()
    time.sleep(1)  # init reaps the killed orphans
    left = [pid for pid in tree[1:] if _running(pid)]
    return {"returncode": process.returncode, "killed": killed, "left": left, "tail": "".join(lines[-40:])}


def _running(pid: int) -> bool:
    fields = _stat(Path(f"/proc/{pid}/stat"))
    return bool(fields) and fields[0] != "Z"


def _proxy(command: str, *options: str) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "tools" / "faulty_proxy.py"), command, "--port", str(FAULT_PROXY), *options],
        check=True,
        capture_output=True,
    )


def _endpoint(port: int) -> str:
    return f"http://127.0.0.1:{port}"


def _reference() -> dict:
    how = stack_cache.ensure("stack", REFERENCE_EMULATOR)
    return {"how": how, "stack": stack.inventory(_endpoint(REFERENCE_EMULATOR))}


def _faults() -> dict:
    out = {}

    def control(action, payload=None):
        return faulty_proxy.control(FAULT_PROXY, action, method="GET" if action == "stats" else "POST", payload=payload)

    control("config", {"fault_rate": 0})
    control("reset")
    out["check"] = site(FAULT_PROXY, "--check")
    out["check_stats"] = control("stats")
    out["check_stack"] = stack.non_empty(stack.inventory(_endpoint(FAULT_EMULATOR)))

    control("config", {"fault_rate": FAULT_RATE, "seed": 7, "delay_ms": DELAY_MS, "lose_first": LOSE_FIRST})
    control("reset")
    out["converge"] = site(FAULT_PROXY, "-v")
    out["converge_stats"] = control("stats")
    out["orphans"] = stack.orphans(_endpoint(FAULT_EMULATOR))

    control("config", {"fault_rate": FAULT_RATE, "seed": 8, "lose_first": []})
    control("reset")
    out["noop"] = site(FAULT_PROXY)
    out["noop_stats"] = control("stats")
    control("config", {"fault_rate": 0})
    out["stack"] = stack.inventory(_endpoint(FAULT_EMULATOR))
    return out


def _interrupted() -> dict:
    kills = [site_killed(INTERRUPT_EMULATOR, *point) for point in KILL_POINTS]
    final = site(INTERRUPT_EMULATOR)
    return {"kills": kills, "final": final, "stack": stack.inventory(_endpoint(INTERRUPT_EMULATOR))}


@pytest.fixture(scope="module")
def scenarios():
    ports = (FAULT_EMULATOR, INTERRUPT_EMULATOR, REFERENCE_EMULATOR)
    for port in ports:
        stack.emulator(port, "start")
        stack.emulator(port, "reset")
    upstream = _endpoint(FAULT_EMULATOR)
    _proxy("start", "--upstream", upstream, "--fault-rate", "0", "--seed", "7", "--delay-ms", str(DELAY_MS))
    started = time.monotonic()
    try:
        with ThreadPoolExecutor(max_workers=3) as pool:
            futures = {
                "faults": pool.submit(_faults),
                "interrupted": pool.submit(_interrupted),
                "reference": pool.submit(_reference),
            }
            results = {name: future.result() for name, future in futures.items()}
        results["seconds"] = time.monotonic() - started
        yield results
    finally:
        _proxy("stop")
        for port in ports:
            stack.emulator(port, "stop")


def _recap(result: subprocess.CompletedProcess) -> dict:
    return parse_recap(result.stdout)


def _ok(result: subprocess.CompletedProcess) -> None:
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def _changed_per_host(result: subprocess.CompletedProcess) -> dict[str, int]:
    return {
        m.group(1): int(m.group(2))
        for m in re.finditer(r"^(\S+)\s*:\s*ok=\d+\s+changed=(\d+)", result.stdout, re.MULTILINE)
    }


# ---------------------------------------------------------------- reference


def test_the_reference_converge_is_complete_and_has_no_duplicates(scenarios):
    reference = scenarios["reference"]
    assert reference["how"] in ("built", "restored")
    assert stack.duplicates(reference["stack"]) == {}
    assert all(reference["stack"][kind] for kind in ("vpc", "nat_gateway", "db_cluster", "load_balancer", "alarm"))


# ---------------------------------------------------------------- check mode


def test_check_mode_on_an_empty_account_predicts_changes_and_creates_nothing(scenarios):
    faults = scenarios["faults"]
    _ok(faults["check"])
    changed = _changed_per_host(faults["check"])
    assert changed and all(n > 0 for n in changed.values()), changed
    writes = classify(faults["check_stats"]["forwarded"])
    assert writes["writes"] == 0, writes["write_ops"]
    assert faults["check_stack"] == {}


# ---------------------------------------------------------------- faults


def test_a_converge_through_faults_equals_a_clean_converge(scenarios):
    faults, reference = scenarios["faults"], scenarios["reference"]
    _ok(faults["converge"])
    injected = faults["converge_stats"]["injected"]
    # Every default kind of fault was injected, at about the rate asked.
    assert all(injected[kind] > 0 for kind in ("throttle", "internal", "reset", "delay")), injected
    # the random draw only: the targeted lost answers (reset_after) come on top, checked by the lost-answer test
    drawn = faults["converge_stats"]["injected_total"] - injected["reset_after"]
    rate = drawn / faults["converge_stats"]["requests"]
    assert 0.05 < rate < 0.15, rate
    assert stack.duplicates(faults["stack"]) == {}
    assert faults["orphans"] == {}
    assert faults["stack"] == reference["stack"]


def lost_answer_coverage(stats: dict, patterns: tuple | list = tuple(LOSE_FIRST)) -> dict:
    """The converge's create and put calls by ``service:region:Operation``: those whose first answer was lost,
    and those that never lost one."""
    made = {
        f"{service}:{region}:{operation}"
        for region, services in stats["forwarded_by_region"].items()
        for service, operations in services.items()
        for operation in operations
        if any(fnmatch.fnmatchcase(operation, pattern) for pattern in patterns)
    }
    lost = set(stats["lost_answers"])
    return {"made": sorted(made), "lost": sorted(made & lost), "not_lost": sorted(made - lost)}


def test_a_lost_answer_on_every_create_leaves_exactly_the_reference_stack(scenarios):
    faults, reference = scenarios["faults"], scenarios["reference"]
    _ok(faults["converge"])
    coverage = lost_answer_coverage(faults["converge_stats"])
    # every create and put operation of the converge, in each region, was applied once without its answer
    assert coverage["not_lost"] == [], coverage["not_lost"]
    operations = {name.split(":", 2)[2] for name in coverage["lost"]}
    assert {"CreateVpc", "CreateSubnet", "CreateNatGateway", "AllocateAddress", "CreateKey", "CreateLoadBalancer",
            "CreateHealthCheck", "PutMetricAlarm", "CreateFunction", "CreateVpcPeeringConnection"} <= operations
    assert len(operations) >= 40, sorted(operations)
    assert faults["converge_stats"]["injected"]["reset_after"] == len(faults["converge_stats"]["lost_answers"])
    assert stack.duplicates(faults["stack"]) == {}
    assert faults["orphans"] == {}
    assert faults["stack"] == reference["stack"]


def test_the_reference_stack_has_no_orphans(scenarios):
    assert scenarios["reference"]["how"] in ("built", "restored")
    assert stack.orphans(_endpoint(REFERENCE_EMULATOR)) == {}


def test_a_noop_run_through_faults_changes_nothing(scenarios):
    faults = scenarios["faults"]
    _ok(faults["noop"])
    assert faults["noop_stats"]["injected_total"] > 0
    changed = _changed_per_host(faults["noop"])
    assert changed and all(n == 0 for n in changed.values()), changed
    writes = classify(faults["noop_stats"]["forwarded"])
    assert writes["writes"] == 0, writes["write_ops"]


# ---------------------------------------------------------------- interruptions


def test_interrupted_runs_converge_without_duplicates(scenarios):
    interrupted, reference = scenarios["interrupted"], scenarios["reference"]
    for point, kill in zip(KILL_POINTS, interrupted["kills"]):
        assert kill["killed"], f"the run never reached {point}:\n{kill['tail']}"
        assert kill["returncode"] == -signal.SIGKILL, f"{point} finished before the kill:\n{kill['tail']}"
        assert kill["left"] == [], f"{point}: processes of the killed run still running: {kill['left']}"
    _ok(interrupted["final"])
    assert stack.duplicates(interrupted["stack"]) == {}
    assert interrupted["stack"] == reference["stack"]


# ---------------------------------------------------------------- security


@pytest.fixture(scope="module")
def deployed(scenarios):
    """The endpoint of the stack the fault scenario converged."""
    _ok(scenarios["faults"]["converge"])
    return _endpoint(FAULT_EMULATOR)


def test_aurora_clusters_are_encrypted_with_their_regions_key(deployed):
    for region in stack.REGIONS:
        rds = stack.client(deployed, "rds", region)
        kms = stack.client(deployed, "kms", region)
        clusters = rds.describe_db_clusters()["DBClusters"]
        assert clusters
        key = kms.describe_key(KeyId="alias/" + _names(region)["aurora_key"])["KeyMetadata"]["Arn"]
        for cluster in clusters:
            assert cluster["StorageEncrypted"] is True, cluster["DBClusterIdentifier"]
            assert cluster["KmsKeyId"] in (key, key.rsplit("/", 1)[-1]), (cluster["KmsKeyId"], key)


def test_buckets_are_encrypted_versioned_private_and_tls_only(deployed):
    s3 = stack.client(deployed, "s3")
    buckets = [b["Name"] for b in s3.list_buckets()["Buckets"]]
    assert len(buckets) == 2
    for bucket in buckets:
        rule = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"][0]
        assert rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms", bucket
        assert rule["ApplyServerSideEncryptionByDefault"].get("KMSMasterKeyID"), bucket
        assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled", bucket
        block = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
        assert all(block[k] for k in ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"))
        policy = json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])
        assert any(
            s["Effect"] == "Deny" and s.get("Condition", {}).get("Bool", {}).get("aws:SecureTransport") in ("false", False)
            for s in policy["Statement"]
        ), (bucket, policy)


def _statements(document) -> list[dict]:
    if isinstance(document, str):
        document = json.loads(document)
    statements = document.get("Statement", [])
    return [statements] if isinstance(statements, dict) else statements


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]


# Actions AWS defines only on Resource "*" (no resource-level permissions).
ACCOUNT_WIDE_ACTIONS = {
    "ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface",
    "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses", "logs:DescribeLogGroups",
    "logs:DescribeLogStreams", "xray:PutTraceSegments", "xray:PutTelemetryRecords",
}  # fmt: skip


def test_no_iam_statement_allows_every_action_or_every_resource_where_a_narrower_one_exists(deployed):
    iam = stack.client(deployed, "iam")
    roles = [r["RoleName"] for r in iam.list_roles()["Roles"] if not r["Path"].startswith("/aws-service-role/")]
    assert roles
    offending = []
    for role in roles:
        documents = [
            (name, iam.get_role_policy(RoleName=role, PolicyName=name)["PolicyDocument"])
            for name in iam.list_role_policies(RoleName=role)["PolicyNames"]
        ]
        for attached in iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"]:
            if attached["PolicyArn"].startswith("arn:aws:iam::aws:"):
                continue  # AWS managed: not ours to narrow
            policy = iam.get_policy(PolicyArn=attached["PolicyArn"])["Policy"]
            version = iam.get_policy_version(PolicyArn=attached["PolicyArn"], VersionId=policy["DefaultVersionId"])
            documents.append((attached["PolicyName"], version["PolicyVersion"]["Document"]))
        for name, document in documents:
            for statement in _statements(document):
                if statement.get("Effect") != "Allow":
                    continue
                actions = _as_list(statement.get("Action", []))
                resources = _as_list(statement.get("Resource", []))
                if "*" in actions or any(a.endswith(":*") for a in actions):
                    offending.append((role, name, "Action", actions))
                if "*" in resources and not set(actions) <= ACCOUNT_WIDE_ACTIONS:
                    offending.append((role, name, "Resource", actions))
    assert offending == []


def test_the_dr_event_bus_admits_one_account_not_everyone(deployed):
    events = stack.client(deployed, "events", "us-west-2")
    bus = events.describe_event_bus(Name=_names("us-west-2")["event_bus"])
    statements = _statements(bus["Policy"])
    assert statements
    for statement in statements:
        principal = statement.get("Principal")
        assert principal not in ("*", {"AWS": "*"}), statement
        accounts = _as_list(principal.get("AWS")) if isinstance(principal, dict) else [principal]
        assert all(re.search(r"\b\d{12}\b", str(a)) for a in accounts), statement


def _sources(permission: dict) -> set[str]:
    return {r["CidrIp"] for r in permission.get("IpRanges", [])} | {
        g["GroupId"] for g in permission.get("UserIdGroupPairs", [])
    } | {r["CidrIpv6"] for r in permission.get("Ipv6Ranges", [])}


def test_security_groups_admit_only_the_intended_sources(deployed):
    peer_app = {"us-east-1": "10.1.", "us-west-2": "10.0."}
    for region in stack.REGIONS:
        ec2 = stack.client(deployed, "ec2", region)
        groups = {
            g["GroupName"]: g
            for g in ec2.describe_security_groups(Filters=stack.MANAGED)["SecurityGroups"]
        }
        alb, lam, db = (groups[_names(region)[f"security_group_{n}"]] for n in ("alb", "lambda", "aurora"))
        # The ALB: HTTP and HTTPS only, from the configured blocks only.
        assert {p["FromPort"] for p in alb["IpPermissions"]} <= {80, 443}
        assert all(p["FromPort"] == p["ToPort"] for p in alb["IpPermissions"])
        # The function admits nothing.
        assert lam["IpPermissions"] == []
        # Aurora: its port, from the function's group and the peer region's subnets only.
        for permission in db["IpPermissions"]:
            assert permission["FromPort"] == permission["ToPort"] == 5432
            for source in _sources(permission):
                assert source == lam["GroupId"] or source.startswith(peer_app[region]), (region, source)
            assert "0.0.0.0/0" not in _sources(permission)


def test_flow_logs_cover_both_vpcs(deployed):
    for region in stack.REGIONS:
        ec2 = stack.client(deployed, "ec2", region)
        vpc = ec2.describe_vpcs(Filters=stack.MANAGED)["Vpcs"][0]["VpcId"]
        logs = [f for f in ec2.describe_flow_logs()["FlowLogs"] if f["ResourceId"] == vpc]
        assert len(logs) == 1, (region, logs)
        assert logs[0]["TrafficType"] == "ALL" and logs[0]["FlowLogStatus"] == "ACTIVE", logs[0]
        assert logs[0].get("LogGroupName") or logs[0].get("LogDestination"), logs[0]


def test_the_master_password_appears_in_no_output_and_no_function_environment(scenarios, deployed):
    """The converge ran with -v; the password it generated is read back and searched for."""
    password = stack.master_password(deployed)
    assert len(password) >= 16
    faults = scenarios["faults"]
    for run in ("converge", "noop", "check"):
        for text in (faults[run].stdout, faults[run].stderr):
            assert password not in text, run
    assert "-v" in faults["converge"].args
    for region in stack.REGIONS:
        functions = stack.client(deployed, "lambda", region).list_functions()["Functions"]
        for function in functions:
            variables = function.get("Environment", {}).get("Variables", {})
            assert password not in json.dumps(variables), function["FunctionName"]
            assert not [k for k in variables if re.search("PASSWORD|SECRET_VALUE|PASSWD", k, re.I)], variables


# ---------------------------------------------------------------- compliance
# The controls of docs/security.md's table that the emulator can show, for
# inventories/local's settings, read from the same converged stack. Each names
# its CIS AWS Foundations v3 / Security Hub (FSBP) control.

SUPPORTED_RUNTIMES = {"python3.10", "python3.11", "python3.12", "python3.13"}
YEAR_IN_DAYS = 365


def _logs_key(endpoint: str, region: str) -> dict:
    kms = stack.client(endpoint, "kms", region)
    key = kms.describe_key(KeyId="alias/" + _names(region)["logs_key"])["KeyMetadata"]
    return {**key, "Policy": json.loads(kms.get_key_policy(KeyId=key["KeyId"], PolicyName="default")["Policy"])}


def test_ec2_15_no_subnet_assigns_public_ip_addresses(deployed):
    for region in stack.REGIONS:
        subnets = stack.client(deployed, "ec2", region).describe_subnets(Filters=stack.MANAGED)["Subnets"]
        assert len(subnets) == 9, region
        assert [s["SubnetId"] for s in subnets if s["MapPublicIpOnLaunch"]] == [], region


def test_cis_5_4_ec2_2_each_vpcs_default_security_group_admits_and_sends_nothing(deployed):
    for region in stack.REGIONS:
        ec2 = stack.client(deployed, "ec2", region)
        vpc = ec2.describe_vpcs(Filters=stack.MANAGED)["Vpcs"][0]["VpcId"]
        filters = [{"Name": "vpc-id", "Values": [vpc]}, {"Name": "group-name", "Values": ["default"]}]
        (group,) = ec2.describe_security_groups(Filters=filters)["SecurityGroups"]
        assert group["IpPermissions"] == [] and group["IpPermissionsEgress"] == [], (region, group)
        assert {t["Key"]: t["Value"] for t in group["Tags"]}.get("ManagedBy") == "healthcare.dr", group


def test_cis_5_2_ec2_18_no_security_group_opens_an_unauthorised_port_to_the_internet(deployed):
    for region in stack.REGIONS:
        ec2 = stack.client(deployed, "ec2", region)
        for group in ec2.describe_security_groups(Filters=stack.MANAGED)["SecurityGroups"]:
            for permission in group["IpPermissions"]:
                if {"0.0.0.0/0", "::/0"} & _sources(permission):
                    assert (permission.get("FromPort"), permission.get("ToPort")) in {(80, 80), (443, 443)}, group


def test_every_log_group_is_encrypted_with_its_regions_logs_key_kept_a_year(deployed):
    for region in stack.REGIONS:
        key = _logs_key(deployed, region)
        groups = stack.client(deployed, "logs", region).describe_log_groups()["logGroups"]
        # the flow logs and the function's: every group the stack makes, none forgotten
        assert {g["logGroupName"] for g in groups} == {
            f"/healthcare-dr/vpc-flow-logs/{_names(region)['vpc']}", f"/aws/lambda/{_names(region)['lambda_function']}"
        }  # fmt: skip
        for group in groups:
            assert group.get("kmsKeyId") == key["Arn"], group
            # Security Hub CloudWatch.16: at least a year
            assert group.get("retentionInDays", 0) >= YEAR_IN_DAYS, group


def test_the_logs_key_lets_cloudwatch_logs_use_it_for_the_stacks_groups_only(deployed):
    for region in stack.REGIONS:
        key = _logs_key(deployed, region)
        (statement,) = [s for s in key["Policy"]["Statement"] if "Service" in s.get("Principal", {})]
        assert statement["Principal"]["Service"] == f"logs.{region}.amazonaws.com"
        arns = _as_list(statement["Condition"]["ArnLike"]["kms:EncryptionContext:aws:logs:arn"])
        assert arns and all(re.match(rf"arn:aws:logs:{region}:\d{{12}}:log-group:/", a) for a in arns), arns
        assert not [a for a in arns if a.endswith(":log-group:*")], arns
        assert {"kms:GenerateDataKey*", "kms:Decrypt*"} <= set(statement["Action"])


def test_cis_3_6_kms_4_every_key_of_the_stack_rotates(deployed):
    for region in stack.REGIONS:
        kms = stack.client(deployed, "kms", region)
        keys = [k["KeyId"] for k in kms.list_keys()["Keys"]]
        ours = [k for k in keys if {t["TagKey"]: t["TagValue"] for t in kms.list_resource_tags(KeyId=k)["Tags"]}.get(
            "ManagedBy") == "healthcare.dr"]  # fmt: skip
        # Aurora, S3, logs in each region; the alarm topics' and the dead-letter queue's too
        assert len(ours) >= 3, region
        assert [k for k in ours if not kms.get_key_rotation_status(KeyId=k)["KeyRotationEnabled"]] == [], region


def test_rds_aurora_clusters_use_iam_auth_backups_log_exports_and_copy_tags(deployed):
    for region in stack.REGIONS:
        rds = stack.client(deployed, "rds", region)
        for cluster in rds.describe_db_clusters()["DBClusters"]:
            name = cluster["DBClusterIdentifier"]
            assert cluster["IAMDatabaseAuthenticationEnabled"] is True, name  # RDS.12
            assert cluster["BackupRetentionPeriod"] >= 7, name  # RDS.11 (cluster backups)
            assert "postgresql" in cluster.get("EnabledCloudwatchLogsExports", []), name  # RDS.9
            assert cluster["CopyTagsToSnapshot"] is True, name  # RDS.16
            # RDS.24 (a DR cluster that joined the global cluster has no user of its own)
            assert cluster.get("MasterUsername", "dbadmin") not in ("postgres", "admin"), name
        for instance in rds.describe_db_instances()["DBInstances"]:
            assert instance["PubliclyAccessible"] is False, instance["DBInstanceIdentifier"]  # RDS.2


def test_s3_7_the_primary_bucket_replicates_to_the_other_region(deployed):
    s3 = stack.client(deployed, "s3")
    primary = next(b["Name"] for b in s3.list_buckets()["Buckets"] if "-us-east-1-" in b["Name"])
    rules = s3.get_bucket_replication(Bucket=primary)["ReplicationConfiguration"]["Rules"]
    assert [r for r in rules if r["Status"] == "Enabled" and "-us-west-2-" in r["Destination"]["Bucket"]], rules


def test_lambda_1_2_3_5_functions_are_private_current_and_in_a_multi_az_vpc(deployed):
    for region in stack.REGIONS:
        lam = stack.client(deployed, "lambda", region)
        ec2 = stack.client(deployed, "ec2", region)
        function = lam.get_function(FunctionName=_names(region)["lambda_function"])["Configuration"]
        assert function["Runtime"] in SUPPORTED_RUNTIMES, function["Runtime"]  # Lambda.2
        subnets = function["VpcConfig"]["SubnetIds"]  # Lambda.3, Lambda.5
        zones = {s["AvailabilityZone"] for s in ec2.describe_subnets(SubnetIds=subnets)["Subnets"]}
        assert len(zones) >= 2, (region, zones)
        for statement in _statements(lam.get_policy(FunctionName=function["FunctionName"])["Policy"]):  # Lambda.1
            assert statement["Principal"] not in ("*", {"AWS": "*"}), statement
            assert "AWS:SourceArn" in json.dumps(statement.get("Condition", {})), statement


def test_elb_4_12_13_load_balancers_drop_bad_headers_mitigate_desync_and_span_zones(deployed):
    for region in stack.REGIONS:
        elbv2 = stack.client(deployed, "elbv2", region)
        (alb,) = [b for b in elbv2.describe_load_balancers()["LoadBalancers"] if b["LoadBalancerName"] == _names(region)["load_balancer"]]
        attributes = {
            a["Key"]: a["Value"]
            for a in elbv2.describe_load_balancer_attributes(LoadBalancerArn=alb["LoadBalancerArn"])["Attributes"]
        }
        assert attributes["routing.http.drop_invalid_header_fields.enabled"] == "true", region  # ELB.4
        assert attributes["routing.http.desync_mitigation_mode"] in ("defensive", "strictest"), region  # ELB.12
        assert len(alb["AvailabilityZones"]) >= 2, region  # ELB.13


def test_sns_1_sqs_1_topics_and_queues_are_encrypted_with_kms(deployed):
    for region in stack.REGIONS:
        sns = stack.client(deployed, "sns", region)
        for topic in sns.list_topics()["Topics"]:
            attributes = sns.get_topic_attributes(TopicArn=topic["TopicArn"])["Attributes"]
            assert attributes.get("KmsMasterKeyId"), topic
        sqs = stack.client(deployed, "sqs", region)
        for url in sqs.list_queues().get("QueueUrls", []):
            attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
            assert attributes.get("KmsMasterKeyId"), url
            assert "Principal\": \"*\"" not in attributes.get("Policy", ""), url  # SQS.3
    assert stack.client(deployed, "sns", "us-east-1").list_topics()["Topics"], "no alarm topic to check"

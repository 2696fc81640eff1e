"""The deployer and operator policies (files/iam/policies.yml) against the recorded calls, parliament and the rules
of docs/permissions.md; tools/iam_check.py's mapping and reading of call logs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import parliament
import pytest
import yaml

import iam_check
from ansible_collections.healthcare.dr.plugins.plugin_utils import iam_policies

ROOT = Path(__file__).resolve().parents[3]
PAIR = ("123456789012", "dev", ["us-east-1", "us-west-2"])

# parliament's findings on the rendered policies that stay, each with why (docs/permissions.md says the same).
EXPLAINED = {
    # kms:CreateAlias authorizes the alias and the key separately: the key under its tag condition
    # (DeployerKeys), the alias by its name (DeployerKeyAliases). parliament checks each statement alone.
    ("RESOURCE_MISMATCH", "kms:CreateAlias"),
    # DeleteListener's resource is listener/app/... or listener/net/...; the stack has ALBs only.
    ("RESOURCE_MISMATCH", "elasticloadbalancing:DeleteListener"),
    # The deployer writes the buckets' policies (TLS only, the replication role) and ACL settings: whoever may,
    # could grant itself the objects. Limited to the stack's buckets; the operator holds neither.
    ("RESOURCE_POLICY_PRIVILEGE_ESCALATION", "s3:PutBucketPolicy"),
    ("RESOURCE_POLICY_PRIVILEGE_ESCALATION", "s3:PutBucketAcl"),
}


def access_level(action: str) -> str:
    """The action's access level in parliament's copy of the Service Authorization Reference."""
    prefix, name = action.split(":")
    levels = {p["access_level"] for s in parliament.iam_definition if s["prefix"] == prefix
              for p in s["privileges"] if p["privilege"] == name}  # fmt: skip
    assert len(levels) == 1, (action, levels)
    return levels.pop()


def findings(policy: str) -> set[tuple[str, str]]:
    """(issue, action) of each parliament finding on the policy's documents."""
    out = set()
    for document in iam_policies.documents(policy, *PAIR):
        for finding in parliament.analyze_policy_string(json.dumps(document)).findings:
            details = finding.detail if isinstance(finding.detail, list) else [finding.detail]
            for detail in details:
                action = detail.get("action", "") if isinstance(detail, dict) else str(detail)
                match = re.search(r"allow (\S+)$", action) or re.search(r"^(\S+:\S+)$", action)
                out.add((finding.issue, match.group(1) if match else action))
    return out


@pytest.mark.parametrize("policy", iam_policies.POLICIES)
def test_each_policy_grants_exactly_what_the_recorded_calls_need(policy):
    calls = iam_check.load_recording()[policy]
    assert iam_check.ungranted(policy, calls) == []
    assert iam_check.dead(policy, calls) == []


def test_a_grant_no_call_needs_is_a_dead_grant(tmp_path, monkeypatch):
    source = yaml.safe_load(iam_policies.SOURCE.read_text())
    source["statements"][0]["actions"].append("ec2:DescribeInstances")
    (tmp_path / "policies.yml").write_text(yaml.safe_dump(source))
    monkeypatch.setattr(iam_policies, "SOURCE", tmp_path / "policies.yml")
    dead = iam_check.dead("operator", iam_check.load_recording()["operator"])
    assert dead == ["operator: ec2:describeinstances is granted but no call needs it (dead grant)"]


@pytest.mark.parametrize("policy", iam_policies.POLICIES)
def test_parliament_finds_nothing_unexplained(policy):
    assert findings(policy) - EXPLAINED == set()


def test_the_operator_deletes_nothing_and_writes_no_iam_or_kms():
    deletes, forbidden = [], []
    for statement in iam_policies.statements("operator", *PAIR):
        for action in statement["Action"]:
            prefix, name = action.split(":")
            if name.startswith("Delete"):
                deletes.append(action)
            if prefix in ("iam", "kms") and access_level(action) not in ("Read", "List"):
                forbidden.append(action)
    assert deletes == []
    assert forbidden == []


def test_pass_role_names_the_stacks_roles_and_the_service_that_takes_each():
    for policy in iam_policies.POLICIES:
        for statement in iam_policies.statements(policy, *PAIR):
            if "iam:PassRole" in statement["Action"]:
                assert statement["Action"] == ["iam:PassRole"]
                assert statement["Condition"]["StringEquals"]["iam:PassedToService"].endswith(".amazonaws.com")
                assert all(re.fullmatch(r"arn:aws:iam::123456789012:role/iam-[a-z0-9]+-(us-[a-z]+-\d|global)-dev", r)
                           for r in statement["Resource"])  # fmt: skip


def test_every_star_statement_is_explained_in_the_permissions_page():
    page = (ROOT / "docs" / "permissions.md").read_text()
    stars = {s["sid"] for s in iam_policies.load() if "*" in s["resources"]}
    assert stars and {sid for sid in stars if f"`{sid}`" not in page} == set()


def test_actions_are_exact_and_documents_fit_a_managed_policy():
    for policy in iam_policies.POLICIES:
        documents = iam_policies.documents(policy, *PAIR)
        assert all(iam_policies.size(d) <= iam_policies.MANAGED_POLICY_LIMIT for d in documents)
        actions = [a for d in documents for s in d["Statement"] for a in s["Action"]]
        assert not [a for a in actions if "*" in a]


def test_the_policies_follow_the_account_suffix_regions_and_partition():
    [document] = iam_policies.documents("operator", "210987654321", "prod", ["eu-west-1", "eu-central-1"], "aws-cn")
    text = json.dumps(document)
    assert "lambda-app-eu-central-1-prod" in text and "aurora-global-global-prod" in text
    assert "123456789012" not in text and "us-east-1" not in text and "arn:aws-cn:" in text
    with pytest.raises(ValueError, match="12-digit"):
        iam_policies.documents("operator", "12345", "dev", ["us-east-1"])


def test_operations_map_to_iam_actions_where_the_names_differ():
    assert iam_check.iam_actions("s3", "PutBucketReplication") == ("s3:PutReplicationConfiguration", "iam:PassRole")
    assert iam_check.iam_actions("monitoring", "PutMetricAlarm") == ("cloudwatch:PutMetricAlarm",)
    assert iam_check.iam_actions("cloudfront", "GetDistribution2020_05_31") == ("cloudfront:GetDistribution",)
    assert iam_check.iam_actions("sts", "GetCallerIdentity") == ()


def test_every_action_the_recording_needs_is_one_aws_defines():
    recorded = iam_check.load_recording()
    for policy, calls in recorded.items():
        for action in iam_check.needed(calls):
            assert parliament.expand_action(action), action


def test_call_logs_are_read_by_policy_and_the_tests_own_calls_left_out(tmp_path):
    log = tmp_path / "calls.jsonl"
    entries = [{"caller": "healthcare.dr-deployer", "service": "ec2", "operation": "CreateVpc"},
               {"caller": "healthcare.dr-operator", "service": "rds", "operation": "SwitchoverGlobalCluster"},
               {"caller": "", "service": "ec2", "operation": "DeleteVpc"},
               {"caller": "healthcare.dr", "service": "ec2", "operation": "DeleteSubnet"}]  # fmt: skip
    log.write_text("".join(json.dumps(e) + "\n" for e in entries))
    assert iam_check.read_calls([log]) == {"deployer": {"ec2:CreateVpc"}, "operator": {"rds:SwitchoverGlobalCluster"}}
    assert iam_check.check([log], complete=False) == []
    assert iam_check.check([log], complete=True)[0].endswith("is in the recording but no playbook called it "
                                                             "(a dead grant once the recording is updated)")  # fmt: skip


def test_every_play_of_the_playbooks_that_calls_aws_names_its_policy():
    wanted = {"site": "deployer", "destroy": "deployer", "summary": "deployer", "dr_status": "operator",
              "switchover": "operator", "failover": "operator", "rejoin": "operator", "dr_drill": "operator"}  # fmt: skip
    for path in sorted((ROOT / "playbooks").glob("*.yml")):
        for play in yaml.safe_load(path.read_text()):
            if "module_defaults" in play and path.stem != "preflight":  # pre-flight makes no AWS call
                assert play.get("vars", {}).get("dr_aws_policy") == wanted[path.stem], f"{path.name}: {play['name']}"


def test_the_command_line_takes_the_logs_after_its_options_as_the_suite_passes_them(tmp_path, capsys):
    log = tmp_path / "calls.jsonl"
    log.write_text(json.dumps({"caller": "healthcare.dr-operator", "service": "ec2", "operation": "DeleteVpc"}) + "\n")
    assert iam_check.main(["check", "--complete", str(log)]) == 1
    out = capsys.readouterr().out
    assert "iam_check: operator: ec2:DeleteVpc is not granted (needed by ec2:DeleteVpc)" in out
    assert "iam_check: FAILED: 1 call log(s)" in out

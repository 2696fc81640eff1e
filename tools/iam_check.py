#!/usr/bin/env python
"""Check the collection's IAM policies against the AWS calls the playbooks make.

The emulator logs every call it serves when ``DR_EMULATOR_CALL_LOG`` names a file
(``tools/emulator_calls.py``), with the policy the playbook said it needs (its User-Agent's
``app/healthcare.dr-<policy>``; calls without one, the tests' own reads, are left out). Each
operation is mapped to the IAM actions it needs (``IAM_ACTIONS``, where the names differ;
``IMPLIED``, what AWS checks besides the operation's own action), and each policy rendered from
``files/iam/policies.yml`` must grant what its calls need (policyuniverse expands what a
statement allows). The recording (``tests/unit/tools/recorded_actions.json``) holds the
operations of a whole suite run; the unit tests hold each policy equal to it, so a grant nothing
records is a dead grant.

    tools/iam_check.py check LOG...              # each call granted by its policy (any part of the suite)
    tools/iam_check.py check --complete LOG...   # and the recording equals what the logs hold (the whole suite)
    tools/iam_check.py record LOG...             # write the recording from the logs of a whole suite run
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RECORDING = ROOT / "tests" / "unit" / "tools" / "recorded_actions.json"
CALLER_PREFIX = "healthcare.dr-"
# Any real account id and region serve: the check asks which actions a policy allows.
ACCOUNT, SUFFIX, REGIONS = "123456789012", "dev", ["us-east-1", "us-west-2"]

# The IAM prefix of a service whose signing name differs.
IAM_PREFIX = {"monitoring": "cloudwatch"}

# Operations whose IAM action has another name (mostly S3's REST API), from the Service
# Authorization Reference's "Actions defined by Amazon S3" and the API references.
IAM_ACTIONS: dict[str, tuple[str, ...]] = {
    "cloudfront:CreateDistributionWithTags": ("cloudfront:CreateDistribution", "cloudfront:TagResource"),
    "s3:DeleteBucketEncryption": ("s3:PutEncryptionConfiguration",),
    "s3:DeleteBucketLifecycle": ("s3:PutLifecycleConfiguration",),
    "s3:DeleteBucketReplication": ("s3:PutReplicationConfiguration",),
    "s3:DeleteBucketTagging": ("s3:PutBucketTagging",),
    "s3:DeleteObjects": ("s3:DeleteObject", "s3:DeleteObjectVersion"),
    "s3:DeletePublicAccessBlock": ("s3:PutBucketPublicAccessBlock",),
    "s3:GetBucketAccelerateConfiguration": ("s3:GetAccelerateConfiguration",),
    "s3:GetBucketEncryption": ("s3:GetEncryptionConfiguration",),
    "s3:GetBucketLifecycle": ("s3:GetLifecycleConfiguration",),
    "s3:GetBucketLifecycleConfiguration": ("s3:GetLifecycleConfiguration",),
    "s3:GetBucketNotificationConfiguration": ("s3:GetBucketNotification",),
    "s3:GetBucketReplication": ("s3:GetReplicationConfiguration",),
    "s3:GetObjectLockConfiguration": ("s3:GetBucketObjectLockConfiguration",),
    "s3:GetPublicAccessBlock": ("s3:GetBucketPublicAccessBlock",),
    "s3:HeadBucket": ("s3:ListBucket",),
    "s3:HeadObject": ("s3:GetObject",),
    "s3:ListBucketInventoryConfigurations": ("s3:GetInventoryConfiguration",),
    "s3:ListBuckets": ("s3:ListAllMyBuckets",),
    "s3:ListObjectVersions": ("s3:ListBucketVersions",),
    "s3:ListObjects": ("s3:ListBucket",),
    "s3:ListObjectsV2": ("s3:ListBucket",),
    "s3:PutBucketEncryption": ("s3:PutEncryptionConfiguration",),
    "s3:PutBucketLifecycleConfiguration": ("s3:PutLifecycleConfiguration",),
    "s3:PutBucketNotificationConfiguration": ("s3:PutBucketNotification",),
    "s3:PutBucketReplication": ("s3:PutReplicationConfiguration",),
    "s3:PutObjectLockConfiguration": ("s3:PutBucketObjectLockConfiguration",),
    "s3:PutPublicAccessBlock": ("s3:PutBucketPublicAccessBlock",),
    # AWS STS answers GetCallerIdentity to anyone signed in: no policy grants or denies it.
    "sts:GetCallerIdentity": (),
}

# Actions AWS checks besides the operation's own: passing a role to the service that assumes it
# (iam:PassRole, restricted by iam:PassedToService in the policies) and using a customer managed KMS
# key for the caller at creation (RDS and Secrets Manager create grants or data keys as the caller).
IMPLIED: dict[str, tuple[str, ...]] = {
    "ec2:CreateFlowLogs": ("iam:PassRole",),
    "events:PutTargets": ("iam:PassRole",),
    "lambda:CreateFunction": ("iam:PassRole",),
    "s3:PutReplicationConfiguration": ("iam:PassRole",),
    "config:PutConfigurationRecorder": ("iam:PassRole",),
    "rds:CreateDBCluster": ("kms:CreateGrant", "kms:DescribeKey"),
    # Associating a web ACL with a load balancer is also the load balancer's action.
    "wafv2:AssociateWebACL": ("elasticloadbalancing:SetWebACL",),
    "secretsmanager:CreateSecret": ("kms:GenerateDataKey",),
}


def iam_actions(service: str, operation: str) -> tuple[str, ...]:
    """The IAM actions one call needs: its own (renamed where ``IAM_ACTIONS`` says) and the ``IMPLIED`` ones."""
    prefix = IAM_PREFIX.get(service, service)
    # CloudFront's REST operations carry their API version (CreateDistribution2020_05_31).
    name = operation.rstrip("_0123456789") if prefix == "cloudfront" else operation
    own = IAM_ACTIONS.get(f"{prefix}:{name}", (f"{prefix}:{name}",))
    implied = [a for action in own for a in IMPLIED.get(action, ())]
    return tuple(dict.fromkeys([*own, *implied]))


def read_calls(paths: Iterable[Path | str]) -> dict[str, set[str]]:
    """``{policy: {"service:Operation", ...}}`` of the calls the playbooks made, from call logs."""
    used: dict[str, set[str]] = {}
    for path in paths:
        with open(path) as handle:
            for line in handle:
                entry = json.loads(line)
                if entry.get("caller", "").startswith(CALLER_PREFIX):
                    policy = entry["caller"][len(CALLER_PREFIX) :]
                    used.setdefault(policy, set()).add(f"{entry['service']}:{entry['operation']}")
    return used


def needed(calls: Iterable[str]) -> dict[str, list[str]]:
    """``{IAM action: [the calls that need it]}``."""
    out: dict[str, list[str]] = {}
    for call in sorted(calls):
        service, _sep, operation = call.partition(":")
        for action in iam_actions(service, operation):
            out.setdefault(action, []).append(call)
    return out


def granted(policy: str) -> set[str]:
    """The actions ``policy`` allows, lower-case, expanded by policyuniverse."""
    from policyuniverse.policy import Policy

    from ansible_collections.healthcare.dr.plugins.plugin_utils import iam_policies

    actions: set[str] = set()
    for document in iam_policies.documents(policy, ACCOUNT, SUFFIX, REGIONS):
        for statement in Policy(document).statements:
            if statement.effect == "Allow":
                actions |= {a.lower() for a in statement.actions_expanded}
    return actions


def ungranted(policy: str, calls: Iterable[str]) -> list[str]:
    """One line per action a call of ``policy`` needs that the policy does not grant."""
    allowed = granted(policy)
    return [f"{policy}: {action} is not granted (needed by {', '.join(by)})"
            for action, by in needed(calls).items() if action.lower() not in allowed]  # fmt: skip


def dead(policy: str, calls: Iterable[str]) -> list[str]:
    """One line per action ``policy`` grants that no call needs."""
    used = {a.lower() for a in needed(calls)}
    return [f"{policy}: {action} is granted but no call needs it (dead grant)" for action in sorted(granted(policy) - used)]


def load_recording(path: Path = RECORDING) -> dict[str, set[str]]:
    return {policy: set(calls) for policy, calls in json.loads(path.read_text()).items()}


def check(logs: list[Path], complete: bool, recording: Path = RECORDING) -> list[str]:
    """Every problem, one line each: ungranted actions; with ``complete``, also calls the recording lacks or has in excess."""
    from ansible_collections.healthcare.dr.plugins.plugin_utils import iam_policies

    used = read_calls(logs)
    problems = [f"calls for an unknown policy {p!r}" for p in sorted(set(used) - set(iam_policies.POLICIES))]
    for policy in iam_policies.POLICIES:
        problems += ungranted(policy, used.get(policy, set()))
    if complete:
        recorded = load_recording(recording)
        for policy in iam_policies.POLICIES:
            live, kept = used.get(policy, set()), recorded.get(policy, set())
            problems += [f"{policy}: {c} is in the recording but no playbook called it (a dead grant once the "
                         f"recording is updated)" for c in sorted(kept - live)]  # fmt: skip
            problems += [f"{policy}: {c} was called but is not in the recording" for c in sorted(live - kept)]
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["check", "record"])
    parser.add_argument("logs", nargs="*", type=Path)
    parser.add_argument("--complete", action="store_true", help="the logs are a whole suite's: compare with the recording")
    parser.add_argument("--recording", type=Path, default=RECORDING)
    args = parser.parse_intermixed_args(argv)  # "check --complete LOG...", as run_suite.py calls it
    logs = [p for p in args.logs if p.is_file()]
    if args.command == "record":
        used = read_calls(logs)
        args.recording.write_text(json.dumps({p: sorted(c) for p, c in sorted(used.items())}, indent=1) + "\n")
        print(f"iam_check: {sum(len(c) for c in used.values())} operations written to {args.recording}")
        return 0
    problems = check(logs, args.complete, args.recording)
    for line in problems:
        print(f"iam_check: {line}")
    verdict = "FAILED" if problems else "ok"
    print(f"iam_check: {verdict}: {len(logs)} call log(s), policies files/iam/policies.yml"
          + (", recording compared" if args.complete else ""))  # fmt: skip
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to healthcare.dr
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import annotations

DOCUMENTATION = r"""
module: rds_global_cluster
version_added: 0.1.0
short_description: Create, delete, switch over and fail over Aurora global databases
description:
  - Create or delete an Aurora global database (global cluster), optionally from an existing primary DB cluster.
  - Switch its writer over to a secondary member with no data loss (C(SwitchoverGlobalCluster)), or fail it
    over to a secondary member accepting data loss (C(FailoverGlobalCluster) with C(AllowDataLoss)).
  - Detach a member DB cluster from the global cluster (C(RemoveFromGlobalCluster)).
  - Returns the global cluster with its members, which member writes and which ones read.
  - DB clusters join a global cluster when they are created with its identifier
    (M(amazon.aws.rds_cluster) O(amazon.aws.rds_cluster#module:global_cluster_identifier)); this module does not create DB clusters.
options:
  global_cluster_identifier:
    description:
      - The identifier of the global cluster. Not case-sensitive.
    type: str
    required: true
    aliases: [id]
  state:
    description:
      - V(present) makes sure the global cluster exists with the given settings.
      - V(absent) deletes it. It must have no members left; remove or delete them first.
      - V(switched_over) makes O(target_cluster_arn) the writer by a planned switchover (no data loss).
        Nothing is done when it already writes.
      - V(failed_over) makes O(target_cluster_arn) the writer by an unplanned failover; requires
        O(allow_data_loss=true). Nothing is done when it already writes.
      - V(member_removed) detaches O(cluster_arn) from the global cluster; it becomes a standalone DB cluster.
        Nothing is done when it is not a member.
    type: str
    choices: [present, absent, switched_over, failed_over, member_removed]
    default: present
  engine:
    description:
      - The database engine, for example V(aurora-postgresql).
      - Required to create a global cluster without O(source_db_cluster_arn).
    type: str
  engine_version:
    description:
      - The engine version, for example V(14.6). Only used at creation; a different version on an existing
        global cluster is an error (this module does not upgrade).
    type: str
  source_db_cluster_arn:
    description:
      - ARN of an existing DB cluster that becomes the primary (writer) of a new global cluster.
      - Engine, engine version and storage encryption are then inherited from it; do not set O(engine) or
        O(storage_encrypted) with it. Ignored when the global cluster exists.
    type: str
  storage_encrypted:
    description:
      - Whether the global cluster's storage is encrypted. Only used at creation; a different value on an
        existing global cluster is an error.
    type: bool
  deletion_protection:
    description:
      - Whether the global cluster can be deleted. Changed in place when it differs.
      - With O(state=absent) and V(false), protection is lifted before the delete.
    type: bool
  target_cluster_arn:
    description:
      - ARN of the member DB cluster to make the writer, with O(state=switched_over) or O(state=failed_over).
    type: str
  allow_data_loss:
    description:
      - Must be V(true) with O(state=failed_over), since an unplanned failover may lose writes not yet replicated.
    type: bool
    default: false
  cluster_arn:
    description:
      - ARN of the member DB cluster to detach, with O(state=member_removed).
    type: str
  wait:
    description:
      - Wait until the operation has finished (global cluster available, target writing, member gone).
    type: bool
    default: true
  wait_timeout:
    description:
      - How many seconds to wait at most before failing.
    type: int
    default: 1800
author:
  - healthcare.dr maintainers (@healthcare-dr)
notes:
  - Global clusters are not tagged by this module.
  - Switchover and failover are called in the module's region; member removal is called in the region of
    the member (taken from O(cluster_arn)).
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Ensure the global database exists (encrypted aurora-postgresql 14.6)
  healthcare.dr.rds_global_cluster:
    global_cluster_identifier: aurora-global-global-dev
    engine: aurora-postgresql
    engine_version: "14.6"
    storage_encrypted: true
    deletion_protection: true
    region: us-east-1

- name: Make an existing cluster the primary of a new global database
  healthcare.dr.rds_global_cluster:
    global_cluster_identifier: aurora-global-global-dev
    source_db_cluster_arn: arn:aws:rds:us-east-1:123456789012:cluster:aurora-cluster-us-east-1-dev

- name: Switch the writer over to the DR region (planned, no data loss)
  healthcare.dr.rds_global_cluster:
    global_cluster_identifier: aurora-global-global-dev
    state: switched_over
    target_cluster_arn: arn:aws:rds:us-west-2:123456789012:cluster:aurora-cluster-us-west-2-dev
    wait_timeout: 1200
  register: switchover

- name: Fail over to the DR region while the primary region is down
  healthcare.dr.rds_global_cluster:
    global_cluster_identifier: aurora-global-global-dev
    state: failed_over
    target_cluster_arn: arn:aws:rds:us-west-2:123456789012:cluster:aurora-cluster-us-west-2-dev
    allow_data_loss: true
    region: us-west-2

- name: Detach the DR cluster from the global database
  healthcare.dr.rds_global_cluster:
    global_cluster_identifier: aurora-global-global-dev
    state: member_removed
    cluster_arn: arn:aws:rds:us-west-2:123456789012:cluster:aurora-cluster-us-west-2-dev

- name: Delete the global database once it has no members
  healthcare.dr.rds_global_cluster:
    global_cluster_identifier: aurora-global-global-dev
    state: absent
    deletion_protection: false
"""

RETURN = r"""
global_cluster:
  description: The global cluster as described by AWS (empty when it does not exist, or after a delete).
  returned: always
  type: dict
  contains:
    global_cluster_identifier:
      description: The global cluster's identifier.
      type: str
      sample: aurora-global-global-dev
    global_cluster_arn:
      description: The global cluster's ARN.
      type: str
      sample: arn:aws:rds::123456789012:global-cluster:aurora-global-global-dev
    status:
      description: The global cluster's status.
      type: str
      sample: available
    engine:
      description: The database engine.
      type: str
      sample: aurora-postgresql
    engine_version:
      description: The engine version.
      type: str
      sample: "14.6"
    storage_encrypted:
      description: Whether storage is encrypted.
      type: bool
      sample: true
    deletion_protection:
      description: Whether deletion protection is on.
      type: bool
      sample: false
    global_cluster_members:
      description: The member DB clusters.
      type: list
      elements: dict
      contains:
        db_cluster_arn:
          description: The member's ARN.
          type: str
          sample: arn:aws:rds:us-east-1:123456789012:cluster:aurora-cluster-us-east-1-dev
        is_writer:
          description: Whether this member is the writer (primary).
          type: bool
          sample: true
        readers:
          description: For the writer, the ARNs of the reading members.
          type: list
          elements: str
          sample: [arn:aws:rds:us-west-2:123456789012:cluster:aurora-cluster-us-west-2-dev]
    failover_state:
      description: Present while a switchover or failover is pending or in progress.
      type: dict
      returned: during a switchover or failover
      sample: {status: pending, from_db_cluster_arn: "arn:...", to_db_cluster_arn: "arn:...", is_data_loss_allowed: false}
writer_cluster_arn:
  description: ARN of the member that writes, or null when there is none.
  returned: always
  type: str
  sample: arn:aws:rds:us-east-1:123456789012:cluster:aurora-cluster-us-east-1-dev
reader_cluster_arns:
  description: ARNs of the members that only read.
  returned: always
  type: list
  elements: str
  sample: [arn:aws:rds:us-west-2:123456789012:cluster:aurora-cluster-us-west-2-dev]
"""

from typing import Any, Optional

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.healthcare.dr.plugins.module_utils.calls import aws_call
from ansible_collections.healthcare.dr.plugins.module_utils.outcome import Outcome
from ansible_collections.healthcare.dr.plugins.module_utils.outcome import exit_with
from ansible_collections.healthcare.dr.plugins.module_utils.waiting import wait_for

# Seconds between two reads while waiting.
POLL_DELAY = 10


def describe_global_cluster(module: AnsibleAWSModule, client: Any, identifier: str) -> Optional[dict]:
    """The global cluster named ``identifier``, or None.

    Filters the answer itself as well: some endpoints ignore the identifier filter.
    """
    found = aws_call(
        module,
        f"Couldn't describe global cluster {identifier}",
        client.describe_global_clusters,
        ("GlobalClusterNotFoundFault",),
        GlobalClusterIdentifier=identifier,
    )
    for cluster in (found or {}).get("GlobalClusters", []):
        if cluster.get("GlobalClusterIdentifier", "").lower() == identifier.lower():
            return cluster
    return None


def members(cluster: Optional[dict]) -> list[dict]:
    return (cluster or {}).get("GlobalClusterMembers", [])


def member_arns(cluster: Optional[dict]) -> list[str]:
    return [m["DBClusterArn"] for m in members(cluster)]


def writer_arn(cluster: Optional[dict]) -> Optional[str]:
    return next((m["DBClusterArn"] for m in members(cluster) if m.get("IsWriter")), None)


def reader_arns(cluster: Optional[dict]) -> list[str]:
    return [m["DBClusterArn"] for m in members(cluster) if not m.get("IsWriter")]


def is_settled(cluster: Optional[dict]) -> bool:
    """Available, with no switchover or failover pending."""
    return bool(cluster) and cluster.get("Status") == "available" and not cluster.get("FailoverState")


def summary(cluster: Optional[dict]) -> dict:
    """What the diff shows."""
    if not cluster:
        return {}
    return {
        "global_cluster_identifier": cluster.get("GlobalClusterIdentifier"),
        "engine": cluster.get("Engine"),
        "engine_version": cluster.get("EngineVersion"),
        "storage_encrypted": cluster.get("StorageEncrypted"),
        "deletion_protection": cluster.get("DeletionProtection"),
        "writer": writer_arn(cluster),
        "members": sorted(member_arns(cluster)),
    }


def region_of(arn: str) -> str:
    parts = arn.split(":")
    return parts[3] if len(parts) > 5 else ""


def wait_until(module: AnsibleAWSModule, client: Any, what: str, check: Any) -> dict:
    """Poll the global cluster until ``check(cluster)`` holds; return the last description."""
    identifier = module.params["global_cluster_identifier"]

    def poll() -> Any:
        cluster = describe_global_cluster(module, client, identifier)
        return (cluster,) if check(cluster) else None

    return wait_for(module, what, poll, module.params["wait_timeout"], POLL_DELAY)[0]


def create_global_cluster(module: AnsibleAWSModule, client: Any) -> dict:
    params = module.params
    identifier = params["global_cluster_identifier"]
    request: dict[str, Any] = {"GlobalClusterIdentifier": identifier}
    if params["source_db_cluster_arn"]:
        request["SourceDBClusterIdentifier"] = params["source_db_cluster_arn"]
    else:
        request["Engine"] = params["engine"]
        if params["engine_version"]:
            request["EngineVersion"] = params["engine_version"]
        if params["storage_encrypted"] is not None:
            request["StorageEncrypted"] = params["storage_encrypted"]
    if params["deletion_protection"] is not None:
        request["DeletionProtection"] = params["deletion_protection"]
    try:
        return client.create_global_cluster(aws_retry=True, **request)["GlobalCluster"]
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Couldn't create global cluster {identifier}")


def predicted(module: AnsibleAWSModule) -> dict:
    """What a create would make, for check mode's result and diff."""
    params = module.params
    cluster: dict[str, Any] = {
        "GlobalClusterIdentifier": params["global_cluster_identifier"],
        "GlobalClusterMembers": [],
    }
    if params["source_db_cluster_arn"]:
        cluster["GlobalClusterMembers"] = [{"DBClusterArn": params["source_db_cluster_arn"], "IsWriter": True}]
    else:
        cluster.update(
            Engine=params["engine"],
            EngineVersion=params["engine_version"],
            StorageEncrypted=params["storage_encrypted"],
        )
    cluster["DeletionProtection"] = params["deletion_protection"]
    return cluster


def set_deletion_protection(module: AnsibleAWSModule, client: Any, value: bool) -> dict:
    identifier = module.params["global_cluster_identifier"]
    try:
        return client.modify_global_cluster(
            aws_retry=True, GlobalClusterIdentifier=identifier, DeletionProtection=value
        )["GlobalCluster"]
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Couldn't set deletion protection to {value} on global cluster {identifier}")


def unchangeable_differences(module: AnsibleAWSModule, current: dict) -> list[str]:
    """Settings asked for that an existing global cluster cannot take."""
    params = module.params
    wanted = {
        "engine": ("Engine", params["engine"]),
        "engine_version": ("EngineVersion", params["engine_version"]),
        "storage_encrypted": ("StorageEncrypted", params["storage_encrypted"]),
    }
    return [
        f"{option}={value!r} (is {current.get(key)!r})"
        for option, (key, value) in wanted.items()
        if value is not None and current.get(key) != value
    ]


def outcome(changed: bool, before: Optional[dict], after: Optional[dict]) -> Outcome:
    """The module's outcome: the global cluster ``after``, its writer and readers; the diff shows summaries."""
    result = {
        "global_cluster": camel_dict_to_snake_dict(after or {}),
        "writer_cluster_arn": writer_arn(after),
        "reader_cluster_arns": reader_arns(after),
    }
    return Outcome(changed, summary(before), summary(after), result)


def changed_once(module: AnsibleAWSModule, client: Any, current: Optional[dict], what: str, check: Any) -> Outcome:
    """After a write: with ``wait``, the cluster once ``check`` holds (``what`` names it); else as it is now."""
    if module.params["wait"]:
        return outcome(True, current, wait_until(module, client, what, check))
    return outcome(True, current, describe_global_cluster(module, client, module.params["global_cluster_identifier"]))


def check_writer_target(module: AnsibleAWSModule, current: Optional[dict]) -> None:
    """Fail unless the target of a switchover or failover can become the writer."""
    params = module.params
    identifier = params["global_cluster_identifier"]
    target = params["target_cluster_arn"]
    failover = params["state"] == "failed_over"
    operation = "fail over" if failover else "switch over"
    if failover and not params["allow_data_loss"]:
        module.fail_json(
            msg=f"Couldn't fail over global cluster {identifier}: state=failed_over needs allow_data_loss=true"
        )
    if current is None:
        module.fail_json(msg=f"Couldn't {operation} global cluster {identifier} to {target}: global cluster not found")
    if target not in member_arns(current):
        module.fail_json(
            msg=f"Couldn't {operation} global cluster {identifier} to {target}: not a member "
            f"(members: {', '.join(member_arns(current)) or 'none'})"
        )


def ensure_present(module: AnsibleAWSModule, client: Any, current: Optional[dict]) -> Outcome:
    params = module.params
    identifier = params["global_cluster_identifier"]
    if current is None:
        if not params["source_db_cluster_arn"] and not params["engine"]:
            module.fail_json(
                msg=f"Couldn't create global cluster {identifier}: engine or source_db_cluster_arn is required"
            )
        if module.check_mode:
            return outcome(True, current, predicted(module))
        create_global_cluster(module, client)
        return changed_once(module, client, current, f"global cluster {identifier} to be available", is_settled)

    differences = unchangeable_differences(module, current)
    if differences:
        module.fail_json(
            msg=f"Couldn't update global cluster {identifier}: these can't change in place: {', '.join(differences)}"
        )
    wanted_protection = params["deletion_protection"]
    if wanted_protection is None or current.get("DeletionProtection") == wanted_protection:
        return outcome(False, current, current)
    if module.check_mode:
        return outcome(True, current, dict(current, DeletionProtection=wanted_protection))
    set_deletion_protection(module, client, wanted_protection)
    return outcome(True, current, describe_global_cluster(module, client, identifier))


def ensure_absent(module: AnsibleAWSModule, client: Any, current: Optional[dict]) -> Outcome:
    identifier = module.params["global_cluster_identifier"]
    if current is None:
        return outcome(False, current, None)
    if members(current):
        module.fail_json(
            msg=f"Couldn't delete global cluster {identifier}: it still has members {', '.join(member_arns(current))}",
            global_cluster=camel_dict_to_snake_dict(current),
        )
    if module.check_mode:
        return outcome(True, current, None)
    if current.get("DeletionProtection") and module.params["deletion_protection"] is False:
        set_deletion_protection(module, client, False)
    try:
        client.delete_global_cluster(aws_retry=True, GlobalClusterIdentifier=identifier)
    except is_boto3_error_code("GlobalClusterNotFoundFault"):
        return outcome(False, current, None)
    except (
        botocore.exceptions.ClientError,
        botocore.exceptions.BotoCoreError,
    ) as e:  # pylint: disable=duplicate-except
        module.fail_json_aws(e, msg=f"Couldn't delete global cluster {identifier}")
    if module.params["wait"]:
        wait_until(module, client, f"global cluster {identifier} to be deleted", lambda cluster: cluster is None)
    return outcome(True, current, None)


def ensure_writer(module: AnsibleAWSModule, client: Any, current: Optional[dict]) -> Outcome:
    """switched_over / failed_over: make the target the writer."""
    params = module.params
    identifier = params["global_cluster_identifier"]
    target = params["target_cluster_arn"]
    failover = params["state"] == "failed_over"
    operation = "fail over" if failover else "switch over"
    check_writer_target(module, current)

    def target_writes(cluster: Optional[dict]) -> bool:
        return is_settled(cluster) and writer_arn(cluster) == target

    pending = (current.get("FailoverState") or {}).get("ToDbClusterArn")
    if target_writes(current) or (pending == target and not params["wait"]):
        return outcome(False, current, current)
    if pending == target:
        # Already under way (another run started it): only wait for it.
        return outcome(False, current, wait_until(module, client, f"{target} to write in global cluster {identifier}", target_writes))
    if module.check_mode:
        after = dict(current)
        after["GlobalClusterMembers"] = [dict(m, IsWriter=m["DBClusterArn"] == target) for m in members(current)]
        return outcome(True, current, after)
    try:
        if failover:
            client.failover_global_cluster(
                aws_retry=True, GlobalClusterIdentifier=identifier, TargetDbClusterIdentifier=target, AllowDataLoss=True
            )
        else:
            client.switchover_global_cluster(
                aws_retry=True, GlobalClusterIdentifier=identifier, TargetDbClusterIdentifier=target
            )
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Couldn't {operation} global cluster {identifier} to {target}")
    return changed_once(module, client, current, f"{target} to write in global cluster {identifier}", target_writes)


def ensure_member_removed(
    module: AnsibleAWSModule, client: Any, current: Optional[dict]
) -> Outcome:
    params = module.params
    identifier = params["global_cluster_identifier"]
    cluster_arn = params["cluster_arn"]
    if current is None or cluster_arn not in member_arns(current):
        return outcome(False, current, current)
    if module.check_mode:
        after = dict(current)
        after["GlobalClusterMembers"] = [m for m in members(current) if m["DBClusterArn"] != cluster_arn]
        return outcome(True, current, after)
    member_client = module.client("rds", retry_decorator=AWSRetry.jittered_backoff(), region=region_of(cluster_arn))
    try:
        member_client.remove_from_global_cluster(
            aws_retry=True, GlobalClusterIdentifier=identifier, DbClusterIdentifier=cluster_arn
        )
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Couldn't remove {cluster_arn} from global cluster {identifier}")
    return changed_once(
        module,
        client,
        current,
        f"{cluster_arn} to leave global cluster {identifier}",
        lambda cluster: cluster is None or cluster_arn not in member_arns(cluster),
    )


HANDLERS = {
    "present": ensure_present,
    "absent": ensure_absent,
    "switched_over": ensure_writer,
    "failed_over": ensure_writer,
    "member_removed": ensure_member_removed,
}


def main() -> None:
    argument_spec = dict(
        global_cluster_identifier=dict(type="str", required=True, aliases=["id"]),
        state=dict(type="str", default="present", choices=list(HANDLERS)),
        engine=dict(type="str"),
        engine_version=dict(type="str"),
        source_db_cluster_arn=dict(type="str"),
        storage_encrypted=dict(type="bool"),
        deletion_protection=dict(type="bool"),
        target_cluster_arn=dict(type="str"),
        allow_data_loss=dict(type="bool", default=False),
        cluster_arn=dict(type="str"),
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=1800),
    )
    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        required_if=[
            ("state", "switched_over", ["target_cluster_arn"]),
            ("state", "failed_over", ["target_cluster_arn"]),
            ("state", "member_removed", ["cluster_arn"]),
        ],
        mutually_exclusive=[("source_db_cluster_arn", "engine"), ("source_db_cluster_arn", "storage_encrypted")],
        supports_check_mode=True,
    )
    client = module.client("rds", retry_decorator=AWSRetry.jittered_backoff())
    identifier = module.params["global_cluster_identifier"]

    before = describe_global_cluster(module, client, identifier)
    exit_with(module, HANDLERS[module.params["state"]](module, client, before))


if __name__ == "__main__":
    main()

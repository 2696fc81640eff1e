#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to healthcare.dr
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import annotations

DOCUMENTATION = r"""
module: s3_bucket_replication
short_description: Put, compare and remove the replication configuration of an S3 bucket
version_added: 0.1.0
description:
  - Ensures the replication configuration of an S3 bucket is exactly the given rules, or that the
    bucket has none.
  - >-
    The wanted and the current configuration are compared after both are normalised, so forms that
    mean the same (a missing C(Filter) and C(Filter: {Prefix: ""}), a missing C(DeleteMarkerReplication)
    and C(Disabled), a destination bucket given by name or by ARN, rules in another order, numbers
    as strings) never count as a change and a second run reports C(changed=false).
  - The module owns the whole configuration of the bucket; rules that are not listed are removed.
  - Versioning must be enabled on the source and the destination buckets before replication is put.
  - In check mode a source bucket that does not exist yet counts as one without replication.
  - The destination bucket and its policy are not managed here (use M(amazon.aws.s3_bucket)).
author:
  - healthcare.dr maintainers (@healthcare-dr)
options:
  bucket:
    description: Name of the source bucket.
    required: true
    type: str
    aliases: [name]
  state:
    description: Whether the bucket has the given replication configuration or none at all.
    choices: [present, absent]
    default: present
    type: str
  role:
    description:
      - ARN of the IAM role that Amazon S3 assumes to replicate objects.
      - Required when O(state=present).
    type: str
  rules:
    description:
      - The replication rules. Required and not empty when O(state=present).
      - Rules are written in the V2 schema (with C(Filter) and C(Priority)).
    type: list
    elements: dict
    suboptions:
      id:
        description:
          - Unique identifier of the rule.
          - Required so that the rule keeps its identity between runs (AWS generates a random one otherwise).
        type: str
        required: true
      priority:
        description:
          - Which rule wins when two rules apply to the same object (the higher wins).
          - Defaults to the rule's position in O(rules) (the first rule is 1).
        type: int
      status:
        description: Whether the rule is applied.
        choices: [enabled, disabled]
        default: enabled
        type: str
      prefix:
        description: Object key prefix the rule applies to; V("") is the whole bucket.
        type: str
        default: ""
      tags:
        description: Object tags the rule applies to (all of them must match).
        type: dict
        default: {}
      delete_marker_replication:
        description:
          - Whether delete markers are replicated.
          - AWS does not accept it together with O(rules[].tags).
        type: bool
        default: false
      sse_kms_encrypted_objects:
        description:
          - Whether objects encrypted with SSE-KMS are replicated.
          - Defaults to true when O(rules[].destination.replica_kms_key_id) is set, else false.
        type: bool
      replica_modifications:
        description: Whether metadata changes made on replicas are replicated back.
        type: bool
        default: false
      existing_object_replication:
        description: Whether objects that existed before the rule are replicated (needs AWS to enable it on the account).
        type: bool
        default: false
      destination:
        description: Where the objects are replicated to.
        type: dict
        required: true
        suboptions:
          bucket:
            description: Name or ARN of the destination bucket.
            type: str
            required: true
          account:
            description: Account ID that owns the destination bucket, when it is another account.
            type: str
          owner_override:
            description:
              - Whether replicas are owned by the destination account (C(AccessControlTranslation)).
              - Needs O(rules[].destination.account).
            type: bool
            default: false
          storage_class:
            description: Storage class of the replicas; by default the source object's class.
            type: str
            choices: [STANDARD, REDUCED_REDUNDANCY, STANDARD_IA, ONEZONE_IA, INTELLIGENT_TIERING,
                      GLACIER, DEEP_ARCHIVE, OUTPOSTS, GLACIER_IR, SNOW, EXPRESS_ONEZONE]
          replica_kms_key_id:
            description:
              - ARN of the KMS key, in the destination region, that encrypts the replicas.
              - Compared as given; pass the key ARN, as AWS echoes back what it was given.
            type: str
          replication_time_control:
            description:
              - Whether S3 Replication Time Control (15 minutes) is enabled.
              - Enables replication metrics as well, as AWS requires.
            type: bool
            default: false
          metrics:
            description:
              - Whether replication metrics and events (threshold 15 minutes) are enabled.
              - Defaults to the value of O(rules[].destination.replication_time_control).
            type: bool
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Ensure the primary bucket replicates everything to the DR bucket
  healthcare.dr.s3_bucket_replication:
    bucket: s3-data-us-east-1-dev-123456789012
    role: arn:aws:iam::123456789012:role/iam-s3replication-global-dev
    rules:
      - id: replicate-all-to-dr
        delete_marker_replication: true
        destination:
          bucket: s3-data-us-west-2-dev-123456789012
          replica_kms_key_id: arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab
          storage_class: STANDARD
          replication_time_control: true

- name: Ensure only tagged reports under reports/ are replicated, to cheaper storage
  healthcare.dr.s3_bucket_replication:
    bucket: my-source-bucket
    role: arn:aws:iam::123456789012:role/replication
    rules:
      - id: reports
        prefix: reports/
        tags:
          Classification: archive
        destination:
          bucket: arn:aws:s3:::my-archive-bucket
          storage_class: GLACIER_IR

- name: Ensure the bucket replicates nothing
  healthcare.dr.s3_bucket_replication:
    bucket: s3-data-us-east-1-dev-123456789012
    state: absent
"""

RETURN = r"""
bucket:
  description: Name of the source bucket.
  returned: always
  type: str
  sample: s3-data-us-east-1-dev-123456789012
replication_configuration:
  description:
    - The replication configuration of the bucket as read back after the change (as it would be, in
      check mode); empty when the bucket has none.
  returned: always
  type: dict
  contains:
    role:
      description: ARN of the replication role.
      type: str
      sample: arn:aws:iam::123456789012:role/iam-s3replication-global-dev
    rules:
      description: The rules, as AWS returns them.
      type: list
      elements: dict
      sample:
        - id: replicate-all-to-dr
          priority: 1
          status: Enabled
          filter: {prefix: ""}
          delete_marker_replication: {status: Enabled}
          destination:
            bucket: arn:aws:s3:::s3-data-us-west-2-dev-123456789012
            storage_class: STANDARD
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
from ansible_collections.healthcare.dr.plugins.module_utils.comparison import canonical
from ansible_collections.healthcare.dr.plugins.module_utils.outcome import Outcome
from ansible_collections.healthcare.dr.plugins.module_utils.outcome import exit_with

DEFAULT_MINUTES = 15


# --- normalisation ------------------------------------------------------------------------------


def bucket_name(value: Optional[str]) -> Optional[str]:
    """The bucket name whether ``value`` is a name or an ``arn:<partition>:s3:::name`` ARN."""
    if value and value.startswith("arn:"):
        return value.split(":::", 1)[-1]
    return value


def _status(block: Any, default: str = "Disabled") -> str:
    """``block['Status']`` (``{"Status": "Enabled"}``-style blocks), ``default`` when absent."""
    if isinstance(block, dict) and block.get("Status"):
        return str(block["Status"])
    return default


def _minutes(block: Any, inner: str) -> Optional[int]:
    """Minutes of an enabled RTC/metrics block (``None`` when disabled or absent)."""
    if _status(block) != "Enabled":
        return None
    value = (block.get(inner) or {}).get("Minutes")
    return int(value) if value is not None else DEFAULT_MINUTES


def _tags_dict(tags: Any) -> dict[str, str]:
    if isinstance(tags, dict):
        tags = [tags]
    return {str(tag["Key"]): str(tag.get("Value") or "") for tag in tags or []}


def normalise_filter(rule: dict[str, Any]) -> dict[str, Any]:
    """``{"prefix": ..., "tags": {...}}`` for every way a rule can say what it applies to.

    No filter, ``Filter: {}``, ``Filter: {Prefix: ""}``, ``Filter: {And: {Prefix: ""}}`` and the V1
    rule-level ``Prefix: ""`` all mean the whole bucket.
    """
    if "Filter" not in rule and "Prefix" in rule:
        return {"prefix": rule.get("Prefix") or "", "tags": {}}
    found = rule.get("Filter") or {}
    prefix = found.get("Prefix") or ""
    tags = _tags_dict(found.get("Tag"))
    both = found.get("And") or {}
    if both:
        prefix = both.get("Prefix") or prefix
        tags.update(_tags_dict(both.get("Tags") or both.get("Tag")))
    return {"prefix": prefix, "tags": tags}


def normalise_destination(destination: dict[str, Any]) -> dict[str, Any]:
    translation = destination.get("AccessControlTranslation") or {}
    return {
        "bucket": bucket_name(destination.get("Bucket")),
        "account": destination.get("Account") or None,
        "owner": translation.get("Owner") or None,
        "storage_class": destination.get("StorageClass") or None,
        "replica_kms_key_id": (destination.get("EncryptionConfiguration") or {}).get("ReplicaKmsKeyID") or None,
        "replication_time_minutes": _minutes(destination.get("ReplicationTime"), "Time"),
        "metrics_minutes": _minutes(destination.get("Metrics"), "EventThreshold"),
    }


def normalise_rule(rule: dict[str, Any]) -> dict[str, Any]:
    """A rule in one canonical form, whatever defaults the service filled in or left out."""
    v1 = "Filter" not in rule and "Prefix" in rule
    criteria = rule.get("SourceSelectionCriteria") or {}
    priority = rule.get("Priority")
    return {
        "id": rule.get("ID"),
        # V1 rules have no priority: they never equal a wanted V2 rule and get rewritten once.
        "priority": None if v1 or priority is None else int(priority),
        "status": rule.get("Status"),
        "filter": normalise_filter(rule),
        # V1 rules replicate delete markers (AWS S3 user guide, "Backward compatibility").
        "delete_marker_replication": "Enabled" if v1 else _status(rule.get("DeleteMarkerReplication")),
        "sse_kms_encrypted_objects": _status(criteria.get("SseKmsEncryptedObjects")),
        "replica_modifications": _status(criteria.get("ReplicaModifications")),
        "existing_object_replication": _status(rule.get("ExistingObjectReplication")),
        "destination": normalise_destination(rule.get("Destination") or {}),
    }


def normalise_configuration(config: Optional[dict[str, Any]]) -> Optional[dict[str, Any]]:
    """A replication configuration (API shape) in a canonical form; ``None`` when there is none."""
    if not config or not config.get("Rules"):
        return None
    rules = sorted((normalise_rule(rule) for rule in config["Rules"]), key=lambda r: (str(r["id"]), r["priority"] or 0))
    return canonical({"role": config.get("Role"), "rules": rules})


def configurations_differ(current: Optional[dict[str, Any]], wanted: Optional[dict[str, Any]]) -> bool:
    """True when the two configurations replicate differently."""
    return normalise_configuration(current) != normalise_configuration(wanted)


# --- wanted configuration from the module's options ---------------------------------------------


def _enabled(flag: bool) -> str:
    return "Enabled" if flag else "Disabled"


def partition_of(arn: str) -> str:
    parts = arn.split(":")
    return parts[1] if len(parts) > 1 and parts[0] == "arn" and parts[1] else "aws"


def destination_to_api(destination: dict[str, Any], partition: str) -> dict[str, Any]:
    name = bucket_name(destination["bucket"])
    result: dict[str, Any] = {"Bucket": f"arn:{partition}:s3:::{name}"}
    if destination.get("account"):
        result["Account"] = destination["account"]
    if destination.get("owner_override"):
        result["AccessControlTranslation"] = {"Owner": "Destination"}
    if destination.get("storage_class"):
        result["StorageClass"] = destination["storage_class"]
    if destination.get("replica_kms_key_id"):
        result["EncryptionConfiguration"] = {"ReplicaKmsKeyID": destination["replica_kms_key_id"]}
    rtc = bool(destination.get("replication_time_control"))
    metrics = destination.get("metrics")
    if metrics is None:
        metrics = rtc
    if rtc:
        result["ReplicationTime"] = {"Status": "Enabled", "Time": {"Minutes": DEFAULT_MINUTES}}
    if metrics:
        result["Metrics"] = {"Status": "Enabled", "EventThreshold": {"Minutes": DEFAULT_MINUTES}}
    return result


def filter_to_api(prefix: str, tags: dict[str, Any]) -> dict[str, Any]:
    tag_list = [{"Key": str(key), "Value": str(value)} for key, value in sorted(tags.items())]
    if not tag_list:
        return {"Prefix": prefix}
    if len(tag_list) == 1 and not prefix:
        return {"Tag": tag_list[0]}
    both: dict[str, Any] = {"Tags": tag_list}
    if prefix:
        both["Prefix"] = prefix
    return {"And": both}


def rule_to_api(rule: dict[str, Any], position: int, partition: str) -> dict[str, Any]:
    """One rule of the module's options in the PutBucketReplication (V2) shape."""
    destination = rule["destination"]
    sse_kms = rule.get("sse_kms_encrypted_objects")
    if sse_kms is None:
        sse_kms = bool(destination.get("replica_kms_key_id"))
    result: dict[str, Any] = {
        "ID": rule["id"],
        "Priority": rule["priority"] if rule.get("priority") is not None else position,
        "Status": "Enabled" if rule.get("status", "enabled") == "enabled" else "Disabled",
        "Filter": filter_to_api(rule.get("prefix") or "", rule.get("tags") or {}),
        "DeleteMarkerReplication": {"Status": _enabled(rule.get("delete_marker_replication"))},
        "Destination": destination_to_api(destination, partition),
    }
    criteria: dict[str, Any] = {}
    if sse_kms:
        criteria["SseKmsEncryptedObjects"] = {"Status": "Enabled"}
    if rule.get("replica_modifications"):
        criteria["ReplicaModifications"] = {"Status": "Enabled"}
    if criteria:
        result["SourceSelectionCriteria"] = criteria
    if rule.get("existing_object_replication"):
        result["ExistingObjectReplication"] = {"Status": "Enabled"}
    return result


def wanted_configuration(role: str, rules: list[dict[str, Any]]) -> dict[str, Any]:
    partition = partition_of(role)
    return {"Role": role, "Rules": [rule_to_api(rule, n, partition) for n, rule in enumerate(rules, start=1)]}


def validate_rules(module: AnsibleAWSModule, rules: list[dict[str, Any]]) -> None:
    """Fail before any call on what AWS would refuse."""
    if not rules:
        module.fail_json(msg="rules must hold at least one rule when state=present")
    ids = [rule["id"] for rule in rules]
    if len(set(ids)) != len(ids):
        module.fail_json(msg=f"Rule ids must be unique, got {ids}")
    priorities = [rule["priority"] if rule.get("priority") is not None else n for n, rule in enumerate(rules, start=1)]
    if len(set(priorities)) != len(priorities):
        module.fail_json(msg=f"Rule priorities must be unique, got {priorities}")
    for rule in rules:
        destination = rule["destination"]
        if rule.get("tags") and rule.get("delete_marker_replication"):
            module.fail_json(
                msg=f"Rule {rule['id']}: delete markers cannot be replicated by a rule that filters on tags"
            )
        if destination.get("owner_override") and not destination.get("account"):
            module.fail_json(msg=f"Rule {rule['id']}: destination.owner_override needs destination.account")
        if destination.get("replication_time_control") and destination.get("metrics") is False:
            module.fail_json(msg=f"Rule {rule['id']}: replication_time_control needs metrics")
        if rule.get("sse_kms_encrypted_objects") and not destination.get("replica_kms_key_id"):
            module.fail_json(msg=f"Rule {rule['id']}: sse_kms_encrypted_objects needs destination.replica_kms_key_id")


# --- AWS calls -----------------------------------------------------------------------------------


def describe_replication(module: AnsibleAWSModule, client: Any, bucket: str) -> Optional[dict[str, Any]]:
    """The bucket's replication configuration; ``None`` when it has none.

    Fails when the bucket does not exist, except with ``state=absent`` (nothing to remove) and in
    check mode (an earlier task of the same run would have made it).
    """
    try:
        return client.get_bucket_replication(aws_retry=True, Bucket=bucket)["ReplicationConfiguration"]
    except is_boto3_error_code("ReplicationConfigurationNotFoundError"):
        return None
    except is_boto3_error_code("NoSuchBucket") as e:  # pylint: disable=duplicate-except
        # In check mode an earlier task of the same run would have made the bucket.
        if module.params["state"] == "absent" or module.check_mode:
            return None
        module.fail_json_aws(e, msg=f"Couldn't find bucket {bucket}")
    except (
        botocore.exceptions.ClientError,
        botocore.exceptions.BotoCoreError,
    ) as e:  # pylint: disable=duplicate-except
        module.fail_json_aws(e, msg=f"Couldn't get the replication configuration of bucket {bucket}")
    return None  # not reached: fail_json_aws exits


def put_replication(module: AnsibleAWSModule, client: Any, bucket: str, config: dict[str, Any]) -> None:
    msg = f"Couldn't put the replication configuration of bucket {bucket}"
    aws_call(module, msg, client.put_bucket_replication, Bucket=bucket, ReplicationConfiguration=config)


def delete_replication(module: AnsibleAWSModule, client: Any, bucket: str) -> None:
    msg = f"Couldn't delete the replication configuration of bucket {bucket}"
    missing = ("NoSuchBucket", "ReplicationConfigurationNotFoundError")
    aws_call(module, msg, client.delete_bucket_replication, missing, Bucket=bucket)


def as_result(config: Optional[dict[str, Any]]) -> dict[str, Any]:
    return camel_dict_to_snake_dict(config) if config else {}


# --- states ---------------------------------------------------------------------------------------


def ensure_present(module: AnsibleAWSModule, client: Any, bucket: str) -> Outcome:
    rules = module.params["rules"] or []
    validate_rules(module, rules)
    wanted = wanted_configuration(module.params["role"], rules)
    current = describe_replication(module, client, bucket)
    changed = configurations_differ(current, wanted)
    before, after = normalise_configuration(current) or {}, normalise_configuration(wanted)
    if not changed or module.check_mode:
        shown = as_result(wanted if changed else current)
        return Outcome(changed, before, after, {"bucket": bucket, "replication_configuration": shown})
    put_replication(module, client, bucket, wanted)
    read_back = describe_replication(module, client, bucket)
    if configurations_differ(read_back, wanted):
        module.warn(
            f"The replication configuration read back from bucket {bucket} differs from the one put: "
            "the service changed or dropped part of it, the next run will report a change."
        )
    return Outcome(True, before, after, {"bucket": bucket, "replication_configuration": as_result(read_back)})


def ensure_absent(module: AnsibleAWSModule, client: Any, bucket: str) -> Outcome:
    current = describe_replication(module, client, bucket)
    if current is not None and not module.check_mode:
        delete_replication(module, client, bucket)
    before = normalise_configuration(current) or {}
    return Outcome(current is not None, before, {}, {"bucket": bucket, "replication_configuration": {}})


def main() -> None:
    destination_spec = dict(
        bucket=dict(type="str", required=True),
        account=dict(type="str"),
        owner_override=dict(type="bool", default=False),
        storage_class=dict(
            type="str",
            choices=[
                "STANDARD",
                "REDUCED_REDUNDANCY",
                "STANDARD_IA",
                "ONEZONE_IA",
                "INTELLIGENT_TIERING",
                "GLACIER",
                "DEEP_ARCHIVE",
                "OUTPOSTS",
                "GLACIER_IR",
                "SNOW",
                "EXPRESS_ONEZONE",
            ],
        ),
        replica_kms_key_id=dict(type="str"),
        replication_time_control=dict(type="bool", default=False),
        metrics=dict(type="bool"),
    )
    rule_spec = dict(
        id=dict(type="str", required=True),
        priority=dict(type="int"),
        status=dict(type="str", choices=["enabled", "disabled"], default="enabled"),
        prefix=dict(type="str", default=""),
        tags=dict(type="dict", default={}),
        delete_marker_replication=dict(type="bool", default=False),
        sse_kms_encrypted_objects=dict(type="bool"),
        replica_modifications=dict(type="bool", default=False),
        existing_object_replication=dict(type="bool", default=False),
        destination=dict(type="dict", required=True, options=destination_spec),
    )
    argument_spec = dict(
        bucket=dict(type="str", required=True, aliases=["name"]),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        role=dict(type="str"),
        rules=dict(type="list", elements="dict", options=rule_spec),
    )
    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        required_if=[("state", "present", ["role", "rules"])],
        supports_check_mode=True,
    )
    client = module.client("s3", retry_decorator=AWSRetry.jittered_backoff())
    ensure = ensure_present if module.params["state"] == "present" else ensure_absent
    exit_with(module, ensure(module, client, module.params["bucket"]))


if __name__ == "__main__":
    main()

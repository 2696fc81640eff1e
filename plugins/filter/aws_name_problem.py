# -*- coding: utf-8 -*-
# Copyright: contributors to healthcare.dr
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import annotations

import re

DOCUMENTATION = r"""
name: aws_name_problem
version_added: 0.1.0
short_description: Say what AWS would refuse in a resource name, or nothing
description:
  - Returns an empty string when AWS accepts the name for that kind of resource, else a short sentence
    saying what is wrong (its length and the limit, or the characters AWS accepts).
  - The roles' pre-flight checks (C(tasks/validate.yml)) apply it to every name after the naming pattern
    (C(healthcare.dr.resource_name)) has joined the role's variables, so a suffix or purpose that makes a
    derived name too long fails before any AWS call.
options:
  _input:
    description: The name.
    type: str
    required: true
  kind:
    description: The kind of resource, which decides the rules.
    type: str
    required: true
    choices: [elb, lambda, iam_role, bucket, secret, alarm, rds, sqs, event_bus, log_group, kms_alias, sns_topic]
"""

EXAMPLES = r"""
- name: Check the function name the lambda_alb role would use
  ansible.builtin.assert:
    that: __lambda_alb_function_name | healthcare.dr.aws_name_problem('lambda') == ''
    fail_msg: "dr_environment_suffix: {{ __lambda_alb_function_name | healthcare.dr.aws_name_problem('lambda') }}"
"""

RETURN = r"""
_value:
  description: Empty when the name is valid, else what is wrong with it.
  type: str
"""

# kind: (what, minimum length, maximum length, full-match pattern, characters in words, documentation)
RULES = {
    # https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html
    # https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html
    "elb": ("load balancer or target group name", 1, 32, r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?",
            "letters, digits and inner hyphens"),
    # https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html (FunctionName, name only)
    "lambda": ("function name", 1, 64, r"[A-Za-z0-9_-]+", "letters, digits, hyphens and underscores"),
    # https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html (RoleName)
    "iam_role": ("IAM role name", 1, 64, r"[\w+=,.@-]+", "letters, digits and +=,.@_-"),
    # https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
    "bucket": ("bucket name", 3, 63, r"(?!xn--)(?!sthree-)(?!.*\.\.)(?!.*-s3alias$)(?!\d+\.\d+\.\d+\.\d+$)[a-z0-9][a-z0-9.-]*[a-z0-9]",
               "lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit"),
    # https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html (Name)
    "secret": ("secret name", 1, 512, r"[A-Za-z0-9/_+=.@-]+", "letters, digits and /_+=.@-"),
    # https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html (AlarmName)
    "alarm": ("alarm name", 1, 255, r"[^\x00-\x1f\x7f]+", "printable characters"),
    # https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html (DBClusterIdentifier)
    "rds": ("DB identifier", 1, 63, r"[a-z](?!.*--)[a-z0-9-]*(?<!-)",
            "lower-case letters, digits and single inner hyphens, starting with a letter"),
    # https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html (QueueName)
    "sqs": ("queue name", 1, 80, r"[A-Za-z0-9_-]+", "letters, digits, hyphens and underscores"),
    # https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_CreateEventBus.html (Name; rules alike)
    "event_bus": ("event bus or rule name", 1, 64, r"[A-Za-z0-9._-]+", "letters, digits and ._-"),
    # https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html
    "log_group": ("log group name", 1, 512, r"[A-Za-z0-9._/#-]+", "letters, digits and ._/#-"),
    # https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html (AliasName)
    "kms_alias": ("KMS alias", 7, 256, r"alias/(?!aws/)[A-Za-z0-9/_-]+", "alias/ then letters, digits and /_-"),
    # https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html (Name)
    "sns_topic": ("topic name", 1, 256, r"[A-Za-z0-9_-]+", "letters, digits, hyphens and underscores"),
}  # fmt: skip


def aws_name_problem(name, kind: str) -> str:
    """'' when AWS accepts ``name`` for ``kind``, else what is wrong with it."""
    if kind not in RULES:
        raise ValueError(f"aws_name_problem: unknown kind {kind!r}; choose from {', '.join(sorted(RULES))}")
    what, shortest, longest, pattern, allowed = RULES[kind]
    name = "" if name is None else str(name)
    if not shortest <= len(name) <= longest:
        return f"{what} {name} is {len(name)} characters; AWS allows {shortest} to {longest}"
    if not re.fullmatch(pattern, name):
        return f"{what} {name} is not {allowed}"
    return ""


class FilterModule:
    def filters(self):
        return {"aws_name_problem": aws_name_problem}

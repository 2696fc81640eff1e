#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to healthcare.dr
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import annotations

DOCUMENTATION = r"""
module: lambda_concurrency
version_added: 0.1.0
short_description: Reserve, change or release a Lambda function's concurrency
description:
  - Ensures the reserved concurrency of an existing Lambda function (C(PutFunctionConcurrency)), or that
    it has none and shares the account's unreserved pool (C(DeleteFunctionConcurrency)).
  - Fills a gap of M(amazon.aws.lambda), which has no option for reserved concurrency.
author:
  - healthcare.dr maintainers (@healthcare-dr)
options:
  name:
    description:
      - Name or ARN of the function.
    type: str
    required: true
  reserved_concurrent_executions:
    description:
      - Concurrent executions reserved for the function. C(0) stops every invocation (throttles all).
      - Required when O(state=present).
    type: int
  state:
    description:
      - V(present) reserves O(reserved_concurrent_executions); V(absent) releases any reservation.
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - Supports check mode and diff mode.
"""

EXAMPLES = r"""
- name: Ensure the function keeps 20 concurrent executions for itself
  healthcare.dr.lambda_concurrency:
    name: lambda-app-us-east-1-dev
    reserved_concurrent_executions: 20

- name: Ensure the function has no reserved concurrency
  healthcare.dr.lambda_concurrency:
    name: lambda-app-us-east-1-dev
    state: absent
"""

RETURN = r"""
reserved_concurrent_executions:
  description: The function's reserved concurrency after the task (before it in check mode); null when none.
  returned: always
  type: int
  sample: 20
"""

from typing import Any, Optional

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.healthcare.dr.plugins.module_utils.calls import aws_call
from ansible_collections.healthcare.dr.plugins.module_utils.outcome import Outcome
from ansible_collections.healthcare.dr.plugins.module_utils.outcome import exit_with


def get_concurrency(client: Any, module: AnsibleAWSModule, name: str) -> Optional[int]:
    try:
        return client.get_function_concurrency(aws_retry=True, FunctionName=name).get("ReservedConcurrentExecutions")
    except is_boto3_error_code("ResourceNotFoundException"):
        module.fail_json(msg=f"Couldn't find Lambda function {name}")
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:  # pylint: disable=duplicate-except
        module.fail_json_aws(e, msg=f"Couldn't get the reserved concurrency of Lambda function {name}")


def put_concurrency(client: Any, module: AnsibleAWSModule, name: str, value: int) -> None:
    msg = f"Couldn't reserve {value} concurrent executions for Lambda function {name}"
    aws_call(module, msg, client.put_function_concurrency, FunctionName=name, ReservedConcurrentExecutions=value)


def delete_concurrency(client: Any, module: AnsibleAWSModule, name: str) -> None:
    msg = f"Couldn't release the reserved concurrency of Lambda function {name}"
    aws_call(module, msg, client.delete_function_concurrency, FunctionName=name)


def main() -> None:
    argument_spec = dict(
        name=dict(type="str", required=True),
        reserved_concurrent_executions=dict(type="int"),
        state=dict(type="str", choices=["present", "absent"], default="present"),
    )
    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        required_if=[["state", "present", ["reserved_concurrent_executions"]]],
        supports_check_mode=True,
    )
    name = module.params["name"]
    wanted = module.params["reserved_concurrent_executions"] if module.params["state"] == "present" else None
    if wanted is not None and wanted < 0:
        module.fail_json(msg="reserved_concurrent_executions must be 0 or more")
    client = module.client("lambda", retry_decorator=AWSRetry.jittered_backoff())

    current = get_concurrency(client, module, name)
    changed = current != wanted
    if changed and not module.check_mode:
        if wanted is None:
            delete_concurrency(client, module, name)
        else:
            put_concurrency(client, module, name, wanted)

    key = "reserved_concurrent_executions"
    exit_with(module, Outcome(changed, {key: current}, {key: wanted}, {key: current if module.check_mode else wanted}))


if __name__ == "__main__":
    main()

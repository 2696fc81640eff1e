#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to healthcare.dr
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import annotations

DOCUMENTATION = r"""
module: lambda_environment
version_added: 0.1.0
short_description: Set the environment variables of an existing Lambda function, and nothing else
description:
  - Ensures an existing Lambda function's environment variables are exactly O(variables)
    (C(UpdateFunctionConfiguration) with C(Environment) alone), waiting for the update to finish.
  - M(amazon.aws.lambda) can set them too, but only given the function's whole configuration (its role, handler,
    code and VPC subnets and security groups; without them it detaches the function from its VPC). A switchover or
    failover that only moves which region writes needs the variables alone, and needs them fast.
author:
  - healthcare.dr maintainers (@healthcare-dr)
options:
  name:
    description:
      - Name or ARN of the function.
    type: str
    required: true
  variables:
    description:
      - Every environment variable the function should have; any other is removed. A value that is not a string
        is written as JSON (V(true), V(5)).
    type: dict
    required: true
  wait_timeout:
    description:
      - Seconds to wait for an update in progress before this one, and for this one to finish.
    type: int
    default: 300
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - Supports check mode and diff mode.
  - The function's other settings are never read into the update; drift there is M(amazon.aws.lambda)'s to correct.
  - In check mode a function that does not exist yet is left unchanged and said so, since the run would create
    it first, with its environment (check mode on an empty account). Outside check mode it is an error.
"""

EXAMPLES = r"""
- name: Ensure the function knows its region writes, and where
  healthcare.dr.lambda_environment:
    name: lambda-app-us-west-2-dev
    variables:
      DR_REGION: us-west-2
      DR_IS_PRIMARY: "true"
      DR_DB_ENDPOINT: aurora-cluster-us-west-2-dev.cluster-abc.us-west-2.rds.amazonaws.com
"""

RETURN = r"""
variables:
  description: The function's environment variables after the task (before it in check mode; empty when the function
    does not exist yet in check mode).
  returned: always
  type: dict
  sample: {"DR_REGION": "us-west-2", "DR_IS_PRIMARY": "true"}
"""

import json
from typing import Any

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.healthcare.dr.plugins.module_utils.waiting import wait_for
from ansible_collections.healthcare.dr.plugins.module_utils.outcome import Outcome
from ansible_collections.healthcare.dr.plugins.module_utils.outcome import exit_with


def get_configuration(client: Any, module: AnsibleAWSModule, name: str) -> dict:
    try:
        return client.get_function_configuration(aws_retry=True, FunctionName=name)
    except is_boto3_error_code("ResourceNotFoundException"):
        if module.check_mode:
            module.exit_json(changed=False, variables={},
                             msg=f"Lambda function {name} does not exist yet: the run would create it first")  # fmt: skip
        module.fail_json(msg=f"Couldn't find Lambda function {name}")
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:  # pylint: disable=duplicate-except
        module.fail_json_aws(e, msg=f"Couldn't read the configuration of Lambda function {name}")


def settled(client: Any, module: AnsibleAWSModule, name: str, timeout: int) -> dict:
    """The configuration once no update is in progress (Lambda refuses a second one meanwhile)."""

    def check():
        configuration = get_configuration(client, module, name)
        if configuration.get("LastUpdateStatus", "Successful") == "InProgress":
            return None
        return configuration

    configuration = wait_for(module, f"the update of Lambda function {name} to finish", check, timeout, delay=2)
    if configuration.get("LastUpdateStatus") == "Failed":
        module.fail_json(msg=f"Lambda function {name}'s last update failed: "
                             f"{configuration.get('LastUpdateStatusReason', 'no reason given')}")  # fmt: skip
    return configuration


def put_variables(client: Any, module: AnsibleAWSModule, name: str, variables: dict) -> None:
    try:
        client.update_function_configuration(aws_retry=True, FunctionName=name, Environment={"Variables": variables})
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Couldn't set the environment variables of Lambda function {name}")


def main() -> None:
    argument_spec = dict(
        name=dict(type="str", required=True),
        variables=dict(type="dict", required=True),
        wait_timeout=dict(type="int", default=300),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    name = module.params["name"]
    # Lambda holds strings; a YAML true is "true", as Lambda's console and the CLI write it.
    wanted = {str(key): value if isinstance(value, str) else json.dumps(value)
              for key, value in module.params["variables"].items()}  # fmt: skip
    timeout = module.params["wait_timeout"]
    # Retried on conflict too: another update may start between the wait and this one.
    client = module.client(
        "lambda", retry_decorator=AWSRetry.jittered_backoff(catch_extra_error_codes=["ResourceConflictException"])
    )

    configuration = get_configuration(client, module, name)
    current = configuration.get("Environment", {}).get("Variables", {})
    changed = current != wanted
    if changed and not module.check_mode:
        if configuration.get("LastUpdateStatus") == "InProgress":
            settled(client, module, name, timeout)
        put_variables(client, module, name, wanted)
        settled(client, module, name, timeout)

    shown = current if module.check_mode else wanted
    exit_with(module, Outcome(changed, {"variables": current}, {"variables": wanted}, {"variables": shown}))


if __name__ == "__main__":
    main()

# -*- coding: utf-8 -*-
# Copyright: contributors to healthcare.dr
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

"""One AWS call the way the collection's modules make them.

Every call is retried by the client's ``AWSRetry`` decorator (``aws_retry=True``);
an error code the caller expects (a resource already gone, say) is an answer,
not a failure; any other boto3 error fails the module with a message that says
what could not be done to which resource.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code


def aws_call(module: Any, msg: str, method: Callable[..., Any], missing: Iterable[str] = (), **kwargs: Any) -> Any:
    """``method(aws_retry=True, **kwargs)``'s answer, or None when AWS answers with an error code of ``missing``.

    Any other boto3 error fails the module with ``msg``.
    """
    try:
        return method(aws_retry=True, **kwargs)
    except is_boto3_error_code(list(missing)):
        return None
    except (
        botocore.exceptions.ClientError,
        botocore.exceptions.BotoCoreError,
    ) as e:  # pylint: disable=duplicate-except
        module.fail_json_aws(e, msg=msg)
    return None  # not reached: fail_json_aws exits

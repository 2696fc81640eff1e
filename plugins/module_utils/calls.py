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
    import botocore.config
    import botocore.exceptions
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


def single_attempt_client(module: Any, service: str, retry_decorator: Any = None, **extra: Any) -> Any:
    """The module's client for ``service`` with botocore's own retries off (one attempt per call).

    For a create that takes no idempotency token (CreateVpcPeeringConnection, say): botocore retries a dropped
    connection by sending the same request again, which on AWS makes a second resource when the first answer
    was lost. With this client the error comes back to the caller, which looks before it creates again
    (:func:`create_once`). Throttling and 5xx answers are still retried by ``retry_decorator`` (nothing was made).
    """
    from ansible_collections.amazon.aws.plugins.module_utils.botocore import get_aws_connection_info

    _region, _endpoint, connect = get_aws_connection_info(module)
    config = connect.get("aws_config") or botocore.config.Config()
    single = config.merge(botocore.config.Config(retries={"mode": "standard", "total_max_attempts": 1}))
    return module.client(service, retry_decorator=retry_decorator, aws_config=single, **extra)


def create_once(create: Callable[[], Any], find: Callable[[], Any], attempts: int = 5) -> Any:
    """``create()``'s answer; after a lost answer, what ``find()`` finds, or ``create()`` again if nothing was made.

    ``create`` must use a :func:`single_attempt_client`; the last error is raised when every attempt is lost.
    """
    for attempt in range(attempts):
        try:
            return create()
        # The request may have reached AWS and been applied: its answer was lost on the way back.
        except (botocore.exceptions.ConnectionError, botocore.exceptions.HTTPClientError):
            found = find()
            if found:
                return found
            if attempt == attempts - 1:
                raise
    return None

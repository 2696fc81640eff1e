"""Operations moto lacks, added to its backends without changing anything else.

:func:`apply` is called by ``tools/emulator.py serve`` before the server starts,
and by the unit tests before moto is used in-process. Each patch mirrors AWS's
documented behaviour and has a unit test in ``tests/unit/tools``.

ELBv2 (application load balancers):

- ``DescribeLoadBalancerAttributes`` lists every attribute AWS lists for an
  ALB, with AWS's defaults (moto leaves out ``access_logs.s3.enabled``,
  ``idle_timeout.timeout_seconds``, ``routing.http.drop_invalid_header_fields.enabled``
  and the other ``routing.*`` keys until they are first set, so
  ``amazon.aws.elb_application_lb`` fails with a KeyError when it compares them).
"""

from __future__ import annotations

from typing import Any

_APPLIED = False

# What DescribeLoadBalancerAttributes returns for a new application load balancer.
ALB_DEFAULT_ATTRIBUTES = {
    "access_logs.s3.enabled": "false",
    "access_logs.s3.bucket": "",
    "access_logs.s3.prefix": "",
    "client_keep_alive.seconds": "3600",
    "connection_logs.s3.enabled": "false",
    "connection_logs.s3.bucket": "",
    "connection_logs.s3.prefix": "",
    "deletion_protection.enabled": "false",
    "idle_timeout.timeout_seconds": "60",
    "routing.http.desync_mitigation_mode": "defensive",
    "routing.http.drop_invalid_header_fields.enabled": "false",
    "routing.http.preserve_host_header.enabled": "false",
    "routing.http.x_amzn_tls_version_and_cipher_suite.enabled": "false",
    "routing.http.xff_client_port.enabled": "false",
    "routing.http.xff_header_processing.mode": "append",
    "routing.http2.enabled": "true",
    "waf.fail_open.enabled": "false",
}


def apply() -> None:
    """Install every patch once; calling it again does nothing."""
    global _APPLIED
    if _APPLIED:
        return
    _APPLIED = True
    _flow_logs_to_s3_folders()
    _patch_elbv2_alb_attributes()


def _flow_logs_to_s3_folders() -> None:
    """CreateFlowLogs to an S3 folder (``arn:aws:s3:::bucket/prefix/``).

    moto looks the whole ``bucket/prefix`` up as a bucket name and reports the
    flow log ``Unsuccessful``; AWS accepts a bucket ARN followed by a folder. The
    patch checks the bucket only and stores the destination as given.
    """
    from moto.ec2.exceptions import FlowLogAlreadyExists
    from moto.ec2.models.flow_logs import FlowLogsBackend

    original = FlowLogsBackend.create_flow_logs

    def create_flow_logs(
        self,
        resource_type,
        resource_ids,
        traffic_type,
        deliver_logs_permission_arn,
        log_destination_type,
        log_destination,
        log_group_name,
        log_format,
        max_aggregation_interval,
    ):
        arguments = dict(
            resource_type=resource_type,
            resource_ids=resource_ids,
            traffic_type=traffic_type,
            deliver_logs_permission_arn=deliver_logs_permission_arn,
            log_destination_type=log_destination_type,
            log_destination=log_destination,
            log_group_name=log_group_name,
            log_format=log_format,
            max_aggregation_interval=max_aggregation_interval,
        )
        if log_destination_type != "s3" or "/" not in (log_destination or ""):
            return original(self, **arguments)
        bucket_arn = log_destination.split("/", 1)[0]
        for flow_log in self.flow_logs.values():
            if flow_log.resource_id in resource_ids and flow_log.log_destination == log_destination:
                raise FlowLogAlreadyExists()
        created, unsuccessful = original(self, **dict(arguments, log_destination=bucket_arn))
        for flow_log in created:
            flow_log.log_destination = log_destination
        return created, unsuccessful

    FlowLogsBackend.create_flow_logs = create_flow_logs


def _patch_elbv2_alb_attributes() -> None:
    from moto.elbv2 import models

    original = models.FakeLoadBalancer.__init__

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        if self.type == "application":
            for key, value in ALB_DEFAULT_ATTRIBUTES.items():
                self.attrs.setdefault(key, value)

    models.FakeLoadBalancer.__init__ = __init__

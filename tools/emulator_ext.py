"""Operations moto lacks, added to its backends without changing anything else.

:func:`apply` is called by ``tools/emulator.py serve`` before the server starts,
and by the unit tests before moto is used in-process. Each patch mirrors AWS's
documented behaviour and has a unit test in ``tests/unit/tools``.
"""

from __future__ import annotations

_APPLIED = False


def apply() -> None:
    """Install every patch once; calling it again does nothing."""
    global _APPLIED
    if _APPLIED:
        return
    _APPLIED = True
    _flow_logs_to_s3_folders()
    _kms_key_state_operations_accept_arns()


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


def _kms_key_state_operations_accept_arns() -> None:
    """ScheduleKeyDeletion, CancelKeyDeletion, EnableKey and DisableKey take a key
    id or a key ARN in AWS; moto 5.2 looks the raw value up and fails with a 500
    on an ARN (what amazon.aws.kms_key sends). Resolve the ARN to the id first."""
    from moto.kms.models import KmsBackend

    for name in ("schedule_key_deletion", "cancel_key_deletion", "enable_key", "disable_key"):
        original = getattr(KmsBackend, name)

        def by_id(self, key_id, *args, __original=original, **kwargs):
            return __original(self, self.get_key_id(key_id), *args, **kwargs)

        setattr(KmsBackend, name, by_id)

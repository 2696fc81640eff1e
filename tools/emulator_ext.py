"""Operations moto lacks, and the few moto answers that differ from AWS where
the stack depends on them; nothing else in moto changes.

:func:`apply` is called by ``tools/emulator.py serve`` before the server starts,
and by the unit tests before moto is used in-process. Each patch mirrors AWS's
documented behaviour, says what moto does instead, and has a unit test in
``tests/unit/tools``.

RDS global clusters (moto 5.2 keeps them in the us-east-1 backend only, which
is also where its responses look for them):

- ``FailoverGlobalCluster`` and ``SwitchoverGlobalCluster`` (moto: HTTP 500).
  The call answers with the global cluster in ``failing-over`` /
  ``switching-over`` and a ``FailoverState`` of ``pending``; the writer flips
  (target writes, old writer becomes a reader) when the switch's lifecycle
  (``rds::global_cluster_switchover`` / ``_failover``, ``tools/emulator_timing.py``)
  is over, seen by the next read: at once by default, after
  ``DR_EMULATOR_SWITCH_SECONDS`` or the timing mode's duration otherwise.
  Then the global cluster is ``available`` again and ``FailoverState`` is
  gone, as on AWS.
- ``RemoveFromGlobalCluster`` finds the member in whichever region it lives
  (moto: silent no-op for a member outside us-east-1); the detached cluster
  no longer names the global cluster.
- ``DeleteDBCluster`` drops the deleted cluster from its global cluster's
  members in any region (moto: only same-region members by plain id, so a
  deleted secondary blocked ``DeleteGlobalCluster`` forever).
- ``ModifyGlobalCluster`` for ``DeletionProtection`` only (moto: HTTP 500), so
  deletion protection can be lifted before a delete.
- ``CreateDBClusterParameterGroup`` starts an ``aurora-postgresql*`` group with
  the family's default for ``rds.force_ssl`` (moto: an empty group, so a tool
  that modifies only parameters it finds, as ``amazon.aws.rds_cluster_param_group``
  does, cannot set it). Only the parameters in ``CLUSTER_PARAMETER_DEFAULTS``.
- ``CreateGlobalCluster`` from an existing cluster makes that cluster the
  writer (moto: listed with no writer) and names the global cluster by its
  identifier on the cluster, as clusters joining at creation do.

S3 and KMS:

- ``GetBucketReplication`` returns the rules as they were put (moto: every
  rule's ``Filter`` and ``DeleteMarkerReplication`` reset to defaults, so a
  configuration could never compare equal on a second run).
- ``GetObjectLockConfiguration`` gives a default retention in ``Days`` or in
  ``Years``, whichever was set (moto: both, the other as 0, so
  ``amazon.aws.s3_bucket`` saw a change to the retention on every run).
- ``EnableKey``, ``DisableKey``, ``ScheduleKeyDeletion`` and
  ``CancelKeyDeletion`` accept a key ARN as AWS does (moto: HTTP 500), which
  ``amazon.aws.kms_key`` always passes.

ELBv2 (application load balancers):

- ``DescribeLoadBalancerAttributes`` lists every attribute AWS lists for an
  ALB, with AWS's defaults (moto leaves out ``access_logs.s3.enabled``,
  ``idle_timeout.timeout_seconds``, ``routing.http.drop_invalid_header_fields.enabled``
  and the other ``routing.*`` keys until they are first set, so
  ``amazon.aws.elb_application_lb`` fails with a KeyError when it compares them).

- ``CreateLoadBalancer`` with the name of an existing load balancer of the region returns it when the settings
  are the same and is ``DuplicateLoadBalancerName`` otherwise, as the API reference documents (moto 5.2 makes a
  second load balancer of the same name, so a retry whose first answer was lost left two).
- ``CreateListener`` on a port that has a listener returns it when protocol and certificate are the same and is
  ``DuplicateListener`` otherwise (moto 5.2 looks the port up among listener ARNs, never finds it, and adds a
  second listener on the port).

CloudTrail:

- ``DeleteTrail`` takes a trail ARN as AWS does (API reference, ``Name``: a name
  or an ARN); moto 5.2 looks the raw value up among names and silently keeps
  the trail, and ``amazon.aws.cloudtrail`` deletes by ARN.

EC2:

- A new VPC's default security group admits all traffic from itself, as AWS
  documents for every default security group (VPC user guide, "Default security
  groups for your VPCs": inbound all traffic from the group itself, outbound all
  traffic); moto 5.2 makes it with the outbound rule only, so a role that empties
  the group could not be shown to revoke the inbound one.

- ``CreateNatGateway``, ``CreateRouteTable``, ``CreateFlowLogs`` and ``CreateVpcEndpoint`` honour their
  ``ClientToken`` (moto: accepted and ignored, so a retry whose first answer was lost made a second resource):
  the same token with the same parameters answers with what the first call made; with other parameters it is
  ``IdempotentParameterMismatch``.

Route 53:

- ``CreateHealthCheck`` with a ``CallerReference`` already used and the same settings returns that health
  check (other settings: ``HealthCheckAlreadyExists``); ``CreateHostedZone`` with one already used is
  ``HostedZoneAlreadyExists`` (moto: a second health check or zone each time).

CloudWatch Logs:

- ``AssociateKmsKey`` and ``DisassociateKmsKey`` (moto: not implemented) set and
  clear a log group's ``kmsKeyId``, which ``DescribeLogGroups`` then reports, as
  on AWS; an unknown group is ``ResourceNotFoundException``. Only log groups
  (``logGroupName``), not the ``resourceIdentifier`` form for query results.

WAFv2:

- ``ListResourcesForWebACL`` lists the resources a web ACL is associated with
  (moto: not implemented, so ``community.aws.wafv2_resources`` and
  ``wafv2_resources_info`` could not run). Only what moto records through
  ``AssociateWebACL``; ``ResourceType`` filters ALBs vs. other regional types
  by ARN.

The local data plane (``tools/emulator_dataplane.py``, its own docstring says
what it emulates and what not): ALBs serve their Lambda functions on loopback
ports, Route 53 health checks probe them, ``GetHealthCheckStatus`` reports the
probes, the ``HealthCheckStatus`` metric and its alarms follow, and
``TestDNSAnswer`` answers failover records from the checks. :func:`apply`
installs its answers; :func:`start_data_plane` (``tools/emulator.py serve``)
starts its listeners and checkers, unless ``DR_EMULATOR_DATA_PLANE=off``.
"""

from __future__ import annotations

from typing import Any

_APPLIED = False

# Engine defaults AWS puts in a new cluster parameter group, for the parameters
# this project sets (family prefix -> parameters as DescribeDBClusterParameters shows them).
CLUSTER_PARAMETER_DEFAULTS: dict[str, dict[str, dict[str, Any]]] = {
    "aurora-postgresql": {
        "rds.force_ssl": {
            "ParameterValue": "0",
            "Description": "Force SSL connections.",
            "Source": "engine-default",
            "ApplyType": "dynamic",
            "DataType": "boolean",
            "AllowedValues": "0,1",
            "IsModifiable": True,
            "ApplyMethod": "pending-reboot",
        },
    },
}

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

_GLOBAL_REGION = "us-east-1"  # where moto stores global clusters (RDSResponse.global_backend)


def apply() -> None:
    """Install every patch once; calling it again does nothing."""
    global _APPLIED
    if _APPLIED:
        return
    _APPLIED = True
    _patch_rds_global_clusters()
    _patch_rds_cluster_parameter_defaults()
    _s3_replication_echoes_rules()
    _s3_object_lock_retention_as_set()
    _kms_key_state_calls_accept_arns()
    _patch_elbv2_alb_attributes()
    _wafv2_lists_resources_for_web_acl()
    _cloudtrail_delete_accepts_arns()
    _ec2_default_security_group_admits_itself()
    _logs_kms_key_association()
    _ec2_client_tokens_are_idempotent()
    _route53_caller_references_are_idempotent()
    _elbv2_load_balancer_names_are_unique()
    _data_plane_answers()
    _aws_clock()


def _aws_clock() -> None:
    import emulator_timing

    emulator_timing.install()
    emulator_timing.configure()


def _data_plane_answers() -> None:
    import emulator_dataplane

    emulator_dataplane.install()


def start_data_plane(state_dir: Any, endpoint_url: str | None = None) -> Any:
    """Start the local data plane in the server's process (``None`` when ``DR_EMULATOR_DATA_PLANE=off``)."""
    import emulator_dataplane

    return emulator_dataplane.start(state_dir, endpoint_url)


def _patch_rds_cluster_parameter_defaults() -> None:
    from moto.rds import models

    original = models.RDSBackend.create_db_cluster_parameter_group

    def create_db_cluster_parameter_group(self: Any, *args: Any, **kwargs: Any) -> Any:
        group = original(self, *args, **kwargs)
        for prefix, defaults in CLUSTER_PARAMETER_DEFAULTS.items():
            if group.db_parameter_group_family.startswith(prefix):
                for name, values in defaults.items():
                    group.parameters[name] = dict(values)
        return group

    models.RDSBackend.create_db_cluster_parameter_group = create_db_cluster_parameter_group


def _patch_rds_global_clusters() -> None:
    from moto.core.responses import ActionResult
    from moto.moto_api._internal.managed_state_model import ManagedState
    from moto.rds import exceptions as rds_exceptions
    from moto.rds import models, responses

    class GlobalClusterNotFoundFault(rds_exceptions.RDSClientError):
        def __init__(self, identifier: str) -> None:
            super().__init__("GlobalClusterNotFoundFault", f"Global cluster {identifier} not found.")

    backend_cls = models.RDSBackend
    response_cls = responses.RDSResponse

    # Absent unless a switchover or failover is pending or in progress.
    models.GlobalCluster.failover_state = None

    def global_clusters(backend: Any) -> Any:
        return models.rds_backends[backend.account_id][_GLOBAL_REGION].global_clusters

    def get_global_cluster(backend: Any, identifier: str) -> Any:
        found = global_clusters(backend).get(identifier)
        if found is None:
            raise GlobalClusterNotFoundFault(identifier)
        return found

    def settle(global_cluster: Any) -> None:
        """Finish a switchover/failover whose time has come."""
        pending = getattr(global_cluster, "_dr_pending_switch", None)
        if pending is None:
            return
        switch, source, target, status = pending
        if switch.status != "available":
            global_cluster.failover_state = dict(global_cluster.failover_state, Status=status)
            return
        source.is_writer = False
        target.is_writer = True
        global_cluster.status = "available"
        global_cluster.failover_state = None
        global_cluster._dr_pending_switch = None

    def member(global_cluster: Any, identifier: str) -> Any:
        for candidate in global_cluster.members:
            if identifier in (candidate.db_cluster_arn, candidate.db_cluster_identifier):
                return candidate
        raise models.DBClusterNotFoundError(
            identifier,
            f"DBCluster {identifier} is not a member of global cluster " f"{global_cluster.global_cluster_identifier}.",
        )

    def start_switch(backend: Any, identifier: str, target_id: str, data_loss: bool) -> Any:
        global_cluster = get_global_cluster(backend, identifier)
        settle(global_cluster)
        if global_cluster.status != "available":
            raise rds_exceptions.InvalidGlobalClusterStateFault(global_cluster.global_cluster_arn)
        target = member(global_cluster, target_id)
        if target.is_writer:
            raise models.InvalidParameterValue(
                f"DBCluster {target.db_cluster_arn} is already the primary cluster of global cluster {identifier}."
            )
        writers = [m for m in global_cluster.members if m.is_writer]
        if not writers:
            raise rds_exceptions.InvalidGlobalClusterStateFault(global_cluster.global_cluster_arn)
        status = "failing-over" if data_loss else "switching-over"
        global_cluster.status = status
        global_cluster.failover_state = {
            "Status": "pending",
            "FromDbClusterArn": writers[0].db_cluster_arn,
            "ToDbClusterArn": target.db_cluster_arn,
            "IsDataLossAllowed": data_loss,
        }
        # The switch's own clock (moto's ManagedState, tools/emulator_timing.py): done by the next read unless
        # DR_EMULATOR_TIMING or DR_EMULATOR_SWITCH_SECONDS put it on a clock.
        switch = ManagedState(f"rds::global_cluster_{'failover' if data_loss else 'switchover'}", [(status, "available")])
        global_cluster._dr_pending_switch = (switch, writers[0], target, status)
        return global_cluster

    def failover_global_cluster(
        self: Any,
        global_cluster_identifier: str,
        target_db_cluster_identifier: str,
        allow_data_loss: bool | None = None,
        switchover: bool | None = None,
    ) -> Any:
        if allow_data_loss and switchover:
            raise models.InvalidParameterCombination("AllowDataLoss and Switchover can't be specified together.")
        # Without AllowDataLoss the operation is a switchover (API reference).
        return start_switch(self, global_cluster_identifier, target_db_cluster_identifier, bool(allow_data_loss))

    def switchover_global_cluster(self: Any, global_cluster_identifier: str, target_db_cluster_identifier: str) -> Any:
        return start_switch(self, global_cluster_identifier, target_db_cluster_identifier, False)

    def modify_global_cluster(
        self: Any, global_cluster_identifier: str, deletion_protection: bool | None = None
    ) -> Any:
        global_cluster = get_global_cluster(self, global_cluster_identifier)
        if deletion_protection is not None:
            global_cluster.deletion_protection = deletion_protection
        return global_cluster

    original_describe = backend_cls.describe_global_clusters

    def describe_global_clusters(self: Any) -> Any:
        found = original_describe(self)
        for global_cluster in found:
            settle(global_cluster)
        return found

    def find_member_cluster(backend: Any, identifier: str) -> Any:
        if identifier.startswith("arn:"):
            return models.find_cluster(identifier)
        return backend.describe_db_clusters(db_cluster_identifier=identifier)[0]

    def remove_from_global_cluster(self: Any, global_cluster_identifier: str, db_cluster_identifier: str) -> Any:
        global_cluster = get_global_cluster(self, global_cluster_identifier)
        settle(global_cluster)
        cluster = find_member_cluster(self, db_cluster_identifier)
        member(global_cluster, cluster.db_cluster_arn)
        global_cluster.members.remove(cluster)
        # Detached: a standalone cluster again.
        cluster.global_cluster_identifier = None
        cluster.is_writer = False
        return global_cluster

    original_create = backend_cls.create_global_cluster

    def create_global_cluster(self: Any, *args: Any, **kwargs: Any) -> Any:
        global_cluster = original_create(self, *args, **kwargs)
        if global_cluster.members:  # made from an existing cluster: it writes
            source = global_cluster.members[0]
            source.is_writer = True
            source.global_cluster_identifier = global_cluster.global_cluster_identifier
        return global_cluster

    original_delete = backend_cls.delete_db_cluster

    def delete_db_cluster(self: Any, cluster_identifier: str, snapshot_name: str | None = None) -> Any:
        cluster = original_delete(self, cluster_identifier, snapshot_name)
        for global_cluster in global_clusters(self).values():
            if cluster in global_cluster.members:
                global_cluster.members.remove(cluster)
        return cluster

    backend_cls.failover_global_cluster = failover_global_cluster
    backend_cls.switchover_global_cluster = switchover_global_cluster
    backend_cls.modify_global_cluster = modify_global_cluster
    backend_cls.create_global_cluster = create_global_cluster
    backend_cls.describe_global_clusters = describe_global_clusters
    backend_cls.remove_from_global_cluster = remove_from_global_cluster
    backend_cls.delete_db_cluster = delete_db_cluster

    def failover_response(self: Any) -> Any:
        params = self.params
        cluster = self.global_backend.failover_global_cluster(
            global_cluster_identifier=params["GlobalClusterIdentifier"],
            target_db_cluster_identifier=params["TargetDbClusterIdentifier"],
            allow_data_loss=params.get("AllowDataLoss"),
            switchover=params.get("Switchover"),
        )
        return ActionResult({"GlobalCluster": cluster})

    def switchover_response(self: Any) -> Any:
        params = self.params
        cluster = self.global_backend.switchover_global_cluster(
            global_cluster_identifier=params["GlobalClusterIdentifier"],
            target_db_cluster_identifier=params["TargetDbClusterIdentifier"],
        )
        return ActionResult({"GlobalCluster": cluster})

    def modify_response(self: Any) -> Any:
        params = self.params
        cluster = self.global_backend.modify_global_cluster(
            global_cluster_identifier=params["GlobalClusterIdentifier"],
            deletion_protection=params.get("DeletionProtection"),
        )
        return ActionResult({"GlobalCluster": cluster})

    response_cls.failover_global_cluster = failover_response
    response_cls.switchover_global_cluster = switchover_response
    response_cls.modify_global_cluster = modify_response


def _xml_filter_to_api(value: Any) -> dict[str, Any]:
    """A rule's ``Filter`` as moto stored it (parsed XML) in the API's shape."""
    if not value:
        return {}
    result: dict[str, Any] = {}
    if "Prefix" in value:
        result["Prefix"] = value["Prefix"] or ""
    if value.get("Tag"):
        result["Tag"] = value["Tag"]
    if "And" in value:
        both = value["And"] or {}
        tags = both.get("Tag") or []
        result["And"] = {"Prefix": both.get("Prefix") or "", "Tags": tags if isinstance(tags, list) else [tags]}
        if "Prefix" not in both:
            del result["And"]["Prefix"]
    return result


def _s3_replication_echoes_rules() -> None:
    """``GetBucketReplication`` returns each rule as it was put.

    moto 5.2 stores the whole configuration but answers every rule with
    ``Filter: {Prefix: ""}`` and ``DeleteMarkerReplication: Disabled`` and drops
    ``SourceSelectionCriteria`` and ``ExistingObjectReplication``. AWS returns
    what was put (documented in the GetBucketReplication response syntax), so
    a module comparing its wanted configuration with the read-back one would
    otherwise report a change on every run.
    """
    from moto.core.responses import ActionResult
    from moto.s3.exceptions import ReplicationConfigurationNotFoundError
    from moto.s3.responses import S3Response

    def get_bucket_replication(self: Any) -> Any:
        self.data["Action"] = "GetBucketReplication"
        replication = self.backend.get_bucket_replication(self.bucket_name)
        if not replication:
            raise ReplicationConfigurationNotFoundError(bucket_name=self.bucket_name)
        rules = []
        for stored in replication["Rule"]:
            rule = {
                "ID": stored["ID"],
                "Priority": stored["Priority"],
                "Status": stored["Status"],
                "Destination": stored["Destination"],
            }
            if "Filter" in stored:
                rule["Filter"] = _xml_filter_to_api(stored["Filter"])
            elif "Prefix" in stored:
                rule["Prefix"] = stored["Prefix"] or ""
            else:
                rule["Filter"] = {"Prefix": ""}
            if "Filter" in rule:
                rule["DeleteMarkerReplication"] = stored.get("DeleteMarkerReplication") or {"Status": "Disabled"}
            for name in ("SourceSelectionCriteria", "ExistingObjectReplication"):
                if stored.get(name):
                    rule[name] = stored[name]
            rules.append(rule)
        return self.serialized(
            ActionResult({"ReplicationConfiguration": {"Role": replication["Role"], "Rules": rules}})
        )

    S3Response.get_bucket_replication = get_bucket_replication


def _kms_key_state_calls_accept_arns() -> None:
    """``ScheduleKeyDeletion``, ``CancelKeyDeletion``, ``EnableKey`` and ``DisableKey`` take a key ARN.

    AWS accepts a key ID or a key ARN for each (API reference, ``KeyId``); moto 5.2
    looks the raw value up among key IDs and answers 500 for an ARN, which is what
    ``amazon.aws.kms_key`` passes when it deletes, restores, enables or disables a key.
    """
    from moto.kms.models import KmsBackend

    def by_key_id(method: Any) -> Any:
        def wrapper(self: Any, key_id: str, *args: Any, **kwargs: Any) -> Any:
            return method(self, self.get_key_id(key_id), *args, **kwargs)

        wrapper.__wrapped__ = method  # type: ignore[attr-defined]
        return wrapper

    for name in ("schedule_key_deletion", "cancel_key_deletion", "enable_key", "disable_key"):
        setattr(KmsBackend, name, by_key_id(getattr(KmsBackend, name)))


def _patch_elbv2_alb_attributes() -> None:
    from moto.elbv2 import models

    original = models.FakeLoadBalancer.__init__

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        if self.type == "application":
            for key, value in ALB_DEFAULT_ATTRIBUTES.items():
                self.attrs.setdefault(key, value)

    models.FakeLoadBalancer.__init__ = __init__


# ListResourcesForWebACL's ResourceType -> the ARN fragment of that kind of resource.
_WAF_RESOURCE_ARN_PARTS = {
    "APPLICATION_LOAD_BALANCER": ":loadbalancer/app/",
    "API_GATEWAY": ":apigateway:",
    "APPSYNC": ":appsync:",
    "COGNITO_USER_POOL": ":cognito-idp:",
    "APP_RUNNER_SERVICE": ":apprunner:",
    "VERIFIED_ACCESS_INSTANCE": ":verified-access-instance/",
}


def _wafv2_lists_resources_for_web_acl() -> None:
    """``ListResourcesForWebACL`` answers with the ACL's associated resource ARNs.

    AWS: ``ResourceArns`` of the given ``ResourceType`` (default
    ``APPLICATION_LOAD_BALANCER``), ``WAFNonexistentItemException`` for an unknown
    ACL. moto 5.2 records associations but has no such operation (HTTP 500).
    """
    import json

    from moto.wafv2.exceptions import WAFNonexistentItemException
    from moto.wafv2.responses import WAFV2Response

    def list_resources_for_web_acl(self: Any) -> Any:
        body = json.loads(self.body)
        web_acl = self.wafv2_backend.wacls.get(body["WebACLArn"])
        if web_acl is None:
            raise WAFNonexistentItemException()
        part = _WAF_RESOURCE_ARN_PARTS.get(body.get("ResourceType") or "APPLICATION_LOAD_BALANCER", "")
        arns = [arn for arn in web_acl.associated_resources if part in arn]
        return 200, {"Content-Type": "application/json"}, json.dumps({"ResourceArns": arns})

    WAFV2Response.list_resources_for_web_acl = list_resources_for_web_acl


def _s3_object_lock_retention_as_set() -> None:
    """``GetObjectLockConfiguration`` lists ``Days`` or ``Years``, not both.

    AWS: a default retention has either ``Days`` or ``Years`` (PutObjectLockConfiguration
    refuses both) and returns the one that was set. moto 5.2 returns both, the
    unset one as 0.
    """
    from moto.core.responses import ActionResult
    from moto.s3.responses import S3Response

    def get_object_lock_configuration(self: Any) -> Any:
        lock_enabled, mode, days, years = self.backend.get_object_lock_configuration(self.bucket_name)
        config: dict[str, Any] = {"ObjectLockEnabled": "Enabled" if lock_enabled else "Disabled"}
        if mode:
            period = {"Years": years} if years else {"Days": days}
            config["Rule"] = {"DefaultRetention": dict({"Mode": mode}, **period)}
        self.data["Action"] = "GetObjectLockConfiguration"
        return self.serialized(ActionResult({"ObjectLockConfiguration": config}))

    S3Response.get_object_lock_configuration = get_object_lock_configuration


def _cloudtrail_delete_accepts_arns() -> None:
    """``DeleteTrail`` with a trail ARN deletes the trail (moto: kept, no error)."""
    from moto.cloudtrail.exceptions import TrailNotFoundException
    from moto.cloudtrail.models import CloudTrailBackend

    original = CloudTrailBackend.delete_trail

    def delete_trail(self: Any, name: str) -> None:
        if name.startswith("arn:"):
            try:
                name = self.get_trail(name).trail_name
            except TrailNotFoundException:
                return
        original(self, name)

    CloudTrailBackend.delete_trail = delete_trail


def _ec2_default_security_group_admits_itself() -> None:
    """A new VPC's default security group gets AWS's inbound rule: all traffic from itself."""
    from moto.ec2.models import EC2Backend

    original = EC2Backend.create_vpc

    def create_vpc(self: Any, *args: Any, **kwargs: Any) -> Any:
        vpc = original(self, *args, **kwargs)
        group = self.get_security_group_from_name("default", vpc_id=vpc.id)
        if group is not None and not group.ingress_rules:
            self.authorize_security_group_ingress(
                group.id, "-1", None, None, [], source_groups=[{"GroupId": group.id}], vpc_id=vpc.id
            )
        return vpc

    EC2Backend.create_vpc = create_vpc


def _logs_kms_key_association() -> None:
    """``AssociateKmsKey`` / ``DisassociateKmsKey`` set and clear a log group's ``kmsKeyId``."""
    from moto.logs.exceptions import ResourceNotFoundException
    from moto.logs.models import LogsBackend
    from moto.logs.responses import LogsResponse

    def group(backend: Any, name: str) -> Any:
        if name not in backend.groups:
            raise ResourceNotFoundException()
        return backend.groups[name]

    def associate_kms_key(self: Any, log_group_name: str, kms_key_id: str) -> None:
        group(self, log_group_name).kms_key_id = kms_key_id

    def disassociate_kms_key(self: Any, log_group_name: str) -> None:
        group(self, log_group_name).kms_key_id = None

    def associate_response(self: Any) -> str:
        self.logs_backend.associate_kms_key(self._get_param("logGroupName"), self._get_param("kmsKeyId"))
        return ""

    def disassociate_response(self: Any) -> str:
        self.logs_backend.disassociate_kms_key(self._get_param("logGroupName"))
        return ""

    LogsBackend.associate_kms_key = associate_kms_key
    LogsBackend.disassociate_kms_key = disassociate_kms_key
    LogsResponse.associate_kms_key = associate_response
    LogsResponse.disassociate_kms_key = disassociate_response


# EC2 operations whose ClientToken the stack relies on (botocore fills it in for CreateNatGateway and
# CreateRouteTable, healthcare.dr.vpc_flow_log passes one to CreateFlowLogs, amazon.aws.ec2_vpc_endpoint
# passes its client_token): moto 5.2 accepts the token and ignores it.
EC2_IDEMPOTENT_ACTIONS = {
    "CreateNatGateway": "create_nat_gateway",
    "CreateRouteTable": "create_route_table",
    "CreateFlowLogs": "create_flow_logs",
    "CreateVpcEndpoint": "create_vpc_endpoint",
}
_EC2_TOKEN_MEMBERS = ("ClientToken",)


def _ec2_client_tokens_are_idempotent() -> None:
    """The same ClientToken with the same parameters returns the first call's result; with other parameters it is
    ``IdempotentParameterMismatch``.

    AWS, "Ensuring idempotency in Amazon EC2 API requests" (EC2 API reference): "If you repeat a request with the
    same client token and the same parameters, Amazon EC2 returns the same response [and] does not perform the
    operation again"; "If you repeat the request with the same client token but change one or more parameters ...
    Amazon EC2 returns an IdempotentParameterMismatch error". This is what makes botocore's retry of a create whose
    answer was lost safe. moto 5.2 makes a second resource for every retry. The tokens are kept per account and
    region on the backend, so a reset forgets them and a snapshot keeps them.
    """
    from moto.ec2.exceptions import EC2ClientError
    from moto.ec2.responses import EC2Response

    def idempotent(action: str, original: Any) -> Any:
        def handler(self: Any) -> Any:
            token = next((self._get_param(m) for m in _EC2_TOKEN_MEMBERS if self._get_param(m)), None)
            if not token:
                return original(self)
            parameters = sorted(
                (k, v) for k, v in self.querystring.items() if k not in _EC2_TOKEN_MEMBERS + ("Version",)
            )
            seen = self.ec2_backend.__dict__.setdefault("healthcare_dr_client_tokens", {})
            if (action, token) in seen:
                first_parameters, result = seen[(action, token)]
                if first_parameters != parameters:
                    raise EC2ClientError(
                        "IdempotentParameterMismatch",
                        f"The client token {token} was already used for a {action} request with other parameters.",
                    )
                return result
            result = original(self)
            seen[(action, token)] = (parameters, result)
            return result

        handler.__name__ = original.__name__
        return handler

    for action, method in EC2_IDEMPOTENT_ACTIONS.items():
        setattr(EC2Response, method, idempotent(action, getattr(EC2Response, method)))


def _route53_caller_references_are_idempotent() -> None:
    """Route 53's ``CallerReference`` makes a retried create safe, as the API reference documents.

    - ``CreateHealthCheck``: "If you send a CreateHealthCheck request with the same CallerReference and settings
      as a previous request, and if the health check ... does exist, Route 53 returns the settings for the existing
      health check"; the same reference with other settings is ``HealthCheckAlreadyExists`` (409).
    - ``CreateHostedZone``: ``HostedZoneAlreadyExists`` (409) "when a hosted zone has already been created with the
      specified CallerReference".

    moto 5.2 makes a second health check or a second zone of the same name for each retry.
    """
    from moto.core.exceptions import ServiceException
    from moto.route53.models import Route53Backend

    create_health_check = Route53Backend.create_health_check
    create_hosted_zone = Route53Backend.create_hosted_zone

    def health_check_for(self: Any, caller_reference: str, health_check_args: dict[str, Any]) -> Any:
        seen = self.__dict__.setdefault("healthcare_dr_health_check_references", {})
        if caller_reference in seen:
            first_args, health_check_id = seen[caller_reference]
            if first_args != health_check_args or health_check_id not in self.health_checks:
                raise ServiceException(
                    "HealthCheckAlreadyExists",
                    f"A health check with caller reference {caller_reference} already exists with other settings"
                    " or was deleted.",
                )
            return self.health_checks[health_check_id]
        health_check = create_health_check(self, caller_reference, health_check_args)
        seen[caller_reference] = (dict(health_check_args), health_check.id)
        return health_check

    def hosted_zone_for(self: Any, name: str, *args: Any, caller_reference: str | None = None, **kwargs: Any) -> Any:
        if caller_reference and any(z.caller_reference == caller_reference for z in self.zones.values()):
            raise ServiceException(
                "HostedZoneAlreadyExists",
                f"A hosted zone has already been created with the specified caller reference {caller_reference}.",
            )
        return create_hosted_zone(self, name, *args, caller_reference=caller_reference, **kwargs)

    Route53Backend.create_health_check = health_check_for
    Route53Backend.create_hosted_zone = hosted_zone_for


def _elbv2_load_balancer_names_are_unique() -> None:
    """A load balancer's name is unique in its region; creating it again with the same settings returns it.

    AWS, ELBv2 API reference, CreateLoadBalancer: "This operation is idempotent, which means that it completes at
    most one time. If you attempt to create multiple load balancers with the same settings, each call succeeds";
    the same name with other settings is ``DuplicateLoadBalancerName``. moto 5.2 checks a new random ARN for
    duplicates, so it never finds one and makes a second load balancer of the same name.
    """
    from moto.elbv2.exceptions import DuplicateLoadBalancerName
    from moto.elbv2.models import ELBv2Backend

    original = ELBv2Backend.create_load_balancer

    def settings(balancer: Any) -> tuple:
        return (balancer.scheme, balancer.type, sorted(s.id for s in balancer.subnets), sorted(balancer.security_groups or []))

    def create_load_balancer(self: Any, name: str, *args: Any, **kwargs: Any) -> Any:
        existing = [b for b in self.load_balancers.values() if b.name == name]
        balancer = original(self, name, *args, **kwargs)
        if existing:
            del self.load_balancers[balancer.arn]
            if settings(existing[0]) != settings(balancer):
                raise DuplicateLoadBalancerName()
            return existing[0]
        return balancer

    ELBv2Backend.create_load_balancer = create_load_balancer

    from moto.elbv2.exceptions import DuplicateListenerError

    create_listener = ELBv2Backend.create_listener

    def listener_on_its_port(self: Any, load_balancer_arn: str, protocol: str, port: Any, *args: Any, **kwargs: Any) -> Any:
        """AWS, CreateListener: "If you attempt to create multiple listeners with the same settings, each call
        succeeds"; another listener on the port is ``DuplicateListener``."""
        balancer = self.load_balancers.get(load_balancer_arn)
        same_port = [x for x in (balancer.listeners.values() if balancer else []) if str(x.port) == str(port)]
        listener = create_listener(self, load_balancer_arn, protocol, port, *args, **kwargs)
        if not same_port:
            return listener
        del balancer.listeners[listener.arn]
        for group in self.target_groups.values():
            if load_balancer_arn in group.load_balancer_arns and group.load_balancer_arns.count(load_balancer_arn) > 1:
                group.load_balancer_arns.remove(load_balancer_arn)
        first = same_port[0]
        if (first.protocol, first.certificate) != (listener.protocol, listener.certificate):
            raise DuplicateListenerError()
        return first

    ELBv2Backend.create_listener = listener_on_its_port

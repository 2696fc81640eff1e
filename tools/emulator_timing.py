"""AWS's clock on the emulator: slow resources take (scaled) real time, and AWS's refusals while they do.

On moto every resource is ready the instant it is asked for, so nothing run against it can show that a wait waits
for the right state, or how long a deploy takes on AWS. This module gives the stack's slow resources the states
AWS moves them through, on moto's own state-transition mechanism (``moto.moto_api.state_manager`` and
``ManagedState``; moto's documentation: Configuration, "State Transitions"): each lifecycle below is a moto model
name and the states it goes through, and a model's transition (``{"progression": "time", "seconds": N}``) says
how long each step takes. ``POST /moto-api/state-manager/set-transition`` changes one at run time, as for any of
moto's own models.

Off by default: moto answers as before (every model's transition is moto's ``immediate``, and the patches below
then attach no lifecycle). ``DR_EMULATOR_TIMING=aws`` registers, for every lifecycle, the AWS duration of
:data:`DURATIONS` times ``DR_EMULATOR_TIME_SCALE`` (default 1: AWS's own time), divided among its steps.
``DR_EMULATOR_SWITCH_SECONDS``, when set, is the global switchover's and failover's duration on its own,
timing on or off.

What follows the clock, and what AWS refuses meanwhile (each with a unit test in
``tests/unit/tools/test_emulator_timing.py``):

- Aurora DB cluster ``creating`` -> ``available`` (a secondary region's cluster joining a global cluster takes
  longer); ``ModifyDBCluster`` while it is not ``available`` is ``InvalidDBClusterStateFault``, and so is
  ``CreateDBCluster`` joining a global cluster before its writer's cluster and an instance of it are ``available``.
- Aurora DB instance ``creating`` (as long as its cluster is, then for its own time) -> ``backing-up`` ->
  ``available``; ``DeleteDBInstance`` makes it ``deleting``, listed until it is gone. ``DeleteDBCluster`` is
  refused while an instance is not ``deleting`` (moto's ``InvalidDBClusterStateFault``); with only deleting
  instances the cluster is ``deleting``, and gone once they and its own deletion are.
- Every lifecycle catches up: N seconds after a step comes the next, however seldom it is read (moto's
  ``ManagedState`` moves one step per read, each counted from that read).
- Global switchover and failover: the global cluster is ``switching-over`` / ``failing-over`` until the writer
  moves (``tools/emulator_ext.py``); a second one meanwhile is ``InvalidGlobalClusterStateFault``.
- NAT gateway ``pending`` -> ``available``, ``deleting`` -> ``deleted``; while one is not ``deleted``,
  ``DeleteSubnet`` of its subnet and ``DetachInternetGateway`` of its VPC are ``DependencyViolation``, and
  ``ReleaseAddress`` of its Elastic IP address is ``InvalidIPAddress.InUse``.
- Application load balancer ``provisioning`` -> ``active``.
- CloudFront distribution ``InProgress`` -> ``Deployed`` (moto's own ``cloudfront::distribution`` model), after
  its creation and again after each update; ``DeleteDistribution`` of one enabled or not yet deployed is
  ``DistributionNotDisabled``.
- VPC peering connection, once accepted, ``provisioning`` -> ``active``.

Not on the clock: a KMS key's pending deletion (its waiting period is 7 to 30 days, a role variable, and moto
already answers ``PendingDeletion`` at once), S3 replication, Route 53 changes (``INSYNC`` at once).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta
from typing import Any


@dataclass(frozen=True)
class Duration:
    """How long a lifecycle takes on AWS, and where that figure comes from."""

    seconds: float
    source: str


# Seconds on AWS, one place, each with its source: AWS's documentation where it gives a figure, otherwise a
# measured one (Terraform's "Creation complete after ..." lines in public logs, which poll every few seconds
# and so run slightly long). TF_APPLY is bshehram/myservice-devops-aws-tf SAMPLE_TF_APPLY.md (us-west-2, 2024),
# TF_DESTROY its SAMPLE_TF_DESTROY.md, NET_TF bshehram/devops-aws-tf's SAMPLE_TF_APPLY.md / _DESTROY.md.
_AURORA_GUIDE = "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/"
DURATIONS: dict[str, Duration] = {
    "rds::db_cluster": Duration(60, "measured, TF_APPLY l.867: 'aws_rds_cluster.db: Creation complete after 1m1s'"),
    "rds::secondary_db_cluster": Duration(
        900,
        _AURORA_GUIDE + "aurora-global-database-getting-started.html: 'It can take several minutes for the"
        " status of a newly added secondary Aurora DB cluster to change from creating to available'; no"
        " measured figure found, 15 minutes is an upper typical value",
    ),
    "rds::db_instance": Duration(
        600, "measured, TF_APPLY l.1057: 'aws_rds_cluster_instance.db[0]: Creation complete after 8m29s'"
        " (db.t4g.medium), rounded up"
    ),
    "rds::db_instance_deletion": Duration(
        600, "measured, TF_DESTROY l.1145 and l.1173: instances deleted in 7m35s and 11m59s"
    ),
    "rds::db_cluster_deletion": Duration(
        60, "measured, TF_DESTROY l.1184 (1m10s); tungbq/aws-lab-with-terraform#100: 'aws_rds_cluster..."
        " Destruction complete after 1m3s'"
    ),
    "rds::global_cluster_switchover": Duration(
        120, _AURORA_GUIDE + "aurora-global-database-disaster-recovery.html: 'For Aurora Global Database, RTO"
        " can be in the order of minutes'; two minutes, no measured figure found"
    ),
    "rds::global_cluster_failover": Duration(
        60, _AURORA_GUIDE + "aurora-global-database.html: 'You can promote a secondary cluster and make it"
        " available for writes in under a minute'"
    ),
    "ec2::nat_gateway": Duration(
        120, "measured, NET_TF apply l.4403-4562: twelve NAT gateways available in 1m24s to 2m4s"
    ),
    "ec2::nat_gateway_deletion": Duration(
        60, "measured, NET_TF destroy l.5155-5385: twelve NAT gateways deleted in 40s to 1m11s"
    ),
    "elbv2::load_balancer": Duration(
        180, "measured, TF_APPLY l.923: 'aws_alb.alb_pub: Creation complete after 2m42s'; fpco/terraform-aws-"
        "foundation#220: 4m6s"
    ),
    "cloudfront::distribution": Duration(
        180, "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/GettingStarted.SimpleDistribution"
        ".html: 'This typically takes a few minutes'; measured, calinmarina/epilot-exercise run_log.md l.645: 3m4s"
    ),
    "ec2::vpc_peering_connection": Duration(
        10, "https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-basics.html: 'accepted, and will soon be"
        " in the active state'; measured, hashicorp/terraform-provider-aws#30423: create and accept in 2s"
    ),
}

# Each lifecycle's states, in order, as moto's ManagedState takes them.
LIFECYCLES: dict[str, list[tuple[str | None, str]]] = {
    "rds::db_cluster": [("creating", "available")],
    "rds::secondary_db_cluster": [("creating", "available")],
    "rds::db_instance": [("creating", "backing-up"), ("backing-up", "available")],
    "rds::db_instance_deletion": [("deleting", "deleted")],
    "rds::db_cluster_deletion": [("deleting", "deleted")],
    "rds::global_cluster_switchover": [("switching-over", "available")],
    "rds::global_cluster_failover": [("failing-over", "available")],
    "ec2::nat_gateway": [("pending", "available")],
    "ec2::nat_gateway_deletion": [("deleting", "deleted")],
    "elbv2::load_balancer": [("provisioning", "active")],
    "cloudfront::distribution": [("InProgress", "Deployed")],
    "ec2::vpc_peering_connection": [("provisioning", "active")],
}

SWITCH_MODELS = ("rds::global_cluster_switchover", "rds::global_cluster_failover")

_INSTALLED = False
_LIFECYCLE_CLASS: Any = None


def time_scale(environ: Any = None) -> float:
    environ = os.environ if environ is None else environ
    return float(environ.get("DR_EMULATOR_TIME_SCALE", "1"))


def timing_on(environ: Any = None) -> bool:
    environ = os.environ if environ is None else environ
    return environ.get("DR_EMULATOR_TIMING", "off") == "aws"


def transitions(environ: Any = None) -> dict[str, dict[str, Any]]:
    """The transition of every lifecycle the environment puts on the clock (none when timing is off)."""
    environ = os.environ if environ is None else environ
    found: dict[str, dict[str, Any]] = {}
    if timing_on(environ):
        scale = time_scale(environ)
        for model, duration in DURATIONS.items():
            steps = len(LIFECYCLES[model])
            found[model] = {"progression": "time", "seconds": duration.seconds * scale / steps}
    if environ.get("DR_EMULATOR_SWITCH_SECONDS"):
        for model in SWITCH_MODELS:
            found[model] = {"progression": "time", "seconds": float(environ["DR_EMULATOR_SWITCH_SECONDS"])}
    return found


def configure(environ: Any = None) -> None:
    """Register the environment's transitions as the models' defaults (set-transition still overrides them)."""
    from moto.moto_api import state_manager

    environ = os.environ if environ is None else environ

    for model, transition in transitions(environ).items():
        state_manager.register_default_transition(model, transition)


def on_clock(model: str) -> bool:
    """Whether the model's states follow a clock, rather than moto's instant answers."""
    from moto.moto_api import state_manager

    return state_manager.get_transition(model)["progression"] != "immediate"


def lifecycle_class() -> Any:
    """moto's ManagedState, with a time progression that catches up (made once, moto imported lazily)."""
    global _LIFECYCLE_CLASS
    if _LIFECYCLE_CLASS is None:
        from moto.moto_api import state_manager
        from moto.moto_api._internal import managed_state_model

        class Lifecycle(managed_state_model.ManagedState):
            """With ``{"progression": "time", "seconds": N}``, N seconds after each step the next, however
            seldom it is read: moto's ManagedState moves one step per read and counts each step from that read,
            so a two-step lifecycle nobody polled would take its time again from the first read."""

            @property
            def status(self) -> str | None:
                transition = state_manager.get_transition(self.model_name)
                if transition["progression"] != "time":
                    return managed_state_model.ManagedState.status.fget(self)
                step = timedelta(seconds=transition["seconds"])
                while managed_state_model.datetime.now() > self._time_progressed + step:
                    following = self._get_next_status(previous=self._status)
                    if following == self._status:
                        break
                    self._status = following
                    self._time_progressed += step
                return self._status

            @status.setter
            def status(self, value: str) -> None:
                self._status = value

        # Pickled with the emulator's state (tools/emulator_snapshot.py): found again as this module's Lifecycle.
        Lifecycle.__module__, Lifecycle.__qualname__ = __name__, "Lifecycle"
        _LIFECYCLE_CLASS = Lifecycle
    return _LIFECYCLE_CLASS


def __getattr__(name: str) -> Any:
    """``Lifecycle`` for pickle, which looks the class of a saved state up by its module and name."""
    if name == "Lifecycle":
        return lifecycle_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def start(owner: Any, model: str) -> None:
    """Put ``owner`` at the first state of the model's lifecycle; its state then follows the clock."""
    owner.__dict__["lifecycle"] = lifecycle_class()(model, LIFECYCLES[model])


def lifecycle_state(owner: Any) -> str | None:
    """The state the owner's lifecycle is in now, or None when it has none."""
    lifecycle = owner.__dict__.get("lifecycle")
    return None if lifecycle is None else lifecycle.status


def follow_lifecycle(cls: Any, attribute: str) -> None:
    """Make ``cls.<attribute>`` the owner's lifecycle state while it has one; setting it ends the lifecycle."""
    existing = cls.__dict__.get(attribute)
    fget = existing.fget if isinstance(existing, property) else None
    fset = existing.fset if isinstance(existing, property) else None

    def getter(self: Any) -> Any:
        state = lifecycle_state(self)
        if state is not None:
            return state
        return fget(self) if fget else self.__dict__.get(attribute)

    def setter(self: Any, value: Any) -> None:
        self.__dict__.pop("lifecycle", None)
        if fset:
            fset(self, value)
        else:
            self.__dict__[attribute] = value

    setattr(cls, attribute, property(getter, setter))


def install() -> None:
    """Install the patches once (inert until a lifecycle's transition is not ``immediate``)."""
    global _INSTALLED
    if _INSTALLED:
        return
    _INSTALLED = True
    _rds_clusters_and_instances()
    _ec2_nat_gateways()
    _ec2_vpc_peering_connections()
    _elbv2_load_balancers()
    _cloudfront_distributions()


def _rds_clusters_and_instances() -> None:
    from moto.rds import models
    from moto.rds.exceptions import InvalidDBClusterStateFault

    follow_lifecycle(models.DBCluster, "status")
    follow_lifecycle(models.DBInstance, "status")
    _instances_wait_for_their_cluster(models.DBInstance)
    backend_cls = models.RDSBackend

    def ready(cluster: Any) -> bool:
        return cluster.status == "available" and any(i.status == "available" for i in cluster._members)

    def writer_cluster(backend: Any, global_cluster_identifier: str) -> Any:
        for regional in models.rds_backends[backend.account_id].values():
            global_cluster = regional.global_clusters.get(global_cluster_identifier)
            if global_cluster is not None:
                return next((m for m in global_cluster.members if m.is_writer), None)
        return None

    def purge(backend: Any) -> None:
        """Forget the instances and clusters whose deletion has finished."""
        for identifier, instance in list(backend.databases.items()):
            if instance.status == "deleted":
                del backend.databases[identifier]
        for identifier, cluster in list(backend.clusters.items()):
            if cluster.status == "deleted" and not cluster._members:
                del backend.clusters[identifier]

    create_db_cluster = backend_cls.create_db_cluster

    def create_db_cluster_on_clock(self: Any, kwargs: dict[str, Any]) -> Any:
        purge(self)
        joining = kwargs.get("global_cluster_identifier")
        writer = writer_cluster(self, joining) if joining else None
        if writer is not None and on_clock("rds::secondary_db_cluster") and not ready(writer):
            # A secondary region joins a global database whose primary cluster and writer instance are available
            # (the order issue 21's critical path assumes: primary cluster, its instance, then the secondary).
            raise InvalidDBClusterStateFault(
                f"The primary cluster {writer.db_cluster_arn} of global cluster {joining} is {writer.status}, with"
                f" instances {[i.status for i in writer._members]}; a secondary cluster can only be added once the"
                " cluster and its writer instance are available."
            )
        cluster = create_db_cluster(self, kwargs)
        model = "rds::secondary_db_cluster" if writer is not None else "rds::db_cluster"
        if on_clock(model):
            start(cluster, model)
        return cluster

    modify_db_cluster = backend_cls.modify_db_cluster

    def modify_db_cluster_on_clock(self: Any, kwargs: dict[str, Any]) -> Any:
        cluster = self.clusters.get(kwargs["db_cluster_identifier"])
        if cluster is not None and lifecycle_state(cluster) not in (None, "available"):
            raise InvalidDBClusterStateFault(
                f"DbCluster {cluster.db_cluster_identifier} is in {cluster.status} state"
                " but expected it to be one of available."
            )
        return modify_db_cluster(self, kwargs)

    create_db_instance = backend_cls.create_db_instance

    def create_db_instance_on_clock(self: Any, db_kwargs: dict[str, Any]) -> Any:
        purge(self)
        instance = create_db_instance(self, db_kwargs)
        if on_clock("rds::db_instance"):
            start(instance, "rds::db_instance")
            instance.__dict__["cluster_to_wait_for"] = self.clusters.get(db_kwargs.get("db_cluster_identifier") or "")
        return instance

    delete_db_instance = backend_cls.delete_db_instance

    def delete_db_instance_on_clock(self: Any, db_instance_identifier: str, *args: Any, **kwargs: Any) -> Any:
        purge(self)
        existing = self.databases.get(db_instance_identifier)
        if existing is not None and existing.status == "deleting":
            return existing
        instance = delete_db_instance(self, db_instance_identifier, *args, **kwargs)
        if on_clock("rds::db_instance_deletion"):
            # Listed as deleting until its deletion is over, as on AWS.
            self.databases[db_instance_identifier] = instance
            start(instance, "rds::db_instance_deletion")
        return instance

    delete_db_cluster = backend_cls.delete_db_cluster

    def delete_db_cluster_on_clock(self: Any, cluster_identifier: str, *args: Any, **kwargs: Any) -> Any:
        purge(self)
        cluster = self.clusters.get(cluster_identifier)
        if cluster is not None and cluster.status == "deleting":
            raise InvalidDBClusterStateFault(f"DbCluster {cluster_identifier} is already being deleted.")
        # AWS refuses only instances in a non-deleting state; moto refuses any instance.
        deleting = {
            k: i
            for k, i in self.databases.items()
            if getattr(i, "db_cluster_identifier", None) == cluster_identifier and i.status == "deleting"
        }
        for identifier in deleting:
            del self.databases[identifier]
        try:
            deleted = delete_db_cluster(self, cluster_identifier, *args, **kwargs)
        finally:
            self.databases.update(deleting)
        if on_clock("rds::db_cluster_deletion"):
            self.clusters[cluster_identifier] = deleted
            start(deleted, "rds::db_cluster_deletion")
        return deleted

    def purged_first(method: Any) -> Any:
        def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
            purge(self)
            return method(self, *args, **kwargs)

        wrapper.__wrapped__ = method  # type: ignore[attr-defined]
        return wrapper

    backend_cls.create_db_cluster = create_db_cluster_on_clock
    backend_cls.modify_db_cluster = modify_db_cluster_on_clock
    backend_cls.create_db_instance = create_db_instance_on_clock
    backend_cls.delete_db_instance = delete_db_instance_on_clock
    backend_cls.delete_db_cluster = delete_db_cluster_on_clock
    for name in ("describe_db_clusters", "describe_db_instances", "delete_global_cluster"):
        setattr(backend_cls, name, purged_first(getattr(backend_cls, name)))


def _instances_wait_for_their_cluster(instance_cls: Any) -> None:
    """A cluster's instance is ``creating`` while its cluster is, and takes its own time once the cluster is
    ``available``: the order AWS provisions them in (the issue's critical path adds the two)."""
    from moto.moto_api._internal import managed_state_model

    status = instance_cls.status

    def getter(self: Any) -> Any:
        cluster = self.__dict__.get("cluster_to_wait_for")
        lifecycle = self.__dict__.get("lifecycle")
        if cluster is not None and lifecycle is not None:
            if cluster.status != "available":
                lifecycle._time_progressed = managed_state_model.datetime.now()
                return LIFECYCLES[lifecycle.model_name][0][0]
            # The instance's clock starts when its cluster became available, or now for a cluster that was
            # never on the clock.
            cluster_lifecycle = cluster.__dict__.get("lifecycle")
            lifecycle._time_progressed = (
                cluster_lifecycle._time_progressed if cluster_lifecycle else managed_state_model.datetime.now()
            )
            del self.__dict__["cluster_to_wait_for"]
        return status.fget(self)

    instance_cls.status = property(getter, status.fset)


def _ec2_nat_gateways() -> None:
    from moto.ec2.exceptions import DependencyViolationError, EC2ClientError
    from moto.ec2.models import EC2Backend
    from moto.ec2.models.nat_gateways import NatGateway

    follow_lifecycle(NatGateway, "state")

    create_nat_gateway = EC2Backend.create_nat_gateway

    def create_nat_gateway_on_clock(self: Any, *args: Any, **kwargs: Any) -> Any:
        nat_gateway = create_nat_gateway(self, *args, **kwargs)
        if on_clock("ec2::nat_gateway"):
            start(nat_gateway, "ec2::nat_gateway")
        return nat_gateway

    delete_nat_gateway = EC2Backend.delete_nat_gateway

    def delete_nat_gateway_on_clock(self: Any, nat_gateway_id: str) -> Any:
        existing = self.nat_gateways.get(nat_gateway_id)
        if existing is not None and existing.state in ("deleting", "deleted"):
            return existing
        nat_gateway = delete_nat_gateway(self, nat_gateway_id)
        if on_clock("ec2::nat_gateway_deletion"):
            start(nat_gateway, "ec2::nat_gateway_deletion")
        return nat_gateway

    def holding(backend: Any, **where: str) -> list[Any]:
        return [
            n
            for n in backend.nat_gateways.values()
            if n.state != "deleted" and all(getattr(n, k) == v for k, v in where.items())
        ]

    def public(nat_gateways: list[Any]) -> list[Any]:
        return [n for n in nat_gateways if n.connectivity_type != "private"]

    delete_subnet = EC2Backend.delete_subnet

    def delete_subnet_on_clock(self: Any, subnet_id: str) -> Any:
        if holding(self, subnet_id=subnet_id):
            raise DependencyViolationError(f"The subnet '{subnet_id}' has dependencies and cannot be deleted.")
        return delete_subnet(self, subnet_id)

    detach_internet_gateway = EC2Backend.detach_internet_gateway

    def detach_internet_gateway_on_clock(self: Any, internet_gateway_id: str, vpc_id: str) -> None:
        if public(holding(self, vpc_id=vpc_id)):
            raise DependencyViolationError(
                f"Network {vpc_id} has some mapped public address(es). Please unmap those public address(es)"
                " before detaching the gateway."
            )
        detach_internet_gateway(self, internet_gateway_id, vpc_id)

    release_address = EC2Backend.release_address

    def release_address_on_clock(self: Any, address: str | None = None, allocation_id: str | None = None) -> None:
        for nat_gateway in holding(self):
            for mapped in nat_gateway.address_set:
                if (allocation_id and mapped.get("allocationId") == allocation_id) or (
                    address and mapped.get("publicIp") == address
                ):
                    raise EC2ClientError(
                        "InvalidIPAddress.InUse", f"Address {mapped.get('publicIp')} is in use by {nat_gateway.id}."
                    )
        release_address(self, address=address, allocation_id=allocation_id)

    EC2Backend.create_nat_gateway = create_nat_gateway_on_clock
    EC2Backend.release_address = release_address_on_clock
    EC2Backend.delete_nat_gateway = delete_nat_gateway_on_clock
    EC2Backend.delete_subnet = delete_subnet_on_clock
    EC2Backend.detach_internet_gateway = detach_internet_gateway_on_clock


def _ec2_vpc_peering_connections() -> None:
    from moto.ec2.models import EC2Backend
    from moto.ec2.models.vpc_peering_connections import PeeringConnectionStatus

    follow_lifecycle(PeeringConnectionStatus, "code")

    accept = EC2Backend.accept_vpc_peering_connection

    def accept_on_clock(self: Any, vpc_pcx_id: str) -> Any:
        connection = accept(self, vpc_pcx_id)
        if on_clock("ec2::vpc_peering_connection"):
            start(connection._status, "ec2::vpc_peering_connection")
        return connection

    EC2Backend.accept_vpc_peering_connection = accept_on_clock


def _elbv2_load_balancers() -> None:
    from moto.elbv2.models import ELBv2Backend, FakeLoadBalancer

    follow_lifecycle(FakeLoadBalancer, "state")
    activate = FakeLoadBalancer.activate

    def activate_on_clock(self: Any) -> None:
        # moto activates a load balancer when it is described; on the clock, it is active when its time is up.
        if "lifecycle" not in self.__dict__:
            activate(self)

    create_load_balancer = ELBv2Backend.create_load_balancer

    def create_load_balancer_on_clock(self: Any, *args: Any, **kwargs: Any) -> Any:
        balancer = create_load_balancer(self, *args, **kwargs)
        # A create that returned the existing load balancer of that name leaves it as it is.
        if balancer.state == "provisioning" and "lifecycle" not in balancer.__dict__ and on_clock("elbv2::load_balancer"):
            start(balancer, "elbv2::load_balancer")
        return balancer

    FakeLoadBalancer.activate = activate_on_clock
    ELBv2Backend.create_load_balancer = create_load_balancer_on_clock


def _cloudfront_distributions() -> None:
    from moto.cloudfront.exceptions import CloudFrontException
    from moto.cloudfront.models import CloudFrontBackend
    from moto.moto_api._internal import managed_state_model

    update_distribution = CloudFrontBackend.update_distribution
    delete_distribution = CloudFrontBackend.delete_distribution

    def update_distribution_on_clock(self: Any, *args: Any, **kwargs: Any) -> Any:
        distribution, location, etag = update_distribution(self, *args, **kwargs)
        # AWS deploys every change anew: InProgress until it reaches the edge locations (moto keeps Deployed).
        if on_clock("cloudfront::distribution"):
            distribution.status = "InProgress"
            distribution._time_progressed = managed_state_model.datetime.now()  # pylint: disable=protected-access
        return distribution, location, etag

    def delete_distribution_on_clock(self: Any, distribution_id: str, if_match: bool) -> None:
        # AWS deletes a distribution once it is disabled and that is deployed (moto deletes any).
        distribution = self.distributions.get(distribution_id)
        if on_clock("cloudfront::distribution") and distribution is not None:
            enabled = str(getattr(distribution.distribution_config, "Enabled", False)).lower() == "true"
            if enabled or distribution.status != "Deployed":
                raise CloudFrontException(
                    "DistributionNotDisabled", "The distribution you are trying to delete has not been disabled."
                )
        delete_distribution(self, distribution_id, if_match)

    CloudFrontBackend.update_distribution = update_distribution_on_clock
    CloudFrontBackend.delete_distribution = delete_distribution_on_clock

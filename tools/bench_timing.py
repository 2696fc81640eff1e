"""What a bench run on AWS's clock (``tools/bench.py --timing aws``) says about AWS's own time.

The emulator runs the resources' lifecycles at ``DR_EMULATOR_TIME_SCALE`` times AWS's durations
(tools/emulator_timing.py DURATIONS), while the playbook's own tasks take their real time. For a deploy:

- the **critical path**: the longest chain of dependent provisioning steps, from the duration table alone
  (:data:`DEPLOY_STEPS`, :data:`DESTROY_STEPS`);
- the **head**: from the deploy's start to its first Aurora create call (the writer's ``CreateDBCluster``);
- the **tail**: from the last Aurora resource becoming available (the DR instance, by the clock) to the end.

Head and tail are measured on the emulator, then converted to AWS time: the part of them during which some
resource was provisioning (the union of the lifecycles' intervals, read back from the stack's creation times)
is divided by the scale, the rest is task time as measured. The AWS estimate of a first deploy is
head + critical path + tail; the issue's target is at most 1.15 x the critical path.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import emulator_timing

# Each provisioning step of a first deploy -> the steps it waits for (AWS: the DR region's cluster joins once the
# writer's cluster and its instance are available; each cluster's instance is available after its cluster).
DEPLOY_STEPS: dict[str, tuple[str, list[str]]] = {
    "writer cluster": ("rds::db_cluster", []),
    "writer instance": ("rds::db_instance", ["writer cluster"]),
    "DR cluster joins": ("rds::secondary_db_cluster", ["writer instance"]),
    "DR instance": ("rds::db_instance", ["DR cluster joins"]),
    "NAT gateways": ("ec2::nat_gateway", []),
    "load balancers": ("elbv2::load_balancer", []),
}
# destroy.yml: the instances are deleting, then the cluster; the network's NAT gateways after the aurora role.
DESTROY_STEPS: dict[str, tuple[str, list[str]]] = {
    "instances deleting": ("rds::db_instance_deletion", []),
    "cluster deleting": ("rds::db_cluster_deletion", ["instances deleting"]),
    "NAT gateways deleting": ("ec2::nat_gateway_deletion", ["cluster deleting"]),
}


def critical_path(steps: dict[str, tuple[str, list[str]]]) -> tuple[float, list[str]]:
    """The longest chain of ``steps`` by the duration table: (AWS seconds, step names in order)."""
    finish: dict[str, tuple[float, list[str]]] = {}

    def visit(name: str) -> tuple[float, list[str]]:
        if name not in finish:
            model, after = steps[name]
            before = max((visit(a) for a in after), default=(0.0, []))
            finish[name] = (before[0] + emulator_timing.DURATIONS[model].seconds, before[1] + [name])
        return finish[name]

    return max((visit(name) for name in steps), default=(0.0, []))


def union_within(intervals: list[tuple[float, float]], start: float, end: float) -> float:
    """Seconds of [start, end] covered by at least one interval."""
    covered, reach = 0.0, start
    for low, high in sorted(intervals):
        low, high = max(low, reach), min(high, end)
        if high > low:
            covered += high - low
            reach = high
    return covered


def to_aws(seconds: float, provisioning: float, scale: float) -> float:
    """Emulator seconds of which ``provisioning`` ran on the scaled clock -> AWS seconds."""
    return seconds - provisioning + provisioning / scale


def epoch(value: Any) -> float:
    if isinstance(value, datetime):
        return value.timestamp()
    return datetime.fromisoformat(str(value).replace("Z", "+00:00")).timestamp()


def lifecycles(session: Any, endpoint: str, regions: list[str], scale: float) -> dict[str, list[tuple[float, float]]]:
    """Each kind of deploy lifecycle -> its (started, available) epoch intervals on the emulator's clock."""
    seconds = {model: d.seconds * scale for model, d in emulator_timing.DURATIONS.items()}
    found: dict[str, list[tuple[float, float]]] = {"clusters": [], "instances": [], "other": []}
    global_members: set[str] = set()
    for region in regions:
        rds = session.client("rds", region_name=region, endpoint_url=endpoint)
        for global_cluster in rds.describe_global_clusters()["GlobalClusters"]:
            global_members |= {m["DBClusterArn"] for m in global_cluster["GlobalClusterMembers"] if not m["IsWriter"]}
    for region in regions:
        rds = session.client("rds", region_name=region, endpoint_url=endpoint)
        cluster_ready: dict[str, float] = {}
        for cluster in rds.describe_db_clusters()["DBClusters"]:
            model = "rds::secondary_db_cluster" if cluster["DBClusterArn"] in global_members else "rds::db_cluster"
            start = epoch(cluster["ClusterCreateTime"])
            cluster_ready[cluster["DBClusterIdentifier"]] = start + seconds[model]
            found["clusters"].append((start, start + seconds[model]))
        for instance in rds.describe_db_instances()["DBInstances"]:
            # An instance takes its time once its cluster is available (tools/emulator_timing.py).
            start = epoch(instance["InstanceCreateTime"])
            after = max(start, cluster_ready.get(instance.get("DBClusterIdentifier", ""), start))
            found["instances"].append((start, after + seconds["rds::db_instance"]))
        ec2 = session.client("ec2", region_name=region, endpoint_url=endpoint)
        for nat in ec2.describe_nat_gateways()["NatGateways"]:
            start = epoch(nat["CreateTime"])
            found["other"].append((start, start + seconds["ec2::nat_gateway"]))
        elbv2 = session.client("elbv2", region_name=region, endpoint_url=endpoint)
        for balancer in elbv2.describe_load_balancers()["LoadBalancers"]:
            start = epoch(balancer["CreatedTime"])
            found["other"].append((start, start + seconds["elbv2::load_balancer"]))
    return found


def deploy_report(found: dict[str, list[tuple[float, float]]], started: float, ended: float, scale: float) -> dict:
    """Head, tail and wall of a deploy in emulator and AWS seconds, beside the critical path."""
    aurora = found["clusters"] + found["instances"]
    everything = aurora + found["other"]
    first_create = min(start for start, _end in found["clusters"])
    last_ready = max(end for _start, end in aurora)
    path_seconds, path = critical_path(DEPLOY_STEPS)
    head = first_create - started
    tail = max(0.0, ended - last_ready)
    head_aws = to_aws(head, union_within(everything, started, first_create), scale)
    tail_aws = to_aws(tail, union_within(everything, last_ready, ended), scale)
    wall = ended - started
    return {
        "time_scale": scale,
        "critical_path": path,
        "critical_path_aws_s": path_seconds,
        "head_s": round(head, 1),
        "head_aws_s": round(head_aws, 1),
        "tail_s": round(tail, 1),
        "tail_aws_s": round(tail_aws, 1),
        "wall_s": round(wall, 1),
        "wall_aws_s": round(to_aws(wall, union_within(everything, started, ended), scale), 1),
        "estimate_aws_s": round(head_aws + path_seconds + tail_aws, 1),
        "estimate_over_critical_path": round((head_aws + path_seconds + tail_aws) / path_seconds, 3),
    }


def waits_report(name: str, wall: float, waited_aws: float, scale: float) -> dict:
    """A phase whose scaled waits are known from the table (destroy, switchover): its AWS time."""
    return {
        "wall_s": round(wall, 1),
        "waits_aws_s": waited_aws,
        "wall_aws_s": round(to_aws(wall, min(wall, waited_aws * scale), scale), 1),
        "phase": name,
    }


def minutes(seconds: float) -> str:
    return f"{seconds / 60:.1f} min"


def format_report(deploy: dict, others: dict[str, dict]) -> str:
    lines = [
        f"on AWS's clock at scale {deploy['time_scale']} (AWS minutes from the duration table, tools/emulator_timing.py):",
        f"  critical path   {minutes(deploy['critical_path_aws_s'])}: {' -> '.join(deploy['critical_path'])}",
        f"  head            {deploy['head_s']:.1f} s on the emulator = {minutes(deploy['head_aws_s'])} on AWS",
        f"  tail            {deploy['tail_s']:.1f} s on the emulator = {minutes(deploy['tail_aws_s'])} on AWS",
        f"  deploy wall     {deploy['wall_s']:.1f} s on the emulator = {minutes(deploy['wall_aws_s'])} on AWS",
        f"  head + critical path + tail = {minutes(deploy['estimate_aws_s'])}"
        f" = {deploy['estimate_over_critical_path']:.2f} x the critical path (target <= 1.15)",
    ]
    for name, report in others.items():
        lines.append(
            f"  {name:15} {report['wall_s']:.1f} s on the emulator = {minutes(report['wall_aws_s'])} on AWS"
            f" (waits {minutes(report['waits_aws_s'])})"
        )
    return "\n".join(lines)


def phase_waits() -> dict[str, float]:
    """AWS seconds each non-deploy phase waits for, by the table (what the playbooks await, one after another)."""
    d = emulator_timing.DURATIONS
    return {
        "rerun": 0.0,
        "switchover": d["rds::global_cluster_switchover"].seconds,
        "switchback": d["rds::global_cluster_switchover"].seconds,
        "failover": d["rds::global_cluster_failover"].seconds,
        "rejoin": 0.0,
        "destroy": critical_path(DESTROY_STEPS)[0],
        "destroy_empty": 0.0,
    }

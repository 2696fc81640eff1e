"""No task the collection runs waits silently for something AWS takes minutes to do.

A module that waits inside itself prints nothing until it returns; on AWS these
waits last minutes (an Aurora instance, a switchover, a CloudFront deployment).
Each such task in the roles and playbooks asks without waiting, and a bounded
``until`` on an ``_info`` module waits instead, printing a line per check.
Read statically, so a new task that waits silently fails here."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
TASK_FILES = sorted(
    [*(ROOT / "roles").glob("*/tasks/*.yml"), *(ROOT / "playbooks").glob("*.yml"), *(ROOT / "playbooks" / "tasks").glob("*.yml")]
)

# module -> (its own default for wait, the states whose wait lasts minutes on AWS; None: every state).
# ec2_vpc_endpoint is not here: a gateway endpoint is available within seconds (tools/emulator_timing.py).
LONG_WAITS: dict[str, tuple[bool, set[str] | None]] = {
    "amazon.aws.rds_cluster": (True, None),
    "amazon.aws.rds_instance": (True, None),
    "amazon.aws.rds_cluster_snapshot": (False, None),
    "amazon.aws.ec2_vpc_nat_gateway": (False, None),
    "amazon.aws.elb_application_lb": (False, None),
    "healthcare.dr.rds_global_cluster": (True, {"switched_over", "failed_over", "member_removed"}),
    "healthcare.dr.cloudfront_distribution": (False, None),
}


def _tasks(items):
    for item in items or []:
        if not isinstance(item, dict):
            continue
        yield item
        for key in ("block", "rescue", "always", "tasks", "pre_tasks", "post_tasks", "handlers"):
            yield from _tasks(item.get(key))


def _long_waits():
    for path in TASK_FILES:
        for task in _tasks(yaml.safe_load(path.read_text())):
            for module, (default, states) in LONG_WAITS.items():
                args = task.get(module)
                if not isinstance(args, dict):
                    continue
                if states is not None and args.get("state", "present") not in states:
                    continue
                yield path.relative_to(ROOT), task.get("name", module), args.get("wait", default), args.get("state")


def test_the_scan_finds_the_tasks_it_checks():
    """The scan reaches the tasks it is about (a typo in LONG_WAITS or the paths would pass everything)."""
    found = {str(found[0]) for found in _long_waits()}
    assert {
        "roles/aurora/tasks/destroy.yml",
        "roles/aurora/tasks/instances.yml",
        "roles/lambda_alb/tasks/destroy.yml",
        "roles/edge/tasks/destroy.yml",
        "playbooks/failover.yml",
        "playbooks/tasks/dr_switch_writer.yml",
    } <= found


@pytest.mark.parametrize("path, name, wait, state", list(_long_waits()), ids=str)
def test_long_waits_are_bounded_loops_that_print(path, name, wait, state):
    assert wait in (False, "false"), f"{path}: '{name}' waits inside the module (wait={wait!r}): ask with wait: false, then wait with until"


def test_cloudfront_is_disabled_before_it_is_deleted():
    """cloudfront_distribution state=absent waits silently for a disable to deploy: disable it first."""
    for path in TASK_FILES:
        states = [
            task["healthcare.dr.cloudfront_distribution"].get("state", "present")
            for task in _tasks(yaml.safe_load(path.read_text()))
            if isinstance(task.get("healthcare.dr.cloudfront_distribution"), dict)
        ]
        if "absent" in states:
            assert "disabled" in states[: states.index("absent")], f"{path.relative_to(ROOT)}: absent without disabled before it"

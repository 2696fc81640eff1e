"""tools/clock_check.py: the steps it runs and how it reads a play recap."""

from __future__ import annotations

from pathlib import Path

import clock_check


def test_every_role_tag_and_every_dr_operation_runs_and_reruns_must_change_nothing():
    found = clock_check.steps("dev", Path("lost.json"))
    names = [name for name, _arguments, _unchanged in found]
    assert names[:2] == ["deploy", "rerun"] and names[-2:] == ["destroy", "destroy again"]
    assert {f"--tags {tag}" for tag in clock_check.TAGS} <= set(names)
    assert {"switchover", "switchback", "failover", "rejoin", "dr_status"} <= set(names)
    unchanged = {name for name, _arguments, must in found if must}
    assert unchanged == {"rerun", "edge with CloudFront again", "dr_status", "destroy again"} | {
        f"--tags {tag}" for tag in clock_check.TAGS
    }
    failover = dict((name, arguments) for name, arguments, _unchanged in found)["failover"]
    assert failover[:2] == ["-i", "lost.json"] and "dr_confirm_failover=dev" in failover


def test_changes_reads_each_host_of_the_recap():
    log = (
        "PLAY RECAP *****\n"
        "us-east-1                  : ok=227  changed=56   unreachable=0    failed=0\n"
        "us-west-2                  : ok=150  changed=0    unreachable=0    failed=0\n"
    )
    assert clock_check.changes(log) == {"us-east-1": 56, "us-west-2": 0}

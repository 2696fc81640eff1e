"""tools/bench.py's pure parts: read/write classification, recap parsing,
medians, the replay plan and the table. Not a benchmark."""

from __future__ import annotations

import bench


def test_reads_are_describe_get_list_head_or_rest_get():
    assert bench.is_read("DescribeVpcs")
    assert bench.is_read("GetCallerIdentity")
    assert bench.is_read("ListBuckets")
    assert bench.is_read("HeadObject")
    assert bench.is_read("GET /2015-03-31/*")
    assert bench.is_read("HEAD /bucket/*")
    assert not bench.is_read("CreateVpc")
    assert not bench.is_read("PutBucketPolicy")
    assert not bench.is_read("POST /2015-03-31/*")
    assert not bench.is_read("AuthorizeSecurityGroupIngress")


def test_classify_counts_reads_and_writes():
    result = bench.classify(
        {"ec2": {"CreateVpc": 2, "DescribeVpcs": 5}, "s3": {"PutObject": 1, "ListBuckets": 1}, "sts": {}}
    )

    assert result == {
        "calls": 9,
        "reads": 6,
        "writes": 3,
        "write_ops": {"ec2:CreateVpc": 2, "s3:PutObject": 1},
    }


def test_parse_recap_sums_hosts_of_the_last_recap():
    output = """
PLAY [x] ***
TASK [y] ***
ok: [us-east-1]

PLAY RECAP *********************************************************************
us-east-1                  : ok=12   changed=3    unreachable=0    failed=0    skipped=2    rescued=0    ignored=0
us-west-2                  : ok=10   changed=1    unreachable=0    failed=1    skipped=0    rescued=0    ignored=0

Sunday 29 November 2026  08:00:00 +0000 (0:00:00.1)       0:00:10.0 ****
"""

    recap = bench.parse_recap(output)

    assert recap["ok"] == 22
    assert recap["changed"] == 4
    assert recap["failed"] == 1
    assert recap["skipped"] == 2
    assert bench.parse_recap("no recap here") == {}


def _run(wall, calls, writes, floor, changed):
    record = {"wall_s": wall, "calls": calls, "reads": calls - writes, "writes": writes, "floor_s": floor}
    record["recap"] = {"changed": changed}
    return record


def test_summarize_takes_medians_per_phase():
    runs = [
        {"phases": {"deploy": _run(100.0, 300, 80, 2.0, 40), "rerun": _run(50.0, 200, 0, 1.0, 0)}},
        {"phases": {"deploy": _run(90.0, 300, 80, 3.0, 40), "rerun": _run(70.0, 200, 0, 1.0, 0)}},
        {"phases": {"deploy": _run(120.0, 302, 82, 2.5, 41)}},
    ]

    summary = bench.summarize(runs)

    assert list(summary) == ["deploy", "rerun"]
    assert summary["deploy"]["wall_s"] == 100.0
    assert summary["deploy"]["calls"] == 300
    assert summary["deploy"]["floor_s"] == 2.5
    assert summary["deploy"]["ratio"] == 40.0
    assert summary["deploy"]["runs"] == 3
    assert summary["rerun"]["wall_s"] == 60.0
    assert summary["rerun"]["writes"] == 0
    assert bench.median([]) is None
    assert bench.ratio(10.0, None) is None


def test_format_table_has_one_row_per_phase_and_aligned_columns():
    summary = bench.summarize(
        [{"phases": {"deploy": _run(118.04, 312, 90, 2.345, 44), "destroy": _run(36, 80, 40, 0.5, 30)}}]
    )

    table = bench.format_table(summary)
    lines = table.splitlines()

    assert lines[0].split() == [
        "phase",
        "wall",
        "s",
        "API",
        "calls",
        "writes",
        "reads",
        "changed",
        "floor",
        "s",
        "ratio",
        "CPU",
        "s",
    ]
    assert lines[2].split() == ["deploy", "118.0", "312", "90", "222", "44", "2.35", "50.3x", "-"]
    assert lines[3].split() == ["destroy", "36", "80", "40", "40", "30", "0.50", "72.0x", "-"]
    assert len({len(line) for line in lines}) == 1


def test_replay_plan_keeps_parameterless_reads_and_substitutes_the_rest():
    plan = bench.plan_replay(
        {
            "us-east-1": {
                "ec2": {"DescribeVpcs": 3, "CreateVpc": 1},
                "iam": {"GetRole": 2},
                "elasticloadbalancing": {"DescribeTargetGroups": 1},
                "monitoring": {"PutMetricAlarm": 1},
                "lambda": {"GET /weird/*": 1},
            },
            "unknown": {"unknown": {"GET /x/*": 4}},
        }
    )

    steps = {(s[0], s[5]): (s[1], s[2], s[3], s[4]) for s in plan["steps"]}
    assert steps[("us-east-1", "ec2:DescribeVpcs")] == ("ec2", "DescribeVpcs", 3, True)
    assert steps[("us-east-1", "ec2:CreateVpc")] == ("ec2", "DescribeVpcs", 1, False)
    assert steps[("us-east-1", "iam:GetRole")] == ("iam", "ListRoles", 2, False)
    assert steps[("us-east-1", "elasticloadbalancing:DescribeTargetGroups")] == (
        "elbv2",
        "DescribeTargetGroups",
        1,
        True,
    )
    assert steps[("us-east-1", "monitoring:PutMetricAlarm")] == ("cloudwatch", "DescribeAlarms", 1, False)
    assert steps[("us-east-1", "lambda:GET /weird/*")] == ("lambda", "ListFunctions", 1, False)
    assert plan["skipped"] == {"unknown:GET /x/*": 4}


def test_a_failed_phase_is_marked_in_the_table():
    record = _run(30.0, 10, 5, 1.0, 3)
    record["rc"] = 2

    table = bench.format_table(bench.summarize([{"phases": {"destroy": record}}]))

    assert table.splitlines()[2].startswith("destroy (failed)")


def test_a_listening_port_is_not_free():
    import socket

    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        assert not bench.port_free(listener.getsockname()[1])


def test_cpu_time_is_a_median_and_a_column():
    runs = [{"phases": {"deploy": {**_run(100.0, 300, 80, 2.0, 40), "cpu_s": cpu}}} for cpu in (50.0, 40.0, 70.0)]
    summary = bench.summarize(runs)
    assert summary["deploy"]["cpu_s"] == 50.0
    assert bench.format_table(summary).splitlines()[2].split()[-1] == "50.0"


def test_children_cpu_counts_a_finished_child():
    import subprocess
    import sys

    before = bench.children_cpu()
    subprocess.run([sys.executable, "-c", "sum(range(3_000_000))"], check=True)
    assert bench.children_cpu() > before


def test_the_lost_region_reaches_aws_through_the_closed_port_only():
    overlay = bench.unreachable("us-east-1", 4597)

    hosts = overlay["all"]["children"]["regions"]["hosts"]
    assert hosts == {"us-east-1": {"dr_aws_endpoint_url": "http://127.0.0.1:4597"}}


def test_the_phases_follow_the_drills_runbook_and_end_with_an_empty_destroy():
    assert bench.PHASES.index("switchover") < bench.PHASES.index("switchback") < bench.PHASES.index("failover")
    assert bench.PHASES.index("failover") < bench.PHASES.index("rejoin") < bench.PHASES.index("destroy")
    assert bench.PHASES[-1] == "destroy_empty"


def test_the_tools_environment_drops_aws_credentials_and_puts_the_emulator_on_the_clock_on_request(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE")
    off = bench.tool_environment("off", 0.5)
    assert "AWS_ACCESS_KEY_ID" not in off and "DR_EMULATOR_TIMING" not in off
    assert off["ANSIBLE_CONFIG"].endswith("ansible.cfg") and off["PATH"].startswith(str(bench.VENV_BIN))
    on = bench.tool_environment("aws", 0.5)
    assert on["DR_EMULATOR_TIMING"] == "aws" and on["DR_EMULATOR_TIME_SCALE"] == "0.5"

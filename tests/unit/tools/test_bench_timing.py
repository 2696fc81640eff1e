"""tools/bench_timing.py: the critical path from the duration table, and head and tail converted to AWS time."""

from __future__ import annotations

import bench
import bench_timing
import emulator_timing


def test_the_deploy_s_critical_path_is_aurora_s_chain():
    seconds, path = bench_timing.critical_path(bench_timing.DEPLOY_STEPS)
    assert path == ["writer cluster", "writer instance", "DR cluster joins", "DR instance"]
    d = emulator_timing.DURATIONS
    assert seconds == sum(d[m].seconds for m in ("rds::db_cluster", "rds::db_instance", "rds::secondary_db_cluster", "rds::db_instance"))


def test_the_critical_path_follows_the_longest_chain():
    steps = {"a": ("rds::db_cluster", []), "b": ("ec2::nat_gateway", ["a"]), "c": ("ec2::vpc_peering_connection", [])}
    d = emulator_timing.DURATIONS
    assert bench_timing.critical_path(steps) == (d["rds::db_cluster"].seconds + d["ec2::nat_gateway"].seconds, ["a", "b"])
    steps["c"] = ("rds::secondary_db_cluster", [])
    assert bench_timing.critical_path(steps) == (d["rds::secondary_db_cluster"].seconds, ["c"])


def test_union_counts_overlaps_once_and_clips_to_the_window():
    intervals = [(0, 10), (5, 15), (20, 30)]
    assert bench_timing.union_within(intervals, 0, 100) == 25
    assert bench_timing.union_within(intervals, 8, 22) == 9


def test_provisioning_time_is_scaled_back_and_task_time_is_kept():
    assert bench_timing.to_aws(10.0, provisioning=2.0, scale=0.02) == 8.0 + 100.0


def test_deploy_report_head_tail_and_estimate():
    scale = 0.01
    found = {
        "clusters": [(110.0, 113.0), (130.0, 139.0)],
        "instances": [(111.0, 117.0), (140.0, 146.0)],
        "other": [(102.0, 103.2)],  # a NAT gateway awaited in the head
    }
    report = bench_timing.deploy_report(found, started=100.0, ended=150.0, scale=scale)
    assert report["head_s"] == 10.0
    assert report["head_aws_s"] == round(10.0 - 1.2 + 120.0, 1)
    assert report["tail_s"] == 4.0 and report["tail_aws_s"] == 4.0
    path = bench_timing.critical_path(bench_timing.DEPLOY_STEPS)[0]
    assert report["estimate_aws_s"] == round(report["head_aws_s"] + path + 4.0, 1)
    assert report["estimate_over_critical_path"] == round(report["estimate_aws_s"] / path, 3)


def test_every_phase_after_the_deploy_has_its_waits():
    assert set(bench_timing.phase_waits()) == set(bench.PHASES) - {"deploy"}

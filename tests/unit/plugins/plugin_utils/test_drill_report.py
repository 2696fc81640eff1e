"""The DR drill report and the drills' history page, on drill reports recorded from dr_drill.yml runs.

passed.json: a drill of the local pair, us-west-2 -> us-east-1 -> us-west-2, every check passed.
failed.json: the same drill with --skip-tags dr_drill_follow_writer -e dr_drill_switch_back=false:
each function left pointing at the old writer, the drill stopped after its first checks.
"""

from __future__ import annotations

import copy
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.healthcare.dr.plugins.filter.dr_drill_report import FilterModule
from ansible_collections.healthcare.dr.plugins.plugin_utils.drill_report import (
    drill_html,
    drill_index_html,
    index_rows,
    timeline_svg,
)

RECORDED = Path(__file__).parent / "drill_reports"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def passed():
    return json.loads((RECORDED / "passed.json").read_text())


@pytest.fixture
def failed():
    return json.loads((RECORDED / "failed.json").read_text())


def timeline_bars(svg: str) -> list[ET.Element]:
    """The duration bars of the timeline (pygal's second series; the first is the invisible offset): each a
    group holding one rect, coloured by the group's style."""
    plot = next(g for g in ET.fromstring(svg).iter(f"{SVG}g") if g.get("class") == "plot")
    (durations,) = [g for g in plot.iter(f"{SVG}g") if "serie-1" in (g.get("class") or "").split()]
    bars = [g for g in durations.iter(f"{SVG}g") if g.get("class") == "bar"]
    assert all(len(each.findall(f"{SVG}rect")) == 1 for each in bars)
    return bars


def figure(html: str, name: str) -> str:
    return re.search(rf'<figure id="{name}">(.*?)</figure>', html, re.S).group(1)


def test_the_recorded_reports_are_of_the_schema_the_builder_renders(passed, failed):
    assert passed["schema_version"] == failed["schema_version"] == 1
    assert (passed["verdict"], failed["verdict"]) == ("PASS", "FAIL")


def test_a_passed_drill_shows_its_verdict_the_pair_and_who_ran_it(passed):
    html = drill_html(passed)

    assert '<span id="verdict" class="verdict PASS">PASS</span>' in html
    assert 'id="failure"' not in html
    assert passed["run"]["by"] in html and passed["run"]["collection_version"] in html
    assert "RTO 900.0 s, RPO guard 1000 ms" in html
    assert "us-west-2 at the start, us-west-2 at the end" in html


def test_the_timeline_has_one_bar_per_step_coloured_by_result(passed, failed):
    for report in (passed, failed):
        bars = timeline_bars(figure(drill_html(report), "timeline"))
        assert len(bars) == len(report["steps"])
    colours = [b.get("style") or "" for b in timeline_bars(timeline_svg(failed["steps"]))]
    # pygal draws the first step at the top, i.e. last: the failed checks are the second bar from the end.
    assert [("c62828" in c) for c in colours] == [False, True, False, False]


def test_each_switch_shows_its_measured_rto_against_the_target(passed):
    html = drill_html(passed)
    table = re.search(r'<table id="switches">(.*?)</table>', html, re.S).group(1)

    assert table.count("<tr>") == 1 + 2
    for switch in passed["switches"]:
        assert f"{switch['from']} → {switch['to']}" in table
        assert f"{switch['writer_s']:.1f} s" in table
        assert f"{switch['traffic_s']:.1f} s" in table
    assert table.count(">met<") == 2
    assert "<svg" in figure(html, "rto")


def test_a_switch_slower_than_the_target_is_marked_missed(passed):
    passed["targets"]["rto_seconds"] = 0.5

    assert drill_html(passed).count(">missed<") == 2


def test_the_lag_before_each_switch_is_judged_against_the_rpo_guard(passed):
    passed["switches"][0]["lag_before_ms"] = 250.0
    passed["switches"][1]["lag_before_ms"] = 1500.0
    html = drill_html(passed)

    assert "250 ms (us-west-2)" in html or "250 ms (us-east-1)" in html
    assert html.count(">within<") == 1 and html.count(">over<") == 1
    assert "<svg" in figure(html, "lag")


def test_without_a_published_lag_the_report_says_so(passed):
    assert "No replication lag was published before the switches." in drill_html(passed)


def test_every_check_is_listed_with_its_evidence(passed):
    html = drill_html(passed)

    assert html.count('class="check passed-row"') == len(passed["checks"]) == 12
    for check in passed["checks"]:
        for value in check["evidence"].values():
            assert str(value) in html


def test_the_readiness_reports_before_in_between_and_after_are_tables(passed):
    html = drill_html(passed)

    assert html.count('<table class="readiness">') == 3
    for phase in ("Before", "Between", "After"):
        assert f"<h3>{phase}: " in html


def test_a_failed_drill_says_which_step_and_check_failed_and_what_to_do(failed):
    html = drill_html(failed)

    assert '<span id="verdict" class="verdict FAIL">FAIL</span>' in html
    box = re.search(r'<div class="failure" id="failure">(.*?)</div>', html, re.S).group(1)
    assert "Checks in us-west-2" in box
    assert "us-east-1: function follows the writer; us-west-2: function follows the writer" in box
    assert "playbooks/switchover.yml -e dr_target_region=us-west-2" in box
    assert html.count('class="check failed-row"') == 2
    assert "us-west-2 writes (the drill started with us-east-1 writing)" in html


def test_the_page_fetches_nothing_and_runs_no_script(passed, failed):
    for report in (passed, failed):
        html = drill_html(report)
        assert "<script" not in html
        assert not re.search(r'(?:src|href)="(?!data:|#)', html.replace('href="dr-drill', ""))
        assert "@import" not in html and "url(" not in html


def test_text_from_aws_cannot_inject_markup(passed):
    passed["checks"][0]["found"] = "<script>alert(1)</script>"

    html = drill_html(passed)

    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_no_key_naming_a_secret_reaches_the_page(passed):
    passed["checks"][0]["evidence"]["master_password"] = "hunter2-very-secret"
    passed["readiness"][0]["report"]["aws_secret_key"] = "AKIA-not-for-the-page"

    html = drill_html(passed)

    assert "hunter2-very-secret" not in html and "AKIA-not-for-the-page" not in html


def test_a_report_of_another_schema_is_refused(passed):
    passed["schema_version"] = 2

    with pytest.raises(AnsibleFilterError, match="schema_version 2"):
        drill_html(passed)


def test_the_history_lists_every_drill_oldest_first_with_its_trend(passed, failed):
    later = copy.deepcopy(passed)
    later["run"]["started_at"] = "2027-03-01T10:00:00Z"
    reports = [dict(r, html=name) for r, name in ((later, "c.html"), (failed, "b.html"), (passed, "a.html"))]

    rows = index_rows(reports)
    html = drill_index_html(reports)

    by_time = sorted(reports, key=lambda r: r["run"]["started_at"])
    assert [row["html"] for row in rows] == [r["html"] for r in by_time]
    assert [row["verdict"] for row in rows] == [r["verdict"] for r in by_time]
    assert rows[-1]["html"] == "c.html"
    assert rows[-1]["writer_s"] == max(s["writer_s"] for s in later["switches"])
    assert "3 drill report(s)" in html and "2 passed" in html and "1 failed" in html
    assert all(f'href="{name}"' in html for name in ("a.html", "b.html", "c.html"))
    assert "Checks in us-west-2" in html  # where the failed drill stopped
    trend = figure(html, "trend")
    assert "<svg" in trend and "c62828" in trend  # the failed drill's dot is red
    assert "<script" not in html


def test_the_history_skips_reports_of_another_schema_and_says_when_there_is_none(passed):
    other = dict(passed, schema_version=99, html="x.html")

    assert index_rows([other]) == []
    assert "No drill report yet" in drill_index_html([])


def test_the_filters_are_the_builder():
    filters = FilterModule().filters()

    assert filters["dr_drill_html"] is drill_html
    assert filters["dr_drill_index_html"] is drill_index_html


def test_importing_the_filters_neither_imports_pygal_nor_compiles_a_page():
    """ansible-core imports the filter file for any lookup of the collection's filters, in every task's worker:
    the import must stay cheap, pygal and the pages' templates waiting for the first report."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from ansible_collections.healthcare.dr.plugins.filter import dr_drill_report\n"
        "from ansible_collections.healthcare.dr.plugins.plugin_utils import drill_report\n"
        "print('pygal' in sys.modules, drill_report._template.cache_info().currsize)\n"
    )
    root = Path(__file__).resolve().parents[4]  # holds ansible_collections/healthcare/dr
    imported = subprocess.run([sys.executable, "-c", script], cwd=root, capture_output=True, text=True, check=True)
    assert imported.stdout.split() == ["False", "0"]

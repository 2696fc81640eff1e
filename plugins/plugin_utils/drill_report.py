# -*- coding: utf-8 -*-
# Copyright: contributors to healthcare.dr
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

"""The DR drill report (playbooks/dr_drill.yml) and the drills' history page (playbooks/dr_report.yml) as HTML.

One self-contained file each: the styles are inlined and the charts are SVG drawn by pygal, embedded in the
page, without pygal's tooltip script (the page fetches nothing). Jinja2 renders the page with autoescaping on,
so ids, ARNs and messages read from AWS cannot inject markup. Shared by the C(dr_drill_html) and
C(dr_drill_index_html) filters; the unit tests drive it on recorded drill reports.
"""

from __future__ import annotations

import functools
import math
import re
from typing import Any, Iterable, Mapping

from jinja2 import Environment
from markupsafe import Markup

SCHEMA_VERSION = 1
COLOURS = {"passed": "#2e7d32", "failed": "#c62828", "PASS": "#2e7d32", "FAIL": "#c62828"}
# Never shown, whatever a report holds: evidence is ids, ARNs and endpoints.
SECRET_KEY = re.compile(r"password|secret|token|credential", re.IGNORECASE)


def _pygal() -> Any:
    """pygal, imported on the first chart: ansible-core imports the filter plugin holding the report's filters
    whenever a task looks up a filter of the collection, and importing pygal costs about 0.1 CPU s; at module
    level it doubled the CPU of a no-op site.yml."""
    try:
        import pygal
        import pygal.etree
        import pygal.style
    except ImportError as error:  # pragma: no cover - requirements.txt installs it
        from ansible.errors import AnsibleFilterError

        raise AnsibleFilterError(
            "the drill report needs the pygal Python package on the controller (requirements.txt)"
        ) from error
    return pygal


@functools.cache
def _style() -> Any:
    return _pygal().style.Style(
        background="white",
        plot_background="white",
        foreground="#222",
        foreground_strong="#111",
        foreground_subtle="#666",
        colors=("#1565c0", "#ef6c00", "#6a1b9a", "#2e7d32", "#c62828"),
        font_family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
        label_font_size=12,
        major_label_font_size=12,
        legend_font_size=12,
        title_font_size=14,
        value_font_size=11,
    )


def _config(**overrides: Any) -> dict[str, Any]:
    """pygal settings every chart shares: no script (js=[]), no XML declaration (inlined in HTML)."""
    config: dict[str, Any] = {
        "js": [],
        "disable_xml_declaration": True,
        "style": _style(),
        "width": 900,
        "print_values": False,
        "legend_at_bottom": True,
        "truncate_label": -1,
    }
    config.update(overrides)
    return config


def _svg(chart: Any) -> str:
    """The chart's SVG without pygal's script: its tooltips' configuration, of no use without its tooltip
    code (never loaded here, see js=[]), so the page runs no script at all."""
    tree = chart.render_tree()
    for parent in list(tree.iter()):
        for child in list(parent):
            if isinstance(child.tag, str) and child.tag.rsplit("}", 1)[-1] == "script":
                parent.remove(child)
    return _pygal().etree.etree.tostring(tree, encoding="unicode")


def timeline_svg(steps: list[Mapping[str, Any]]) -> str:
    """One horizontal bar per step, from its start to its end (seconds since the drill started), coloured by result."""
    chart = _pygal().HorizontalStackedBar(
        **_config(height=max(160, 46 * len(steps) + 90), show_legend=False, x_title="seconds since the drill started")
    )
    chart.title = "Timeline of the drill's steps"
    # pygal draws the first label at the bottom; the first step reads best at the top.
    ordered = list(reversed(steps))
    chart.x_labels = [str(step.get("name", "")) for step in ordered]
    chart.add(
        "start",
        [{"value": float(step.get("start_s") or 0), "style": "fill: none; stroke: none"} for step in ordered],
    )
    chart.add(
        "duration",
        [
            {
                "value": max(float(step.get("duration_s") or 0), 0.001),
                "color": COLOURS.get(str(step.get("result")), "#757575"),
                "label": f"{step.get('result')}: +{float(step.get('start_s') or 0):.1f} s, {float(step.get('duration_s') or 0):.1f} s",
            }
            for step in ordered
        ],
    )
    return _svg(chart)


def rto_svg(switches: list[Mapping[str, Any]], target_s: float) -> str:
    """Each switch's measured RTO (writer answering, traffic record) against the target, on a logarithmic axis."""
    decades = _decades([s.get(key) for s in switches for key in ("writer_s", "traffic_s")] + [target_s])
    # Bars grow from the lowest decade drawn: pygal's default base on a log axis is the smallest value.
    chart = _pygal().Bar(
        **_config(
            height=320,
            logarithmic=True,
            y_title="seconds (log scale)",
            y_labels=decades,
            range=(decades[0], decades[-1]),
            zero=decades[0],
        )
    )
    chart.title = f"Measured RTO per switch against the target ({target_s:g} s)"
    chart.x_labels = [f"{s.get('from')} → {s.get('to')}" for s in switches]
    chart.add("writer answering", [_positive(s.get("writer_s")) for s in switches])
    chart.add("traffic record", [_positive(s.get("traffic_s")) for s in switches])
    chart.add("RTO target", [_positive(target_s) for _ignored in switches])
    return _svg(chart)


def lag_svg(switches: list[Mapping[str, Any]], guard_ms: float) -> str:
    """The replication lag read before each switch against the RPO guard."""
    chart = _pygal().Bar(**_config(height=300, y_title="milliseconds"))
    chart.title = f"Replication lag before each switch against the RPO guard ({guard_ms:g} ms)"
    chart.x_labels = [f"{s.get('from')} → {s.get('to')}" for s in switches]
    chart.add("replication lag", [s.get("lag_before_ms") for s in switches])
    chart.add("RPO guard", [guard_ms for _ignored in switches])
    return _svg(chart)


def trend_svg(rows: list[Mapping[str, Any]], target_s: float | None) -> str:
    """The drills over time: the longest measured RTO of each, its dot red when the drill failed."""
    decades = _decades([row.get(key) for row in rows for key in ("writer_s", "traffic_s")] + [target_s])
    chart = _pygal().Line(
        **_config(
            height=340,
            logarithmic=True,
            y_title="seconds (log scale)",
            x_label_rotation=20,
            y_labels=decades,
            range=(decades[0], decades[-1]),
        )
    )
    chart.title = "Longest measured RTO per drill"
    chart.x_labels = [str(row["started_at"])[:16].replace("T", " ") for row in rows]

    def dots(key: str) -> list[Any]:
        return [
            {"value": _positive(row.get(key)), "color": COLOURS[row["verdict"]], "label": row["verdict"]}
            if _positive(row.get(key)) is not None
            else None
            for row in rows
        ]

    chart.add("writer answering", dots("writer_s"), dots_size=6)
    chart.add("traffic record", dots("traffic_s"), dots_size=6)
    if target_s:
        chart.add("RTO target", [_positive(target_s) for _ignored in rows], show_dots=False, stroke_style={"dasharray": "6,4"})
    return _svg(chart)


def _decades(values: Iterable[Any]) -> list[float]:
    """Labels for a logarithmic axis: the powers of ten around the values (pygal's own are crowded)."""
    drawn = [v for v in (_positive(x) for x in values) if v is not None] or [1.0]
    low = math.floor(math.log10(min(drawn)))
    high = math.ceil(math.log10(max(drawn)))
    return [10.0**k for k in range(low, max(high, low + 1) + 1)]


def _positive(value: Any) -> float | None:
    """A value a logarithmic axis can draw: seconds below a millisecond show as one."""
    if value is None or value == "":
        return None
    return max(float(value), 0.001)


def _clean(value: Any) -> Any:
    """The report without any key that names a secret."""
    if isinstance(value, Mapping):
        return {k: _clean(v) for k, v in value.items() if not SECRET_KEY.search(str(k))}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    return value


def _cell(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "-"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _seconds(value: Any) -> str:
    return "-" if value is None or value == "" else f"{float(value):.1f} s"


@functools.cache
def _template(source: str) -> Any:
    """The page's template, compiled on its first render, not when the module is imported: ansible-core
    imports this module whenever a task looks up any filter of the collection."""
    environment = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    environment.filters["cell"] = _cell
    environment.filters["seconds"] = _seconds
    return environment.from_string(source)


_CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0;color:#222;background:#f5f5f5}
main{max-width:1000px;margin:0 auto;padding:24px;background:#fff}
h1{font-size:1.6em;margin:0 0 .3em}h2{font-size:1.2em;margin:1.6em 0 .5em;border-bottom:1px solid #ddd}
h3{font-size:1em;margin:1.2em 0 .4em}
table{border-collapse:collapse;width:100%;font-size:.85em;margin:.4em 0}
th,td{border:1px solid #ddd;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#fafafa}td.evidence{font-family:ui-monospace,Consolas,monospace;font-size:.9em;word-break:break-all}
.verdict{display:inline-block;padding:6px 18px;border-radius:4px;color:#fff;font-weight:700;font-size:1.4em}
.PASS,.passed{background:#2e7d32}.FAIL,.failed{background:#c62828}
.tag{display:inline-block;padding:1px 8px;border-radius:3px;color:#fff;font-size:.85em}
.failure{border:2px solid #c62828;background:#ffebee;padding:8px 14px;margin:1em 0}
.note{color:#555;font-size:.85em}figure{margin:.5em 0}figure svg{width:100%;height:auto}
dl{display:grid;grid-template-columns:max-content auto;gap:2px 16px;font-size:.9em}dt{font-weight:600}dd{margin:0}
"""

# Both pages' opening; the icon is inline so that the page fetches nothing.
_HEAD = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
"""

_DRILL = _HEAD + """<title>DR drill {{ r.environment }} {{ r.run.started_at }}: {{ r.verdict }}</title>
<style>{{ css }}</style>
</head>
<body>
<main>
<h1>DR drill of {{ r.environment }} <span id="verdict" class="verdict {{ r.verdict }}">{{ r.verdict }}</span></h1>
<p class="note">healthcare.dr drill report, schema version {{ r.schema_version }}; the same facts are in the .json file beside this one.</p>
<dl id="facts">
<dt>Pair</dt><dd>{{ r.pair.regions | join(' and ') }} (home {{ r.pair.primary_region }}), global cluster {{ r.pair.global_cluster }}</dd>
<dt>Writer</dt><dd>{{ r.pair.writer_at_start }} at the start, {{ r.pair.writer_at_end }} at the end</dd>
<dt>State of the pair</dt><dd id="pair-state">{{ r.pair_state }}</dd>
<dt>Run by</dt><dd>{{ r.run.by }}{% if r.run.job %} (job {{ r.run.job }}){% endif %}</dd>
<dt>Started</dt><dd>{{ r.run.started_at }} ({{ r.run.duration_s | seconds }} in all)</dd>
<dt>Collection</dt><dd>{{ r.run.collection }} {{ r.run.collection_version }}, ansible-core {{ r.run.ansible_version }}</dd>
<dt>Targets</dt><dd>RTO {{ r.targets.rto_seconds | seconds }}, RPO guard {{ r.targets.rpo_guard_ms | cell }} ms</dd>
<dt>Failover record</dt><dd>{{ r.pair.failover_record }}</dd>
</dl>
{% if r.failure %}
<div class="failure" id="failure">
<strong>The drill failed at step &ldquo;{{ r.failure.step }}&rdquo;</strong>
({{ r.failure.region }}{% if r.failure.task %}, task &ldquo;{{ r.failure.task }}&rdquo;{% endif %}):
<p>{{ r.failure.message }}</p>
{% if r.failed_checks %}<p>Failed checks: {% for c in r.failed_checks %}
{{ c.region }}: {{ c.name }}{% if not loop.last %}; {% endif %}{% endfor %}.</p>{% endif %}
<p>The drill stopped there and switched nothing more. Next: {{ r.next_step }}</p>
</div>
{% endif %}

<h2>Steps</h2>
<figure id="timeline">{{ timeline }}</figure>
<table id="steps">
<tr><th>Step</th><th>Start</th><th>Duration</th><th>Result</th></tr>
{% for s in r.steps %}
<tr><td>{{ s.name }}</td><td>+{{ '%.1f' | format(s.start_s) }} s</td><td>{{ s.duration_s | seconds }}</td>
<td><span class="tag {{ s.result }}">{{ s.result }}</span>
{% for message in s.failures | map(attribute='message') | unique %}
 {{ s.failures | selectattr('message', 'equalto', message) | map(attribute='region') | join(', ') }}: {{ message }}
{% endfor %}</td></tr>
{% endfor %}
</table>

<h2>Recovery time of each switch</h2>
{% if r.switches %}
<table id="switches">
<tr><th>Switch</th><th>Requested</th><th>Writer answering</th><th>Traffic record</th><th>RTO target</th><th>Lag before</th><th>RPO guard</th></tr>
{% for s in r.switches %}
<tr><td>{{ s.from }} → {{ s.to }}{% if not s.changed %} (already there){% endif %}</td><td>{{ s.requested_at }}</td>
<td>{{ s.writer_s | seconds }}</td><td>{{ s.traffic_s | seconds }}</td>
<td>{{ r.targets.rto_seconds | seconds }} <span class="tag {{ 'passed' if s.rto_met else 'failed' }}">{{ 'met' if s.rto_met else 'missed' }}</span></td>
<td>{% if s.lag_before_ms is none %}not published{% else %}{{ s.lag_before_ms | cell }} ms ({{ s.lag_region }}){% endif %}</td>
<td>{{ r.targets.rpo_guard_ms | cell }} ms {% if s.lag_before_ms is not none %}{% set within = s.lag_before_ms <= r.targets.rpo_guard_ms %}
<span class="tag {{ 'passed' if within else 'failed' }}">{{ 'within' if within else 'over' }}</span>{% endif %}</td></tr>
{% endfor %}
</table>
<p class="note">Writer answering: from the switchover request to the global cluster naming the target's cluster as writer.
Traffic record: from the request to Route 53 taking the change that makes the target's load balancer the
failover record's PRIMARY target (the checks read it back).</p>
<figure id="rto">{{ rto }}</figure>
{% if lag %}<figure id="lag">{{ lag }}</figure>{% else %}<p class="note">No replication lag was published before the switches.</p>{% endif %}
{% else %}
<p>No switch completed.</p>
{% endif %}

<h2>Checks</h2>
<table id="checks">
<tr><th>Step</th><th>Region</th><th>Check</th><th>Result</th><th>Expected</th><th>Found</th><th>Evidence</th></tr>
{% for c in r.checks %}
<tr class="check {{ 'passed' if c.passed else 'failed' }}-row"><td>{{ c.step }}</td><td>{{ c.region }}</td><td>{{ c.name }}</td>
<td><span class="tag {{ 'passed' if c.passed else 'failed' }}">{{ 'PASS' if c.passed else 'FAIL' }}</span></td>
<td>{{ c.expected }}</td><td>{{ c.found }}</td>
<td class="evidence">{% for k, v in (c.evidence or {}).items() %}{{ k }}: {{ v }}<br>{% endfor %}</td></tr>
{% else %}
<tr><td colspan="7">No check ran.</td></tr>
{% endfor %}
</table>

<h2>Readiness</h2>
{% for item in r.readiness %}
{% set s = item.report %}
<h3>{{ item.phase | capitalize }}: {{ s.writer_region }} writes, {% if s.ready %}ready{% else %}NOT ready{% endif %} ({{ s.read_at }})</h3>
{% if s.problems %}<p>{{ s.problems | join('; ') }}</p>{% endif %}
<table class="readiness">
<tr><th>Region</th><th>Home</th><th>Aurora role</th><th>Member</th><th>Cluster</th><th>Instances</th><th>Lag ms (max)</th>
<th>Lambda primary</th><th>Alarms in ALARM</th><th>S3 replication</th><th>Event forwarding</th></tr>
{% for row in s.regions %}
<tr><td>{{ row.region }}</td><td>{{ row.home }}</td><td>{{ row.role }}</td><td>{{ row.member | cell }}</td><td>{{ row.cluster }}</td>
<td>{{ row.instances | cell }}</td><td>{{ row.lag_ms | cell }} ({{ row.lag_max_ms | cell }})</td><td>{{ row.lambda_primary }}</td>
<td>{{ row.alarms_in_alarm | cell }}</td><td>{{ row.s3_replication | cell }}</td><td>{{ row.events_forwarding }}</td></tr>
{% endfor %}
</table>
<table class="targets">
<tr><th>Record</th><th>Region</th><th>Load balancer</th><th>Health check</th><th>Checkers passing</th><th>Healthy</th></tr>
{% for t in s.failover_targets %}
<tr><td>{{ t.failover }}</td><td>{{ t.region }}</td><td>{{ t.dns_name }}</td><td>{{ t.health_check }}</td><td>{{ t.checkers }}</td>
<td>{{ t.healthy | cell }}</td></tr>
{% endfor %}
</table>
{% endfor %}

<h2>What this report proves</h2>
<p class="note">That on {{ r.run.started_at[:10] }} the pair switched its writer as listed, that what follows the writer
(functions, failover record, replication-lag alarm) followed it, and how long each switch took as measured from the
controller. It does not prove that the application served requests end to end (no request is sent to the load
balancers), nor the data a failover would lose: the lag shown is the one Aurora published before each planned switch.</p>
</main>
</body>
</html>
"""

_INDEX = _HEAD + """<title>DR drills: {{ rows | length }} report(s)</title>
<style>{{ css }}</style>
</head>
<body>
<main>
<h1>DR drills</h1>
<p>{{ rows | length }} drill report(s){% if rows %}, {{ rows[0].started_at[:10] }} to {{ rows[-1].started_at[:10] }}:
{{ rows | selectattr('verdict', 'equalto', 'PASS') | list | length }} passed,
{{ rows | selectattr('verdict', 'equalto', 'FAIL') | list | length }} failed{% endif %}.</p>
{% if rows %}<figure id="trend">{{ trend }}</figure>{% endif %}
<table id="drills">
<tr><th>Started</th><th>Environment</th><th>Verdict</th><th>Switches</th><th>Longest: writer answering</th>
<th>Longest: traffic record</th><th>RTO target</th><th>Failed at</th><th>Report</th></tr>
{% for row in rows | reverse %}
<tr><td>{{ row.started_at }}</td><td>{{ row.environment }}</td><td><span class="tag {{ row.verdict }}">{{ row.verdict }}</span></td>
<td>{{ row.switches }}</td><td>{{ row.writer_s | seconds }}</td><td>{{ row.traffic_s | seconds }}</td><td>{{ row.rto_seconds | seconds }}</td>
<td>{{ row.failed_at or '-' }}</td><td><a href="{{ row.html }}">{{ row.html }}</a></td></tr>
{% else %}
<tr><td colspan="9">No drill report yet: run playbooks/dr_drill.yml.</td></tr>
{% endfor %}
</table>
</main>
</body>
</html>
"""


def drill_html(report: Mapping[str, Any]) -> str:
    """The drill report (playbooks/dr_drill.yml's JSON) as one self-contained HTML page."""
    r = _clean(dict(report))
    if r.get("schema_version") != SCHEMA_VERSION:
        from ansible.errors import AnsibleFilterError

        raise AnsibleFilterError(f"drill report schema_version {r.get('schema_version')!r}: this collection renders {SCHEMA_VERSION}")
    targets = r.get("targets") or {}
    rto_target = float(targets.get("rto_seconds") or 0)
    guard = float(targets.get("rpo_guard_ms") or 0)
    switches = [dict(s) for s in r.get("switches") or []]
    for s in switches:
        measured = [float(v) for v in (s.get("writer_s"), s.get("traffic_s")) if v is not None]
        s["rto_met"] = bool(measured) and len(measured) == 2 and max(measured) <= rto_target
        s.setdefault("changed", True)
    r["switches"] = switches
    for key in ("steps", "checks", "readiness", "failed_checks"):
        r[key] = r.get(key) or []
    return _template(_DRILL).render(
        r=r,
        css=Markup(_CSS),
        timeline=Markup(timeline_svg(r["steps"])) if r["steps"] else "",
        rto=Markup(rto_svg(switches, rto_target)) if switches else "",
        lag=Markup(lag_svg(switches, guard)) if any(s.get("lag_before_ms") is not None for s in switches) else "",
    )


def index_rows(reports: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One row per drill report, oldest first: its verdict and the longest of its switches' measured RTOs."""
    rows = []
    for report in reports:
        if report.get("schema_version") != SCHEMA_VERSION:
            continue
        switches = report.get("switches") or []
        writer = [float(s["writer_s"]) for s in switches if s.get("writer_s") is not None]
        traffic = [float(s["traffic_s"]) for s in switches if s.get("traffic_s") is not None]
        run = report.get("run") or {}
        rows.append(
            {
                "started_at": str(run.get("started_at", "")),
                "environment": report.get("environment"),
                "verdict": "PASS" if report.get("verdict") == "PASS" else "FAIL",
                "switches": ", ".join(f"{s.get('from')} → {s.get('to')}" for s in switches) or "-",
                "writer_s": max(writer) if writer else None,
                "traffic_s": max(traffic) if traffic else None,
                "rto_seconds": (report.get("targets") or {}).get("rto_seconds"),
                "failed_at": (report.get("failure") or {}).get("step"),
                "html": report.get("html") or "",
            }
        )
    return sorted(rows, key=lambda row: row["started_at"])


def drill_index_html(reports: Iterable[Mapping[str, Any]]) -> str:
    """Every drill report (each with an C(html) key: the page's file name) on one page, with their trend."""
    rows = index_rows(reports)
    targets = [float(row["rto_seconds"]) for row in rows if row.get("rto_seconds")]
    return _template(_INDEX).render(
        rows=rows, css=Markup(_CSS), trend=Markup(trend_svg(rows, targets[-1] if targets else None)) if rows else ""
    )

# -*- coding: utf-8 -*-
# Copyright: contributors to healthcare.dr
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

"""The collection's two IAM policies, deployer and operator, rendered for one account, suffix and pair of regions.

The source is ``files/iam/policies.yml``: statements with the actions named exactly, the policies that hold
them, resource ARNs and conditions with placeholders (``{partition}``, ``{account}``, ``{suffix}``,
``{region}``, ``{name[<key>]}``: a name of the collection's one name map, ``plugins/module_utils/names.py``,
with a ``%`` pattern's part as ``*``), and why each is there. A value naming the region or a name is repeated
for each region of the pair. Shared by the ``healthcare.dr.iam_policy`` filter (``playbooks/iam_policies.yml``) and the
suite's policy check (``tools/iam_check.py``).

A customer managed policy holds at most 6,144 characters, whitespace not counted: a policy larger than that
is rendered as several documents, each under the limit, to attach together.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

from ansible_collections.healthcare.dr.plugins.module_utils.names import stack_names

SOURCE = Path(__file__).resolve().parents[2] / "files" / "iam" / "policies.yml"
POLICIES = ("deployer", "operator")
# IAM's limit on a customer managed policy document, whitespace not counted (IAM quotas).
MANAGED_POLICY_LIMIT = 6144
_ACCOUNT = re.compile(r"^\d{12}$")
_SUFFIX = re.compile(r"^[a-z0-9]{2,12}$")
_REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d$")


def load(source: Path | str | None = None) -> list[dict[str, Any]]:
    """The statements of the source file (default ``SOURCE``)."""
    return yaml.safe_load(Path(source or SOURCE).read_text())["statements"]


def _names(region: str, suffix: str) -> dict[str, str]:
    """The region's name map with each ``%``-pattern's number or chosen part as ``*``."""
    return {k: v.replace("%d", "*").replace("%s", "*") for k, v in stack_names(region, suffix).items()}


def _fill(value: Any, values: dict[str, str], regions: list[str]) -> Any:
    """``value`` with its placeholders filled; a string naming ``{region}`` or ``{name[...]}`` becomes one per region."""
    if isinstance(value, dict):
        return {k: _fill(v, values, regions) for k, v in value.items()}
    if isinstance(value, list):
        out: list[Any] = []
        for item in value:
            filled = _fill(item, values, regions)
            out.extend(filled if isinstance(filled, list) and not isinstance(item, list) else [filled])
        return list(dict.fromkeys(out)) if all(isinstance(x, str) for x in out) else out
    if isinstance(value, str) and ("{region}" in value or "{name[" in value):
        filled = [value.format(region=r, name=_names(r, values["suffix"]), **values) for r in regions]
        return list(dict.fromkeys(filled))
    if isinstance(value, str):
        return value.format(**values)
    return value


def _check_inputs(policy: str, account: str, suffix: str, regions: list[str]) -> None:
    problems = []
    if policy not in POLICIES:
        problems.append(f"policy {policy!r} is not one of {', '.join(POLICIES)}")
    if not _ACCOUNT.match(str(account)):
        problems.append(f"account {account!r} is not a 12-digit AWS account id")
    if not _SUFFIX.match(str(suffix)):
        problems.append(f"suffix {suffix!r} is not 2 to 12 lower-case letters or digits")
    if not regions or any(not _REGION.match(str(r)) for r in regions):
        problems.append(f"regions {regions!r} must be AWS region names")
    if problems:
        raise ValueError("; ".join(problems))


def statements(policy: str, account: str, suffix: str, regions: list[str], partition: str = "aws",
               source: Path | str | None = None) -> list[dict[str, Any]]:  # fmt: skip
    """The IAM statements of ``policy`` for the pair."""
    _check_inputs(policy, account, suffix, list(regions))
    values = {"partition": partition, "account": str(account), "suffix": suffix}
    rendered = []
    for statement in load(source):
        if policy not in statement["policies"]:
            continue
        out: dict[str, Any] = {
            "Sid": statement["sid"],
            "Effect": "Allow",
            "Action": sorted(statement["actions"]),
            "Resource": _fill(statement["resources"], values, list(regions)),
        }
        if statement.get("condition"):
            out["Condition"] = _fill(statement["condition"], values, list(regions))
        rendered.append(out)
    return rendered


def size(document: dict[str, Any]) -> int:
    """Characters IAM counts against its limit: the JSON without whitespace."""
    return len(json.dumps(document, separators=(",", ":")))


def documents(policy: str, account: str, suffix: str, regions: list[str], partition: str = "aws",
              source: Path | str | None = None) -> list[dict[str, Any]]:  # fmt: skip
    """``policy`` as policy documents, in order, each within ``MANAGED_POLICY_LIMIT``."""
    parts: list[dict[str, Any]] = []
    for statement in statements(policy, account, suffix, regions, partition, source):
        if parts:
            candidate = {**parts[-1], "Statement": [*parts[-1]["Statement"], statement]}
            if size(candidate) <= MANAGED_POLICY_LIMIT:
                parts[-1] = candidate
                continue
        document = {"Version": "2012-10-17", "Statement": [statement]}
        if size(document) > MANAGED_POLICY_LIMIT:
            raise ValueError(f"statement {statement['Sid']} alone is over {MANAGED_POLICY_LIMIT} characters")
        parts.append(document)
    return parts

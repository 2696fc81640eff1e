#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to healthcare.dr
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import annotations

DOCUMENTATION = r"""
module: reproducible_zip
version_added: 0.1.0
short_description: Build a zip archive whose bytes depend only on the files' names and contents
description:
  - Packs the files under O(src) into the zip archive O(dest) so that the same sources always give
    the same bytes, whatever the files' timestamps, permissions, owners or the order the file system
    lists them in.
  - Entries are sorted by name, carry a fixed date (1980-01-01 00:00:00) and the permissions
    C(0644), and are deflated at level 9. Directories get no entries of their own.
  - O(dest) is written (atomically) only when its bytes would change, so a rerun reports C(changed=false)
    and a deployment that compares checksums, such as M(amazon.aws.lambda)'s O(amazon.aws.lambda#module:zip_file),
    updates nothing.
  - Bytes are identical for the same Python and zlib; another zlib build may compress differently.
  - Runs where the files are, usually the controller (C(connection=local)).
author:
  - healthcare.dr maintainers (@healthcare-dr)
options:
  src:
    description:
      - Directory whose files are packed, recursively.
    type: path
    required: true
  dest:
    description:
      - Path of the zip archive. Missing parent directories are created.
    type: path
    required: true
  prefix:
    description:
      - Folder inside the archive that holds the content of O(src), for example C(app) so that
        C(src/handler.py) is stored as C(app/handler.py). Empty stores the content at the top.
    type: str
    default: ""
  exclude:
    description:
      - Shell patterns (C(fnmatch)) matched against each file and directory name; a match leaves the
        file, or the whole directory, out.
    type: list
    elements: str
    default: ["__pycache__", "*.pyc", "*.pyo", ".*"]
notes:
  - Supports check mode (nothing is written) and diff mode (checksum and entries before and after).
  - Symbolic links are followed; their targets' contents are stored.
"""

EXAMPLES = r"""
- name: Ensure the Lambda deployment package is built from the role's files
  healthcare.dr.reproducible_zip:
    src: "{{ role_path }}/files/app"
    prefix: app
    dest: "~/.cache/healthcare.dr/lambda_alb/app.zip"
  register: package

- name: Ensure the function runs that package
  amazon.aws.lambda:
    name: lambda-app-us-east-1-dev
    zip_file: "{{ package.dest }}"
    handler: app.handler.lambda_handler
    runtime: python3.12
    role: iam-lambda-global-dev
"""

RETURN = r"""
dest:
  description: Absolute path of the archive.
  returned: always
  type: str
  sample: /home/user/.cache/healthcare.dr/lambda_alb/app.zip
sha256:
  description: Hex SHA-256 of the archive's bytes.
  returned: always
  type: str
  sample: 5d41402abc4b2a76b9719d911017c592ae2a2e5b7cf4c7d7a8d6b0c4c1f1b4d2
code_sha256:
  description: Base64 SHA-256 of the archive's bytes, the form AWS Lambda reports as C(CodeSha256).
  returned: always
  type: str
  sample: XUFAKrxLKna5cZ2REBfFkq4qLlt89MfXqNawxMHxtNI=
size:
  description: Size of the archive in bytes.
  returned: always
  type: int
  sample: 2741
files:
  description: The archive's entries, in their stored (sorted) order.
  returned: always
  type: list
  elements: str
  sample: ["app/__init__.py", "app/handler.py"]
"""

import base64
import fnmatch
import hashlib
import io
import os
import stat
import tempfile
import zipfile
from typing import Iterable, List, Optional, Tuple

from ansible.module_utils.basic import AnsibleModule

FIXED_DATE_TIME = (1980, 1, 1, 0, 0, 0)
FILE_MODE = stat.S_IFREG | 0o644
UNIX = 3
COMPRESS_LEVEL = 9


def _excluded(name: str, patterns: Iterable[str]) -> bool:
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in patterns)


def collect(src: str, prefix: str, exclude: Iterable[str]) -> List[Tuple[str, str]]:
    """``(archive name, file path)`` for every file to pack, sorted by archive name."""
    exclude = list(exclude)
    prefix = prefix.strip("/")
    entries = []
    for directory, subdirectories, files in os.walk(src):
        subdirectories[:] = [d for d in subdirectories if not _excluded(d, exclude)]
        for name in files:
            if _excluded(name, exclude):
                continue
            path = os.path.join(directory, name)
            relative = os.path.relpath(path, src).replace(os.sep, "/")
            entries.append((f"{prefix}/{relative}" if prefix else relative, path))
    return sorted(entries)


def build(entries: Iterable[Tuple[str, str]]) -> bytes:
    """The archive's bytes: fixed dates, permissions and compression, in the given order."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, path in entries:
            info = zipfile.ZipInfo(name, date_time=FIXED_DATE_TIME)
            info.create_system = UNIX
            info.external_attr = FILE_MODE << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            with open(path, "rb") as handle:
                archive.writestr(info, handle.read(), compresslevel=COMPRESS_LEVEL)
    return buffer.getvalue()


def read_existing(dest: str) -> Optional[bytes]:
    try:
        with open(dest, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        return None


def entry_names(data: Optional[bytes]) -> List[str]:
    if data is None:
        return []
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return archive.namelist()
    except zipfile.BadZipFile:
        return []


def describe(data: Optional[bytes]) -> dict:
    if data is None:
        return {}
    return {"sha256": hashlib.sha256(data).hexdigest(), "files": entry_names(data)}


def write(module: AnsibleModule, dest: str, data: bytes) -> None:
    directory = os.path.dirname(dest) or "."
    os.makedirs(directory, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".reproducible_zip.", dir=directory)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        module.atomic_move(temporary, dest)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def main() -> None:
    argument_spec = dict(
        src=dict(type="path", required=True),
        dest=dict(type="path", required=True),
        prefix=dict(type="str", default=""),
        exclude=dict(type="list", elements="str", default=["__pycache__", "*.pyc", "*.pyo", ".*"]),
    )
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    src = module.params["src"]
    dest = os.path.abspath(module.params["dest"])

    if not os.path.isdir(src):
        module.fail_json(msg=f"Couldn't package {src}: it is not a directory")
    try:
        entries = collect(src, module.params["prefix"], module.params["exclude"])
        if not entries:
            module.fail_json(msg=f"Couldn't package {src}: no file is left after the exclusions")
        data = build(entries)
        existing = read_existing(dest)
    except OSError as e:
        module.fail_json(msg=f"Couldn't package {src} into {dest}: {e}")

    changed = existing != data
    if changed and not module.check_mode:
        try:
            write(module, dest, data)
        except OSError as e:
            module.fail_json(msg=f"Couldn't write {dest}: {e}")

    digest = hashlib.sha256(data)
    result = dict(
        changed=changed,
        dest=dest,
        sha256=digest.hexdigest(),
        code_sha256=base64.b64encode(digest.digest()).decode("ascii"),
        size=len(data),
        files=[name for name, _path in entries],
    )
    if module._diff:
        result["diff"] = {"before": describe(existing), "after": describe(data)}
    module.exit_json(**result)


if __name__ == "__main__":
    main()

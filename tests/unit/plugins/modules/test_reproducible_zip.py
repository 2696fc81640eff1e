"""reproducible_zip: same names and contents -> same bytes, written only when they change."""

from __future__ import annotations

import base64
import hashlib
import io
import os
import stat
import zipfile
from pathlib import Path

import pytest

from ansible_collections.healthcare.dr.plugins.modules import reproducible_zip

ROLE_APP = Path(__file__).resolve().parents[4] / "roles" / "lambda_alb" / "files" / "app"


@pytest.fixture
def src(tmp_path: Path) -> Path:
    root = tmp_path / "src"
    (root / "pkg").mkdir(parents=True)
    (root / "handler.py").write_text("def lambda_handler(event, context):\n    return {}\n")
    (root / "pkg" / "__init__.py").write_text("")
    (root / "pkg" / "util.py").write_text("VALUE = 1\n")
    (root / "__pycache__").mkdir()
    (root / "__pycache__" / "handler.cpython-311.pyc").write_bytes(b"\x00compiled")
    (root / "pkg" / "stale.pyc").write_bytes(b"\x00compiled")
    (root / ".hidden").write_text("editor state")
    return root


def args(src: Path, dest: Path, **extra) -> dict:
    return dict(src=str(src), dest=str(dest), **extra)


def test_packs_sorted_files_without_caches_or_hidden_files(run_module, src, tmp_path):
    dest = tmp_path / "out" / "app.zip"

    result = run_module(reproducible_zip, args(src, dest, prefix="app"))

    assert result["changed"] is True
    assert result["files"] == ["app/handler.py", "app/pkg/__init__.py", "app/pkg/util.py"]
    data = dest.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        assert archive.namelist() == result["files"]
        infos = archive.infolist()
        assert archive.read("app/pkg/util.py") == b"VALUE = 1\n"
    for info in infos:
        assert info.date_time == (1980, 1, 1, 0, 0, 0)
        assert info.external_attr >> 16 == stat.S_IFREG | 0o644
        assert info.compress_type == zipfile.ZIP_DEFLATED
    assert result["size"] == len(data)
    assert result["sha256"] == hashlib.sha256(data).hexdigest()
    # The form Lambda's CodeSha256 takes, so a play can compare them.
    assert result["code_sha256"] == base64.b64encode(hashlib.sha256(data).digest()).decode()


def test_rerun_is_unchanged_and_leaves_the_file_alone(run_module, src, tmp_path):
    dest = tmp_path / "app.zip"
    first = run_module(reproducible_zip, args(src, dest))
    os.utime(dest, (1_000_000, 1_000_000))

    second = run_module(reproducible_zip, args(src, dest))

    assert second["changed"] is False
    assert second["sha256"] == first["sha256"]
    assert dest.stat().st_mtime == 1_000_000


def test_timestamps_permissions_and_creation_order_do_not_change_the_bytes(run_module, src, tmp_path):
    first = run_module(reproducible_zip, args(src, tmp_path / "a.zip"))

    # The same names and contents, created in another order, other times and modes.
    other = tmp_path / "other"
    (other / "pkg").mkdir(parents=True)
    (other / "pkg" / "util.py").write_text("VALUE = 1\n")
    (other / "handler.py").write_text("def lambda_handler(event, context):\n    return {}\n")
    (other / "pkg" / "__init__.py").write_text("")
    os.chmod(other / "handler.py", 0o755)
    os.chmod(other / "pkg" / "util.py", 0o600)
    for path in (other / "handler.py", other / "pkg" / "util.py", other / "pkg" / "__init__.py"):
        os.utime(path, (2_000_000_000, 2_000_000_000))

    second = run_module(reproducible_zip, args(other, tmp_path / "b.zip"))

    assert (tmp_path / "a.zip").read_bytes() == (tmp_path / "b.zip").read_bytes()
    assert first["sha256"] == second["sha256"]


def test_a_changed_source_rewrites_the_archive_with_a_diff(run_module, src, tmp_path):
    dest = tmp_path / "app.zip"
    before = run_module(reproducible_zip, args(src, dest))
    (src / "pkg" / "util.py").write_text("VALUE = 2\n")

    after = run_module(reproducible_zip, args(src, dest), diff=True)

    assert after["changed"] is True
    assert after["sha256"] != before["sha256"]
    assert after["diff"]["before"]["sha256"] == before["sha256"]
    assert after["diff"]["after"]["sha256"] == after["sha256"]
    with zipfile.ZipFile(dest) as archive:
        assert archive.read("pkg/util.py") == b"VALUE = 2\n"


def test_check_mode_reports_the_change_and_writes_nothing(run_module, src, tmp_path):
    dest = tmp_path / "missing" / "app.zip"

    result = run_module(reproducible_zip, args(src, dest), check_mode=True, diff=True)

    assert result["changed"] is True
    assert result["diff"]["before"] == {}
    assert result["diff"]["after"]["files"] == result["files"]
    assert not dest.parent.exists()


def test_a_foreign_file_at_dest_is_replaced(run_module, src, tmp_path):
    dest = tmp_path / "app.zip"
    dest.write_bytes(b"not a zip")

    result = run_module(reproducible_zip, args(src, dest), diff=True)

    assert result["changed"] is True
    assert result["diff"]["before"]["files"] == []
    assert zipfile.is_zipfile(dest)


def test_custom_exclusions_replace_the_defaults(run_module, src, tmp_path):
    result = run_module(reproducible_zip, args(src, tmp_path / "app.zip", exclude=["pkg"]))

    assert result["files"] == [".hidden", "__pycache__/handler.cpython-311.pyc", "handler.py"]


def test_missing_source_fails_clearly(run_module, tmp_path):
    result = run_module(reproducible_zip, args(tmp_path / "nope", tmp_path / "app.zip"))

    assert result["failed"] is True
    assert result["msg"] == f"Couldn't package {tmp_path / 'nope'}: it is not a directory"


def test_nothing_left_to_pack_fails_clearly(run_module, src, tmp_path):
    result = run_module(reproducible_zip, args(src, tmp_path / "app.zip", exclude=["*"]))

    assert result["failed"] is True
    assert "no file is left after the exclusions" in result["msg"]
    assert not (tmp_path / "app.zip").exists()


def test_the_roles_handler_package_builds_the_same_twice(run_module, tmp_path):
    first = run_module(reproducible_zip, args(ROLE_APP, tmp_path / "one.zip", prefix="app"))
    second = run_module(reproducible_zip, args(ROLE_APP, tmp_path / "two.zip", prefix="app"))

    assert first["files"] == ["app/__init__.py", "app/handler.py"]
    assert (tmp_path / "one.zip").read_bytes() == (tmp_path / "two.zip").read_bytes()

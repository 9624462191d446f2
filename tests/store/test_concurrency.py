"""Concurrent writers, as real processes, on SQLite and PostgreSQL: they wait for each other, never overwrite
silently, and when one cannot wait any longer it says so in one bilingual line.

- two imports into one cycle at once: the second waits for the first, then writes; with a short busy timeout
  it gives up with one line and exit 2, and nothing of it is written;
- an import while a web save of one of its units happens: the save waits, then is refused (409) because the
  import changed the unit meanwhile;
- two appraisers on two server processes saving the same unit with the version they both read: one is stored,
  the other gets 409; without the version field (or with a malformed one) nothing is stored (422);
- two officials confirming one merger link with different shares at once: one is stored, the other told in one
  line who confirmed it with which share.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from api.app import create_app
from certify.catalog import Catalog, bundled_root
from certify.intake.importer import import_files
from certify.settings import Settings
from certify.store.accounts import add_user
from certify.store.cycles import open_cycle
from certify.store.engine import transaction
from certify.store.models import AuditEvent, EntryValue, ImportBatch
from certify.store.submissions import find_submission, transition
from certify.store.units import units_of_province
from tests.api.live_server import live_server
from tests.api.store_fixtures import PASSWORD, form_of, login
from tests.store.helpers import province_form, self_values

ROOT = Path(__file__).resolve().parents[2]
FW = "sample-2361-commune"
UNITS = 4
WAIT = 240  # generous: two shared cores, several test runs at once


def _url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def _cycle(engine: Engine) -> tuple[int, list[tuple[str, str]]]:
    with transaction(engine, write=True) as s:
        cycle = open_cycle(s, year=2024, framework=FW, actor="so-khcn")
        units = [(u.code, u.name) for u in units_of_province(s, "pre2025", "86", "commune")][:UNITS]
    return cycle.id, units


def _env(url: str, busy: float) -> dict[str, str]:
    return os.environ | {"CERTIFY_DATABASE_URL": url, "CERTIFY_BUSY_TIMEOUT": str(busy), "CERTIFY_USER": "second"}


@contextmanager
def holding_import(url: str, cycle_id: int, form: Path, tmp: Path) -> Iterator[subprocess.Popen[str]]:
    """A process importing `form`, stopped after writing and before committing (its locks held) until the block
    ends; then it commits."""
    marker, release = tmp / "writing", tmp / "release"
    marker.unlink(missing_ok=True)
    release.unlink(missing_ok=True)
    args = ["hold-import", url, str(cycle_id), str(form), str(marker), str(release)]
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.store.workers", *args], cwd=ROOT, text=True, stdout=subprocess.PIPE
    )
    deadline = time.monotonic() + WAIT
    while not marker.exists():
        assert proc.poll() is None, "the first import ended before writing"
        assert time.monotonic() < deadline, "the first import never started writing"
        time.sleep(0.05)
    try:
        yield proc
    finally:
        release.write_text("go")
        out, _ = proc.communicate(timeout=WAIT)
        assert proc.returncode == 0 and "committed" in out


def _cli(args: list[str], url: str, busy: float) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "certify", *args],  # the command a user runs
        cwd=ROOT,
        env=_env(url, busy),
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _batches(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.scalars(select(ImportBatch.imported_by).order_by(ImportBatch.id)))


def test_two_imports_at_once_the_second_waits_then_writes(loaded: Engine, tmp_path: Path) -> None:
    url = _url(loaded)
    cycle_id, units = _cycle(loaded)
    first = province_form(tmp_path, units, "first.xlsx", {"CQS-08": 111})
    second = province_form(tmp_path, units, "second.xlsx", {"CQS-08": 222})
    with holding_import(url, cycle_id, first, tmp_path):
        proc = _cli(["import", str(second), "--cycle", str(cycle_id), "--yes"], url, busy=WAIT)
        time.sleep(1.0)
        assert proc.poll() is None  # waiting for the first import's lock
    out, err = proc.communicate(timeout=WAIT)
    assert proc.returncode == 0, err
    assert "Traceback" not in err and f"{UNITS}" in out
    assert _batches(loaded) == ["first-import", "second"]  # one after the other, the second on top
    assert set(self_values(loaded, cycle_id, "CQS-08").values()) == {222}


def test_a_writer_that_cannot_wait_longer_says_so_in_one_line(loaded: Engine, tmp_path: Path) -> None:
    url = _url(loaded)
    cycle_id, units = _cycle(loaded)
    first = province_form(tmp_path, units, "first.xlsx", {"CQS-08": 111})
    second = province_form(tmp_path, units, "second.xlsx", {"CQS-08": 222})
    with holding_import(url, cycle_id, first, tmp_path):
        proc = _cli(["import", str(second), "--cycle", str(cycle_id)], url, busy=1)
        _, err = proc.communicate(timeout=WAIT)
    assert proc.returncode == 2
    lines = [line for line in err.splitlines() if line.strip()]
    assert "Traceback" not in err and "database is locked" not in err.lower()
    assert len(lines) == 1 and "đang bận" in lines[0] and "busy" in lines[0], err
    assert _batches(loaded) == ["first-import"]  # nothing of the second
    assert set(self_values(loaded, cycle_id, "CQS-08").values()) == {111}


def _app(url: str) -> Any:
    return create_app(
        Settings(secret_key="test-secret", database_url=url), catalog=Catalog([bundled_root("frameworks")])
    )


def test_import_while_a_web_save_happens(loaded: Engine, tmp_path: Path) -> None:
    url = _url(loaded)
    cycle_id, units = _cycle(loaded)
    code = units[0][0]
    with transaction(loaded, write=True) as s:
        assert import_files(s, cycle_id, [province_form(tmp_path, units, "draft.xlsx")], "van-thu").ok
        add_user(s, "xa", "unit_editor", PASSWORD, unit_code=code, actor="test")
    with TestClient(_app(url)) as web:
        login(web, "xa")
        form = form_of(web.get(f"/cycles/{cycle_id}/units/{code}/edit").text)
        answer: dict[str, httpx.Response] = {}
        # the page's token and version, and one figure (the others left empty: they become missing)
        data = {k: form[k] for k in ("csrf_token", "version")} | {"v:CQS-08": "999", "action": "draft"}

        def save() -> None:
            answer["r"] = web.post(f"/cycles/{cycle_id}/units/{code}/save.json", data=data)

        saving = threading.Thread(target=save)
        with holding_import(url, cycle_id, province_form(tmp_path, units, "again.xlsx", {"CQS-08": 333}), tmp_path):
            saving.start()
            saving.join(1.0)
            assert saving.is_alive(), answer  # the save waits for the import
        saving.join(WAIT)
    r = answer["r"]
    assert r.status_code == 409, r.text  # the import changed the unit after the form was loaded
    problem = r.json()["errors"][0]
    assert problem["code"] == "conflict" and problem["path"] == "version" and "người khác" in problem["message_vi"]
    assert self_values(loaded, cycle_id, "CQS-08")[code] == 333  # the import's value, not silently overwritten


def _audit(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(AuditEvent)) or 0)


def _appraised(engine: Engine, criterion: str) -> list[Any]:
    with engine.connect() as conn:
        return list(
            conn.scalars(
                select(EntryValue.value).where(EntryValue.kind == "appraised", EntryValue.criterion == criterion)
            )
        )


def _submitted(engine: Engine, tmp_path: Path) -> tuple[int, str]:
    cycle_id, units = _cycle(engine)
    code = units[0][0]
    with transaction(engine, write=True) as s:
        assert import_files(s, cycle_id, [province_form(tmp_path, units[:1], "one.xlsx")], "van-thu").ok
        sub = find_submission(s, cycle_id, code)
        transition(s, sub, "submitted", "xa", expected_version=sub.version)
        for name in ("tham-dinh-1", "tham-dinh-2"):
            add_user(s, name, "province_appraiser", PASSWORD, actor="test")
    return cycle_id, code


def test_two_appraisers_on_two_server_processes(loaded: Engine, tmp_path: Path) -> None:
    url = _url(loaded)
    cycle_id, code = _submitted(loaded, tmp_path)
    page = f"/cycles/{cycle_id}/units/{code}/appraise"
    env = {"CERTIFY_DATABASE_URL": url, "CERTIFY_SECRET_KEY": "shared-secret"}
    with live_server("/login", env) as one, live_server("/login", env) as two:
        clients = [httpx.Client(base_url=one, timeout=WAIT), httpx.Client(base_url=two, timeout=WAIT)]
        forms = []
        for client, name in zip(clients, ("tham-dinh-1", "tham-dinh-2"), strict=True):
            login(client, name)  # type: ignore[arg-type]
            # the page's token and version; the one figure each changes (the others: the unit's own)
            forms.append({k: form_of(client.get(page).text)[k] for k in ("csrf_token", "version")})
        assert forms[0]["version"] == forms[1]["version"]

        # without the version field, or with a malformed one: refused, nothing stored
        before = _audit(loaded)
        for bad, code_expected in (({}, "version-required"), ({"version": "abc"}, "bad-version")):
            data = {k: v for k, v in forms[0].items() if k != "version"} | bad
            r = clients[0].post(page + ".json", data=data | {"v:CQS-08": "77", "c:CQS-08": "x", "decision": "save"})
            assert r.status_code == 422 and r.json()["errors"][0]["code"] == code_expected, r.text
            assert r.json()["errors"][0]["path"] == "version"
        assert _audit(loaded) == before and _appraised(loaded, "CQS-08") == []

        # both with the version they read, at the same moment: one is stored, the other told
        start = threading.Barrier(2)
        answers: dict[int, httpx.Response] = {}

        def appraise(i: int) -> None:
            data = forms[i] | {"v:CQS-08": str(100 + i), "c:CQS-08": f"Thẩm định viên {i + 1}", "decision": "save"}
            start.wait()
            answers[i] = clients[i].post(page + ".json", data=data)

        threads = [threading.Thread(target=appraise, args=(i,)) for i in (0, 1)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(WAIT)
        statuses = sorted(a.status_code for a in answers.values())
        assert statuses == [200, 409], [a.text for a in answers.values()]
        winner = next(i for i, a in answers.items() if a.status_code == 200)
        loser = answers[1 - winner].json()["errors"][0]
        assert loser["code"] == "conflict" and re.search(r"phiên bản \d+, hiện là \d+", loser["message_vi"])
        assert _appraised(loaded, "CQS-08") == [100 + winner]  # the winner's figure, the loser's not mixed in
        for client in clients:
            client.close()


def test_two_provinces_officials_confirm_one_merger_link_at_once(loaded: Engine) -> None:
    """Two `certify units confirm` of one split commune's link with different shares, started together: one is
    stored, the other is told in one line who confirmed it with which share; nothing overwritten silently."""
    from certify.store.merger_links import links_of
    from certify.store.units import get_unit

    url = _url(loaded)
    old, new = "28924", "28921"  # Xã Hòa Lộc (Mỏ Cày Bắc), split; Xã Tân Thành Bình
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "certify", "units", "confirm", old, new, "--share", share],
            cwd=ROOT,
            env=_env(url, WAIT) | {"CERTIFY_USER": user},
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for user, share in (("so-khcn-1", "0.3"), ("so-khcn-2", "0.4"))
    ]
    answers = [p.communicate(timeout=WAIT) for p in procs]
    codes = [p.returncode for p in procs]
    assert sorted(codes) == [0, 2], answers
    winner = codes.index(0)
    _, err = answers[1 - winner]
    lines = [line for line in err.splitlines() if line.strip()]
    share = ("0.3", "0.4")[winner]
    assert len(lines) == 1 and "Traceback" not in err, err
    assert f"so-khcn-{winner + 1} xác nhận với phần {share}" in lines[0] and "already confirmed" in lines[0]
    with transaction(loaded) as s:
        unit = get_unit(s, "current", new, "commune")
        link = next(x for x in links_of(s, [unit.id])[unit.id] if x.old_code == old)
        confirms = s.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.entity == "unit_merger"))
    assert link.share == float(share) and link.status_by == f"so-khcn-{winner + 1}" and confirms == 1

"""Disabling, enabling and resetting accounts: the rules (never oneself, never the last admin), the audit trail
(without the password), sessions ended by a reset, and `certify user disable | enable | reset-password`."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import Engine, select
from typer.testing import CliRunner

from certify.errors import CertifyError
from certify.store.accounts import (
    add_user,
    authenticate,
    find_user,
    list_users,
    reset_password,
    set_active,
    temporary_password,
)
from certify.store.engine import transaction
from certify.store.models import AuditEvent

PASSWORD = "mat-khau-dai"
TEMP = re.compile(r"^[a-z2-9]{4}(-[a-z2-9]{4}){3}$")


@pytest.fixture
def people(loaded: Engine) -> Engine:
    engine = loaded  # the unit list is loaded: a unit editor's code must be a unit of it
    with transaction(engine) as s:
        add_user(s, "admin", "province_admin", PASSWORD, actor="test")
        add_user(s, "admin2", "province_admin", PASSWORD, actor="test")
        add_user(s, "xa1", "unit_editor", PASSWORD, unit_code="29602", actor="test")
    return engine


def _events(engine: Engine, action: str) -> list[AuditEvent]:
    with transaction(engine) as s:
        return list(s.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def _refused(engine: Engine, username: str, actor: str) -> str:
    with transaction(engine) as s, pytest.raises(CertifyError) as exc:
        set_active(s, username, False, actor=actor)
    problem = exc.value.problems[0]
    assert problem.path == ("username",) and problem.vi and problem.en and problem.vi != problem.en
    return problem.code


def test_disable_blocks_login_and_enable_restores_it(people: Engine) -> None:
    with transaction(people) as s:
        account = set_active(s, "xa1", False, actor="admin")
        assert not account.active
    with transaction(people) as s:
        assert authenticate(s, "xa1", PASSWORD) is None
        assert {a.username: a.active for a in list_users(s)}["xa1"] is False
    with transaction(people) as s:
        assert set_active(s, "xa1", True, actor="admin").active
    with transaction(people) as s:
        assert authenticate(s, "xa1", PASSWORD) is not None
    disabled, enabled = _events(people, "disable"), _events(people, "enable")
    assert [(e.actor, e.entity, e.field, e.old, e.new) for e in disabled] == [("admin", "user", "active", True, False)]
    assert len(enabled) == 1 and enabled[0].new is True


def test_no_change_writes_no_audit_row(people: Engine) -> None:
    with transaction(people) as s:
        set_active(s, "xa1", True, actor="admin")
    assert _events(people, "enable") == []


def test_cannot_disable_oneself(people: Engine) -> None:
    assert _refused(people, "admin", "admin") == "disable-self"


def test_cannot_disable_the_last_active_admin(people: Engine) -> None:
    with transaction(people) as s:
        set_active(s, "admin2", False, actor="admin")
    assert _refused(people, "admin", "root") == "last-admin"  # `root`: the CLI acts as the OS user
    with transaction(people) as s:  # a disabled admin does not count: enabling it makes room again
        set_active(s, "admin2", True, actor="root")
        set_active(s, "admin", False, actor="root")
        assert [a.username for a in list_users(s) if a.active] == ["admin2", "xa1"]


def test_unknown_user(people: Engine) -> None:
    assert _refused(people, "nobody", "admin") == "unknown-user"
    with transaction(people) as s, pytest.raises(CertifyError) as exc:
        reset_password(s, "nobody", actor="admin")
    assert exc.value.problems[0].code == "unknown-user"


def test_reset_password_generates_a_strong_one_shown_once(people: Engine) -> None:
    with transaction(people) as s:
        before = find_user(s, "xa1")
        assert before is not None
        old_hash = before.password_hash
        temp = reset_password(s, "xa1", actor="admin")
    assert TEMP.match(temp)
    with transaction(people) as s:
        assert authenticate(s, "xa1", PASSWORD) is None
        account = authenticate(s, "xa1", temp)
        assert account is not None
        user = find_user(s, "xa1")
        assert user is not None and user.password_hash != old_hash and temp not in user.password_hash
    [event] = _events(people, "reset-password")
    assert event.actor == "admin" and event.field == "password"
    assert temp not in repr((event.old, event.new)) and "argon2" not in repr((event.old, event.new))


def test_reset_changes_the_session_stamp(people: Engine) -> None:
    with transaction(people) as s:
        before = authenticate(s, "xa1", PASSWORD)
        temp = reset_password(s, "xa1", actor="admin")
        after = authenticate(s, "xa1", temp)
    assert before is not None and after is not None
    assert before.stamp and after.stamp and before.stamp != after.stamp


def test_reset_to_a_chosen_password(people: Engine) -> None:
    with transaction(people) as s:
        assert reset_password(s, "xa1", actor="admin", new_password="mot-mat-khau-moi") == "mot-mat-khau-moi"
    with transaction(people) as s:
        assert authenticate(s, "xa1", "mot-mat-khau-moi") is not None
    with transaction(people) as s, pytest.raises(CertifyError) as exc:
        reset_password(s, "xa1", actor="admin", new_password="short")
    assert exc.value.problems[0].code == "weak-password"


def test_temporary_passwords_differ() -> None:
    assert len({temporary_password() for _ in range(50)}) == 50


def test_cli_disable_enable_reset(people: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from certify.cli.app import app

    monkeypatch.setenv("CERTIFY_DATABASE_URL", db_url)
    runner = CliRunner()
    res = runner.invoke(app, ["user", "disable", "xa1", "--yes"])
    assert res.exit_code == 0, res.output
    with transaction(people) as s:
        assert authenticate(s, "xa1", PASSWORD) is None
    res = runner.invoke(app, ["user", "enable", "xa1"])
    assert res.exit_code == 0, res.output

    res = runner.invoke(app, ["user", "reset-password", "xa1", "--yes"])
    assert res.exit_code == 0, res.output
    found = re.findall(r"temporary password: (\S+)", res.output)
    assert len(found) == 1 and TEMP.match(found[0]) and res.output.count(found[0]) == 1
    with transaction(people) as s:
        assert authenticate(s, "xa1", found[0]) is not None

    res = runner.invoke(app, ["user", "reset-password", "xa1", "--password-stdin", "--yes"], input="chon-mat-khau\n")
    assert res.exit_code == 0 and "chon-mat-khau" not in res.output
    with transaction(people) as s:
        assert authenticate(s, "xa1", "chon-mat-khau") is not None


def test_cli_refusal_is_bilingual_exit_2(
    people: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from certify.cli.app import main

    monkeypatch.setenv("CERTIFY_DATABASE_URL", db_url)
    with transaction(people) as s:
        set_active(s, "admin2", False, actor="test")
    monkeypatch.setattr("sys.argv", ["certify", "user", "disable", "admin", "--yes"])
    with pytest.raises(SystemExit) as exc:
        main()
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "quản trị tỉnh cuối cùng" in err and "last active province admin" in err


def test_two_admins_disabling_each_other_at_once_leave_one(people: Engine, db_url: str) -> None:
    """The second transaction waits for the first one's lock on the admin rows, then sees one admin left."""
    import threading

    from certify.store.engine import session_factory

    if not db_url.startswith("postgresql"):
        pytest.skip("SQLite runs one writer at a time: the race needs PostgreSQL")
    outcome: list[str] = []
    first = session_factory(people)()
    first.begin()
    set_active(first, "admin2", False, actor="admin")
    first.flush()

    def second() -> None:
        try:
            with transaction(people) as s:
                set_active(s, "admin", False, actor="admin2")
            outcome.append("disabled")
        except CertifyError as exc:
            outcome.append(exc.problems[0].code)

    t = threading.Thread(target=second)
    t.start()
    t.join(timeout=1.0)
    assert t.is_alive(), "the second transaction should wait for the first one's row locks"
    first.commit()
    first.close()
    t.join(timeout=600)  # a guard against a hang: under load the second transaction may take a while
    assert outcome == ["last-admin"]
    with transaction(people) as s:
        assert [a.username for a in list_users(s) if a.active and a.role.value == "province_admin"] == ["admin"]

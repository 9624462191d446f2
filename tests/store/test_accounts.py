"""Accounts: users table (migration 0002 and later), argon2 hashes, roles, `certify user add`; SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, inspect
from typer.testing import CliRunner

from certify.errors import CertifyError
from certify.store.accounts import Role, User, add_user, authenticate, find_user, list_users
from certify.store.engine import transaction


def test_users_table_created_by_migration(engine: Engine) -> None:
    cols = {c["name"] for c in inspect(engine).get_columns("users")}
    assert {"username", "password_hash", "role", "unit_code", "active"} <= cols


def test_add_and_authenticate(loaded: Engine) -> None:
    engine = loaded  # the unit list is loaded: a unit editor's code must be a unit of it
    with transaction(engine) as s:
        acc = add_user(s, "xa.longho", "unit_editor", "mat-khau-dai", unit_code="29602", actor="test")
        assert acc.role is Role.UNIT_EDITOR and acc.unit_code == "29602"
        add_user(s, "thamdinh", "province_appraiser", "mat-khau-dai", actor="test")
    with transaction(engine) as s:
        user = find_user(s, "xa.longho")
        assert user is not None
        assert user.password_hash.startswith("$argon2id$") and "mat-khau-dai" not in user.password_hash
        assert authenticate(s, "xa.longho", "mat-khau-dai") == acc
        assert authenticate(s, "xa.longho", "sai-mat-khau") is None
        assert authenticate(s, "nobody", "mat-khau-dai") is None
        assert [u.username for u in list_users(s)] == ["thamdinh", "xa.longho"]


@pytest.mark.parametrize(
    ("username", "role", "unit", "password", "code"),
    [
        ("a.b", "wizard", None, "long-enough-phrase", "unknown-role"),
        ("a.b", "unit_editor", None, "long-enough-phrase", "unit-required"),
        ("a.b", "unit_editor", "99999", "long-enough-phrase", "unknown-unit"),
        ("a.b", "province_admin", "29602", "long-enough-phrase", "unit-not-allowed"),
        ("a.b", "province_admin", None, "short", "weak-password"),
        ("bad name!", "province_admin", None, "long-enough-phrase", "bad-username"),
    ],
)
def test_refused_accounts(engine: Engine, username: str, role: str, unit: str | None, password: str, code: str) -> None:
    with transaction(engine) as s, pytest.raises(CertifyError) as exc:
        add_user(s, username, role, password, unit_code=unit, actor="test")
    assert exc.value.problems[0].code == code


def test_duplicate_username_refused(engine: Engine) -> None:
    with transaction(engine) as s:
        add_user(s, "admin", "province_admin", "long-enough-phrase", actor="test")
    with transaction(engine) as s, pytest.raises(CertifyError) as exc:
        add_user(s, "admin", "public_viewer", "long-enough-phrase", actor="test")
    assert exc.value.problems[0].code == "user-exists"


def test_cli_user_add(loaded: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from certify.cli.app import app

    monkeypatch.setenv("CERTIFY_DATABASE_URL", db_url)
    runner = CliRunner()
    res = runner.invoke(
        app,
        ["user", "add", "xa1", "--role", "unit_editor", "--unit", "29602", "--password-stdin"],
        input="mot-mat-khau\n",
    )
    assert res.exit_code == 0, res.output
    assert "xa1" in res.output
    bad = runner.invoke(
        app, ["user", "add", "xa2", "--role", "unit_editor", "--password-stdin"], input="mot-mat-khau\n"
    )
    assert bad.exit_code != 0
    with transaction(loaded) as s:
        user = s.query(User).filter_by(username="xa1").one()
        assert user.unit_code == "29602"
        assert authenticate(s, "xa1", "mot-mat-khau") is not None
        assert find_user(s, "xa2") is None

"""Password hashing (argon2) and CSRF tokens, ready for accounts."""

from __future__ import annotations

from api import csrf
from api.passwords import hash_password, needs_rehash, verify_password


def test_password_hash_round_trip() -> None:
    stored = hash_password("mật-khẩu dài 2025")
    assert stored.startswith("$argon2id$")
    assert verify_password(stored, "mật-khẩu dài 2025")
    assert not verify_password(stored, "sai")
    assert not verify_password("not-a-hash", "x")
    assert not needs_rehash(stored)


def test_csrf_tokens_are_signed_and_kept() -> None:
    token = csrf.issue("k", None)
    assert csrf.valid("k", token) and not csrf.valid("other", token)
    assert csrf.issue("k", token) == token  # an open tab's form stays valid
    assert csrf.issue("k", "garbage") != "garbage"

"""What every web worker shares through the database: login sessions, failed logins and the secret key.

A session is a row: the browser holds a random token (256 bits) in its cookie, the database only the token's
SHA-256, so a copy of the database gives no usable cookie. A session ends when it expires, at logout, when
its account is disabled and when its password is reset (`certify.store.accounts.revoke_user`); a
revoked session stays refused even if someone copied the cookie before. Several processes (`certify serve
--workers N` on PostgreSQL) read the same rows, so a logout in one is a logout in all.

Failed logins are rows too (`login_failure`), so the limit holds across workers and restarts. The secret key
that signs form tokens is created once, on first use, in `app_secret`: every worker reads the same key and it
survives restarts (backed up with the database); `CERTIFY_SECRET_KEY` replaces it when set.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import DateTime, Float, Index, Integer, String, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from certify.store.accounts import Account, User, WebSession
from certify.store.models import Base

__all__ = ["WebSession"]  # the session row lives beside the account it belongs to (certify.store.accounts)

SECRET_NAME = "secret_key"
MAX_DATA = 16_000  # bytes of JSON a session keeps (a few one-time messages)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class LoginFailure(Base):
    __tablename__ = "login_failure"
    __table_args__ = (Index("ix_login_failure_key", "kind", "key", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))  # "user" or "ip"
    key: Mapped[str] = mapped_column(String(200))
    at: Mapped[float] = mapped_column(Float)  # seconds since the epoch (the limiter's clock)


class AppSecret(Base):
    __tablename__ = "app_secret"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


def session_id(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class OpenSession:
    """A live session: its id (the token's hash, never the token), its account and what it keeps."""

    id: str
    account: Account
    data: dict[str, Any]


def open_session(session: Session, username: str, lifetime: dt.timedelta) -> str:
    """A new session for an active account; returns the token for the cookie (shown nowhere else)."""
    user = session.scalars(select(User).where(User.username == username, User.active.is_(True))).one()
    token = secrets.token_urlsafe(32)
    now = _now()
    session.add(WebSession(id=session_id(token), user_id=user.id, created_at=now, expires_at=now + lifetime, data="{}"))
    return token


def find_session(session: Session, token: str) -> OpenSession | None:
    """The session of `token` if it is neither expired nor revoked and its account is active; else None."""
    row = session.execute(
        select(WebSession, User)
        .join(User, User.id == WebSession.user_id)
        .where(WebSession.id == session_id(token), WebSession.revoked_at.is_(None), User.active.is_(True))
    ).first()
    if row is None:
        return None
    web, user = row
    expires = web.expires_at if web.expires_at.tzinfo else web.expires_at.replace(tzinfo=dt.UTC)  # SQLite: naive
    if expires <= _now():
        return None
    try:
        data = json.loads(web.data or "{}")
    except ValueError:
        data = {}
    return OpenSession(web.id, Account.of(user), data if isinstance(data, dict) else {})


def save_data(session: Session, sid: str, data: dict[str, Any]) -> None:
    text = json.dumps(data, ensure_ascii=False)
    if len(text.encode()) > MAX_DATA:
        text = "{}"  # one-time messages only: dropping them loses nothing stored
    session.execute(update(WebSession).where(WebSession.id == sid).values(data=text))


def revoke(session: Session, sid: str) -> None:
    session.execute(
        update(WebSession).where(WebSession.id == sid, WebSession.revoked_at.is_(None)).values(revoked_at=_now())
    )


def sweep_sessions(session: Session) -> None:
    """Forget sessions ended a day ago or more (logged out, revoked, expired)."""
    before = _now() - dt.timedelta(days=1)
    session.execute(delete(WebSession).where((WebSession.expires_at < before) | (WebSession.revoked_at < before)))


# --- failed logins -------------------------------------------------------------------------------------------


def recent_failures(session: Session, kind: str, key: str, since: float, limit: int) -> list[float]:
    """The times of the last `limit` failures of `key` after `since`, newest first."""
    query = (
        select(LoginFailure.at)
        .where(LoginFailure.kind == kind, LoginFailure.key == key, LoginFailure.at > since)
        .order_by(LoginFailure.at.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


def add_failure(session: Session, kind: str, key: str, at: float, *, forget_before: float) -> None:
    session.add(LoginFailure(kind=kind, key=key[:200], at=at))
    # Failures older than the window are of no use: dropped as new ones come, so the table stays small.
    session.execute(delete(LoginFailure).where(LoginFailure.at <= forget_before))


def clear_failures(session: Session, kind: str, key: str) -> None:
    session.execute(delete(LoginFailure).where(LoginFailure.kind == kind, LoginFailure.key == key))


# --- the secret key --------------------------------------------------------------------------------------------


def shared_secret(session: Session) -> str:
    """The installation's secret key, created on first use; every worker gets the same one."""
    found = session.get(AppSecret, SECRET_NAME)
    if found is not None:
        return found.value
    try:
        with session.begin_nested():
            session.add(AppSecret(name=SECRET_NAME, value=secrets.token_urlsafe(48), created_at=_now()))
    except IntegrityError:  # another worker created it first: use theirs
        pass
    return session.get(AppSecret, SECRET_NAME, populate_existing=True).value  # type: ignore[union-attr]

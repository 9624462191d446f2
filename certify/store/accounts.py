"""Local accounts: who may log in to the web application, with which role (and, for unit editors, which unit).

Passwords are hashed with argon2id here; the web app imports these helpers (one copy only).
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import re
import secrets
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import Boolean, DateTime, ForeignKey, String, Text, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from certify.errors import CertifyError
from certify.store import audit
from certify.store.models import AdminUnit, Base


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


_hasher = PasswordHasher()  # argon2-cffi's defaults follow RFC 9106's recommended profile
MIN_PASSWORD = 12
_USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{1,79}$")


class Role(StrEnum):
    UNIT_EDITOR = "unit_editor"  # bound to one unit code
    PROVINCE_APPRAISER = "province_appraiser"
    PROVINCE_ADMIN = "province_admin"
    PUBLIC_VIEWER = "public_viewer"


ROLE_VI: dict[Role, str] = {
    Role.UNIT_EDITOR: "cán bộ đơn vị",
    Role.PROVINCE_APPRAISER: "thẩm định viên tỉnh",
    Role.PROVINCE_ADMIN: "quản trị tỉnh",
    Role.PUBLIC_VIEWER: "người xem",
}


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    """True when the parameters changed since the hash was made: rehash at the next login."""
    return _hasher.check_needs_rehash(stored)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(24))
    unit_code: Mapped[str | None] = mapped_column(String(8))
    full_name: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)


class WebSession(Base):
    """A login session (`certify.store.web_sessions`): the browser holds a token, this row the token's SHA-256."""

    __tablename__ = "web_session"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    data: Mapped[str] = mapped_column(Text, default="{}")


def revoke_user(session: Session, user_id: int) -> int:
    """End every open session of an account (disabled, password reset); returns how many."""
    open_ones = (WebSession.user_id == user_id) & WebSession.revoked_at.is_(None)
    result = session.execute(update(WebSession).where(open_ones).values(revoked_at=_now()))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Account:
    """What the web app keeps of a logged-in user (never the hash)."""

    username: str
    role: Role
    unit_code: str | None = None
    full_name: str | None = None
    active: bool = True
    # Changes whenever the password does: a session remembers the stamp it was opened with, so a password
    # reset ends the sessions opened with the old password (someone who stole it is out too).
    stamp: str = ""

    @classmethod
    def of(cls, u: User) -> Account:
        return cls(u.username, Role(u.role), u.unit_code, u.full_name, bool(u.active), session_stamp(u.password_hash))


def session_stamp(password_hash: str) -> str:
    """A short digest of the argon2 hash: safe in a readable (signed, not encrypted) cookie, useless for cracking."""
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]


def _role(role: str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise CertifyError.one(
            "unknown-role",
            f"Vai trò không hợp lệ: {role}",
            f"Unknown role: {role}",
            path=("role",),
            expected=" | ".join(r.value for r in Role),
            found=role,
        ) from None


def check_password(password: str, username: str) -> None:
    """The password policy of every path that sets a password (CLI add and reset, the admin's page, a user's
    own change): at least `MIN_PASSWORD` characters, not containing the username, not only digits and signs,
    not a common password (the bundled list, also with digits or signs added around it). Refused with the
    reason, in both languages."""
    if len(password) < MIN_PASSWORD:
        raise _weak(
            f"Mật khẩu phải có ít nhất {MIN_PASSWORD} ký tự (đang có {len(password)})",
            f"The password needs at least {MIN_PASSWORD} characters (it has {len(password)})",
            f">= {MIN_PASSWORD}",
            str(len(password)),
        )
    lowered = password.casefold()
    if username and len(username) >= 3 and username.casefold() in lowered:
        raise _weak(
            "Mật khẩu không được chứa tên đăng nhập",
            "The password must not contain the username",
            "no username inside",
            None,  # never the password, nor part of it
        )
    core = lowered.strip(_AROUND)
    if not core:
        raise _weak(
            "Mật khẩu không được chỉ gồm chữ số và ký hiệu (dễ đoán như số điện thoại, ngày sinh)",
            "The password must not be only digits and signs (as guessable as a phone number or a birthday)",
            "letters",
            None,
        )
    if lowered in common_passwords() or (len(core) >= 4 and core in common_passwords()):
        raise _weak(
            "Mật khẩu này quá phổ biến (có trong danh sách mật khẩu hay bị dò): hãy chọn một cụm từ dài, khó đoán",
            "This password is too common (it is on the list of passwords tried first): choose a long phrase "
            "nobody would guess",
            "not a common password",
            None,
        )


_AROUND = "0123456789 !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
COMMON_PASSWORDS = Path(__file__).parent / "data" / "common-passwords.txt.gz"


@cache
def common_passwords() -> frozenset[str]:
    """The bundled list of common passwords (certify/store/data/README.md says where it comes from)."""
    with gzip.open(COMMON_PASSWORDS, "rt", encoding="utf-8") as fh:
        return frozenset(line.strip() for line in fh if line.strip())


def _refused(password: str, username: str) -> bool:
    try:
        check_password(password, username)
    except CertifyError:
        return True
    return False


def _weak(vi: str, en: str, expected: str, found: str | None) -> CertifyError:
    return CertifyError.one("weak-password", vi, en, path=("password",), expected=expected, found=found)


def add_user(
    session: Session,
    username: str,
    role: str,
    password: str,
    *,
    unit_code: str | None = None,
    full_name: str | None = None,
    actor: str,
) -> Account:
    r = _role(role)
    if not _USERNAME.match(username):
        raise CertifyError.one(
            "bad-username",
            "Tên đăng nhập không hợp lệ",
            "Invalid username",
            path=("username",),
            expected="2-80 chữ, số, . _ @ -",
            found=username[:80],
        )
    if r is Role.UNIT_EDITOR and not unit_code:
        raise CertifyError.one(
            "unit-required",
            "Cán bộ đơn vị phải gắn với một mã đơn vị",
            "A unit editor needs a unit code",
            path=("unit",),
            expected="--unit CODE",
            found="",
        )
    if r is not Role.UNIT_EDITOR and unit_code:
        raise CertifyError.one(
            "unit-not-allowed",
            "Chỉ cán bộ đơn vị mới gắn với mã đơn vị",
            "Only unit editors are bound to a unit",
            path=("unit",),
            found=unit_code,
        )
    if (
        unit_code is not None
        and session.execute(select(AdminUnit.id).where(AdminUnit.code == unit_code).limit(1)).first() is None
    ):
        raise CertifyError.one(
            "unknown-unit",
            f"Không có đơn vị hành chính mã {unit_code}",
            f"No administrative unit with code {unit_code}",
            path=("unit",),
            expected="mã đơn vị đã nạp / a loaded unit code (certify units load)",
            found=unit_code[:80],
        )
    check_password(password, username)
    if find_user(session, username) is not None:
        raise CertifyError.one(
            "user-exists",
            f"Tài khoản «{username}» đã tồn tại",
            f"User '{username}' exists",
            path=("username",),
            found=username,
        )
    user = User(
        username=username,
        password_hash=hash_password(password),
        role=r.value,
        unit_code=unit_code,
        full_name=full_name,
        active=True,
    )
    session.add(user)
    session.flush()
    audit.record(
        session,
        actor,
        "create",
        "user",
        user.id,
        field="role",
        new={"username": username, "role": r.value, "unit": unit_code},
    )
    return Account.of(user)


def find_user(session: Session, username: str) -> User | None:
    return session.scalars(select(User).where(User.username == username)).first()


def _existing(session: Session, username: str) -> User:
    user = find_user(session, username)
    if user is None:
        raise CertifyError.one(
            "unknown-user",
            f"Không có tài khoản «{username}»",
            f"No user '{username}'",
            path=("username",),
            found=username,
        )
    return user


def set_active(session: Session, username: str, active: bool, *, actor: str) -> Account:
    """Disable or enable an account; a disabled one can neither log in nor use a session it already has."""
    user = _existing(session, username)
    if bool(user.active) == active:
        return Account.of(user)  # nothing changes: no audit row
    if not active:
        if username == actor:
            raise CertifyError.one(
                "disable-self",
                "Không thể tự khóa tài khoản của chính mình",
                "You cannot disable your own account",
                path=("username",),
                found=username,
            )
        if user.role == Role.PROVINCE_ADMIN.value:
            # Locking the admin rows makes two admins disabling each other at once wait for one another
            # (PostgreSQL), instead of both seeing two admins and leaving none.
            admins = session.scalars(
                select(User.id).where(User.role == Role.PROVINCE_ADMIN.value, User.active.is_(True)).with_for_update()
            ).all()
            if len(admins) <= 1:
                raise CertifyError.one(
                    "last-admin",
                    "Không thể khóa quản trị tỉnh cuối cùng còn hoạt động",
                    "You cannot disable the last active province admin",
                    path=("username",),
                    found=username,
                )
    user.active = active
    if not active:
        revoke_user(session, user.id)
    audit.record(
        session, actor, "enable" if active else "disable", "user", user.id, field="active", old=not active, new=active
    )
    return Account.of(user)


# Lower-case letters and digits without the look-alikes (0/o, 1/l/i): read out over the phone or copied
# from a screen without mistakes; 16 of 31 symbols is ~79 bits, far beyond guessing behind the login limit.
_TEMP_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def temporary_password() -> str:
    chars = "".join(secrets.choice(_TEMP_ALPHABET) for _ in range(16))
    return "-".join(chars[i : i + 4] for i in range(0, 16, 4))


def reset_password(session: Session, username: str, *, actor: str, new_password: str | None = None) -> str:
    """Set a new password (a generated temporary one unless given) and return it, to be shown once."""
    user = _existing(session, username)
    password = new_password if new_password is not None else temporary_password()
    while new_password is None and _refused(password, username):  # a generated one that happens to hold the name
        password = temporary_password()
    check_password(password, username)
    user.password_hash = hash_password(password)
    revoke_user(session, user.id)  # whoever was logged in with the old password is out
    # The audit row says that it happened and who did it, never the password or its hash.
    audit.record(
        session, actor, "reset-password", "user", user.id, field="password", new={"generated": new_password is None}
    )
    return password


def change_password(session: Session, username: str, current: str, new: str) -> Account | None:
    """A user's own change: None when `current` is not their password (nothing changes); otherwise the new
    one must pass the policy, and every session of the account ends (the caller opens a new one)."""
    user = find_user(session, username)
    if user is None or not user.active or not verify_password(user.password_hash, current):
        return None
    check_password(new, username)
    user.password_hash = hash_password(new)
    revoke_user(session, user.id)
    audit.record(session, username, "change-password", "user", user.id, field="password", new={"by": "self"})
    return Account.of(user)


def list_users(session: Session) -> list[Account]:
    return [Account.of(u) for u in session.scalars(select(User).order_by(User.username))]


def authenticate(session: Session, username: str, password: str) -> Account | None:
    """The account if the password matches an active user; rehashes when argon2's parameters changed."""
    user = find_user(session, username)
    if user is None:
        verify_password(_dummy_hash(), password)  # same work whether or not the user exists
        return None
    if not user.active or not verify_password(user.password_hash, password):
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return Account.of(user)


@cache
def _dummy_hash() -> str:
    """A hash to check an unknown user's password against. Made on the first failed login, not at import: an
    argon2 hash costs a second of CPU on a slow machine, and every command and web worker imports this module."""
    return hash_password("not a password of anyone")

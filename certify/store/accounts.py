"""Local accounts: who may log in to the web application, with which role (and, for unit editors, which unit).

Passwords are hashed with argon2id here; the web app imports these helpers (one copy only).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import Boolean, DateTime, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from certify.errors import CertifyError
from certify.store import audit
from certify.store.models import Base


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


_hasher = PasswordHasher()  # argon2-cffi's defaults follow RFC 9106's recommended profile
MIN_PASSWORD = 8
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


@dataclass(frozen=True)
class Account:
    """What the web app keeps of a logged-in user (never the hash)."""

    username: str
    role: Role
    unit_code: str | None = None
    full_name: str | None = None

    @classmethod
    def of(cls, u: User) -> Account:
        return cls(u.username, Role(u.role), u.unit_code, u.full_name)


def _role(role: str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise CertifyError.one("unknown-role", f"Vai trò không hợp lệ: {role}", f"Unknown role: {role}",
                               path=("role",), expected=" | ".join(r.value for r in Role), found=role) from None


def add_user(session: Session, username: str, role: str, password: str, *, unit_code: str | None = None,
             full_name: str | None = None, actor: str) -> Account:
    r = _role(role)
    if not _USERNAME.match(username):
        raise CertifyError.one("bad-username", "Tên đăng nhập không hợp lệ", "Invalid username", path=("username",),
                               expected="2-80 chữ, số, . _ @ -", found=username[:80])
    if r is Role.UNIT_EDITOR and not unit_code:
        raise CertifyError.one("unit-required", "Cán bộ đơn vị phải gắn với một mã đơn vị",
                               "A unit editor needs a unit code", path=("unit",), expected="--unit CODE", found="")
    if r is not Role.UNIT_EDITOR and unit_code:
        raise CertifyError.one("unit-not-allowed", "Chỉ cán bộ đơn vị mới gắn với mã đơn vị",
                               "Only unit editors are bound to a unit", path=("unit",), found=unit_code)
    if len(password) < MIN_PASSWORD:
        raise CertifyError.one("weak-password", f"Mật khẩu phải có ít nhất {MIN_PASSWORD} ký tự",
                               f"The password needs at least {MIN_PASSWORD} characters", path=("password",),
                               expected=f">= {MIN_PASSWORD}", found=str(len(password)))
    if find_user(session, username) is not None:
        raise CertifyError.one("user-exists", f"Tài khoản «{username}» đã tồn tại", f"User '{username}' exists",
                               path=("username",), found=username)
    user = User(username=username, password_hash=hash_password(password), role=r.value, unit_code=unit_code,
                full_name=full_name, active=True)
    session.add(user)
    session.flush()
    audit.record(session, actor, "create", "user", user.id, field="role",
                 new={"username": username, "role": r.value, "unit": unit_code})
    return Account.of(user)


def find_user(session: Session, username: str) -> User | None:
    return session.scalars(select(User).where(User.username == username)).first()


def list_users(session: Session) -> list[Account]:
    return [Account.of(u) for u in session.scalars(select(User).order_by(User.username))]


def authenticate(session: Session, username: str, password: str) -> Account | None:
    """The account if the password matches an active user; rehashes when argon2's parameters changed."""
    user = find_user(session, username)
    if user is None:
        verify_password(_DUMMY, password)  # same work whether or not the user exists
        return None
    if not user.active or not verify_password(user.password_hash, password):
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return Account.of(user)


_DUMMY = hash_password("not a password of anyone")

"""Password hashing for local accounts (argon2id): the one implementation lives in `certify.store.accounts`."""

from __future__ import annotations

from certify.store.accounts import hash_password, needs_rehash, verify_password

__all__ = ["hash_password", "needs_rehash", "verify_password"]

"""Password hashing (argon2id) and generated passwords.

Its own module so that `storage.crud` can hash without importing the session code in
`auth`, which itself writes through crud.
"""
from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from app.accounts import password_rule

_hasher = PasswordHasher()
# Verified when the user does not exist, so a login takes as long for unknown names.
DUMMY_HASH = _hasher.hash("spielraum-dummy-password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def generate_password(username: str = "") -> str:
    """A random password that satisfies the password rule."""
    return password_rule.generate_password(username)

"""API keys IT enters in the browser: sealed with Fernet, opened only at call time.

The Fernet key is derived with HKDF-SHA256 from `SPIELRAUM_CONFIG_SECRET_KEY`, or, when that
is unset, from the app's secret key (`SPIELRAUM_SECRET_KEY` or the generated one in the data
folder). Deriving (instead of using the setting as a Fernet key directly) lets any long random
string serve, and keeps the session-signing key and the key-sealing key apart even when they
come from the same secret. Changing the secret makes stored keys unreadable: the model then
answers "key rejected" and IT enters the key again.

A sealed key is opened only inside the key source handed to the model spec, i.e. at the moment
litellm sends the request; it is never logged, never in a repr, never in an error message.
"""
from __future__ import annotations

import base64
import logging
from collections.abc import Callable

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from app.settings import Settings

log = logging.getLogger("spielraum.models")

_INFO = b"spielraum/model-api-keys/v1"


def _fernet_key(secret: str) -> bytes:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(secret.encode("utf-8"))
    return base64.urlsafe_b64encode(derived)


class KeyCipher:
    def __init__(self, secret: str) -> None:
        self._fernet = Fernet(_fernet_key(secret))

    def seal(self, api_key: str) -> str:
        return self._fernet.encrypt(api_key.encode("utf-8")).decode("ascii")

    def open(self, sealed: str) -> str | None:
        """The key, or None when it was sealed under another secret (logged without content)."""
        try:
            return self._fernet.decrypt(sealed.encode("ascii")).decode("utf-8")
        except (InvalidToken, ValueError, UnicodeError):
            log.warning("model_key.unreadable")
            return None

    def source(self, sealed: str) -> Callable[[], str | None]:
        """A key source for `ModelSpec.with_key_source`: opens the sealed key when called."""
        return lambda: self.open(sealed)

    def __repr__(self) -> str:
        return "KeyCipher(<hidden>)"


def cipher_from_settings(settings: Settings) -> KeyCipher:
    from app.accounts.auth import session_secret

    return KeyCipher(settings.config_secret_key or session_secret(settings))

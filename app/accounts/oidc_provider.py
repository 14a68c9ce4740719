"""Talking to the OpenID Connect provider: discovery, keys, the code exchange, the ID token.

The provider is a service the operator configured (SPIELRAUM_OIDC_ISSUER), asked when a
sign-in starts, never at start-up: the app starts while the provider is down and the login
page then says single sign-on is unavailable. The discovery document and the key set are
cached for `oidc_metadata_ttl_seconds`; a failure is remembered for a short while, so a
provider that is down does not make every login page wait for a timeout. An ID token signed
with a key id we do not know fetches the key set once more (the provider rotated its keys).

Authlib does the protocol: the authorization URL with the PKCE S256 challenge, the token
request with the code verifier and client authentication, and the ID token claims checks
(`CodeIDToken`: iss, aud, exp, iat, nonce, azp, at_hash) on a signature joserfc verified.
"""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import Any

import httpx2
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.httpx_client import OAuth2Client
from authlib.oidc.core import CodeIDToken
from joserfc import jwt
from joserfc.errors import ExpiredTokenError, InvalidKeyIdError, JoseError, MissingClaimError
from joserfc.jwk import KeySet
from joserfc.jws import JWSRegistry

from app.settings import Settings

log = logging.getLogger("spielraum.oidc")

FAILURE_MEMORY_SECONDS = 30
# Clocks drift; a minute of leeway for exp/iat/nbf, as most relying parties allow.
CLOCK_LEEWAY_SECONDS = 60


class OidcUnavailable(Exception):
    """The provider could not be reached or answered nonsense: try again later."""


class OidcRefused(Exception):
    """The provider's answer fails a check; `reason` is a stable code for the message."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


@dataclass
class _Cached:
    value: dict[str, Any] | None
    until: float
    failed: bool = False
    reason: str = ""  # a refusal (wrong issuer) rather than an outage


class OidcProvider:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        # Compared as exact strings, as OpenID Connect demands (a trailing slash matters).
        self.issuer = settings.oidc_issuer
        self._lock = threading.Lock()
        self._metadata: _Cached | None = None
        self._jwks: _Cached | None = None

    # -- discovery and keys ---------------------------------------------------------------
    def _get_json(self, url: str) -> dict[str, Any]:
        try:
            response = httpx2.get(url, timeout=self.settings.oidc_timeout_seconds, follow_redirects=False)
            response.raise_for_status()
            data = response.json()
        except (httpx2.HTTPError, ValueError) as exc:
            log.warning("oidc.provider_unreachable", extra={"error": type(exc).__name__})
            raise OidcUnavailable() from None
        if not isinstance(data, dict):
            raise OidcUnavailable()
        return data

    def metadata(self) -> dict[str, Any]:
        """The discovery document, checked to be the configured issuer's own."""
        now = time.monotonic()
        with self._lock:
            cached = self._metadata
        if cached is not None and now < cached.until:
            if cached.failed:
                raise OidcRefused(cached.reason) if cached.reason else OidcUnavailable()
            return cached.value  # type: ignore[return-value]
        url = self.issuer.rstrip("/") + "/.well-known/openid-configuration"
        try:
            data = self._get_json(url)
            missing = [k for k in ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri") if not data.get(k)]
            if missing:
                log.warning("oidc.discovery_incomplete", extra={"missing": missing})
                raise OidcUnavailable()
        except OidcUnavailable:
            with self._lock:
                self._metadata = _Cached(None, now + FAILURE_MEMORY_SECONDS, failed=True)
            raise
        if data["issuer"] != self.issuer:
            # OpenID Connect Discovery 1.0, section 4.3: the document must name the issuer we asked.
            log.warning("oidc.discovery_wrong_issuer")
            with self._lock:
                self._metadata = _Cached(None, now + FAILURE_MEMORY_SECONDS, failed=True, reason="wrong_issuer")
            raise OidcRefused("wrong_issuer")
        with self._lock:
            self._metadata = _Cached(data, now + self.settings.oidc_metadata_ttl_seconds)
        return data

    def available(self) -> bool:
        try:
            self.metadata()
        except (OidcUnavailable, OidcRefused):
            return False
        return True

    def key_set(self, *, force: bool = False) -> KeySet:
        now = time.monotonic()
        with self._lock:
            cached = self._jwks
        if force or cached is None or now >= cached.until or cached.failed:
            data = self._get_json(self.metadata()["jwks_uri"])
            cached = _Cached(data, now + self.settings.oidc_metadata_ttl_seconds)
            with self._lock:
                self._jwks = cached
        try:
            return KeySet.import_key_set(cached.value)  # type: ignore[arg-type]
        except (JoseError, ValueError, KeyError, TypeError):
            raise OidcUnavailable() from None

    # -- the flow -------------------------------------------------------------------------
    def _client(self, redirect_uri: str) -> OAuth2Client:
        return OAuth2Client(
            client_id=self.settings.oidc_client_id, client_secret=self.settings.oidc_client_secret or None,
            token_endpoint_auth_method="client_secret_basic" if self.settings.oidc_client_secret else "none",
            scope=self.settings.oidc_scopes, redirect_uri=redirect_uri, code_challenge_method="S256",
            timeout=self.settings.oidc_timeout_seconds)

    def authorization_url(self, *, redirect_uri: str, state: str, nonce: str, code_verifier: str) -> str:
        endpoint = self.metadata()["authorization_endpoint"]
        with self._client(redirect_uri) as client:
            url, _ = client.create_authorization_url(endpoint, state=state, code_verifier=code_verifier, nonce=nonce)
        return url

    def exchange_code(self, *, code: str, redirect_uri: str, code_verifier: str) -> dict[str, Any]:
        """The token response for the code; OidcRefused when the provider rejects it."""
        endpoint = self.metadata()["token_endpoint"]
        try:
            with self._client(redirect_uri) as client:
                token = client.fetch_token(endpoint, grant_type="authorization_code", code=code,
                                           code_verifier=code_verifier)
        except AuthlibBaseError as exc:
            log.warning("oidc.code_rejected", extra={"error": getattr(exc, "error", "")})
            raise OidcRefused("code_rejected") from None
        except (httpx2.HTTPError, ValueError):
            raise OidcUnavailable() from None
        if not token.get("id_token"):
            raise OidcRefused("no_id_token")
        return dict(token)

    def validate_id_token(self, token: dict[str, Any], *, nonce: str) -> dict[str, Any]:
        """The ID token's claims after the signature and every claim check passed."""
        metadata = self.metadata()
        algorithms = [a for a in metadata.get("id_token_signing_alg_values_supported") or ["RS256"]
                      if a != "none" and not a.startswith("HS")] or ["RS256"]
        registry = JWSRegistry(algorithms=algorithms, strict_check_header=False)
        try:
            try:
                decoded = jwt.decode(token["id_token"], self.key_set(), registry=registry)
            except InvalidKeyIdError:
                decoded = jwt.decode(token["id_token"], self.key_set(force=True), registry=registry)
        except JoseError as exc:
            log.warning("oidc.bad_signature", extra={"error": type(exc).__name__})
            raise OidcRefused("bad_signature") from None
        options = {"iss": {"essential": True, "value": self.issuer},
                   "aud": {"essential": True, "value": self.settings.oidc_client_id}}
        params = {"nonce": nonce, "client_id": self.settings.oidc_client_id}
        if token.get("access_token"):
            params["access_token"] = token["access_token"]
        claims = CodeIDToken(decoded.claims, decoded.header, options, params)
        try:
            claims.validate(leeway=CLOCK_LEEWAY_SECONDS)
        except JoseError as exc:
            reason = _claim_reason(exc)
            log.warning("oidc.claims_rejected", extra={"reason": reason})
            raise OidcRefused(reason) from None
        if not isinstance(claims.get("sub"), str) or not claims["sub"]:
            raise OidcRefused("bad_claims")
        return dict(claims)


def _claim_reason(exc: JoseError) -> str:
    if isinstance(exc, ExpiredTokenError):
        return "expired"
    claim = getattr(exc, "claim", "")
    if isinstance(exc, MissingClaimError):
        return {"iss": "wrong_issuer", "nonce": "bad_nonce", "aud": "wrong_audience"}.get(claim, "bad_claims")
    return {"iss": "wrong_issuer", "nonce": "bad_nonce", "aud": "wrong_audience", "azp": "wrong_audience",
            "exp": "expired", "iat": "not_yet_valid", "nbf": "not_yet_valid"}.get(claim, "bad_claims")

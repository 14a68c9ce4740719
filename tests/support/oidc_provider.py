"""A small OpenID Connect provider for tests, served over real HTTP on 127.0.0.1.

It does what Keycloak or Entra ID do for a confidential client, no more: the discovery
document, the key set (an RSA key generated per run), an authorize endpoint that approves
the configured test person at once (checking client, redirect URI and the PKCE S256
challenge), and a token endpoint that checks the client secret and the code verifier before
it signs an ID token. `TestProvider.person` and the knobs (`token_issuer`, `token_lifetime`,
`deny`) let a test shape the next answer, e.g. an ID token from a wrong issuer or one that
has already expired.
"""
from __future__ import annotations

import base64
import hashlib
import secrets
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

CLIENT_ID = "spielraum-test"
CLIENT_SECRET = "test-client-secret-0123456789"


@dataclass
class TestProvider:
    __test__ = False  # not a pytest class

    issuer: str = ""
    person: dict[str, Any] = field(default_factory=lambda: {
        "sub": "0f3c-4711", "preferred_username": "mara.sso", "email": "mara@example.org",
        "realm_access": {"roles": ["spielraum-user"]}, "groups": ["/Sozialamt"]})
    # Knobs for the next tokens: None means "correct".
    token_issuer: str | None = None
    token_lifetime: int = 300
    token_audience: str | None = None
    deny: bool = False
    token_nonce: str | None = None
    forged_key: RSAKey | None = None  # signs with this key under the published key's id
    drop_claims: tuple[str, ...] = ()
    key: RSAKey = field(default_factory=lambda: RSAKey.generate_key(2048, parameters={"kid": "test-key-1"}))
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    token_requests: list[dict[str, str]] = field(default_factory=list)
    discovery_hits: int = 0

    def rotate_key(self, kid: str) -> None:
        self.key = RSAKey.generate_key(2048, parameters={"kid": kid})

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.get("/.well-known/openid-configuration")
        def discovery() -> dict[str, Any]:
            self.discovery_hits += 1
            return {"issuer": self.issuer, "authorization_endpoint": f"{self.issuer}/authorize",
                    "token_endpoint": f"{self.issuer}/token", "jwks_uri": f"{self.issuer}/jwks",
                    "response_types_supported": ["code"], "subject_types_supported": ["public"],
                    "id_token_signing_alg_values_supported": ["RS256"],
                    "code_challenge_methods_supported": ["S256"],
                    "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"]}

        @app.get("/jwks")
        def jwks() -> dict[str, Any]:
            return KeySet([self.key]).as_dict(private=False)

        @app.get("/authorize")
        def authorize(request: Request):
            q = request.query_params
            problems = []
            if q.get("client_id") != CLIENT_ID:
                problems.append("client_id")
            if q.get("response_type") != "code":
                problems.append("response_type")
            if q.get("code_challenge_method") != "S256" or not q.get("code_challenge"):
                problems.append("pkce")
            if "openid" not in (q.get("scope") or "").split():
                problems.append("scope")
            if not q.get("redirect_uri") or not q.get("state") or not q.get("nonce"):
                problems.append("redirect_uri/state/nonce")
            if problems:
                return JSONResponse({"error": "invalid_request", "problems": problems}, status_code=400)
            if self.deny:
                return RedirectResponse(f"{q['redirect_uri']}?{urlencode({'error': 'access_denied', 'state': q['state']})}",
                                        status_code=302)
            code = secrets.token_urlsafe(24)
            self.codes[code] = {"challenge": q["code_challenge"], "nonce": q["nonce"],
                                "redirect_uri": q["redirect_uri"], "person": dict(self.person)}
            return RedirectResponse(f"{q['redirect_uri']}?{urlencode({'code': code, 'state': q['state']})}",
                                    status_code=302)

        @app.post("/token")
        def token(request: Request, grant_type: str = Form(""), code: str = Form(""), redirect_uri: str = Form(""),
                  code_verifier: str = Form(""), client_id: str = Form(""), client_secret: str = Form("")):
            self.token_requests.append({"grant_type": grant_type, "has_verifier": str(bool(code_verifier))})
            if not _client_ok(request, client_id, client_secret):
                return JSONResponse({"error": "invalid_client"}, status_code=401)
            grant = self.codes.pop(code, None)  # a code is used once
            if grant_type != "authorization_code" or grant is None or redirect_uri != grant["redirect_uri"]:
                return JSONResponse({"error": "invalid_grant"}, status_code=400)
            challenge = base64.urlsafe_b64encode(hashlib.sha256(code_verifier.encode()).digest()).rstrip(b"=").decode()
            if not code_verifier or challenge != grant["challenge"]:
                return JSONResponse({"error": "invalid_grant", "error_description": "PKCE verification failed"},
                                    status_code=400)
            now = int(time.time())
            claims = {**grant["person"], "iss": self.token_issuer or self.issuer,
                      "aud": self.token_audience or CLIENT_ID, "iat": now - 5,
                      "exp": now + self.token_lifetime, "nonce": self.token_nonce or grant["nonce"]}
            for name in self.drop_claims:
                claims.pop(name, None)
            id_token = jwt.encode({"alg": "RS256", "kid": self.key.kid}, claims, self.forged_key or self.key)
            return {"access_token": secrets.token_urlsafe(24), "token_type": "Bearer", "expires_in": 300,
                    "id_token": id_token}

        return app


def _client_ok(request: Request, client_id: str, client_secret: str) -> bool:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("basic "):
        try:
            client_id, _, client_secret = base64.b64decode(header[6:]).decode().partition(":")
        except ValueError:
            return False
    return client_id == CLIENT_ID and secrets.compare_digest(client_secret, CLIENT_SECRET)

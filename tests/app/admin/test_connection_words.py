"""What „Verbindung testen" says for each kind of failure: what IT should check, in words."""
from __future__ import annotations

import pytest

from app.admin.connection_test import explain
from providers import UpstreamMalformed, UpstreamRejected, UpstreamTimeout, UpstreamUnavailable


def _unreachable():
    error = UpstreamUnavailable("x", upstream_status=500)
    error.unreachable = True
    return error


@pytest.mark.parametrize("error, german, english", [
    (UpstreamTimeout("x"), "nicht rechtzeitig geantwortet", "did not answer in time"),
    (UpstreamRejected("x", upstream_status=401), "API-Schlüssel abgelehnt (HTTP 401)", "rejected the API key"),
    (UpstreamRejected("x", upstream_status=403), "API-Schlüssel abgelehnt (HTTP 403)", "rejected the API key"),
    (UpstreamRejected("x", upstream_status=404), "Modellbezeichnung (litellm) und die Adresse", "model string"),
    (UpstreamRejected("x", upstream_status=429, reason="rate_limited"), "Verbindung selbst funktioniert",
     "connection itself works"),
    (UpstreamRejected("x", upstream_status=400), "Anfrage abgelehnt (HTTP 400)", "rejected the request"),
    (UpstreamMalformed("x"), "OpenAI-kompatibler Endpunkt", "OpenAI-compatible endpoint"),
    (UpstreamUnavailable("x", upstream_status=502), "meldet einen Fehler (HTTP 502)", "reports an error"),
    (_unreachable(), "nicht erreichbar", "cannot be reached"),
    (UpstreamUnavailable("x"), "nicht erreichbar", "cannot be reached"),
])
def test_each_failure_is_explained(error, german, english):
    de, en = explain(error)
    assert german in de and english in en

"""SECRET: credentials are found with high precision and masked, never restored."""
from __future__ import annotations

import pytest

from guardrails import Action, GuardPolicy, Vault, restore_text
from guardrails.recognizers.generic.secret_recognizer import SecretRecognizer

JWT = ("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6Ik1heCJ9."
       "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c")
PEM = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAv1x\nQk3n9Zt0a\n-----END RSA PRIVATE KEY-----"


@pytest.mark.parametrize("text,secret", [
    ("Mein Key: sk-proj-abcDEF1234567890abcdefGHIJ, bitte prüfen", "sk-proj-abcDEF1234567890abcdefGHIJ"),
    ("OPENAI_API_KEY=sk-abcdefghijklmnopqrstuvwxyz0123456789ABCD", "sk-abcdefghijklmnopqrstuvwxyz0123456789ABCD"),
    ("token ghp_0123456789abcdefghijABCDEFGHIJ012345 im Skript", "ghp_0123456789abcdefghijABCDEFGHIJ012345"),
    ("github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz", "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz"),
    ("aws_access_key_id = AKIAIOSFODNN7EXAMPLE", "AKIAIOSFODNN7EXAMPLE"),
    ("Slack: xoxb-123456789012-abcdefABCDEF", "xoxb-123456789012-abcdefABCDEF"),
    ("key=AIzaSyA1234567890abcdefghijklmnopqrstuv", "AIzaSyA1234567890abcdefghijklmnopqrstuv"),
    (f"Authorization: Bearer {JWT}", JWT),
    ("curl -H 'Authorization: Bearer abcdef0123456789abcdef' https://api", "abcdef0123456789abcdef"),
    ("Passwort: Sommer2024!", "Sommer2024!"),
    ("Das Kennwort lautet: Xy7#kLm9", "Xy7#kLm9"),
    ("password=hunter2", "hunter2"),
    ('Initialpasswort: "Start123"', "Start123"),
    (f"Schlüssel:\n{PEM}\nEnde", PEM),
])
def test_secrets_are_found_whole(text, secret):
    found = list(SecretRecognizer().candidates(text))
    start = text.index(secret)
    assert [(c.start, c.end) for c in found] == [(start, start + len(secret))]


@pytest.mark.parametrize("text", [
    "Ich habe mein Passwort vergessen, was tun?",
    "Passwort: vergessen",
    "Das Token-System der Bahn ist neu.",
    "Eine task-based Evaluation mit sk-Werten",
    "Die Skizze skizziert AKIA nicht.",
    "Bitte das Kennwort ändern lassen.",
    "Der Bearer-Scheck wurde eingelöst.",
    "Bei Fragen zu Passwort-Richtlinien wenden Sie sich an die IT.",
])
def test_ordinary_text_is_no_secret(text):
    assert list(SecretRecognizer().candidates(text)) == []


def test_secrets_are_masked_by_default_and_never_restored(guard):
    vault = Vault()
    result = guard.scan_prompt("Mein Passwort: Sommer2024! und Key sk-proj-abcDEF1234567890abcdefGHIJ", vault, "de")
    assert "Sommer2024" not in result.text and "abcDEF" not in result.text and "!" not in result.text
    assert {f.action for f in result.findings if f.entity_type == "SECRET"} == {"mask"}
    assert len(vault) == 0
    assert "Sommer2024" not in restore_text(result.text, vault)


def test_policy_can_still_choose_for_secrets():
    assert GuardPolicy().action_for("SECRET") is Action.MASK
    assert GuardPolicy(default_action=Action.BLOCK).action_for("SECRET") is Action.BLOCK
    assert GuardPolicy(actions={"SECRET": Action.BLOCK}).action_for("SECRET") is Action.BLOCK
    assert GuardPolicy.from_mapping({"actions": {"secret": "block"}}).action_for("SECRET") is Action.BLOCK

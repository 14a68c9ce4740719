"""Helpers shared by the browser tests: how to start chromium, sign in and send a prompt."""
from __future__ import annotations

import os
import shutil
import socket
from dataclasses import dataclass
from pathlib import Path

CHROMIUM = os.environ.get("SPIELRAUM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
PASSWORD = "Sehr-geheimes-Passwort-1"

# Personal data planted in prompts: none of it may reach the model.
NAME = "Anna Schneider"
IBAN = "DE89 3704 0044 0532 0130 00"
PHONE = "+49 30 12345678"
PROMPT = (f"Bitte formulieren Sie eine freundliche Zahlungserinnerung an Frau {NAME}, "
          f"IBAN {IBAN}, Telefon {PHONE}.")
ORIGINAL_FRAGMENTS = ("Anna", "Schneider", "DE89", "0532 0130", "DE89370400440532013000", "12345678")


def chromium_missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if shutil.which(CHROMIUM) is None and not Path(CHROMIUM).exists():
        return f"chromium not found at {CHROMIUM} (install Debian's 'chromium' or set SPIELRAUM_CHROMIUM)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright (Python package) is not installed"
    return None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LiveServer:
    url: str
    upstream: object
    app: object

    def add_user(self, username: str, role: str = "employee") -> str:
        from sqlmodel import Session

        from app.storage import crud
        from app.storage.tables import UserCreate

        with Session(self.app.state.engine) as session:
            crud.create_user(session, UserCreate(username=username, password=PASSWORD, role=role))
        return username


def sign_in(page, server: LiveServer, username: str, *, preview: bool = False) -> None:
    """Signs in. The preview before sending is on for every real user; tests of other features
    switch it off as a person would (the switch's choice is kept per user in the browser), and
    tests/app/browser/test_preview.py exercises it with `preview=True`."""
    page.goto(f"{server.url}/login")
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(f"{server.url}/")
    if not preview:
        page.evaluate("(key) => window.localStorage.setItem(key, 'off')", f"spielraum.preview.{username}")
        page.reload()


def send(page, text: str, *, shortcut: bool = False) -> None:
    box = page.get_by_label("Ihre Nachricht")
    box.fill(text)
    if shortcut:
        box.press("Control+Enter")
    else:
        page.get_by_role("button", name="Senden", exact=True).click()


def wait_for_answer(page, turn_index: int):
    """The turn, once its answer (an echo) is complete."""
    from playwright.sync_api import expect

    turn = page.locator("article.turn").nth(turn_index)
    expect(turn.locator(".msg-assistant .msg-body")).to_contain_text("Echo:")
    expect(page.locator("#transcript")).to_have_attribute("aria-busy", "false")
    return turn

"""`spielraum prompts list --format json` and `spielraum prompts import FILE`, run in-process."""
from __future__ import annotations

import json

from app.cli import main
from tests.app.conftest import PLANTED


def _cli(monkeypatch, tmp_path, capsys, *argv) -> tuple[int, str, str]:
    monkeypatch.setenv("SPIELRAUM_DATA_DIR", str(tmp_path))
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_list_prints_the_library_as_json(monkeypatch, tmp_path, capsys):
    code, out, _ = _cli(monkeypatch, tmp_path, capsys, "prompts", "list", "--format", "json")
    assert code == 0
    listing = json.loads(out)
    assert len(listing) >= 30
    entry = next(item for item in listing if item["key"] == "einladung-entwerfen")
    assert entry["title"] == "Einladung zu einer Veranstaltung entwerfen"
    assert entry["category"] == "Korrespondenz"
    assert entry["variables"] == ["Veranstaltung", "Zielgruppe", "Termin und Ort", "Ziel"]
    assert "{{Veranstaltung}}" in entry["text"]


def test_import_adds_checked_prompts_and_refuses_a_file_with_personal_data(monkeypatch, tmp_path, capsys):
    good = tmp_path / "eigene.yaml"
    good.write_text(
        "prompts:\n  - key: haushalt-erklaeren\n    title: Haushaltsbegriff erklären\n    category: Finanzen\n"
        "    good_for: Merkblätter\n    watch_out: Zahlen prüfen\n"
        "    text: 'Erklären Sie den Haushaltsbegriff {{Begriff}} in einfachen Worten.'\n", encoding="utf-8")
    code, out, err = _cli(monkeypatch, tmp_path, capsys, "prompts", "import", str(good))
    assert code == 0, err
    assert "1 added" in out
    code, out, _ = _cli(monkeypatch, tmp_path, capsys, "prompts", "list", "--format", "json")
    assert any(item["key"] == "haushalt-erklaeren" and item["origin"] == "imported" for item in json.loads(out))

    bad = tmp_path / "mit-daten.json"
    bad.write_text(json.dumps({"prompts": [
        {"key": "ok", "title": "Gut", "text": "Fassen Sie {{Text}} zusammen."},
        {"key": "mahnung", "title": "Mahnung", "text": f"Mahnen Sie {PLANTED['name']}, IBAN {PLANTED['iban']}."},
    ]}), encoding="utf-8")
    code, out, err = _cli(monkeypatch, tmp_path, capsys, "prompts", "import", str(bad))
    assert code == 1
    assert "'mahnung'" in err and "IBAN_CODE" in err and "PERSON" in err and "nothing was imported" in err
    assert PLANTED["name"] not in err and "DE89" not in err
    code, out, _ = _cli(monkeypatch, tmp_path, capsys, "prompts", "list", "--format", "json")
    assert not any(item["key"] in ("ok", "mahnung") for item in json.loads(out))


def test_import_of_a_broken_file_says_what_is_wrong(monkeypatch, tmp_path, capsys):
    broken = tmp_path / "kaputt.yaml"
    broken.write_text("prompts: [{key: 'Gross Geschrieben', title: x, text: y}]", encoding="utf-8")
    code, _, err = _cli(monkeypatch, tmp_path, capsys, "prompts", "import", str(broken))
    assert code == 1 and "kaputt.yaml, entry 1" in err and "'key'" in err

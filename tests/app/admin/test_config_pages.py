"""/admin/config and /admin/changes through the real app: download, upload, preview, confirm,
errors with their lines, CSRF, the upload's size bound, the change log's before/after table."""
from __future__ import annotations

import html
import re

import pytest
from sqlmodel import select

from app.admin import config_io
from app.storage.tables import AuditEntry, ModelEntry
from tests.app.admin.config_support import PLANTED_KEY, SAMPLE
from tests.app.test_pages import HTML, login

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@pytest.fixture
def admin(make_env):
    env = make_env(models=False)
    env.user("it-admin", role="admin")
    assert login(env.client, "it-admin").status_code == 303
    return env


def csrf_of(env) -> str:
    return CSRF.search(env.client.get("/admin/config", headers=HTML).text).group(1)


def upload(env, text: str | bytes, name: str = "spielraum.yaml", csrf: str | None = None):
    body = text.encode("utf-8") if isinstance(text, str) else text
    return env.client.post("/admin/config/preview", data={"csrf": csrf if csrf is not None else csrf_of(env)},
                           files={"file": (name, body, "application/yaml")}, headers=HTML)


def hidden(page: str, name: str) -> str:
    return html.unescape(re.search(rf'name="{name}" value="([^"]*)"', page).group(1))


def confirm(env, preview_page: str, **override):
    data = {name: hidden(preview_page, name) for name in ("csrf", "document", "source", "fingerprint")}
    data.update(override)
    return env.client.post("/admin/config/import", data=data, headers=HTML, follow_redirects=False)


def test_upload_preview_confirm_then_the_download_matches(admin):
    preview = upload(admin, SAMPLE)
    assert preview.status_code == 200
    assert "Vorschau des Imports" in preview.text and 'id="config-confirm"' in preview.text
    assert preview.text.count(">hinzugefügt<") == 3 + 4 + 4 + 2  # models, guard rules, terms, groups
    with admin.session() as session:
        assert session.exec(select(ModelEntry)).all() == []  # nothing before the confirmation

    done = confirm(admin, preview.text)
    assert (done.status_code, done.headers["location"]) == (303, "/admin/config?imported=models,guard,groups")
    page = admin.client.get(done.headers["location"], headers=HTML).text
    assert "Geänderte Bereiche: Modelle, Prüfrichtlinie und Begriffslisten, Gruppen." in page
    with admin.session() as session:
        assert {e.actor for e in session.exec(select(AuditEntry)) if e.action.startswith("config.")} == {"it-admin"}

    download = admin.client.get("/admin/config/export")
    assert download.status_code == 200
    assert re.fullmatch(r'attachment; filename="spielraum-config-\d{4}-\d{2}-\d{2}\.yaml"',
                        download.headers["content-disposition"])
    assert download.headers["content-type"].startswith("application/yaml")
    with admin.session() as session:
        assert download.text.split("\n", 1)[1] == config_io.export_from(session).split("\n", 1)[1]

    again = upload(admin, download.text)
    assert "Keine Änderungen" in again.text and "Änderungen übernehmen" not in again.text


def test_errors_are_listed_with_their_lines_and_nothing_changes(admin):
    broken = SAMPLE.replace("temperature: 0.3", "temperature: 3").replace("- name: einkauf", "- nam: einkauf")
    response = upload(admin, broken)
    assert response.status_code == 400
    items = [re.sub(r"<[^>]+>", "", html.unescape(item))
             for item in re.findall(r"<li>(.*?)</li>", response.text.split('id="config-errors"')[1].split("</ul>")[0])]
    lines = {needle: next(n for n, line in enumerate(broken.splitlines(), 1) if needle in line)
             for needle in ("temperature: 3", "- nam: einkauf")}
    assert items == [
        f"Zeile {lines['temperature: 3']}: models[0].temperature: Input should be less than or equal to 2",
        f"Zeile {lines['- nam: einkauf']}: groups[0].nam: unknown key (a typo?)",
        f"Zeile {lines['- nam: einkauf']}: groups[0].name: required, but missing",
    ]
    assert 'role="alert"' in response.text
    with admin.session() as session:
        assert session.exec(select(ModelEntry)).all() == []


def test_posts_without_the_csrf_token_are_refused(admin):
    assert upload(admin, SAMPLE, csrf="falsch").status_code == 403
    preview = upload(admin, SAMPLE)
    assert confirm(admin, preview.text, csrf="falsch").status_code == 403
    with admin.session() as session:
        assert session.exec(select(ModelEntry)).all() == []


def test_the_upload_is_bounded_and_must_be_text(admin):
    too_big = SAMPLE + "#" * (config_io.MAX_FILE_BYTES + 1)
    response = upload(admin, too_big)
    assert response.status_code == 413 and "Die Datei ist zu groß (höchstens 256 KB)." in response.text
    response = upload(admin, b"version: 1\n\xff\xfe")
    assert response.status_code == 400 and "keine Textdatei in UTF-8" in response.text
    response = admin.client.post("/admin/config/preview", data={"csrf": csrf_of(admin)}, headers=HTML)
    assert response.status_code == 400 and "Bitte wählen Sie eine Datei aus." in response.text
    # Past the app's request limit the request is refused before it is read at all.
    response = upload(admin, "#" * (admin.settings.max_request_bytes + 10))
    assert response.status_code == 413


def test_a_change_between_preview_and_confirm_shows_the_new_preview(admin):
    preview = upload(admin, SAMPLE)
    with admin.session() as session:  # someone else adds a model meanwhile
        session.add(ModelEntry(model_id="neu", display_name="Neu", litellm_model="openai/neu"))
        session.commit()
    response = confirm(admin, preview.text)
    assert response.status_code == 409 and "seit der Vorschau geändert" in response.text
    assert ">entfernt<" in response.text  # the new preview shows that "neu" would go
    assert confirm(admin, response.text).status_code == 303
    with admin.session() as session:
        assert session.exec(select(ModelEntry).where(ModelEntry.model_id == "neu")).first() is None


def test_the_change_log_shows_before_and_after_per_field_without_secrets(admin):
    confirm(admin, upload(admin, SAMPLE).text)
    with admin.session() as session:
        row = session.exec(select(ModelEntry).where(ModelEntry.model_id == "gpt-4o-mini")).one()
        row.api_key_encrypted = PLANTED_KEY
        session.add(row)
        session.commit()
    changed = SAMPLE.replace("temperature: 0.3", "temperature: 0.7").split("  - id: gpt-4o-mini")[0] \
        + "guard:" + SAMPLE.split("\nguard:")[1]
    confirm(admin, upload(admin, changed).text)

    page = admin.client.get("/admin/changes", headers=HTML)
    assert page.status_code == 200
    text = page.text
    assert PLANTED_KEY not in text
    first = text.split('class="card change-entry"')[1]  # newest first: the second import's models entry
    assert "config.models.import" in first and "it-admin" in first
    assert re.search(r"<code class=\"wrap\">llama-intern.temperature</code></th><td class=\"wrap\">0.3</td>"
                     r"<td class=\"wrap\">0.7</td>", first)
    assert re.search(r"gpt-4o-mini.api_key_stored</code></th><td class=\"wrap\">true</td>", first)
    assert "1 entfernt" in first and "1 geändert" in first

    guard_only = admin.client.get("/admin/changes?area=guard", headers=HTML).text
    assert guard_only.count('class="card change-entry"') == 1 and "config.guard.import" in guard_only
    assert "config.models.import" not in guard_only
    with admin.session() as session:
        details = [e.detail for e in session.exec(select(AuditEntry))]
    assert all(PLANTED_KEY not in detail for detail in details)
    # Terms are recorded by a fingerprint: the audit log, which is never deleted, holds no pattern.
    assert not any("Landratsamt" in detail or "Projekt Adler" in detail for detail in details)
    assert admin.client.get("/admin/changes?area=../x", headers=HTML).status_code == 400


def test_the_dpo_audit_page_shows_the_config_entries(admin):
    confirm(admin, upload(admin, SAMPLE).text)
    admin.user("datenschutz", role="dpo")
    admin.client.cookies.clear()
    login(admin.client, "datenschutz")
    page = admin.client.get("/dpo/audit", headers=HTML).text
    assert "config.models.import" in page and "config.guard.import" in page


def test_the_pages_in_english(admin):
    admin.client.post("/lang", data={"lang": "en", "next": "/admin/config"}, headers=HTML)
    page = admin.client.get("/admin/config", headers=HTML).text
    assert '<html lang="en">' in page and "Download the configuration (YAML)" in page
    broken = upload(admin, SAMPLE.replace("temperature: 0.3", "temperature: 3"))
    assert "The file has errors; nothing was changed." in broken.text and "<strong>Line 14</strong>" in broken.text
    preview = upload(admin, SAMPLE)
    assert "Import preview" in preview.text and ">added<" in preview.text
    assert "Apply the changes" in preview.text
    assert "Every change in the IT settings" in admin.client.get("/admin/changes", headers=HTML).text


def test_the_change_log_shows_other_sections_entries_and_pages(admin):
    from app.admin.change_log import record_change
    from app.storage.tables import User

    with admin.session() as session:
        user = session.exec(select(User).where(User.username == "it-admin")).one()
        for number in range(54):
            record_change(session, user, area="guard", verb="update", target=f"rule-{number}",
                          before={"action": "mask"}, after={"action": "block"})
        record_change(session, user, area="models", verb="update", target="llama",
                      before={"temperature": 0.3, "api_key_encrypted": None},
                      after={"temperature": 0.5, "api_key_encrypted": PLANTED_KEY})
    first = admin.client.get("/admin/changes", headers=HTML).text
    assert first.count('class="card change-entry"') == 50 and 'rel="next" href="/admin/changes?page=2"' in first
    newest = first.split('class="card change-entry"')[1]
    assert "config.models.update" in newest and PLANTED_KEY not in first
    assert re.search(r"api_key_encrypted</code></th><td class=\"wrap\">\(leer\)</td><td class=\"wrap\">\(gesetzt\)", newest)
    assert re.search(r"temperature</code></th><td class=\"wrap\">0.3</td><td class=\"wrap\">0.5</td>", newest)
    second = admin.client.get("/admin/changes?page=2&area=guard", headers=HTML).text
    assert second.count('class="card change-entry"') == 4 and "rule-3<" in second and "rel=\"prev\"" in second
    assert "config.models.update" not in second

"""Sharing an exchange to the team board: the preview and the board show exactly the stored,
pseudonymised text; nothing is shared without the explicit action; comments."""
from __future__ import annotations

import html
import re

from sqlmodel import select

from app.storage.tables import BoardPost, Exchange
from tests.app.conftest import PII_PROMPT, dump_database, leaked
from tests.app.learning.support import chat_turn, csrf_of, signed_in
from tests.app.test_pages import HTML


def _texts(page: str) -> list[str]:
    """The stored-text blocks of a page, tags removed and entities decoded."""
    return [html.unescape(re.sub(r"<[^>]+>", "", block))
            for block in re.findall(r'<div class="stored-text">(.*?)</div>', page, flags=re.S)]


def test_sharing_shows_exactly_the_stored_pseudonymised_text(env):
    sharer = signed_in(env)
    csrf = csrf_of(sharer, "/")
    events = chat_turn(sharer, csrf, PII_PROMPT)
    exchange_id = events["sent"]["exchange_id"]
    with env.session() as session:
        stored = session.get(Exchange, exchange_id)
    assert "[PERSON_1]" in stored.prompt_pseudonymised and stored.answer_pseudonymised

    preview = sharer.get(f"/learning/board/share/{exchange_id}", headers=HTML)
    assert preview.status_code == 200
    assert _texts(preview.text) == [stored.prompt_pseudonymised, stored.answer_pseudonymised]
    assert not leaked(preview.text)
    with env.session() as session:
        assert session.exec(select(BoardPost)).all() == []  # looking is not sharing

    refused = sharer.post(f"/learning/board/share/{exchange_id}", headers=HTML, data={
        "csrf": csrf, "note": "Gelernt mit Anna Schmidt: Platzhalter bleiben stehen."})
    assert refused.status_code == 400 and "Name" in refused.text
    assert "Gelernt mit Anna Schmidt" in refused.text  # kept in the form, not stored
    shared = sharer.post(f"/learning/board/share/{exchange_id}", headers=HTML, follow_redirects=False, data={
        "csrf": csrf, "note": "Platzhalter bleiben in der Antwort stehen."})
    assert shared.status_code == 303

    colleague = signed_in(env, "max")
    board = colleague.get("/learning/board", headers=HTML).text
    assert _texts(board) == [stored.prompt_pseudonymised, stored.answer_pseudonymised]
    assert "Platzhalter bleiben in der Antwort stehen." in board and "Geteilt von erika" in board
    assert not leaked(board)

    post_id = re.search(r'id="post-(\d+)"', board).group(1)
    colleague_csrf = csrf_of(colleague, "/learning/board")
    colleague.post(f"/learning/board/{post_id}/comments", data={"csrf": colleague_csrf,
                   "text": "Guter Hinweis, das probiere ich aus."}, headers=HTML)
    bad = colleague.post(f"/learning/board/{post_id}/comments", data={"csrf": colleague_csrf,
                         "text": "Ruf mal 0171 2345678 an."}, headers=HTML)
    assert bad.status_code == 400 and "Telefonnummer" in bad.text and "0171 2345678" in bad.text
    board = colleague.get("/learning/board", headers=HTML).text
    assert "<strong>max:</strong> Guter Hinweis, das probiere ich aus." in board
    assert not leaked(dump_database(env.app.state.engine))


def test_only_ones_own_exchange_can_be_shared(env):
    owner = signed_in(env)
    csrf = csrf_of(owner, "/")
    exchange_id = chat_turn(owner, csrf, "Eine Frage ohne Daten.")["sent"]["exchange_id"]
    stranger = signed_in(env, "max")
    assert stranger.get(f"/learning/board/share/{exchange_id}", headers=HTML).status_code == 404
    stranger_csrf = csrf_of(stranger, "/learning/board")
    assert stranger.post(f"/learning/board/share/{exchange_id}", data={"csrf": stranger_csrf},
                         headers=HTML).status_code == 404
    assert owner.post(f"/learning/board/share/{exchange_id}", data={}, headers=HTML).status_code == 403

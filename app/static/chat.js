/*
 * Spielraum chat page: sends prompts, streams answers, shows what was sent.
 *
 * Design choices:
 * - No framework and no HTML strings: every node is built with createElement and every
 *   piece of text (model output, restored originals, the user's own prompt) is inserted
 *   as a text node; answers go through markdown.js, which works the same way. Markup in
 *   an answer is shown as the characters it is, it can never become an element.
 * - The placeholder -> original mapping ("vault") of each conversation lives only in this
 *   tab's sessionStorage. It is sent back with the next prompt so the server reuses the
 *   same placeholders, and it is used to restore stored, pseudonymised history. Without
 *   it, the pseudonymised text is shown as it is, placeholders highlighted.
 * - All user-facing text comes from the server (app/i18n.py) in the page's JSON config.
 */
(function () {
  "use strict";

  var PLACEHOLDER_FULL_RE = /^\[([A-Z][A-Z0-9_]*?)_(\d{1,4})\]$/;
  var VAULT_PREFIX = "spielraum.vault.";
  var Text = window.SpielraumText;
  var configNode = document.getElementById("chat-config");
  if (!configNode || !Text) { return; }
  var config = JSON.parse(configNode.textContent);
  var S = config.strings || {};

  var form = document.getElementById("composer");
  var textarea = document.getElementById("prompt");
  var modelSelect = document.getElementById("model");
  var sendButton = document.getElementById("send");
  var alertBox = document.getElementById("chat-alert");
  var statusBox = document.getElementById("chat-status");
  var transcript = document.getElementById("transcript");
  var emptyHint = document.getElementById("empty-hint");
  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  var csrf = csrfMeta ? csrfMeta.getAttribute("content") : "";

  var conversationId = config.conversation_id == null ? null : config.conversation_id;
  var busy = false;

  // ---- small DOM helpers -------------------------------------------------------------

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text != null) { node.textContent = text; }
    return node;
  }

  // ---- vault (sessionStorage) --------------------------------------------------------

  function cleanVault(raw) {
    var vault = new Map();
    if (!raw || typeof raw !== "object") { return vault; }
    Object.keys(raw).forEach(function (key) {
      if (PLACEHOLDER_FULL_RE.test(key) && typeof raw[key] === "string") { vault.set(key, raw[key]); }
    });
    return vault;
  }

  function storedVault(cid) {
    if (cid == null) { return null; }
    try {
      var raw = window.sessionStorage.getItem(VAULT_PREFIX + cid);
      return raw === null ? null : cleanVault(JSON.parse(raw));
    } catch (err) {
      return null;
    }
  }

  function saveVault(cid, vault) {
    try {
      var plain = {};
      vault.forEach(function (value, key) { plain[key] = value; });
      window.sessionStorage.setItem(VAULT_PREFIX + cid, JSON.stringify(plain));
    } catch (err) {
      // Storage full or disabled: the chat still works, later turns just get new placeholders.
    }
  }

  function vaultAsObject(vault) {
    var plain = {};
    if (vault) { vault.forEach(function (value, key) { plain[key] = value; }); }
    return plain;
  }

  // ---- placeholders ------------------------------------------------------------------

  function entityOf(placeholder) {
    var match = PLACEHOLDER_FULL_RE.exec(placeholder);
    return match ? match[1] : "";
  }

  function entityLabel(entity, count) {
    var pair = (config.entity_labels || {})[entity];
    if (!pair) { return entity; }
    return count === 1 ? pair[0] : pair[1];
  }

  function placeholderMark(placeholder) {
    var mark = el("mark", "ph", placeholder);
    mark.setAttribute("data-entity", entityOf(placeholder));
    mark.title = (S.placeholder_title || "") + " " + entityLabel(entityOf(placeholder), 1);
    return mark;
  }

  function appendText(parent, text, vault) {
    Text.appendText(parent, text, vault, placeholderMark);
  }

  function renderMarkdown(container, source, vault) {
    Text.renderMarkdown(container, source, vault, placeholderMark);
  }

  // ---- building a turn ---------------------------------------------------------------

  function buildSentPanel(sentText, legend, vault, open) {
    var details = el("details", "sent-panel");
    if (open) { details.open = true; }
    var summary = el("summary");
    summary.appendChild(el("span", "sent-title", S.sent_panel_summary));
    var placeholders = Text.placeholders(sentText);
    // The legend comes from the server (app/i18n.py), which counted what the guard replaced.
    summary.appendChild(el("span", "sent-legend", legend || S.sent_panel_none));
    details.appendChild(summary);

    var body = el("div", "sent-body");
    var sent = el("p", "sent-text");
    appendText(sent, sentText, null);   // exactly what was sent: placeholders are never restored here
    body.appendChild(sent);
    if (placeholders.length) {
      var known = vault ? placeholders.filter(function (ph) { return vault.has(ph); }) : [];
      if (known.length) {
        body.appendChild(el("p", "sent-mapping-title", S.sent_panel_mapping));
        var dl = el("dl", "sent-mapping");
        known.forEach(function (ph) {
          var dt = el("dt");
          dt.appendChild(placeholderMark(ph));
          dl.appendChild(dt);
          dl.appendChild(el("dd", null, vault.get(ph)));
        });
        body.appendChild(dl);
      } else {
        body.appendChild(el("p", "hint", S.sent_panel_no_vault));
      }
    }
    details.appendChild(body);
    return details;
  }

  function createTurn(promptText, vault) {
    var article = el("article", "turn");
    var user = el("div", "msg msg-user");
    user.appendChild(el("h2", "msg-who", S.you));
    var userBody = el("div", "msg-body plain");
    appendText(userBody, promptText, vault);
    user.appendChild(userBody);
    article.appendChild(user);
    if (emptyHint) { emptyHint.hidden = true; }
    transcript.insertBefore(article, emptyHint || null);
    return { article: article, answerText: "", answerBody: null, renderPending: false };
  }

  function ensureAnswer(turn) {
    if (turn.answerBody) { return turn.answerBody; }
    var box = el("div", "msg msg-assistant");
    box.appendChild(el("h2", "msg-who", S.assistant));
    turn.answerBody = el("div", "msg-body md");
    box.appendChild(turn.answerBody);
    turn.article.appendChild(box);
    return turn.answerBody;
  }

  function addNote(turn, text) {
    turn.article.appendChild(el("p", "turn-note", text));
  }

  // ---- history -----------------------------------------------------------------------

  function renderHistory() {
    var exchanges = config.exchanges || [];
    if (!exchanges.length) { return; }
    var vault = storedVault(conversationId);
    Array.prototype.slice.call(transcript.querySelectorAll("article.turn")).forEach(function (node) { node.remove(); });
    var needsNotice = !vault && exchanges.some(function (ex) {
      return Text.placeholders((ex.prompt || "") + (ex.answer || "")).length > 0;
    });
    if (needsNotice) {
      var notice = el("p", "notice", S.stored_only_pseudonymised);
      notice.id = "no-vault-notice";
      transcript.insertBefore(notice, transcript.firstChild);
    }
    exchanges.forEach(function (ex) {
      if (!ex.prompt) {
        // Blocked prompts and failed checks are stored without any text: only say what happened.
        var note = el("article", "turn turn-empty");
        note.setAttribute("data-exchange-id", ex.id);
        note.appendChild(el("p", "turn-note", ex.verdict === "blocked" ? S.turn_blocked : S.turn_error));
        transcript.insertBefore(note, emptyHint || null);
        return;
      }
      var turn = createTurn(ex.prompt, vault);
      turn.article.setAttribute("data-exchange-id", ex.id);
      if (ex.verdict === "blocked") { addNote(turn, S.turn_blocked); return; }
      turn.article.appendChild(buildSentPanel(ex.prompt || "", ex.legend, vault, false));
      if (ex.answer) { renderMarkdown(ensureAnswer(turn), ex.answer, vault); }
      if (ex.verdict === "error") { addNote(turn, S.turn_error); }
      if (ex.answer && ex.verdict === "sent") { announceAnswer(ex.id, turn.article); }
    });
  }

  // Contract with the learning workspace (feedback.js): a complete answer is announced.
  function announceAnswer(exchangeId, element) {
    document.dispatchEvent(new CustomEvent("spielraum:answer", { detail: { exchangeId: String(exchangeId), element: element } }));
  }

  function restoreSidebarTitles() {
    document.querySelectorAll(".conversation-link[data-conversation-id]").forEach(function (link) {
      var vault = storedVault(link.getAttribute("data-conversation-id"));
      var title = link.textContent;
      link.replaceChildren();
      appendText(link, title, vault);
    });
  }

  function addSidebarEntry(cid, sentText, vault) {
    var list = document.getElementById("conversation-list");
    if (!list || list.querySelector('[data-conversation-id="' + String(cid) + '"]')) { return; }
    list.querySelectorAll("[aria-current]").forEach(function (node) { node.removeAttribute("aria-current"); });
    var li = el("li");
    var link = el("a", "conversation-link");
    link.href = "/c/" + encodeURIComponent(cid);
    link.setAttribute("data-conversation-id", String(cid));
    link.setAttribute("aria-current", "page");
    var title = sentText.replace(/\s+/g, " ").trim();
    if (title.length > 60) {
      title = title.slice(0, 60);
      // Never end on half a placeholder: it would show as text the user cannot place.
      if (title.lastIndexOf("[") > title.lastIndexOf("]")) { title = title.slice(0, title.lastIndexOf("[")); }
      title = title.trim() + " …";
    }
    appendText(link, title || S.untitled, vault);
    li.appendChild(link);
    list.insertBefore(li, list.firstChild);
    var none = document.getElementById("no-conversations");
    if (none) { none.hidden = true; }
  }

  // ---- alerts and busy state ---------------------------------------------------------

  function showAlert(message) {
    alertBox.textContent = message;
    alertBox.hidden = false;
  }

  function hideAlert() {
    alertBox.hidden = true;
    alertBox.textContent = "";
  }

  function setBusy(value) {
    busy = value;
    sendButton.disabled = value;
    sendButton.textContent = value ? S.sending : S.send;
    transcript.setAttribute("aria-busy", value ? "true" : "false");
    statusBox.textContent = value ? S.sending : "";
  }

  function localMessage(event) {
    var text = config.lang === "en" ? (event.message_en || event.message_de) : (event.message_de || event.message_en);
    return text || "";
  }

  /* Every failure message ends by reassuring that nothing typed was lost. */
  function withKeptHint(message, fallback) {
    return (message || fallback) + " " + S.prompt_kept;
  }

  // ---- streaming ---------------------------------------------------------------------

  async function* ndjsonEvents(body) {
    var reader = body.getReader();
    var decoder = new TextDecoder();
    var buffer = "";
    for (;;) {
      var chunk = await reader.read();
      if (chunk.done) { break; }
      buffer += decoder.decode(chunk.value, { stream: true });
      var newline;
      while ((newline = buffer.indexOf("\n")) !== -1) {
        var line = buffer.slice(0, newline).trim();
        buffer = buffer.slice(newline + 1);
        if (line) { yield JSON.parse(line); }
      }
    }
    buffer += decoder.decode();
    if (buffer.trim()) { yield JSON.parse(buffer.trim()); }
  }

  function nearBottom() {
    return window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 96;
  }

  function scrollToBottom() {
    window.scrollTo(0, document.documentElement.scrollHeight);
  }

  /* Re-renders the growing answer once per frame; follows it only if the reader is at the end. */
  function scheduleRender(turn, vault) {
    if (turn.renderPending) { return; }
    turn.renderPending = true;
    window.requestAnimationFrame(function () {
      turn.renderPending = false;
      var follow = nearBottom();
      renderMarkdown(ensureAnswer(turn), turn.answerText, vault);
      if (follow) { scrollToBottom(); }
    });
  }

  async function responseError(response) {
    if (response.status === 401) { return S.session_expired; }
    try {
      var data = await response.json();
      var detail = data && (data.error || data.detail || data);
      if (detail && typeof detail === "object") {
        var msg = localMessage(detail) || (typeof detail.message === "string" ? detail.message : "");
        if (msg) { return msg; }
      }
    } catch (err) {
      // Not JSON: fall through to the generic message.
    }
    return S.error_default;
  }

  function applySent(turn, event, state) {
    var newConversation = conversationId == null;
    conversationId = event.conversation_id;
    var vault = storedVault(conversationId) || new Map();
    cleanVault(event.vault).forEach(function (value, key) { vault.set(key, value); });
    saveVault(conversationId, vault);
    state.vault = vault;
    state.sent = true;
    if (newConversation && conversationId != null) {
      window.history.replaceState(null, "", "/c/" + encodeURIComponent(conversationId));
      addSidebarEntry(conversationId, event.sent_text || "", vault);
    }
    var legend = config.lang === "en" ? event.legend_en : event.legend_de;
    turn.article.setAttribute("data-exchange-id", event.exchange_id);
    turn.article.appendChild(buildSentPanel(event.sent_text || "", legend, vault, true));
  }

  function failTurn(turn, state, message) {
    if (!state.sent) {
      turn.article.remove();
      if (emptyHint && !transcript.querySelector("article.turn")) { emptyHint.hidden = false; }
    } else {
      addNote(turn, S.turn_error);
    }
    showAlert(message);
  }

  async function sendPrompt() {
    if (busy) { return; }
    var prompt = textarea.value;
    if (!prompt.trim()) {
      showAlert(S.empty_prompt);
      textarea.focus();
      return;
    }
    hideAlert();
    setBusy(true);
    var vaultBefore = storedVault(conversationId);
    var turn = createTurn(prompt, null);
    scrollToBottom();
    var state = { sent: false, finished: false, vault: vaultBefore };
    try {
      var response = await fetch("/chat/stream", {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "Accept": "application/x-ndjson", "X-CSRF-Token": csrf },
        body: JSON.stringify({
          conversation_id: conversationId,
          model_id: modelSelect ? modelSelect.value : null,
          prompt: prompt,
          vault: vaultAsObject(vaultBefore),
          csrf: csrf
        })
      });
      if (!response.ok || !response.body) {
        failTurn(turn, state, withKeptHint(await responseError(response), S.error_default));
        return;
      }
      for await (var event of ndjsonEvents(response.body)) {
        if (event.type === "sent") {
          applySent(turn, event, state);
        } else if (event.type === "delta") {
          turn.answerText += event.text || "";
          scheduleRender(turn, state.vault);
        } else if (event.type === "done") {
          state.finished = true;
          var follow = nearBottom();
          renderMarkdown(ensureAnswer(turn), turn.answerText, state.vault);
          if (follow) { scrollToBottom(); }
          textarea.value = "";
          state.announce = S.answer_ready;
          announceAnswer(event.exchange_id || turn.article.getAttribute("data-exchange-id"), turn.article);
        } else if (event.type === "blocked") {
          state.finished = true;
          state.sent = false;
          failTurn(turn, state, withKeptHint(localMessage(event), S.blocked_default));
        } else if (event.type === "error") {
          state.finished = true;
          failTurn(turn, state, withKeptHint(localMessage(event), S.error_default));
        }
      }
      if (!state.finished) { failTurn(turn, state, withKeptHint("", S.network_error)); }
    } catch (err) {
      failTurn(turn, state, withKeptHint("", S.network_error));
    } finally {
      setBusy(false);
      if (state.announce) { statusBox.textContent = state.announce; }
      textarea.focus();
    }
  }

  // ---- wiring ------------------------------------------------------------------------

  restoreSidebarTitles();
  renderHistory();
  // A library prompt arrives as /?prompt=…: prefill, never send; drop it from the address bar.
  var prefill = new URLSearchParams(window.location.search).get("prompt");
  if (prefill && textarea) { textarea.value = prefill; window.history.replaceState(null, "", window.location.pathname); }
  if ((config.exchanges || []).length) { scrollToBottom(); }

  if (modelSelect) {
    modelSelect.addEventListener("change", function () {
      var description = document.getElementById("model-description");
      var option = modelSelect.selectedOptions[0];
      if (description && option) { description.textContent = option.getAttribute("data-description") || ""; }
    });
  }

  if (form && textarea) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      sendPrompt();
    });
    textarea.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        sendPrompt();
      }
    });
  }
}());

/*
 * Spielraum chat page: sends prompts, streams answers, shows what was sent, manages the list.
 *
 * Design choices:
 * - No framework and no HTML strings: every node is built with createElement and every
 *   piece of text (model output, restored originals, the user's own prompt) is inserted
 *   as a text node; answers go through markdown.js, which works the same way.
 * - The placeholder -> original mapping ("vault") of each conversation lives only in this
 *   tab's sessionStorage. It is sent back with the next prompt so the server reuses the
 *   same placeholders, and it is used to restore stored, pseudonymised history. Without
 *   it, the pseudonymised text is shown as it is, placeholders highlighted.
 * - The transcript is its own scroll area between a compact header and the input, so the
 *   input never covers an answer and the newest turn is scrolled into view.
 * - Nothing typed is ever lost: the input is emptied when a prompt is sent and refilled
 *   if it could not be answered.
 * - All user-facing text comes from the server (app/i18n.py) in the page's JSON config.
 * - Contract with the prompt-feedback feature: a complete answer's element carries
 *   data-exchange-id, and "spielraum:answer" is dispatched on document for it.
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
  var stopButton = document.getElementById("stop");
  var alertBox = document.getElementById("chat-alert");
  var statusBox = document.getElementById("chat-status");
  var transcript = document.getElementById("transcript");
  var inner = document.getElementById("transcript-inner") || transcript;
  var counter = document.getElementById("char-counter");
  var editNote = document.getElementById("edit-note");
  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  var csrf = csrfMeta ? csrfMeta.getAttribute("content") : "";
  var maxChars = Number(config.max_prompt_chars) || 20000;

  var conversationId = config.conversation_id == null ? null : config.conversation_id;
  var busy = false;
  var controller = null;
  var lastTurn = null;       // the newest turn: { article, exchangeId, prompt, ... }
  var editing = false;

  // ---- small DOM helpers -------------------------------------------------------------

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text != null) { node.textContent = text; }
    return node;
  }

  function format(template, values) {
    return String(template || "").replace(/\{(\w+)\}/g, function (_, key) {
      return values[key] == null ? "" : String(values[key]);
    });
  }

  function jsonHeaders() {
    return { "Accept": "application/json", "X-CSRF-Token": csrf };
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
      window.sessionStorage.setItem(VAULT_PREFIX + cid, JSON.stringify(vaultAsObject(vault)));
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

  /* A value put back from the vault: subtly underlined, explained on hover and to screen readers. */
  function restoredMark(original, placeholder) {
    var span = el("span", "restored", original);
    span.setAttribute("data-placeholder", placeholder);
    span.title = (S.restored_title || "") + ": " + entityLabel(entityOf(placeholder), 1);
    return span;
  }

  function appendText(parent, text, vault) {
    Text.appendText(parent, text, vault, placeholderMark);
  }

  /* The server streams the answer already restored. To show the person which values were
     put back, the known originals are turned into their placeholders again here and
     rendered through the vault, which marks each of them. */
  function asPlaceholders(text, vault) {
    if (!vault || !vault.size) { return text; }
    var pairs = [];
    vault.forEach(function (original, placeholder) {
      if (original && original.length >= 2 && original !== placeholder) { pairs.push([original, placeholder]); }
    });
    if (!pairs.length) { return text; }
    // One pass, longest first, so a replaced value is never matched again inside a placeholder.
    pairs.sort(function (a, b) { return b[0].length - a[0].length; });
    var lookup = new Map(pairs);
    var re = new RegExp(pairs.map(function (pair) {
      return pair[0].replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    }).join("|"), "g");
    return text.replace(re, function (found) { return lookup.get(found); });
  }

  function renderMarkdown(container, source, vault) {
    Text.renderMarkdown(container, asPlaceholders(source, vault), vault, placeholderMark, restoredMark);
  }

  function restorePrompt(text, vault) {
    return Text.markdownSource(text || "", vault);
  }

  // ---- scrolling -----------------------------------------------------------------------

  function nearBottom() {
    return transcript.scrollHeight - transcript.scrollTop - transcript.clientHeight < 96;
  }

  function scrollToBottom() {
    transcript.scrollTop = transcript.scrollHeight;
  }

  // Content that grows after an answer (action buttons, the feedback widget, images of a
  // late font) keeps a reader who was at the bottom there; one who scrolled up stays put.
  var pinnedToBottom = true;
  transcript.addEventListener("scroll", function () { pinnedToBottom = nearBottom(); });
  var transcriptInner = document.getElementById("transcript-inner");
  if (transcriptInner) {
    new MutationObserver(function () { if (pinnedToBottom) { scrollToBottom(); } })
      .observe(transcriptInner, { childList: true, subtree: true, characterData: true });
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

  function hideStarter() {
    var starter = document.getElementById("starter");
    if (starter) { starter.hidden = true; }
  }

  function createTurn(promptText, vault, modelId) {
    var article = el("article", "turn");
    var user = el("div", "msg msg-user");
    user.appendChild(el("h2", "msg-who", S.you));
    var userBody = el("div", "msg-body plain");
    appendText(userBody, promptText, vault);
    user.appendChild(userBody);
    article.appendChild(user);
    hideStarter();
    inner.appendChild(article);
    return { article: article, prompt: promptText, modelId: modelId, answerText: "", answerBox: null,
             answerBody: null, renderPending: false, exchangeId: null, vault: vault };
  }

  function modelName(modelId) {
    return (config.model_names || {})[modelId] || modelId || "";
  }

  function ensureAnswer(turn) {
    if (turn.answerBody) { return turn.answerBody; }
    var box = el("div", "msg msg-assistant");
    var who = el("h2", "msg-who", S.assistant);
    if (turn.modelId) {
      who.appendChild(document.createTextNode(" "));
      var label = el("span", "model-label", "· " + modelName(turn.modelId));
      label.title = (S.answer_by || "") + " " + modelName(turn.modelId);
      who.appendChild(label);
    }
    box.appendChild(who);
    turn.answerBody = el("div", "msg-body md");
    box.appendChild(turn.answerBody);
    turn.answerBox = box;
    turn.article.appendChild(box);
    return turn.answerBody;
  }

  function addNote(turn, text, className) {
    var note = el("p", "turn-note" + (className ? " " + className : ""), text);
    turn.article.appendChild(note);
    return note;
  }

  /* Copy, copy as Markdown, and for the newest turn: regenerate and edit. */
  function addActions(turn) {
    var old = turn.article.querySelector(".turn-actions");
    if (old) { old.remove(); }
    var bar = el("div", "turn-actions");
    if (turn.answerBody && turn.answerText) {
      bar.appendChild(actionButton(S.copy, "copy-answer", function (button) {
        copyText(turn.answerBody.innerText, button);
      }));
      bar.appendChild(actionButton(S.copy_markdown, "copy-markdown", function (button) {
        copyText(Text.markdownSource(asPlaceholders(turn.answerText, turn.vault), turn.vault), button);
      }));
    }
    if (turn === lastTurn && turn.exchangeId != null && form) {
      bar.appendChild(actionButton(S.regenerate, "regenerate", function () { regenerate(turn); }));
      bar.appendChild(actionButton(S.edit, "edit-prompt", function () { startEdit(turn); }));
    }
    if (bar.childNodes.length) { turn.article.appendChild(bar); }
  }

  function actionButton(label, className, onClick) {
    var button = el("button", "button-quiet turn-action " + className, label);
    button.type = "button";
    button.addEventListener("click", function () { onClick(button); });
    return button;
  }

  function refreshActions() {
    document.querySelectorAll("article.turn").forEach(function (article) {
      if (article._turn) { addActions(article._turn); }
    });
  }

  /* Marks a finished answer for other features (e.g. feedback) and tells them about it. */
  function announceAnswer(turn) {
    if (!turn.answerBox || turn.exchangeId == null) { return; }
    turn.answerBox.setAttribute("data-exchange-id", String(turn.exchangeId));
    document.dispatchEvent(new CustomEvent("spielraum:answer", {
      detail: { exchangeId: turn.exchangeId, element: turn.answerBox }
    }));
  }

  // ---- copying -------------------------------------------------------------------------

  function copyText(text, button) {
    function done(ok) {
      var original = button.getAttribute("data-label") || button.textContent;
      button.setAttribute("data-label", original);
      button.textContent = ok ? S.copied : original;
      statusBox.textContent = ok ? S.copied : S.copy_failed;
      if (!ok) { showAlert(S.copy_failed); }
      window.setTimeout(function () { button.textContent = original; }, 2000);
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { done(true); }, function () { done(fallbackCopy(text)); });
    } else {
      done(fallbackCopy(text));
    }
  }

  /* Plain-HTTP intranet sites have no clipboard API; a hidden textarea still works there. */
  function fallbackCopy(text) {
    var area = el("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "visually-hidden";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (err) { ok = false; }
    area.remove();
    return ok;
  }

  // ---- history -----------------------------------------------------------------------

  function renderHistory() {
    var exchanges = config.exchanges || [];
    if (!exchanges.length) { return; }
    var vault = storedVault(conversationId);
    Array.prototype.slice.call(inner.querySelectorAll("article.turn")).forEach(function (node) { node.remove(); });
    var needsNotice = !vault && exchanges.some(function (ex) {
      return Text.placeholders((ex.prompt || "") + (ex.answer || "")).length > 0;
    });
    if (needsNotice) {
      var notice = el("p", "notice", S.stored_only_pseudonymised);
      notice.id = "no-vault-notice";
      inner.appendChild(notice);
    }
    exchanges.forEach(function (ex) {
      if (!ex.prompt) {
        // Blocked prompts and failed checks are stored without any text: only say what happened.
        var note = el("article", "turn turn-empty");
        note.setAttribute("data-exchange-id", ex.id);
        note.appendChild(el("p", "turn-note", ex.verdict === "blocked" ? S.turn_blocked : S.turn_error));
        inner.appendChild(note);
        lastTurn = null;   // only the conversation's very last exchange can be replaced
        return;
      }
      var turn = createTurn(ex.prompt, vault, ex.model_id || null);
      turn.prompt = restorePrompt(ex.prompt, vault);
      turn.exchangeId = ex.id;
      turn.modelLabel = ex.model_label;
      turn.article._turn = turn;
      turn.article.setAttribute("data-exchange-id", ex.id);
      lastTurn = turn;
      if (ex.verdict === "blocked") { addNote(turn, S.turn_blocked); return; }
      turn.article.appendChild(buildSentPanel(ex.prompt || "", ex.legend, vault, false));
      if (ex.answer) {
        turn.answerText = ex.answer;
        var body = ensureAnswer(turn);
        if (!turn.modelId && ex.model_label) {
          var who = turn.answerBox.querySelector(".msg-who");
          who.appendChild(document.createTextNode(" "));
          who.appendChild(el("span", "model-label", "· " + ex.model_label));
        }
        renderMarkdown(body, ex.answer, vault);
      }
      if (ex.verdict === "error") { addNote(turn, S.turn_error); }
    });
    refreshActions();
    document.querySelectorAll("article.turn").forEach(function (article) {
      if (article._turn && article._turn.answerBox) { announceAnswer(article._turn); }
    });
  }

  // ---- the conversation list -----------------------------------------------------------

  function formatDates() {
    var lang = config.lang === "en" ? "en-GB" : "de-DE";
    var today = new Date().toDateString();
    document.querySelectorAll(".conversation-meta time[datetime]").forEach(function (node) {
      var moment = new Date(node.getAttribute("datetime"));
      if (isNaN(moment.getTime())) { return; }
      node.textContent = moment.toDateString() === today
        ? moment.toLocaleTimeString(lang, { hour: "2-digit", minute: "2-digit" })
        : moment.toLocaleDateString(lang, { day: "2-digit", month: "2-digit", year: "numeric" });
      node.title = moment.toLocaleString(lang);
    });
  }

  function restoreSidebarTitles() {
    document.querySelectorAll(".conversation-item[data-conversation-id]").forEach(function (item) {
      var vault = storedVault(item.getAttribute("data-conversation-id"));
      var title = item.querySelector(".conversation-title");
      if (!title || !vault) { return; }
      var text = title.textContent;
      title.replaceChildren();
      appendText(title, text, vault);
      title.title = restorePrompt(text, vault);
      var input = item.querySelector(".rename-form input[name=title]");
      if (input) { input.value = restorePrompt(input.value, vault); }
    });
  }

  function addSidebarEntry(cid, sentText, vault) {
    var list = document.getElementById("conversation-list");
    if (!list || list.querySelector('[data-conversation-id="' + String(cid) + '"]')) { return; }
    list.querySelectorAll("[aria-current]").forEach(function (node) { node.removeAttribute("aria-current"); });
    var li = el("li", "conversation-item");
    li.setAttribute("data-conversation-id", String(cid));
    var link = el("a", "conversation-link");
    link.href = "/c/" + encodeURIComponent(cid);
    link.setAttribute("data-conversation-id", String(cid));
    link.setAttribute("aria-current", "page");
    var title = el("span", "conversation-title");
    appendText(title, sentText.replace(/\s+/g, " ").trim() || S.untitled, vault);
    link.appendChild(title);
    var meta = el("span", "conversation-meta");
    var time = el("time");
    time.setAttribute("datetime", new Date().toISOString());
    meta.appendChild(time);
    link.appendChild(meta);
    li.appendChild(link);
    li.appendChild(buildMenu(cid, sentText.replace(/\s+/g, " ").trim(), vault));
    list.insertBefore(li, list.firstChild);
    wireItem(li);
    var none = document.getElementById("no-conversations");
    if (none) { none.hidden = true; }
    formatDates();
  }

  /* The same rename/delete menu the server renders (templates/chat.html), for a new entry. */
  function buildMenu(cid, title, vault) {
    var details = el("details", "conversation-menu");
    var summary = el("summary", "button-quiet");
    summary.setAttribute("aria-label", S.conversation_actions + ": " + restorePrompt(title, vault));
    summary.appendChild(el("span", null, "⋯")).setAttribute("aria-hidden", "true");
    details.appendChild(summary);
    var box = el("div", "conversation-menu-body");
    function postForm(className, action) {
      var f = el("form", className);
      f.method = "post";
      f.action = action;
      var token = el("input");
      token.type = "hidden";
      token.name = "csrf";
      token.value = csrf;
      f.appendChild(token);
      return f;
    }
    var rename = postForm("rename-form", "/c/" + encodeURIComponent(cid) + "/rename");
    var label = el("label", null, S.rename_label);
    label.htmlFor = "rename-" + cid;
    var input = el("input");
    input.type = "text";
    input.id = "rename-" + cid;
    input.name = "title";
    input.maxLength = 200;
    input.required = true;
    input.value = restorePrompt(title, vault);
    var save = el("button", "button-secondary", S.rename_button);
    save.type = "submit";
    rename.appendChild(label);
    rename.appendChild(input);
    rename.appendChild(save);
    var remove = postForm("delete-form", "/c/" + encodeURIComponent(cid) + "/delete");
    var del = el("button", "button-danger", S.delete_button);
    del.type = "submit";
    remove.appendChild(del);
    box.appendChild(rename);
    box.appendChild(remove);
    details.appendChild(box);
    return details;
  }

  function wireConversationMenus() {
    document.querySelectorAll(".conversation-item").forEach(wireItem);
  }

  function wireItem(item) {
    {
      var cid = item.getAttribute("data-conversation-id");
      var renameForm = item.querySelector(".rename-form");
      var deleteForm = item.querySelector(".delete-form");
      if (renameForm) {
        renameForm.addEventListener("submit", function (event) {
          event.preventDefault();
          var data = new FormData(renameForm);
          data.set("vault", JSON.stringify(vaultAsObject(storedVault(cid))));
          fetch(renameForm.action, { method: "POST", credentials: "same-origin", headers: jsonHeaders(), body: data })
            .then(function (response) {
              return response.json().then(function (body) { return { ok: response.ok, body: body }; });
            })
            .then(function (result) {
              if (!result.ok) { showAlert(localMessage(result.body.error || {}) || S.error_default); return; }
              var vault = storedVault(cid) || new Map();
              cleanVault(result.body.vault).forEach(function (value, key) { vault.set(key, value); });
              saveVault(cid, vault);
              var title = item.querySelector(".conversation-title");
              title.replaceChildren();
              appendText(title, result.body.title, vault);
              title.title = restorePrompt(result.body.title, vault);
              item.querySelector("details").open = false;
              statusBox.textContent = S.renamed;
            })
            .catch(function () { showAlert(S.network_error); });
        });
      }
      if (deleteForm) {
        deleteForm.addEventListener("submit", function (event) {
          event.preventDefault();
          if (!window.confirm(S.delete_confirm)) { return; }
          fetch(deleteForm.action, { method: "POST", credentials: "same-origin", headers: jsonHeaders(),
                                     body: new FormData(deleteForm) })
            .then(function (response) {
              if (!response.ok) { showAlert(S.error_default); return; }
              try { window.sessionStorage.removeItem(VAULT_PREFIX + cid); } catch (err) { /* nothing kept */ }
              if (String(conversationId) === String(cid)) {
                window.location.assign("/");
                return;
              }
              item.remove();
              statusBox.textContent = S.deleted;
              var list = document.getElementById("conversation-list");
              var none = document.getElementById("no-conversations");
              if (none && list && !list.children.length) { none.hidden = false; }
            })
            .catch(function () { showAlert(S.network_error); });
        });
      }
    }
  }

  // ---- alerts, counter and busy state ------------------------------------------------

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
    sendButton.hidden = value;
    stopButton.hidden = !value;
    transcript.setAttribute("aria-busy", value ? "true" : "false");
    statusBox.textContent = value ? S.writing : "";
    if (value) { stopButton.focus(); }
  }

  function updateCounter() {
    if (!counter || !textarea) { return; }
    var n = textarea.value.length;
    var over = n - maxChars;
    // Shown only near the limit, so it does not distract in everyday use.
    counter.hidden = n < maxChars * 0.8;
    counter.classList.toggle("over", over > 0);
    counter.textContent = over > 0
      ? format(S.chars_over, { n: n.toLocaleString(), max: maxChars.toLocaleString(), over: over.toLocaleString() })
      : format(S.chars_count, { n: n.toLocaleString(), max: maxChars.toLocaleString() });
  }

  function autoGrow() {
    textarea.style.height = "auto";
    textarea.style.height = Math.min(textarea.scrollHeight + 2, Math.round(window.innerHeight * 0.4)) + "px";
  }

  function localMessage(event) {
    var text = config.lang === "en" ? (event.message_en || event.message_de) : (event.message_de || event.message_en);
    return text || "";
  }

  /* Every failure message ends by reassuring that nothing typed was lost. */
  function withKeptHint(message, fallback) {
    return (message || fallback) + " " + S.prompt_kept;
  }

  /* Puts an unanswered prompt back, in front of anything typed since. */
  function giveBack(prompt) {
    var typed = textarea.value;
    if (typed.indexOf(prompt) === -1) { textarea.value = typed.trim() ? prompt + "\n\n" + typed : prompt; }
    updateCounter();
    autoGrow();
  }


  // ---- the last look before sending (preview) -------------------------------------------
  // The person sees the pseudonymised prompt first and may mark what the guard missed.
  // On by default; the switch next to "Senden" turns it off for this person in this browser.

  var previewPanel = document.getElementById("preview-panel");
  var previewToggle = document.getElementById("preview-toggle");
  var previewKey = "spielraum.preview." + (config.username || "");
  var preview = { prompt: "", marks: [], ready: false, blocked: false };

  function previewWanted() {
    return !!(previewPanel && previewToggle && previewToggle.checked);
  }

  if (previewToggle) {
    try { previewToggle.checked = window.localStorage.getItem(previewKey) !== "off"; } catch (err) { /* private mode */ }
    previewToggle.addEventListener("change", function () {
      try { window.localStorage.setItem(previewKey, previewToggle.checked ? "on" : "off"); } catch (err) { /* ignore */ }
    });
  }

  function checkPrompt(prompt) {
    if (!prompt.trim()) {
      showAlert(S.empty_prompt);
      textarea.focus();
      return false;
    }
    if (prompt.length > maxChars) {
      updateCounter();
      showAlert(format(S.chars_over, { n: prompt.length.toLocaleString(), max: maxChars.toLocaleString(),
                                      over: (prompt.length - maxChars).toLocaleString() }));
      textarea.focus();
      return false;
    }
    return true;
  }

  function requestSend() {
    if (busy) { return; }
    // The preview switched off: send at once.
    if (!previewWanted()) { sendPrompt(); return; }
    var prompt = textarea.value;
    if (!checkPrompt(prompt)) { return; }
    hideAlert();
    preview = { prompt: prompt, marks: [], ready: false, blocked: false };
    renderMarks();
    previewPanel.hidden = false;
    refreshPreview(true);
  }

  function closePreview() {
    previewPanel.hidden = true;
    preview.ready = false;
  }

  async function refreshPreview(focusTitle) {
    var legendBox = document.getElementById("preview-legend");
    var textBox = document.getElementById("preview-text");
    var sendNow = document.getElementById("preview-send");
    sendNow.disabled = true;
    legendBox.textContent = S.preview_loading;
    try {
      var response = await fetch("/chat/preview", {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRF-Token": csrf },
        body: JSON.stringify({
          conversation_id: conversationId, model_id: modelSelect ? modelSelect.value : null,
          prompt: preview.prompt, vault: vaultAsObject(storedVault(conversationId)),
          marks: preview.marks, csrf: csrf
        })
      });
      if (!response.ok) {
        closePreview();
        showAlert(await responseError(response));
        textarea.focus();
        return;
      }
      var event = await response.json();
      textBox.textContent = "";
      if (event.type === "blocked") {
        preview.blocked = true;
        legendBox.textContent = localMessage(event);
      } else {
        preview.blocked = false;
        appendText(textBox, event.sent_text || "", null);
        var legend = config.lang === "en" ? event.legend_en : event.legend_de;
        legendBox.textContent = legend || S.preview_nothing;
      }
      preview.ready = !preview.blocked;
      sendNow.disabled = preview.blocked;
      if (focusTitle) { document.getElementById("preview-title").focus(); }
    } catch (err) {
      closePreview();
      showAlert(S.network_error);
    }
  }

  function renderMarks() {
    var list = document.getElementById("mark-list");
    list.textContent = "";
    preview.marks.forEach(function (mark, index) {
      var item = el("li", "", mark.text + " · " + entityLabel(mark.entity_type, 1) + " ");
      var remove = el("button", "button-quiet", "×");
      remove.type = "button";
      remove.setAttribute("aria-label", format(S.mark_remove, { text: mark.text }));
      remove.addEventListener("click", function () {
        preview.marks.splice(index, 1);
        renderMarks();
        refreshPreview(false);
      });
      item.appendChild(remove);
      list.appendChild(item);
    });
  }

  function addMark() {
    var input = document.getElementById("mark-text");
    var text = input.value.trim();
    if (!text) { input.focus(); return; }
    if (preview.prompt.toLowerCase().indexOf(text.toLowerCase()) === -1) {
      document.getElementById("preview-legend").textContent = format(S.mark_not_found, { text: text });
      input.focus();
      return;
    }
    preview.marks.push({ text: text, entity_type: document.getElementById("mark-type").value });
    input.value = "";
    renderMarks();
    refreshPreview(false);
  }

  if (previewPanel) {
    document.getElementById("mark-add").addEventListener("click", addMark);
    document.getElementById("mark-text").addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); addMark(); }
    });
    // A word selected in the preview text is offered for marking.
    document.getElementById("preview-text").addEventListener("mouseup", function () {
      var selected = String(window.getSelection ? window.getSelection() : "").trim();
      if (selected && selected.length <= 200) { document.getElementById("mark-text").value = selected; }
    });
    document.getElementById("preview-send").addEventListener("click", function () {
      if (!preview.ready) { return; }
      var marks = preview.marks.slice();
      closePreview();
      sendPrompt(null, marks);
    });
    document.getElementById("preview-back").addEventListener("click", function () {
      closePreview();
      textarea.focus();
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && !previewPanel.hidden) { closePreview(); textarea.focus(); }
    });
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

  function setConversationAddress(cid) {
    var path = "/c/" + encodeURIComponent(cid);
    window.history.replaceState(null, "", path);
    // The language switch must come back here, not to an empty new chat.
    var next = document.getElementById("lang-next");
    if (next) { next.value = path; }
  }

  function applySent(turn, event, state) {
    var newConversation = conversationId == null;
    conversationId = event.conversation_id;
    // The server's mapping replaces ours: it holds every value we sent plus the new ones, and
    // a person first named by surname now maps to the full name.
    var vault = cleanVault(event.vault);
    saveVault(conversationId, vault);
    state.vault = vault;
    turn.vault = vault;
    state.sent = true;
    if (newConversation && conversationId != null) {
      setConversationAddress(conversationId);
      addSidebarEntry(conversationId, event.sent_text || "", vault);
    }
    var legend = config.lang === "en" ? event.legend_en : event.legend_de;
    turn.exchangeId = event.exchange_id;
    turn.article.setAttribute("data-exchange-id", event.exchange_id);
    // Open the first time in a conversation, so the person sees how it works; after that
    // the one-line summary is enough and long conversations stay readable.
    var first = inner.querySelectorAll("details.sent-panel").length === 0;
    turn.article.appendChild(buildSentPanel(event.sent_text || "", legend, vault, first && !!legend));
  }

  function failTurn(turn, state, message, prompt) {
    if (!state.sent) {
      turn.article.remove();
      var starter = document.getElementById("starter");
      if (starter && !inner.querySelector("article.turn")) { starter.hidden = false; }
    } else {
      addNote(turn, S.turn_error);
    }
    giveBack(prompt);
    showAlert(message);
  }

  async function sendPrompt(override, marks) {
    if (busy) { return; }
    var prompt = override != null ? override : textarea.value;
    if (!prompt.trim()) {
      showAlert(S.empty_prompt);
      textarea.focus();
      return;
    }
    if (prompt.length > maxChars) {
      updateCounter();
      showAlert(format(S.chars_over, { n: prompt.length.toLocaleString(), max: maxChars.toLocaleString(),
                                      over: (prompt.length - maxChars).toLocaleString() }));
      textarea.focus();
      return;
    }
    hideAlert();
    if (editing || override != null) {
      var replaced = await withdrawLast();
      if (!replaced) {
        showAlert(S.replace_failed);
        return;
      }
    }
    stopEditing();
    if (override == null) { textarea.value = ""; updateCounter(); autoGrow(); }
    setBusy(true);
    var vaultBefore = storedVault(conversationId);
    var modelId = modelSelect ? modelSelect.value : null;
    var turn = createTurn(prompt, null, modelId);
    turn.article._turn = turn;
    var previous = lastTurn;
    lastTurn = turn;
    if (previous) { addActions(previous); }
    scrollToBottom();
    var state = { sent: false, finished: false, vault: vaultBefore };
    controller = new AbortController();
    try {
      var response = await fetch("/chat/stream", {
        method: "POST",
        credentials: "same-origin",
        signal: controller.signal,
        headers: { "Content-Type": "application/json", "Accept": "application/x-ndjson", "X-CSRF-Token": csrf },
        body: JSON.stringify({
          conversation_id: conversationId,
          model_id: modelId,
          prompt: prompt,
          vault: vaultAsObject(vaultBefore),
          marks: marks || [],
          csrf: csrf
        })
      });
      if (!response.ok || !response.body) {
        failTurn(turn, state, withKeptHint(await responseError(response), S.error_default), prompt);
        lastTurn = previous;
        return;
      }
      for await (var event of ndjsonEvents(response.body)) {
        if (event.type === "sent") {
          applySent(turn, event, state);
          ensureAnswer(turn).appendChild(el("p", "writing", S.writing));
          scrollToBottom();
        } else if (event.type === "delta") {
          turn.answerText += event.text || "";
          scheduleRender(turn, state.vault);
        } else if (event.type === "done") {
          state.finished = true;
          var follow = nearBottom();
          renderMarkdown(ensureAnswer(turn), turn.answerText, state.vault);
          if (follow) { scrollToBottom(); }
          state.announce = S.answer_ready;
          addActions(turn);
          if (follow) { scrollToBottom(); }   // the action buttons added a line
          announceAnswer(turn);
        } else if (event.type === "blocked") {
          state.finished = true;
          state.sent = false;
          failTurn(turn, state, withKeptHint(localMessage(event), S.blocked_default), prompt);
          // The server keeps a record of the blocked attempt, so the earlier turn is no longer
          // the conversation's last one and cannot be replaced any more.
          lastTurn = conversationId == null ? previous : null;
        } else if (event.type === "error") {
          state.finished = true;
          failTurn(turn, state, withKeptHint(localMessage(event), S.error_default), prompt);
        }
      }
      if (!state.finished) { failTurn(turn, state, withKeptHint("", S.network_error), prompt); }
    } catch (err) {
      if (err && err.name === "AbortError") {
        stopped(turn, state, prompt);
      } else {
        failTurn(turn, state, withKeptHint("", S.network_error), prompt);
      }
    } finally {
      controller = null;
      setBusy(false);
      if (state.announce) { statusBox.textContent = state.announce; }
      if (lastTurn === turn && turn.exchangeId != null) {
        var atEnd = nearBottom();
        addActions(turn);
        if (atEnd) { scrollToBottom(); }
      }
      textarea.focus();
    }
  }

  /* The person pressed Stop: keep what arrived, say it is incomplete, keep the prompt. */
  function stopped(turn, state, prompt) {
    if (!state.sent) {
      turn.article.remove();
      giveBack(prompt);
      statusBox.textContent = S.stopped;
      return;
    }
    var body = ensureAnswer(turn);
    renderMarkdown(body, turn.answerText, state.vault);
    addNote(turn, S.stopped, "turn-stopped");
    state.announce = S.stopped;
  }

  // ---- regenerate and edit -------------------------------------------------------------

  async function withdrawLast() {
    var turn = lastTurn;
    if (!turn || turn.exchangeId == null || conversationId == null) { return false; }
    try {
      var response = await fetch("/c/" + encodeURIComponent(conversationId) + "/exchanges/" +
                                 encodeURIComponent(turn.exchangeId) + "/withdraw",
                                 { method: "POST", credentials: "same-origin", headers: jsonHeaders() });
      if (!response.ok) { return false; }
    } catch (err) {
      return false;
    }
    turn.article.remove();
    var turns = inner.querySelectorAll("article.turn");
    var before = turns.length ? turns[turns.length - 1]._turn : null;
    lastTurn = before || null;
    return true;
  }

  function regenerate(turn) {
    if (busy || turn !== lastTurn) { return; }
    sendPrompt(turn.prompt);
  }

  function startEdit(turn) {
    if (busy || turn !== lastTurn) { return; }
    editing = true;
    textarea.value = turn.prompt;
    if (editNote) { editNote.hidden = false; }
    updateCounter();
    autoGrow();
    textarea.focus();
  }

  function stopEditing() {
    editing = false;
    if (editNote) { editNote.hidden = true; }
  }

  // ---- documents -----------------------------------------------------------------------

  /* The server extracts the text and forgets the file; the text goes into the input, where
     it is a prompt like any other: checked by the guard only when the person sends it. */
  async function addDocument(file) {
    if (!file || busy) { return; }
    hideAlert();
    statusBox.textContent = S.document_reading;
    var notice = document.getElementById("document-status");
    try {
      var response = await fetch("/chat/document", {
        method: "POST", credentials: "same-origin", body: file,
        headers: { "Accept": "application/json", "Content-Type": "application/octet-stream",
                   "X-CSRF-Token": csrf, "X-Filename": encodeURIComponent(file.name || "") }
      });
      if (!response.ok) {
        showAlert(await responseError(response));
        statusBox.textContent = "";
        return;
      }
      var data = await response.json();
      var heading = format(S.document_heading, { name: data.filename });
      var typed = textarea.value.replace(/\s+$/, "");
      textarea.value = (typed ? typed + "\n\n" : "") + heading + "\n\n" + data.text;
      updateCounter();
      autoGrow();
      statusBox.textContent = format(S.document_added, { name: data.filename, chars: Number(data.chars).toLocaleString() });
      textarea.focus();
    } catch (err) {
      showAlert(S.network_error);
    } finally {
      var input = document.getElementById("document");
      if (input) { input.value = ""; }
    }
  }

  function wireDocuments() {
    var input = document.getElementById("document");
    if (input) {
      input.addEventListener("change", function () { addDocument(input.files && input.files[0]); });
    }
    if (!form) { return; }
    textarea.addEventListener("paste", function (event) {
      var files = event.clipboardData && event.clipboardData.files;
      if (files && files.length) {
        event.preventDefault();
        addDocument(files[0]);
      }
    });
    form.addEventListener("dragover", function (event) {
      if (event.dataTransfer && Array.prototype.indexOf.call(event.dataTransfer.types, "Files") !== -1) {
        event.preventDefault();
        form.classList.add("dropping");
      }
    });
    form.addEventListener("dragleave", function () { form.classList.remove("dropping"); });
    form.addEventListener("drop", function (event) {
      form.classList.remove("dropping");
      var files = event.dataTransfer && event.dataTransfer.files;
      if (files && files.length) {
        event.preventDefault();
        addDocument(files[0]);
      }
    });
  }

  // ---- wiring ------------------------------------------------------------------------

  wireDocuments();

  formatDates();
  restoreSidebarTitles();
  wireConversationMenus();
  renderHistory();
  // A library prompt arrives as /?prompt=… (the server already put it into the input, never
  // sent): keep the text out of the address bar and the browser history.
  if (new URLSearchParams(window.location.search).has("prompt")) {
    window.history.replaceState(null, "", window.location.pathname);
  }
  if ((config.exchanges || []).length) { scrollToBottom(); }

  var toggle = document.getElementById("sidebar-toggle");
  var sidebar = document.getElementById("sidebar");
  if (toggle && sidebar) {
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      document.body.classList.toggle("sidebar-open", open);
      if (open) { var first = sidebar.querySelector("a, button, input"); if (first) { first.focus(); } }
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && document.body.classList.contains("sidebar-open")) {
        document.body.classList.remove("sidebar-open");
        toggle.setAttribute("aria-expanded", "false");
        toggle.focus();
      }
    });
  }

  if (modelSelect) {
    modelSelect.addEventListener("change", function () {
      var description = document.getElementById("model-description");
      var option = modelSelect.selectedOptions[0];
      if (description && option) { description.textContent = option.getAttribute("data-description") || ""; }
      if (option) { modelSelect.title = option.getAttribute("data-description") || ""; }
    });
  }

  document.querySelectorAll(".starter-task[data-prompt]").forEach(function (button) {
    button.addEventListener("click", function () {
      // Only fills the input: the person adds their text and decides when to send.
      textarea.value = button.getAttribute("data-prompt");
      updateCounter();
      autoGrow();
      textarea.focus();
      textarea.setSelectionRange(textarea.value.length, textarea.value.length);
    });
  });

  if (form && textarea) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      requestSend();
    });
    textarea.addEventListener("keydown", function (event) {
      if (event.key !== "Enter" || event.isComposing) { return; }
      if (event.shiftKey || event.altKey) { return; }   // a new line
      event.preventDefault();
      requestSend();
    });
    textarea.addEventListener("input", function () { updateCounter(); autoGrow(); });
    if (stopButton) {
      stopButton.addEventListener("click", function () { if (controller) { controller.abort(); } });
    }
    var cancel = document.getElementById("edit-cancel");
    if (cancel) {
      cancel.addEventListener("click", function () { stopEditing(); textarea.value = ""; updateCounter(); autoGrow(); });
    }
    updateCounter();
    if (textarea.value) { autoGrow(); textarea.focus(); }
  }
}());

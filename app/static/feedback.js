/*
 * Spielraum feedback under each answer: a short reminder to check the result, a rating
 * (helpful / not helpful, optional reason and comment) and a link to share the exchange.
 *
 * Hangs on the chat page's "spielraum:answer" event ({exchangeId, element}); holds no
 * user-facing text (strings come from /learning/feedback/strings as JSON) and inserts
 * everything with textContent. The chat opened from the library carries ?library_prompt=ID;
 * it is read here before chat.js tidies the address bar, and sent with the first rating.
 */
(function () {
  "use strict";

  var params = new URLSearchParams(window.location.search);
  var libraryPrompt = params.get("library_prompt");
  var pendingPromptId = /^\d+$/.test(libraryPrompt || "") ? Number(libraryPrompt) : null;
  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  var csrf = csrfMeta ? csrfMeta.getAttribute("content") : "";
  var stringsPromise = null;
  var counter = 0;
  // chat.js announces the answers of an opened conversation before DOMContentLoaded.
  var pageReady = false;
  document.addEventListener("DOMContentLoaded", function () { pageReady = true; });

  function strings() {
    if (!stringsPromise) {
      stringsPromise = fetch("/learning/feedback/strings", { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .catch(function () { return null; });
    }
    return stringsPromise;
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text != null) { node.textContent = text; }
    return node;
  }

  function field(labelText, control, id) {
    var wrap = el("div", "field");
    var label = el("label", null, labelText);
    label.htmlFor = id;
    control.id = id;
    wrap.appendChild(label);
    wrap.appendChild(control);
    return wrap;
  }

  function build(S, exchangeId, promptId) {
    var n = ++counter;
    var box = el("section", "feedback");
    box.setAttribute("aria-label", S.fb_question);
    box.setAttribute("data-feedback-for", exchangeId);
    box.appendChild(el("p", "feedback-check", S.fb_check));

    var form = el("form", "feedback-form");
    var fieldset = el("fieldset");
    fieldset.appendChild(el("legend", null, S.fb_question));
    var row = el("div", "feedback-row");
    var helpful = el("button", "button-secondary", S.fb_helpful);
    var notHelpful = el("button", "button-secondary", S.fb_not_helpful);
    [helpful, notHelpful].forEach(function (button) {
      button.type = "button";
      button.setAttribute("aria-pressed", "false");
      row.appendChild(button);
    });
    fieldset.appendChild(row);

    var details = el("div", "feedback-details");
    details.hidden = true;
    var reason = el("select");
    reason.appendChild(new Option(S.fb_reason_none, ""));
    S.reasons.forEach(function (pair) { reason.appendChild(new Option(pair[1], pair[0])); });
    details.appendChild(field(S.fb_reason, reason, "fb-reason-" + n));
    var comment = el("textarea");
    comment.rows = 2;
    comment.maxLength = 2000;
    details.appendChild(field(S.fb_comment, comment, "fb-comment-" + n));
    var save = el("button", "button-primary", S.fb_send);
    save.type = "submit";
    details.appendChild(save);
    fieldset.appendChild(details);
    form.appendChild(fieldset);
    var status = el("p", "feedback-status");
    status.setAttribute("role", "status");
    form.appendChild(status);
    box.appendChild(form);

    var share = el("a", "feedback-share", S.fb_share);
    share.href = "/learning/board/share/" + encodeURIComponent(exchangeId);
    box.appendChild(share);

    var choice = null;
    function choose(value) {
      choice = value;
      helpful.setAttribute("aria-pressed", String(value === true));
      notHelpful.setAttribute("aria-pressed", String(value === false));
      details.hidden = false;
      reason.value = value ? "hilfreich" : "";
      reason.focus();
    }
    helpful.addEventListener("click", function () { choose(true); });
    notHelpful.addEventListener("click", function () { choose(false); });

    form.addEventListener("submit", async function (event) {
      event.preventDefault();
      if (choice === null) { return; }
      save.disabled = true;
      status.textContent = "";
      try {
        var response = await fetch("/learning/feedback", {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRF-Token": csrf },
          body: JSON.stringify({ exchange_id: Number(exchangeId), helpful: choice, reason: reason.value || null,
                                 comment: comment.value, prompt_id: promptId })
        });
        if (response.ok) {
          status.textContent = S.fb_saved;
        } else {
          var data = null;
          try { data = await response.json(); } catch (err) { data = null; }
          var message = data && data.error ? (S.lang === "en" ? data.error.message_en : data.error.message) : null;
          status.textContent = message || S.fb_failed;
        }
      } catch (err) {
        status.textContent = S.fb_failed;
      } finally {
        save.disabled = false;
      }
    });
    return box;
  }

  document.addEventListener("spielraum:answer", function (event) {
    var detail = event.detail || {};
    var element = detail.element;
    var exchangeId = detail.exchangeId;
    if (!element || !/^\d+$/.test(String(exchangeId || ""))) { return; }
    if (element.querySelector("[data-feedback-for]")) { return; }
    // Answers announced at page load are history; only a fresh answer belongs to the library prompt.
    var promptId = pageReady ? pendingPromptId : null;
    if (promptId !== null) { pendingPromptId = null; }
    strings().then(function (S) {
      if (S) { element.appendChild(build(S, String(exchangeId), promptId)); }
    });
  });
}());

/*
 * Compare models (/learning/compare): one prompt to two models through the ordinary
 * /chat/stream (so both pass the guard and are logged like any turn, each in its own new
 * conversation), answers side by side, then a vote. All text is inserted with textContent;
 * user-facing strings come from the page's JSON config. The placeholder mapping of each new
 * conversation is kept in this tab's sessionStorage, as the chat does, so opening the
 * conversation later in this tab still shows the originals.
 */
(function () {
  "use strict";

  var configNode = document.getElementById("compare-config");
  var form = document.getElementById("compare-form");
  if (!configNode || !form) { return; }
  var config = JSON.parse(configNode.textContent);
  var S = config.strings || {};
  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  var csrf = csrfMeta ? csrfMeta.getAttribute("content") : "";
  var promptBox = document.getElementById("compare-prompt");
  var alertBox = document.getElementById("compare-alert");
  var statusBox = document.getElementById("compare-status");
  var sendButton = document.getElementById("compare-send");
  var results = document.getElementById("compare-results");
  var voteForm = document.getElementById("vote-form");
  var voteStatus = document.getElementById("vote-status");
  var current = null;

  function showAlert(message) { alertBox.textContent = message; alertBox.hidden = false; }

  function localMessage(event) {
    var text = config.lang === "en" ? event.message_en : event.message_de;
    return text || (event.type === "blocked" ? S.blocked_default : S.error_default);
  }

  async function* lines(body) {
    var reader = body.getReader();
    var decoder = new TextDecoder();
    var buffer = "";
    while (true) {
      var chunk = await reader.read();
      if (chunk.done) { break; }
      buffer += decoder.decode(chunk.value, { stream: true });
      var parts = buffer.split("\n");
      buffer = parts.pop();
      for (var i = 0; i < parts.length; i++) { if (parts[i].trim()) { yield JSON.parse(parts[i]); } }
    }
    if (buffer.trim()) { yield JSON.parse(buffer); }
  }

  async function ask(modelId, prompt, target) {
    var response = await fetch("/chat/stream", {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/x-ndjson", "X-CSRF-Token": csrf },
      body: JSON.stringify({ conversation_id: null, model_id: modelId, prompt: prompt, vault: {}, csrf: csrf })
    });
    if (!response.ok || !response.body) {
      var data = null;
      try { data = await response.json(); } catch (err) { data = null; }
      throw new Error(data && data.error ? (config.lang === "en" ? data.error.message_en : data.error.message) : S.error_default);
    }
    var result = { exchangeId: null, text: "" };
    for await (var event of lines(response.body)) {
      if (event.type === "sent") {
        result.exchangeId = event.exchange_id;
        if (event.conversation_id != null && event.vault) {
          try { sessionStorage.setItem("spielraum.vault." + event.conversation_id, JSON.stringify(event.vault)); } catch (err) { /* storage full or off */ }
        }
      } else if (event.type === "delta") {
        result.text += event.text || "";
        target.textContent = result.text;
      } else if (event.type === "done") {
        result.done = true;
      } else if (event.type === "blocked" || event.type === "error") {
        throw new Error(localMessage(event));
      }
    }
    if (!result.done) { throw new Error(S.network_error); }
    return result;
  }

  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    var prompt = promptBox.value;
    var modelA = document.getElementById("model-a").value;
    var modelB = document.getElementById("model-b").value;
    alertBox.hidden = true;
    if (!prompt.trim()) { showAlert(S.empty_prompt); promptBox.focus(); return; }
    if (modelA === modelB) { showAlert(S.compare_same_model); return; }
    sendButton.disabled = true;
    statusBox.textContent = S.sending;
    voteForm.hidden = true;
    voteStatus.textContent = "";
    results.hidden = false;
    var targetA = document.getElementById("answer-a");
    var targetB = document.getElementById("answer-b");
    targetA.textContent = "";
    targetB.textContent = "";
    document.getElementById("answer-model-a").textContent = "(" + document.getElementById("model-a").selectedOptions[0].textContent + ")";
    document.getElementById("answer-model-b").textContent = "(" + document.getElementById("model-b").selectedOptions[0].textContent + ")";
    try {
      // One after the other: the guard and a small server are not hurried, and order is stable.
      var a = await ask(modelA, prompt, targetA);
      var b = await ask(modelB, prompt, targetB);
      current = { a: a.exchangeId, b: b.exchangeId };
      voteForm.hidden = false;
      statusBox.textContent = "";
    } catch (err) {
      showAlert(err && err.message ? err.message : S.error_default);
    } finally {
      sendButton.disabled = false;
    }
  });

  voteForm.querySelectorAll("button[data-winner]").forEach(function (button) {
    button.addEventListener("click", async function () {
      if (!current) { return; }
      voteForm.querySelectorAll("button[data-winner]").forEach(function (other) { other.setAttribute("aria-pressed", String(other === button)); });
      try {
        var response = await fetch("/learning/compare/vote", {
          method: "POST", credentials: "same-origin",
          headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRF-Token": csrf },
          body: JSON.stringify({ exchange_a: current.a, exchange_b: current.b, winner: button.getAttribute("data-winner") })
        });
        voteStatus.textContent = response.ok ? S.compare_voted : S.error_default;
      } catch (err) {
        voteStatus.textContent = S.network_error;
      }
    });
  });
}());

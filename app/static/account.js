// The account page's copy button for a new API token: the token is shown once, so copying
// it must be easy. Without the clipboard API (plain http) the text is selected instead.
"use strict";
(function () {
  const button = document.getElementById("copy-token");
  if (!button) return;
  const field = document.getElementById(button.dataset.copyTarget);
  const status = document.getElementById("copy-status");
  button.addEventListener("click", async () => {
    field.focus();
    field.select();
    try {
      await navigator.clipboard.writeText(field.value);
      status.textContent = button.dataset.copied;
    } catch (_err) {
      status.textContent = button.dataset.copyFailed;
    }
  });
})();

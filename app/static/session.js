/*
 * Signing out forgets the originals: the placeholder mappings this tab kept in
 * sessionStorage are removed before the logout form is sent, so the next person at this
 * browser cannot restore anything, even for a conversation they could open.
 */
(function () {
  "use strict";
  var form = document.getElementById("logout-form");
  if (!form) { return; }
  form.addEventListener("submit", function () {
    try {
      for (var i = window.sessionStorage.length - 1; i >= 0; i -= 1) {
        var key = window.sessionStorage.key(i);
        if (key && key.indexOf("spielraum.vault.") === 0) { window.sessionStorage.removeItem(key); }
      }
    } catch (err) {
      // Storage disabled: then nothing was kept either.
    }
  });
}());

// Fills the invite code from the link's fragment (#code=…), which the browser never
// sends to a server, then takes the code out of the address bar and history.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var fragment = window.location.hash.replace(/^#/, "");
  if (!fragment) return;
  var code = new URLSearchParams(fragment).get("code");
  var field = document.getElementById("code");
  if (code && field && !field.value) {
    field.value = code;
    var next = document.getElementById(document.getElementById("username").value ? "password" : "username");
    if (next) next.focus();
  }
  window.history.replaceState(null, "", window.location.pathname + window.location.search);
});

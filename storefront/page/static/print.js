// The invoice's print view: a Print button for browsers with this script. Without it the page
// says to use the browser's own Print command, which works the same.
"use strict";
(function () {
  var button = document.getElementById("print-now");
  if (!button || typeof window.print !== "function") {
    return;
  }
  button.hidden = false;
  var hint = document.getElementById("print-hint");
  if (hint) {
    hint.hidden = true;
  }
  button.addEventListener("click", function () { window.print(); });
})();

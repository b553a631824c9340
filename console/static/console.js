// hostflow admin console: progressive enhancement only. Every page works without this file.
"use strict";
(function () {
  // The order list: a "select all" box in the header of the bulk table.
  var table = document.querySelector("table.orders");
  if (table) {
    var head = table.querySelector("thead th");
    // The rows are looked up when used: live.js may have replaced them since.
    var boxes = function () { return table.querySelectorAll("tbody input[name=ids]"); };
    if (head && boxes().length > 0) {
      var all = document.createElement("input");
      all.type = "checkbox";
      all.id = "tick-all";
      all.setAttribute("aria-label", "Select all orders on this page");
      all.addEventListener("change", function () {
        boxes().forEach(function (b) { b.checked = all.checked; });
      });
      head.appendChild(all);
    }
  }
  // A button pressed once shows it is working and is not pressed twice. One listener on the
  // document serves forms live.js puts on the page later too.
  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    if (!(form instanceof HTMLFormElement) || form.method !== "post") {
      return;
    }
    if (form.dataset.sent === "1") {
      ev.preventDefault();
      return;
    }
    form.dataset.sent = "1";
    var b = ev.submitter;
    if (b) {
      b.setAttribute("aria-busy", "true");
    }
  });
  // Coming back to a page from the history makes its forms usable again.
  window.addEventListener("pageshow", function (ev) {
    if (ev.persisted) {
      document.querySelectorAll("form[data-sent]").forEach(function (f) { delete f.dataset.sent; });
    }
  });
})();

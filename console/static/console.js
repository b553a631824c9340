// hostflow admin console: progressive enhancement only. Every page works without this file.
"use strict";
(function () {
  // The order list: a "select all" box in the header of the bulk table.
  var table = document.querySelector("table.orders");
  if (table) {
    var head = table.querySelector("thead th");
    var boxes = table.querySelectorAll("tbody input[name=ids]");
    if (head && boxes.length > 0) {
      var all = document.createElement("input");
      all.type = "checkbox";
      all.id = "tick-all";
      all.setAttribute("aria-label", "Select all orders on this page");
      all.addEventListener("change", function () {
        boxes.forEach(function (b) { b.checked = all.checked; });
      });
      head.appendChild(all);
    }
  }
  // A button pressed once shows it is working and is not pressed twice.
  document.querySelectorAll("form[method=post]").forEach(function (form) {
    form.addEventListener("submit", function (ev) {
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
  });
  // Coming back to a page from the history makes its forms usable again.
  window.addEventListener("pageshow", function (ev) {
    if (ev.persisted) {
      document.querySelectorAll("form[data-sent]").forEach(function (f) { delete f.dataset.sent; });
    }
  });
})();

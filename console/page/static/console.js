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
  // Add New Order: the client box offers the clients whose name, company or email starts with
  // what is typed, and the order summary follows the form. Without this the page does both
  // when the admin presses Calculate Total.
  var newOrder = document.getElementById("new-order");
  if (newOrder && window.fetch && window.DOMParser) {
    var box = document.getElementById("client");
    var list = document.getElementById("client-options");
    var typing = 0;
    var asked = "";
    box.addEventListener("input", function () {
      window.clearTimeout(typing);
      typing = window.setTimeout(function () {
        var q = box.value.trim();
        if (q === asked || /^#?\d+(\s|$)/.test(q)) {
          return;
        }
        asked = q;
        fetch(newOrder.action.replace(/\/orders\/new$/, "/clients/options") + "?q=" + encodeURIComponent(q),
          { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (res) { return res.ok ? res.json() : []; })
          .then(function (names) {
            if (q !== asked) {
              return; // a later answer is on its way
            }
            list.replaceChildren.apply(list, names.map(function (n) {
              var o = document.createElement("option");
              o.value = n;
              return o;
            }));
          })
          .catch(function () { /* the admin can still type and press Calculate Total */ });
      }, 150);
    });
    var pricing = 0;
    var priced = 0; // the newest answer shown
    var waiting = 0;
    function price() {
      var n = ++pricing;
      var data = new URLSearchParams(new FormData(newOrder));
      data.set("op", "preview");
      fetch(newOrder.action, { method: "POST", credentials: "same-origin", body: data,
        headers: { Accept: "text/html" } })
        .then(function (res) { return res.text(); })
        .then(function (html) {
          if (n < priced) {
            return; // an answer to a later form is shown already
          }
          priced = n;
          // The summary says the total, or why there is none yet (#quote-problem).
          var doc = new DOMParser().parseFromString(html, "text/html");
          var fresh = doc.getElementById("order-total");
          var summary = document.getElementById("order-total");
          if (fresh && summary) {
            summary.replaceWith(document.importNode(fresh, true));
          }
        })
        .catch(function () { /* Calculate Total still works */ });
    }
    // Typing and choosing alike reprice the order, once the admin pauses.
    function changed(ev) {
      if (ev.target === box && !/^#?\d+(\s|$)/.test(box.value.trim())) {
        return; // not a picked client yet
      }
      window.clearTimeout(waiting);
      waiting = window.setTimeout(price, 300);
    }
    newOrder.addEventListener("change", changed);
    newOrder.addEventListener("input", changed);
    // A domain row shows the fields its choice takes: the period and nameservers for Register
    // and Transfer, the EPP code for Transfer. Hidden fields are still posted, and ignored.
    function showFor(choice) {
      var row = choice.closest(".row");
      row.querySelectorAll("[data-for]").forEach(function (p) {
        p.hidden = p.dataset.for.split(" ").indexOf(choice.value) < 0;
      });
    }
    newOrder.querySelectorAll("select.domain-action").forEach(showFor);
    newOrder.addEventListener("change", function (ev) {
      if (ev.target.matches("select.domain-action")) {
        showFor(ev.target);
      }
    });
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

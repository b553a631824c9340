// The storefront's progressive enhancement only: every page works without this file.
"use strict";
(function () {
  // A form sent once is not sent again by a second click while its page loads (the server
  // places one order anyway: the cart's idempotency key).
  document.querySelectorAll("form").forEach(function (form) {
    form.addEventListener("submit", function (ev) {
      if (form.dataset.sent === "1") {
        ev.preventDefault();
        return;
      }
      form.dataset.sent = "1";
      window.setTimeout(function () {
        form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
      }, 0);
    });
  });

  // A page come back to from the history is a fresh chance to send its forms.
  window.addEventListener("pageshow", function (ev) {
    if (!ev.persisted) {
      return;
    }
    document.querySelectorAll("form").forEach(function (form) {
      delete form.dataset.sent;
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = false; });
    });
  });

  // Show only the fields a choice needs: the EPP code for a transfer, the period for a
  // registration or transfer, the sign-in or registration fields at checkout. Without this
  // every field shows and the server reads the ones the choice needs.
  function follow(name, apply) {
    var radios = document.querySelectorAll("input[type=radio][name=" + name + "]");
    if (radios.length === 0) {
      return;
    }
    function update() {
      var picked = document.querySelector("input[type=radio][name=" + name + "]:checked");
      apply(picked ? picked.value : "");
    }
    radios.forEach(function (r) { r.addEventListener("change", update); });
    update();
  }
  function show(selector, on) {
    document.querySelectorAll(selector).forEach(function (el) { el.hidden = !on; });
  }
  follow("domain_action", function (v) {
    show(".when-transfer", v === "transfer");
    show(".when-register-transfer", v === "register" || v === "transfer");
  });
  follow("account", function (v) {
    show(".when-login", v === "login");
    show(".when-new", v === "new");
  });

  // A billing cycle picked in the cart applies at once; the Update button is for pages
  // without this script.
  document.querySelectorAll("select.autosubmit").forEach(function (sel) {
    var button = sel.form.querySelector("button[type=submit]");
    if (button) {
      button.hidden = true;
    }
    sel.addEventListener("change", function () { sel.form.requestSubmit(); });
  });
})();

// The storefront's progressive enhancement only: every page works without this file.
"use strict";
(function () {
  // A form sent once is not sent again by a second click while its page loads (the server
  // places one order anyway: the cart's idempotency key). Listened for on the document, so
  // that forms put in place by a live update are guarded too.
  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    if (form.dataset.sent === "1") {
      ev.preventDefault();
      return;
    }
    form.dataset.sent = "1";
    window.setTimeout(function () {
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
    }, 0);
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
  function picked(name) {
    var r = document.querySelector("input[type=radio][name=" + name + "]:checked");
    return r ? r.value : "";
  }
  function follow(name, apply) {
    var radios = document.querySelectorAll("input[type=radio][name=" + name + "]");
    if (radios.length === 0) {
      return;
    }
    radios.forEach(function (r) { r.addEventListener("change", function () { apply(picked(name)); }); });
    apply(picked(name));
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

  // Live updates: a form is sent in the background and the parts of the page it changes
  // (the elements named by data-live-regions) are taken from the server's answer, the same
  // page a submit would show. The server decides everything; this only spares the reload.
  var sequence = 0;
  function live(form, op, regions) {
    var body = new URLSearchParams(new FormData(form));
    if (op) {
      body.set("op", op);
    }
    var mine = ++sequence;
    return fetch(form.action, { method: "POST", body: body, credentials: "same-origin" })
      .then(function (res) { return res.text(); })
      .then(function (html) {
        if (mine !== sequence) {
          return; // a later change answers instead
        }
        var page = new DOMParser().parseFromString(html, "text/html");
        var focused = document.activeElement && document.activeElement.id;
        regions.forEach(function (id) {
          var now = document.getElementById(id), next = page.getElementById(id);
          if (now && next) {
            now.replaceWith(document.adoptNode(next));
          }
        });
        var again = focused && document.getElementById(focused);
        if (again && again !== document.activeElement) {
          again.focus();
        }
      })
      .catch(function () { /* the buttons still work */ });
  }
  function regionsOf(el) { return (el.dataset.liveRegions || "").split(/\s+/).filter(Boolean); }

  // A billing cycle picked in the cart applies at once; the Update button is for pages
  // without this script.
  document.querySelectorAll("select.autosubmit").forEach(function (sel) {
    var button = sel.form.querySelector("button[type=submit]");
    if (button) {
      button.hidden = true;
    }
  });
  document.addEventListener("change", function (ev) {
    var sel = ev.target;
    if (sel.matches && sel.matches("select.autosubmit")) {
      live(sel.form, "", regionsOf(sel)).then(function () {
        document.querySelectorAll("select.autosubmit").forEach(function (s) {
          var b = s.form.querySelector("button[type=submit]");
          if (b) {
            b.hidden = true;
          }
        });
      });
    }
  });

  // What the customer types is checked as they pause: a domain's availability, a promotion
  // code's discount on the total. Listened for on the document, so that a field a live update
  // put in place is followed too.
  var typing = 0;
  document.addEventListener("input", function (ev) {
    var input = ev.target;
    if (!input.matches || !input.matches("input[data-live-op]")) {
      return;
    }
    window.clearTimeout(typing);
    var when = (input.dataset.liveWhen || "").split("=");
    var value = input.value.trim();
    if ((when.length === 2 && picked(when[0]) !== when[1]) || value.length < 3) {
      return;
    }
    if (input.dataset.liveOp === "check" && value.indexOf(".") < 1) {
      return; // not a domain name yet
    }
    typing = window.setTimeout(function () { live(input.form, input.dataset.liveOp, regionsOf(input)); }, 500);
  });

  // A page waiting for news (back from the payment page before the payment's news landed)
  // looks again every few seconds, for at most two minutes, and takes the server's page in
  // place of its own: the same page a reload would show, which stops asking once it has the
  // news.
  var poll = document.querySelector("[data-poll]");
  if (poll) {
    var every = (parseInt(poll.dataset.poll, 10) || 2) * 1000, tries = 60;
    var look = function () {
      fetch(window.location.href, { credentials: "same-origin" })
        .then(function (res) { return res.text(); })
        .then(function (html) {
          var next = new DOMParser().parseFromString(html, "text/html").getElementById(poll.id);
          var now = document.getElementById(poll.id);
          if (next && now) {
            now.replaceWith(document.adoptNode(next));
          }
          if (next && next.dataset.poll && --tries > 0) {
            window.setTimeout(look, every);
          }
        })
        .catch(function () {
          if (--tries > 0) {
            window.setTimeout(look, every);
          }
        });
    };
    window.setTimeout(look, every);
  }
})();

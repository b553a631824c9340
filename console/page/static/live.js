// hostflow admin console: live pages. A page whose <main> names an events stream
// (data-events) follows it with EventSource and, when an order it shows changes, fetches itself
// again and swaps in its live parts (the elements marked data-live, by id). Without this file
// the page is simply reloaded by hand.
"use strict";
(function () {
  var main = document.querySelector("main[data-events]");
  if (!main || !window.EventSource || !window.fetch || !window.DOMParser) {
    return;
  }
  var root = document.documentElement;
  var busy = false; // a refresh is under way
  var again = false; // another change came during it
  var timer = 0;

  // whole reloads the page: its live parts no longer match what the server shows.
  function whole() {
    if (!document.querySelector("form[data-sent]")) {
      window.location.reload();
    }
  }

  function ids(doc) {
    return Array.prototype.map.call(doc.querySelectorAll("[data-live][id]"), function (el) { return el.id; }).join(" ");
  }

  function refresh() {
    // A form being posted takes the admin to a new page anyway.
    if (busy || document.querySelector("form[data-sent]")) {
      again = busy;
      return;
    }
    busy = true;
    // Marked as the page's own request: it does not keep the session from idling out.
    fetch(window.location.href, {
      credentials: "same-origin",
      headers: { Accept: "text/html", "X-Hostflow-Background": "1" },
      cache: "no-store"
    })
      .then(function (res) {
        // Signed out (the sign-in page) or the order is gone: show it as a reload would.
        if (!res.ok || new URL(res.url).pathname !== window.location.pathname) {
          whole();
          return null;
        }
        return res.text();
      })
      .then(function (html) {
        if (html === null) {
          return;
        }
        var doc = new DOMParser().parseFromString(html, "text/html");
        if (ids(doc) !== ids(document)) {
          whole();
          return;
        }
        var ticked = {};
        document.querySelectorAll("input[name=ids]:checked").forEach(function (b) { ticked[b.value] = true; });
        document.querySelectorAll("[data-live][id]").forEach(function (old) {
          var fresh = doc.getElementById(old.id);
          // Keep what the admin is typing into or has open.
          if (old.contains(document.activeElement) && document.activeElement !== document.body) {
            return;
          }
          var open = {};
          old.querySelectorAll("details[open]").forEach(function (d, i) { open[i] = true; });
          var copy = document.importNode(fresh, true);
          copy.querySelectorAll("details").forEach(function (d, i) { if (open[i]) { d.open = true; } });
          old.replaceWith(copy);
        });
        document.querySelectorAll("input[name=ids]").forEach(function (b) { b.checked = !!ticked[b.value]; });
        document.title = doc.title;
        root.dataset.liveRefreshed = String(Number(root.dataset.liveRefreshed || "0") + 1);
      })
      .catch(function () { /* the next change tries again */ })
      .then(function () {
        busy = false;
        if (again) {
          again = false;
          schedule();
        }
      });
  }

  // schedule gathers the changes of a moment into one refresh.
  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 150);
  }

  var source = null;
  var opened = false;
  function connect() {
    source = new EventSource(main.dataset.events);
    source.addEventListener("open", function () {
      // After a break the stream may have missed changes: catch up once.
      if (opened) {
        schedule();
      }
      opened = true;
      root.dataset.live = "open";
    });
    source.addEventListener("error", function () {
      root.dataset.live = "closed";
    });
    source.addEventListener("order", schedule);
  }
  connect();
  // A page left for another holds no stream; one restored from the history catches up.
  window.addEventListener("pagehide", function () {
    source.close();
    root.dataset.live = "closed";
  });
  window.addEventListener("pageshow", function (ev) {
    if (ev.persisted) {
      connect();
    }
  });
})();

// The counter screen (templates/cashiering/counter.html), keyboard first:
// - Enter in an account field (a stub scanner sends one after the scan line)
//   looks the account up and moves on instead of posting a half-filled form;
// - a scan line's lookup puts the account number and the stub's amount in
//   the row (the server's "counter:scanned" event);
// - empty extra rows stay out of the Tab order until "Add another ..." or a
//   click puts them in use;
// - a refused payment puts the cursor on the first field to fix.
(function () {
  "use strict";

  function form() { return document.querySelector("form[data-counter]"); }

  // The live panels' requests must not be cut off by the page leaving (htmx
  // reports an aborted request as an error): a post waits for the request in
  // flight, and none starts once the post is on its way.
  var inFlight = 0, leaving = false, waiting = null;
  document.addEventListener("htmx:beforeRequest", function (event) {
    if (leaving) { event.preventDefault(); return; }
    inFlight += 1;
  });
  document.addEventListener("htmx:afterRequest", function () {
    inFlight = Math.max(0, inFlight - 1);
    if (!inFlight && waiting) {
      var pending = waiting;
      waiting = null;
      pending.requestSubmit();
    }
  });
  document.addEventListener("submit", function (event) {
    if (!event.target.matches("[data-settle-before-submit]")) return;
    if (inFlight) {
      event.preventDefault();
      event.stopImmediatePropagation();
      waiting = event.target;
      return;
    }
    leaving = true;
  }, true);

  function activate(row) {
    if (!row || !row.hasAttribute("data-unused")) return;
    row.removeAttribute("data-unused");
    row.classList.remove("counter-row-unused", "opacity-75");
    row.querySelectorAll("[data-skip]").forEach(function (el) {
      el.removeAttribute("tabindex");
      el.removeAttribute("data-skip");
    });
  }

  function nextField(el) {
    if (!form()) return null;
    var fields = Array.prototype.filter.call(
      form().querySelectorAll("input:not([type=hidden]), select, textarea, button"),
      function (f) { return f.tabIndex >= 0 && !f.disabled && !f.hidden && f.offsetParent !== null; }
    );
    return fields[fields.indexOf(el) + 1];
  }

  document.addEventListener("keydown", function (event) {
    var input = event.target.closest && event.target.closest("[data-counter-account]");
    if (!input || event.key !== "Enter") return;
    event.preventDefault();
    // Leaving the field fires its change event, which asks for the lookup.
    var next = nextField(input);
    if (next) next.focus();
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-counter-add]");
    if (!button || !form()) return;
    var row = form().querySelector(
      '[data-counter-row="' + button.getAttribute("data-counter-add") + '"][data-unused]'
    );
    if (!row) { button.disabled = true; return; }
    activate(row);
    row.querySelector("input, select").focus();
    if (!form().querySelector('[data-counter-row="' + button.getAttribute("data-counter-add") + '"][data-unused]')) {
      button.hidden = true;
    }
  });

  // A click (or a label) into an unused row puts it in use.
  document.addEventListener("focusin", function (event) {
    if (form() && form().contains(event.target)) activate(event.target.closest("[data-unused]"));
  });

  // A refused payment comes back with the cursor on what needs fixing.
  var refused = document.querySelector("form[data-counter][data-refused]");
  if (refused) {
    var fix = refused.querySelector(".is-invalid") || document.getElementById("id_tender_amount_1");
    if (fix) fix.focus();
  }

  // An account chosen from the counter's search joins this payment in the
  // next empty account row, with its amount due, instead of reloading the
  // page (which would drop the rows already filled). Without the counter
  // form (or with every row taken) the link still opens a fresh counter.
  document.addEventListener("click", function (event) {
    var pick = event.target.closest && event.target.closest("a[data-counter-pick]");
    if (!pick || !form()) return;
    var fields = form().querySelectorAll("[data-counter-account]");
    var account = Array.prototype.find.call(fields, function (f) { return !f.value.trim(); });
    if (!account) return;
    event.preventDefault();
    var row = account.closest("[data-counter-row]");
    activate(row);
    var amount = document.getElementById("id_amount_" + account.getAttribute("data-counter-account"));
    account.value = pick.getAttribute("data-counter-pick");
    account.dispatchEvent(new Event("change", { bubbles: true }));
    if (amount && !amount.value.trim() && pick.hasAttribute("data-counter-amount")) {
      amount.value = pick.getAttribute("data-counter-amount");
      amount.dispatchEvent(new Event("input", { bubbles: true }));
    }
    var search = document.getElementById("counter-search");
    var results = document.getElementById("counter-search-results");
    if (search) search.value = "";
    if (results) results.innerHTML = "";
    if (amount) { amount.focus(); amount.select(); }
  });

  document.addEventListener("counter:scanned", function (event) {
    var detail = event.detail || {};
    var account = document.getElementById("id_account_" + detail.row);
    var amount = document.getElementById("id_amount_" + detail.row);
    if (account && detail.account) account.value = detail.account;
    if (amount && detail.amount && !amount.value.trim()) {
      amount.value = detail.amount;
      amount.dispatchEvent(new Event("input", { bubbles: true }));
    }
  });
})();

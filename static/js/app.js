// Mesa CS: small keyboard helpers. No inline script anywhere (strict CSP).
(function () {
  "use strict";

  function isTyping(target) {
    if (!target) return false;
    var tag = target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable;
  }

  // "/" jumps to the global account search from anywhere but a field.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    if (isTyping(event.target)) return;
    var search = document.getElementById("global-search");
    if (!search) return;
    event.preventDefault();
    search.focus();
    search.select();
  });
})();

// A form marked data-submit-once disables its button after the first submit;
// the server's idempotency key still guards a retry or the back button.
document.addEventListener("submit", function (event) {
  var button = event.target.querySelector("[data-submit-once]");
  if (button) {
    window.setTimeout(function () { button.disabled = true; }, 0);
  }
});

// Buttons marked data-print print the page (crew sheets, receipts).
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) window.print();
});

// A form posted by htmx that the server refuses (400: a field's error) comes
// back re-rendered with the messages beside the fields: show it. htmx leaves
// error responses unswapped by default, which hid every refusal.
document.addEventListener("htmx:beforeSwap", function (event) {
  if (event.detail.xhr.status === 400 || event.detail.xhr.status === 422) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});

// Ordering field work: while meter work is chosen, services without a meter
// are withdrawn from the service list (the form refuses them too).
function offerMeteredServices(kind) {
  const service = kind.form && kind.form.querySelector("select[name=agreement]");
  if (!service) return;
  const meterWork = kind.dataset.meterKinds.split(" ").includes(kind.value);
  for (const option of service.options) {
    if (!option.hasAttribute("data-no-meter")) continue;
    option.disabled = meterWork;
    option.hidden = meterWork;
  }
  if (service.selectedOptions.length && service.selectedOptions[0].disabled) {
    const first = Array.from(service.options).find((option) => !option.disabled);
    if (first) service.value = first.value;
  }
}
document.addEventListener("change", function (event) {
  const kind = event.target.closest("select[data-meter-kinds]");
  if (kind) offerMeteredServices(kind);
});
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("select[data-meter-kinds]").forEach(offerMeteredServices);
});

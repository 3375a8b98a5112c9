// refuge: keyboard shortcuts for the review queue (progressive enhancement only; every action
// is also a plain form button). No inline script anywhere: the CSP forbids it.
"use strict";
// Every button or form with data-confirm asks first (review decisions, edits, deletions).
document.addEventListener("submit", function (event) {
  var button = event.submitter || null;
  var message = (button && button.getAttribute("data-confirm")) || event.target.getAttribute("data-confirm");
  if (message && !window.confirm(message)) { event.preventDefault(); }
}, true);
document.addEventListener("DOMContentLoaded", function () {
  var items = Array.prototype.slice.call(document.querySelectorAll("#queue li.draft"));
  if (!items.length) { return; }
  var current = 0;
  function focus(i) {
    current = Math.max(0, Math.min(items.length - 1, i));
    items.forEach(function (el) { el.classList.remove("current"); });
    items[current].classList.add("current");
    items[current].focus();
  }
  function press(selector) {
    var button = items[current].querySelector(selector);
    if (button) { button.click(); }
  }
  document.addEventListener("keydown", function (event) {
    var tag = (event.target && event.target.tagName) || "";
    if (tag === "INPUT" || tag === "TEXTAREA" || event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (event.key === "j") { focus(current + 1); }
    else if (event.key === "k") { focus(current - 1); }
    else if (event.key === "a") { press("button.accept"); }
    else if (event.key === "r") { press("button.reject"); }
    else if (event.key === "e") {
      var details = items[current].querySelector("details.edit");
      if (details) { details.open = true; var first = details.querySelector("input"); if (first) { first.focus(); } }
    } else { return; }
    event.preventDefault();
  });
  focus(0);
});

// The staff menu: on a phone a button opens and closes it; on a wide screen each group opens as a
// list below its name. Loaded in <head> without defer so that the "js" class is set before the page
// is drawn (without JavaScript the menu simply stays open). No inline script: the CSP forbids it.
document.documentElement.classList.add("js");
document.addEventListener("DOMContentLoaded", function () {
  // Signed out (after a log-out, or a session that ended): the field pages an enumerator's tablet kept
  // for offline use (surveys/field_worker.js) are dropped, so the next person finds none of them.
  if (document.body.dataset.signedIn === "0" && window.caches) {
    caches.keys().then(function (names) {
      names.forEach(function (name) { if (name.indexOf("parindex-field-") === 0) caches.delete(name); });
    });
  }
  var nav = document.querySelector(".site-nav");
  if (!nav) return;
  var toggle = nav.querySelector(".nav-toggle");
  var groups = Array.prototype.slice.call(nav.querySelectorAll("details.nav-dropdown"));
  toggle.addEventListener("click", function () {
    var open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", String(open));
    nav.classList.toggle("is-open", open);
  });
  // One group open at a time; a click elsewhere or Escape closes it.
  groups.forEach(function (group) {
    group.addEventListener("toggle", function () {
      if (group.open) groups.forEach(function (other) { if (other !== group) other.open = false; });
    });
  });
  document.addEventListener("click", function (event) {
    groups.forEach(function (group) { if (!group.contains(event.target)) group.open = false; });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    groups.forEach(function (group) {
      if (group.open) { group.open = false; group.querySelector("summary").focus(); }
    });
  });
});

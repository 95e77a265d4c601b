// Keeps a respondent's partial answers on the device, so a dropped connection loses nothing.
// The page works without it; with it, answers are restored when the page is opened again.
(function () {
  var form = document.querySelector("form[data-keep]");
  if (document.querySelector("[data-thanks]")) {
    Object.keys(localStorage).forEach(function (k) { if (k.indexOf("survey-") === 0) localStorage.removeItem(k); });
  }
  if (!form || !window.localStorage) return;
  var key = form.getAttribute("data-keep");
  var skip = { csrfmiddlewaretoken: 1, started: 1, channel: 1 };
  function save() {
    var data = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || skip[el.name]) return;
      if ((el.type === "radio" || el.type === "checkbox")) {
        if (el.checked) (data[el.name] = data[el.name] || []).push(el.value);
      } else { data[el.name] = [el.value]; }
    });
    localStorage.setItem(key, JSON.stringify(data));
  }
  var kept = localStorage.getItem(key);
  if (kept && !document.getElementById("problems")) {
    var data = JSON.parse(kept);
    Array.prototype.forEach.call(form.elements, function (el) {
      var values = data[el.name];
      if (!values || skip[el.name]) return;
      if (el.type === "radio" || el.type === "checkbox") el.checked = values.indexOf(el.value) >= 0;
      else if (el.type !== "hidden" || el.name === "submission_id") el.value = values[0];
    });
  }
  // Questions asked only after some answers: hidden until they apply (the server applies the same rule).
  function applyConditions() {
    Array.prototype.forEach.call(form.querySelectorAll("fieldset[data-if]"), function (set) {
      var chosen = Array.prototype.filter.call(form.elements, function (el) {
        return el.name === set.getAttribute("data-if") && (el.checked || (el.type !== "radio" && el.type !== "checkbox"));
      }).map(function (el) { return el.value; });
      var holds = chosen.indexOf(set.getAttribute("data-value")) >= 0;
      set.hidden = set.getAttribute("data-op") === "=" ? !holds : holds;
    });
  }
  applyConditions();
  form.addEventListener("change", function () { save(); applyConditions(); });
  form.addEventListener("input", save);
})();

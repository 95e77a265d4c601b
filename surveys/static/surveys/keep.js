// Keeps a respondent's partial answers on the device, so a dropped connection loses nothing.
// The page works without it; with it, answers are restored when the page is opened again.
// On a tablet shared at the one-stop desk the next citizen must not inherit an abandoned form: kept
// answers last KEEP_MINUTES, and restored ones come with a button to clear them and start afresh.
(function () {
  var form = document.querySelector("form[data-keep]");
  if (document.querySelector("[data-thanks]")) {
    Object.keys(localStorage).forEach(function (k) { if (k.indexOf("survey-") === 0) localStorage.removeItem(k); });
  }
  if (!form || !window.localStorage) return;
  var key = form.getAttribute("data-keep");
  var skip = { csrfmiddlewaretoken: 1, started: 1, channel: 1 };
  var KEEP_MINUTES = 30;
  function save() {
    var data = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || skip[el.name]) return;
      if ((el.type === "radio" || el.type === "checkbox")) {
        if (el.checked) (data[el.name] = data[el.name] || []).push(el.value);
      } else { data[el.name] = [el.value]; }
    });
    localStorage.setItem(key, JSON.stringify({ savedAt: Date.now(), answers: data }));
  }
  function readKept() {
    try {
      var kept = JSON.parse(localStorage.getItem(key) || "null");
      if (kept && kept.answers && Date.now() - kept.savedAt < KEEP_MINUTES * 60000) return kept.answers;
    } catch (e) { /* unreadable: dropped below */ }
    localStorage.removeItem(key);
    return null;
  }
  function offerFreshStart() {
    var note = document.createElement("div");
    note.className = "alert alert-info small";
    note.setAttribute("role", "status");
    note.setAttribute("data-restored", "");
    note.appendChild(document.createTextNode("Các câu trả lời chưa gửi trên máy này đã được điền lại. "));
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-sm btn-outline-secondary";
    button.textContent = "Xoá và làm phiếu mới";
    button.addEventListener("click", function () {
      localStorage.removeItem(key);
      window.location.reload();
    });
    note.appendChild(button);
    form.insertBefore(note, form.firstChild);
  }
  var data = document.getElementById("problems") ? null : readKept();
  if (data) {
    offerFreshStart();
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

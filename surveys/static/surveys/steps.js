// The respondent's form one section at a time, with a progress bar and the questions numbered as they
// show. Without this script the form is one page (every section, every question numbered), and it
// posts the same fields: the steps only hide parts of one form, so no answer is lost between them.
// Runs after keep.js, which restores kept answers and hides the questions that do not apply.
(function () {
  var form = document.querySelector("form[data-keep]");
  if (!form) return;
  var steps = Array.prototype.slice.call(form.querySelectorAll("[data-step]"));
  var progress = form.querySelector("[data-progress]");
  var nav = form.querySelector("[data-step-nav]");
  var back = form.querySelector("[data-step-back]");
  var next = form.querySelector("[data-step-next]");
  var submit = form.querySelector("[data-submit]");
  var stepKey = form.getAttribute("data-keep") + "-buoc";
  var paged = steps.length > 1 && !document.getElementById("problems");
  var at = 0;

  function asked(set) { return !set.hidden; }
  function questions(scope) {
    return Array.prototype.filter.call(scope.querySelectorAll("fieldset[id^='q-']"), asked);
  }
  function answered(set) {
    return Array.prototype.some.call(set.querySelectorAll("input, textarea"), function (el) {
      return (el.type === "radio" || el.type === "checkbox") ? el.checked : el.value.trim() !== "";
    });
  }
  // Steps whose questions all do not apply (a section on a service the respondent did not use) are
  // passed over.
  function open() { return steps.filter(function (step) { return questions(step).length > 0; }); }

  function renumber() {
    var shown = questions(form);
    shown.forEach(function (set, i) {
      var label = set.querySelector("[data-number]");
      if (label) label.textContent = "Câu " + (i + 1) + "/" + shown.length + ".";
    });
    var done = shown.filter(answered).length;
    var bar = progress.querySelector("progress");
    bar.max = shown.length;
    bar.value = done;
    bar.textContent = done + "/" + shown.length;
    progress.querySelector("[data-answered]").textContent = done;
    progress.querySelector("[data-asked]").textContent = shown.length;
    var current = open();
    var index = Math.max(0, current.indexOf(steps[at]));
    progress.querySelector("[data-step-at]").textContent = paged ? index + 1 : current.length;
    progress.querySelector("[data-step-count]").textContent = current.length;
    // An answer may open or close a later step: the buttons follow.
    back.hidden = index === 0;
    next.hidden = index >= current.length - 1;
    submit.hidden = paged && !next.hidden;
  }

  function show(index, focus) {
    var current = open();
    index = Math.min(Math.max(index, 0), current.length - 1);
    at = steps.indexOf(current[index]);
    steps.forEach(function (step, i) { step.hidden = paged && i !== at; });
    renumber();
    if (focus) {
      // Kept with the answers (keep.js), so a reopened form comes back to this step.
      try { localStorage.setItem(stepKey, String(at)); } catch (e) { /* private mode: not kept */ }
      var heading = steps[at].querySelector("h2[tabindex]") || steps[at];
      heading.focus();
      heading.scrollIntoView({ block: "start" });
    }
  }

  function move(by) {
    var current = open();
    show(Math.max(0, current.indexOf(steps[at])) + by, true);
  }

  progress.hidden = false;
  if (paged) {
    nav.hidden = false;
    back.addEventListener("click", function () { move(-1); });
    next.addEventListener("click", function () { move(1); });
    // A link to a question (the list of problems, an address with #q-…) opens its step.
    window.addEventListener("hashchange", function () {
      var target = document.getElementById(location.hash.slice(1));
      var step = target && target.closest("[data-step]");
      if (step) show(open().indexOf(step), false);
    });
  }
  // Kept answers come back on the step where the respondent was; a fresh form starts at the first.
  var kept = 0;
  try {
    if (document.querySelector("[data-restored]")) kept = Number(localStorage.getItem(stepKey)) || 0;
    else localStorage.removeItem(stepKey);
  } catch (e) { /* no storage: start at the first step */ }
  show(open().indexOf(steps[kept] || steps[0]), false);
  form.addEventListener("change", renumber);
  form.addEventListener("input", renumber);
})();

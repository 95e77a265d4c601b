// The clerks' keyboard-first entry of a paper form (surveys/templates/surveys/paper_entry.html).
// Enter moves on; the option's number moves on by itself when one digit decides it; Backspace in an
// empty box goes back; Ctrl+Enter saves. Questions whose condition fails are skipped and not sent.
// A form is saved through htmx: the answer comes back as the blank form for the next one (or this one
// with its problems), swapped into the same place, so the listeners sit on the box around it.
(function () {
  "use strict";
  var root = document.querySelector("[data-paper-root]");
  if (!root) return;
  var form, ref, unit, number, fields, byName;

  function bind() {
    form = root.querySelector("[data-paper-entry]");
    ref = form.querySelector("#ref");
    unit = form.querySelector("#unit");
    number = form.querySelector("#number");
    fields = Array.prototype.slice.call(form.querySelectorAll("[data-key]"));
    byName = {};
    fields.forEach(function (f) { byName[f.dataset.key] = f; });
  }

  function picked(input) {
    var typed = input.value.trim();
    if (!input.dataset.values) return typed ? [typed] : [];
    var values = input.dataset.values.split("|");
    var parts = /[\s,;.]/.test(typed) ? typed.split(/[\s,;.]+/)
      : (input.dataset.type === "multiple" && values.length <= 9 ? typed.split("") : [typed]);
    return parts.map(function (d) { return values[parseInt(d, 10) - 1]; }).filter(Boolean);
  }

  function applies(input) {
    var row = input.closest("[data-row]");
    var name = row.dataset.if;
    if (!name || !byName[name]) return true;
    if (byName[name].disabled) return row.dataset.op !== "=";
    var holds = picked(byName[name]).indexOf(row.dataset.value) >= 0;
    return row.dataset.op === "=" ? holds : !holds;
  }

  function refresh() {
    fields.forEach(function (f) {
      var ok = applies(f);
      f.disabled = !ok;
      f.closest("[data-row]").classList.toggle("paper-skip", !ok);
    });
  }

  function go(from, step) {
    refresh();
    var i = fields.indexOf(from);
    for (var j = i + step; j >= 0 && j < fields.length; j += step) {
      if (!fields[j].disabled) { fields[j].focus(); fields[j].select(); return; }
    }
    if (step > 0) form.querySelector("[data-save]").focus();
  }

  function decided(input) {
    // One digit decides a single choice of up to nine options: no Enter needed.
    if (!input.dataset.values || input.dataset.type === "multiple") return false;
    var count = input.dataset.values.split("|").length;
    var v = input.value.trim();
    return count <= 9 && /^[1-9]$/.test(v) && parseInt(v, 10) <= count;
  }

  function readReference() {
    var m = /^PX-(\d+)-(.+)-(\d+)$/i.exec(ref.value.trim().normalize("NFKC"));
    if (!m) return false;
    if (m[1] === ref.dataset.wave) { unit.value = m[2]; number.value = m[3]; }
    return true;
  }

  root.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
      return;
    }
    if (event.key === "Enter" && target.tagName === "INPUT") {
      event.preventDefault();
      if (target === ref) {
        if (readReference()) go(null, 1); else unit.focus();
      } else if (target === number) {
        go(null, 1);
      } else if (target.dataset.key) {
        go(target, 1);
      }
    } else if (event.key === "Enter" && target === unit) {
      event.preventDefault();
      number.focus();
    } else if (event.key === "Backspace" && target.dataset.key && target.value === "") {
      event.preventDefault();
      go(target, -1);
    }
  });

  root.addEventListener("input", function (event) {
    var target = event.target;
    if (target.dataset.key && decided(target)) go(target, 1);
    else if (target.dataset.key) refresh();
  });

  function start() {
    retried = false;
    bind();
    refresh();
    if (root.querySelector("#problems")) {
      var bad = form.querySelector("[aria-invalid=true]");
      (bad || ref).focus();
    } else {
      ref.focus();
    }
  }

  // A form refused (400) comes back with its problems: shown like a saved one.
  // A save that did not reach the entry screen keeps what was typed on the screen and says why: the
  // session ended (the answer is the login page, after a redirect), the page is stale (403: the
  // security token changed), or the server failed.
  var status = document.querySelector("#paper-saved");
  function unsaved(text) {
    status.textContent = "";
    var notice = document.createElement("div");
    notice.className = "notice notice-danger";
    notice.dataset.testid = "unsaved";
    notice.textContent = text;
    status.appendChild(notice);
    form.querySelector("[data-save]").focus();
  }
  function redirected(url) {
    var asked = new URL(form.getAttribute("hx-post"), window.location.href).pathname;
    return new URL(url).pathname !== asked;
  }
  // The session ended (idle, or its eight hours): the server asks htmx to go to the login page
  // (HX-Redirect), which would lose what was typed; the screen stays and says so instead.
  document.body.addEventListener("htmx:beforeOnLoad", function (event) {
    if (event.detail.target === root && event.detail.xhr.getResponseHeader("HX-Redirect")) {
      event.preventDefault();
      unsaved(root.dataset.signedOut);
    }
  });
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.target !== root) return;
    var xhr = event.detail.xhr;
    if (xhr.status === 400) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    } else if (xhr.status === 200 && xhr.responseURL && redirected(xhr.responseURL)) {
      event.detail.shouldSwap = false;
      unsaved(root.dataset.signedOut);
    }
  });
  // 403: the security token changed (the clerk logged in again, perhaps in another tab). A fresh one
  // is read from the entry page once and the form is saved again; if that fails, it says so.
  var retried = false;
  function saveWithFreshToken() {
    window.parindexFreshToken("data-paper-root")
      .then(function (token) {
        form.querySelector("[name=csrfmiddlewaretoken]").value = token;
        form.requestSubmit();
      })
      .catch(function () { unsaved(root.dataset.signedOut); });
  }
  document.body.addEventListener("htmx:responseError", function (event) {
    if (event.detail.target !== root) return;
    if (event.detail.xhr.status === 403 && !retried) {
      retried = true;
      saveWithFreshToken();
      return;
    }
    unsaved(event.detail.xhr.status === 403 ? root.dataset.stale : root.dataset.failed);
  });
  document.body.addEventListener("htmx:sendError", function (event) {
    if (event.detail.target === root) unsaved(root.dataset.failed);
  });
  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target === root) start();
  });
  // Without htmx (a script blocked), the form posts and the whole page comes back to here.
  start();
})();

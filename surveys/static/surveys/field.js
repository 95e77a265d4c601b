// The enumerator's page (surveys/templates/surveys/field.html): a filled form is put in a queue on the
// tablet (localStorage) and the form is cleared for the next respondent; the queue is sent whenever
// there is a network (now, when the browser comes back online, every 30 s), one form at a time, each
// with the submission id it was given when saved: a form sent twice is stored once. The wave's service
// worker (surveys/field_worker.js) keeps the page itself, so it also opens with no network.
(function () {
  "use strict";
  var form = document.querySelector("[data-field-form]");
  if (!form) return;
  // One queue per account: forms one enumerator left on a shared tablet are never sent under another's.
  var KEY = "parindex-field-queue:" + form.dataset.user;
  var REFUSED = "parindex-field-refused:" + form.dataset.user;
  var status = document.querySelector("[data-field-status]");
  var queuedOut = status.querySelector("[data-queued]");
  var onlineOut = status.querySelector("[data-online]");
  var refusedOut = document.querySelector("[data-refused]");
  var token = form.querySelector("[name=csrfmiddlewaretoken]").value;
  var sending = false;
  var refreshed = false;
  var signedOutOut = status.querySelector("[data-signed-out]");

  function load(key) {
    try { return JSON.parse(localStorage.getItem(key)) || []; } catch (e) { return []; }
  }
  function save(key, items) { localStorage.setItem(key, JSON.stringify(items)); }

  function uuid4() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function show() {
    queuedOut.textContent = String(load(KEY).length);
    onlineOut.textContent = navigator.onLine ? form.dataset.onlineText : form.dataset.offlineText;
    refusedOut.textContent = "";
    load(REFUSED).forEach(function (item) {
      var li = document.createElement("li");
      li.textContent = item.problems.join(" ");
      refusedOut.appendChild(li);
    });
  }

  function rows() { return Array.prototype.slice.call(form.querySelectorAll("[data-row]")); }

  function answerOf(row) {
    var inputs = Array.prototype.slice.call(row.querySelectorAll("input"));
    if (row.dataset.type === "multiple") {
      return inputs.filter(function (i) { return i.checked; }).map(function (i) { return i.value; });
    }
    var chosen = inputs.filter(function (i) { return (i.type !== "radio") || i.checked; })[0];
    return chosen ? chosen.value.trim() : "";
  }

  function refresh() {
    var answers = {};
    rows().forEach(function (row) {
      var name = row.dataset.if, applies = true;
      if (name) {
        var given = answers[name];
        var list = Array.isArray(given) ? given : (given ? [given] : []);
        var holds = list.indexOf(row.dataset.value) >= 0;
        applies = row.dataset.op === "=" ? holds : !holds;
      }
      row.classList.toggle("field-skip", !applies);
      if (applies) answers[row.dataset.name] = answerOf(row);
    });
    return answers;
  }

  function send() {
    var queue = load(KEY);
    if (sending || !queue.length || !navigator.onLine) { show(); return; }
    sending = true;
    var item = queue[0];
    fetch(item.url || form.dataset.url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: JSON.stringify({ unit: item.unit, submission_id: item.submission_id, answers: item.answers })
    }).then(function (response) {
      // Sent to the login page: the session has ended; the form stays queued.
      if (response.redirected) throw new Error("signed out");
      if (response.status === 403 && !refreshed) {
        // Signed out, or signed in again (a new security token): a fresh token is read from this
        // page and the queue sent again; signed out, the forms stay queued and the page says so.
        refreshed = true;
        return window.parindexFreshToken("data-field-form").then(function (fresh) {
          token = fresh;
          sending = false;
          send();
        });
      }
      if (response.status === 200 || response.status === 201 || response.status === 400) {
        refreshed = false;
        signedOutOut.textContent = "";
        return response.json().then(function (body) {
          var rest = load(KEY).filter(function (x) { return x.submission_id !== item.submission_id; });
          save(KEY, rest);
          if (response.status === 400) {
            var refused = load(REFUSED);
            refused.push({ item: item, problems: body.problems || [] });
            save(REFUSED, refused);
          }
          sending = false;
          send();
        });
      }
      // Still refused, or the server is down: kept, tried again later.
      if (response.status === 403) signedOutOut.textContent = form.dataset.signedOutText;
      sending = false;
      show();
    }).catch(function (error) {
      sending = false;
      if (error && error.message === "signed out") signedOutOut.textContent = form.dataset.signedOutText;
      show();
    });
  }

  form.addEventListener("change", refresh);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var answers = refresh();
    Object.keys(answers).forEach(function (k) {
      if (answers[k] === "" || (Array.isArray(answers[k]) && !answers[k].length)) delete answers[k];
    });
    var queue = load(KEY);
    queue.push({ unit: form.dataset.unit, url: form.dataset.url, submission_id: uuid4(),
                 answers: answers, saved_at: new Date().toISOString() });
    save(KEY, queue);
    form.reset();
    refresh();
    show();
    status.classList.add("alert-success");
    // At once: a smooth scroll (Bootstrap's) would be cut short by the focus.
    status.focus({ preventScroll: true });
    window.scrollTo({ top: 0, behavior: "instant" });
    send();
  });
  status.querySelector("[data-send]").addEventListener("click", send);
  window.addEventListener("online", send);
  window.addEventListener("offline", show);
  setInterval(send, 30000);
  status.tabIndex = -1;
  refresh();
  show();
  send();

  // The page and what it loaded kept on the tablet by the wave's service worker, so it opens again
  // with no network (a browser without service workers keeps working while the page stays open).
  var keptOut = status.querySelector("[data-kept]");
  if ("serviceWorker" in navigator && form.dataset.worker) {
    navigator.serviceWorker.register(form.dataset.worker).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      var urls = [location.href];
      document.querySelectorAll("link[rel=stylesheet][href], link[rel=icon][href], script[src]")
        .forEach(function (el) { urls.push(el.href || el.src); });
      var channel = new MessageChannel();
      channel.port1.onmessage = function (event) {
        if (event.data.kept) {
          keptOut.textContent = form.dataset.keptText;
          status.dataset.offlineReady = "1";
        }
      };
      registration.active.postMessage({ keep: urls }, [channel.port2]);
    }).catch(function () {
      // With no network the worker cannot be checked for a new version; this page came from it.
      if (navigator.serviceWorker.controller) keptOut.textContent = form.dataset.keptText;
    });
  }
})();

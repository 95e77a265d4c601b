// Saves on the self-assessment form never fail silently (docs/assessments.md, "Saves that fail").
// htmx leaves the page untouched when a request fails (an error status, a lost connection, a timeout),
// so what the officer typed stays in the field; this script says so on the leaf, in an alert with a
// "Thử lại" button that sends the same form again. The texts come translated from the script tag.
(function () {
  var script = document.currentScript;
  var text = {
    offline: script.getAttribute("data-offline"),
    server: script.getAttribute("data-server"),
    refused: script.getAttribute("data-refused"),
    retry: script.getAttribute("data-retry"),
  };

  function statusBox(elt) {
    var card = elt && elt.closest ? elt.closest(".item-card") : null;
    return card ? card.querySelector("[id^='status-']") : null;
  }

  function message(kind, status) {
    if (kind === "offline") return text.offline;
    var template = status >= 500 ? text.server : text.refused;
    return template.replace("%(status)s", String(status));
  }

  function retry(elt, detail, button) {
    button.disabled = true;
    var form = elt.tagName === "FORM" ? elt : elt.form || elt.closest("form");
    if (form && form.requestSubmit) {
      form.requestSubmit();
    } else if (window.htmx && detail.requestConfig) {
      window.htmx.ajax(detail.requestConfig.verb, detail.requestConfig.path, { source: elt });
    }
  }

  function show(evt, kind) {
    var elt = evt.detail.elt;
    var box = statusBox(elt);
    if (!box) return;
    var status = evt.detail.xhr ? evt.detail.xhr.status : 0;
    var alert = document.createElement("div");
    alert.className = "alert alert-danger py-1 my-1 d-flex flex-wrap align-items-center gap-2";
    alert.setAttribute("role", "alert");
    alert.setAttribute("data-save-error", kind);
    var words = document.createElement("span");
    words.textContent = message(kind, status);
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-sm btn-outline-danger";
    button.textContent = text.retry;
    button.addEventListener("click", function () { retry(elt, evt.detail, button); });
    alert.appendChild(words);
    alert.appendChild(button);
    box.replaceChildren(alert);
  }

  document.addEventListener("htmx:responseError", function (evt) { show(evt, "server"); });
  document.addEventListener("htmx:sendError", function (evt) { show(evt, "offline"); });
  document.addEventListener("htmx:timeout", function (evt) { show(evt, "offline"); });
})();

// The rule editor shows only the chosen rule kind's fields (without this script, all are shown).
(function () {
  "use strict";
  function sync() {
    var select = document.getElementById("id_rule");
    if (!select) return;
    document.querySelectorAll("#rule-editor [data-rules]").forEach(function (group) {
      group.hidden = group.dataset.rules.split(" ").indexOf(select.value) === -1;
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var select = document.getElementById("id_rule");
    if (select) select.addEventListener("change", sync);
    sync();
  });
})();

// recon: small enhancements only; every page works without this file.
// "Tick all" in the queue: shown only when script runs, ticks every row on the page.
(function () {
  "use strict";
  function wire(root) {
    root.querySelectorAll("input.tick-all").forEach(function (box) {
      if (box.dataset.wired) { return; }
      box.dataset.wired = "1";
      box.hidden = false;
      box.addEventListener("change", function () {
        var table = box.closest("table");
        table.querySelectorAll("tbody input[name=ids]").forEach(function (row) {
          row.checked = box.checked;
        });
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { wire(document); });
  document.addEventListener("htmx:afterSwap", function (event) { wire(event.target.ownerDocument || document); });
})();

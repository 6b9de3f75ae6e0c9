// Initiatives and needs: behaviours bound from this file only (strict CSP, no inline handlers).
(function () {
  "use strict";

  // After an in-place action (join, support, "moi aussi"), htmx replaces the block that held
  // the focused button: move the focus to the outcome message, so that keyboard and screen
  // reader users land where the page changed instead of at the top of the document.
  document.addEventListener("htmx:afterSwap", function (event) {
    var id = event.detail && event.detail.target && event.detail.target.id;
    var block = id && document.getElementById(id);
    var feedback = block && block.querySelector("[data-feedback]");
    if (feedback) {
      feedback.focus();
    }
  });

  // The incubator and startup fields only matter for the scope that names them: shown when
  // that scope is chosen (or when they hold an error), hidden otherwise. Without JavaScript
  // every field stays visible and the server ignores the one that does not apply.
  function groupOf(input) {
    return input && input.closest(".fr-select-group, .fr-input-group");
  }

  function bindScope() {
    var scope = document.getElementById("id_scope");
    if (!scope) {
      return;
    }
    var fields = { incubator: "id_incubator", startup: "id_startup" };
    function update() {
      Object.keys(fields).forEach(function (name) {
        var input = document.getElementById(fields[name]);
        var group = groupOf(input);
        if (!group) {
          return;
        }
        var invalid = input.getAttribute("aria-invalid") === "true";
        group.hidden = scope.value !== name && !invalid;
      });
    }
    scope.addEventListener("change", update);
    update();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", bindScope);
  } else {
    bindScope();
  }
})();

// Setup pages: ask before destructive submits, and filter the check-in cards as you type.
(function () {
  "use strict";
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) {
        event.preventDefault();
      }
    });
  });
  document.querySelectorAll("input[data-filter-target]").forEach(function (input) {
    var items = document.querySelectorAll(input.getAttribute("data-filter-target"));
    input.addEventListener("input", function () {
      var words = input.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
      items.forEach(function (item) {
        var text = (item.getAttribute("data-search") || "").toLowerCase();
        var match = words.every(function (word) { return text.indexOf(word) !== -1; });
        item.classList.toggle("d-none", !match);
      });
    });
  });
})();

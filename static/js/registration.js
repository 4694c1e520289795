// Registration pages: refuse an oversized file before it is uploaded, confirm removals.
(function () {
  "use strict";
  document.querySelectorAll("input[type=file][data-max-bytes]").forEach(function (input) {
    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      var limit = parseInt(input.getAttribute("data-max-bytes"), 10);
      var message = file && file.size > limit ? input.getAttribute("data-too-large") : "";
      input.setCustomValidity(message);
      input.classList.toggle("is-invalid", Boolean(message));
      var feedback = input.parentElement.querySelector(".client-feedback");
      if (!feedback) {
        feedback = document.createElement("div");
        feedback.className = "invalid-feedback client-feedback";
        input.insertAdjacentElement("afterend", feedback);
      }
      feedback.textContent = message;
    });
    input.form.addEventListener("submit", function (event) {
      if (!input.checkValidity()) {
        event.preventDefault();
        input.reportValidity();
      }
    });
  });
  document.querySelectorAll("form.confirm-submit[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) {
        event.preventDefault();
      }
    });
  });
})();

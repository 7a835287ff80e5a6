// The visit log (issue 18, templates/scheduling/visit_log.html). Works without this file; it
// only tidies up: a chip clears the "other" box and a number typed there clears the chips, and
// the reasons for a different time show only while the time differs from the plan.
(function () {
  "use strict";
  var form = document.getElementById("visit-log-form");
  if (!form) return;
  var other = form.querySelector("input[name=minutes_other]");
  var chips = form.querySelectorAll("input[name=minutes]");
  var planned = form.dataset.planned;

  function minutes() {
    if (other && other.value.trim()) return other.value.trim();
    var checked = form.querySelector("input[name=minutes]:checked");
    return checked ? checked.value : planned;
  }
  function update() {
    form.dataset.differs = minutes() === planned ? "no" : "yes";
  }
  chips.forEach(function (chip) {
    chip.addEventListener("change", function () {
      if (other) other.value = "";
      update();
    });
  });
  if (other) {
    other.addEventListener("input", function () {
      if (other.value.trim()) chips.forEach(function (chip) { chip.checked = false; });
      update();
    });
  }
  // A refused save shows its reason field: keep it visible whatever the minutes.
  if (!form.querySelector(".reason-block.has-error")) update();
})();

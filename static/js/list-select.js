/*
 * Progressive enhancement of a list's bulk action (the participants list's "Uitstroom
 * vastleggen", the subsidy worklist's "Beoordelaars toewijzen"): a checkbox in the header of
 * the selection column that ticks or clears every row of the page. The rows' own checkboxes
 * work without this script (they belong to the bulk action's form through their form
 * attribute); this only saves clicks. The header names the form and the rows' field in
 * data-select-form and data-select-name (default: the participants list's).
 */
(function () {
  "use strict";
  var header = document.querySelector("th.data-table__select");
  if (!header) {
    return;
  }
  var formId = header.dataset.selectForm || "bulk-outcome";
  var fieldName = header.dataset.selectName || "enrolments";
  var form = document.getElementById(formId);
  if (!form) {
    return;
  }
  function rows() {
    return Array.prototype.slice.call(
      document.querySelectorAll(
        'input[type="checkbox"][name="' + fieldName + '"][form="' + formId + '"]'
      )
    );
  }
  if (!rows().length) {
    return;
  }
  var all = document.createElement("input");
  all.type = "checkbox";
  all.id = "select-all-rows";
  all.setAttribute("aria-label", header.dataset.selectAllLabel || "Selecteer alle deelnemers op deze pagina");
  function sync() {
    var boxes = rows();
    var ticked = boxes.filter(function (box) { return box.checked; }).length;
    all.checked = ticked === boxes.length;
    all.indeterminate = ticked > 0 && ticked < boxes.length;
  }
  all.addEventListener("change", function () {
    rows().forEach(function (box) { box.checked = all.checked; });
    sync();
  });
  rows().forEach(function (box) { box.addEventListener("change", sync); });
  // The box says what the column is for: its heading text stays for screen readers only,
  // so the narrow column leaves the list's last column on a 1366-pixel screen.
  var heading = document.createElement("span");
  heading.className = "visually-hidden";
  heading.textContent = header.textContent.trim();
  header.textContent = "";
  header.appendChild(heading);
  header.appendChild(all);
  sync();
})();

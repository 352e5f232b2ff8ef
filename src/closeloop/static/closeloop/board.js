// Drag a board card to another column to move the candidate. The drop only fills in and
// submits the card's own move form (htmx posts it and swaps the board), so a drag does
// exactly what the form does from a keyboard, a phone, or a browser without JavaScript.
(function () {
  var dragged = null;

  function column(event) {
    var target = event.target;
    return target && target.closest ? target.closest(".column[data-stage]") : null;
  }

  document.addEventListener("dragstart", function (event) {
    var card = event.target.closest && event.target.closest(".card[data-move]");
    if (!card) return;
    dragged = card;
    card.classList.add("is-dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.dataset.move);
  });

  document.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("is-dragging");
    dragged = null;
    document.querySelectorAll(".column.is-drop-target").forEach(function (el) {
      el.classList.remove("is-drop-target");
    });
  });

  document.addEventListener("dragover", function (event) {
    var into = column(event);
    if (!dragged || !into || into.contains(dragged)) return;
    event.preventDefault(); // allows the drop
    event.dataTransfer.dropEffect = "move";
    into.classList.add("is-drop-target");
  });

  document.addEventListener("dragleave", function (event) {
    var from = column(event);
    if (from && !from.contains(event.relatedTarget)) from.classList.remove("is-drop-target");
  });

  document.addEventListener("drop", function (event) {
    var into = column(event);
    if (!dragged || !into) return;
    event.preventDefault();
    var form = document.getElementById(dragged.dataset.move);
    var select = form && form.querySelector("select[name=to_stage]");
    if (!select) return;
    select.value = into.dataset.stage;
    if (select.value !== into.dataset.stage) return; // its own column: nothing to do
    into.classList.add("is-moving");
    form.requestSubmit();
  });
})();

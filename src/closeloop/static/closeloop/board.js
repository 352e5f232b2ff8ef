// The board's cards, for those who may move them.
//
// A card's Move fetches the card's move form (GET of the move's address) the first time it
// opens: a form listing every stage on each card made a big job's board several times
// larger. Without JavaScript the Move links to that form, on a page of its own.
//
// Drag a card to another column to move the candidate. The drop posts what the card's
// Move form posts (the stage, and that it comes from the board) to the same address, and
// htmx swaps the board as after the form: a drag does exactly what the form does from a
// keyboard or a phone. The board's hx-headers carry the CSRF token.
(function () {
  var dragged = null;

  document.addEventListener(
    "toggle",
    function (event) {
      var details = event.target;
      if (!details.open || !details.matches || !details.matches(".card-actions")) return;
      var slot = details.querySelector("a.card-move-slot");
      if (!slot || slot.dataset.fetching || !window.htmx) return;
      slot.dataset.fetching = "yes"; // fetched once; the link stays if it fails
      window.htmx.ajax("GET", slot.getAttribute("href"), {
        target: slot,
        swap: "outerHTML",
        select: ".card-move-form",
      });
    },
    true // toggle does not bubble
  );

  // htmx wires a fetched form up a moment after it appears (when the swap settles): a Move
  // submitted within that moment (a quick keyboard, a slow phone) would reload the whole
  // page. Posted here instead, it swaps the board as htmx would; once wired up, htmx has
  // already handled the submit and cancelled it.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || !window.htmx) return;
    if (!form.matches || !form.matches("#pipeline form.card-move-form")) return;
    event.preventDefault();
    window.htmx.ajax("POST", form.getAttribute("action"), { source: form });
  });

  function column(event) {
    var target = event.target;
    return target && target.closest ? target.closest(".column[data-stage]") : null;
  }

  document.addEventListener("dragstart", function (event) {
    var card = event.target.closest && event.target.closest(".card[draggable=true]");
    if (!card) return;
    dragged = card;
    card.classList.add("is-dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.querySelector(".card-name").textContent);
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
    if (into.contains(dragged) || !window.htmx) return; // its own column: nothing to do
    // The move's address: the Move's link, or the form it was replaced by.
    var move = dragged.querySelector("a.card-move-slot, form.card-move-form");
    var url = move && (move.getAttribute("href") || move.getAttribute("action"));
    if (!url) return;
    into.classList.add("is-moving");
    window.htmx.ajax("POST", url, {
      source: dragged,
      values: { to_stage: into.dataset.stage, from: "board" },
    });
  });
})();

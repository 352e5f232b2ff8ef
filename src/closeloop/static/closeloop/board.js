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

// The list's bulk bar sits above the table: once candidates are ticked further down, a small
// bar at the foot of the screen says how many and leads back to it (the action, the stage,
// the reason). Without JavaScript the bar above the table is all there is.
(function () {
  function picked() {
    var form = document.getElementById("bulk-form");
    if (!form) return null;
    var boxes = document.querySelectorAll('input[name="applications"][form="bulk-form"]');
    var count = 0;
    for (var i = 0; i < boxes.length; i++) if (boxes[i].checked) count++;
    var all = form.querySelector('input[name="all_on_page"]');
    if (all && all.checked) count = boxes.length;
    return { form: form, count: count };
  }

  function show() {
    var state = picked();
    var bar = document.getElementById("bulk-jump");
    if (!state || state.count === 0) {
      if (bar) bar.hidden = true;
      return;
    }
    if (!bar) {
      bar = document.createElement("div");
      bar.id = "bulk-jump";
      bar.className = "bulk-jump";
      bar.setAttribute("role", "status");
      var words = document.createElement("span");
      var go = document.createElement("a");
      go.href = "#bulk-form";
      go.textContent = "Act on them";
      go.addEventListener("click", function (event) {
        event.preventDefault();
        var target = picked();
        if (!target) return;
        target.form.scrollIntoView({ block: "start" });
        var action = target.form.querySelector('select[name="action"]');
        if (action) action.focus({ preventScroll: true });
      });
      bar.appendChild(words);
      bar.appendChild(go);
      document.body.appendChild(bar);
    }
    bar.firstChild.textContent = state.count + " selected · ";
    // Hidden while the bulk bar itself is on the screen: it says the same.
    var box = state.form.getBoundingClientRect();
    bar.hidden = box.bottom > 0 && box.top < window.innerHeight;
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.getAttribute && (target.getAttribute("form") === "bulk-form" || target.name === "all_on_page")) show();
  });
  window.addEventListener("scroll", function () {
    var bar = document.getElementById("bulk-jump");
    if (bar) show();
  }, { passive: true });
  document.addEventListener("htmx:afterSwap", function () {
    var bar = document.getElementById("bulk-jump");
    if (bar) show();
  });
})();

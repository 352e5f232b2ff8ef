// A field with a length limit (`maxlength`) says so before the limit bites. The browser
// silently cuts whatever is pasted past the limit, and a reason or a note cut mid-sentence
// would be saved without anyone noticing: a paste that does not fit is let through as the
// browser cuts it, and a note under the field says how much was left out and where the text
// now ends. Near the limit, while typing, the note counts the characters left. Without this
// script the browser still cuts; the server checks every length either way.
(function () {
  var NEAR = 0.9; // the count shows from 90 % of the limit

  function limited(field) {
    return (field instanceof HTMLInputElement || field instanceof HTMLTextAreaElement) &&
      field.maxLength > 0 && !field.readOnly && !field.disabled;
  }

  function note(field) {
    var next = field.nextElementSibling;
    if (next && next.classList.contains("field-limit")) return next;
    var created = document.createElement("p");
    created.className = "field-limit";
    created.setAttribute("aria-live", "polite");
    if (field.id) created.id = field.id + "-limit";
    field.insertAdjacentElement("afterend", created);
    if (created.id) {
      var described = (field.getAttribute("aria-describedby") || "").split(" ");
      if (described.indexOf(created.id) < 0) {
        described.push(created.id);
        field.setAttribute("aria-describedby", described.join(" ").trim());
      }
    }
    return created;
  }

  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }

  function count(field) {
    var left = field.maxLength - field.value.length;
    var shown = field.nextElementSibling;
    if (field.value.length >= field.maxLength * NEAR) {
      var box = note(field);
      box.classList.remove("field-limit-cut");
      box.textContent = left > 0 ? plural(left, "character") + " left" : "No characters left";
    } else if (shown && shown.classList.contains("field-limit") &&
               !shown.classList.contains("field-limit-cut")) {
      shown.textContent = "";
    }
  }

  document.addEventListener("paste", function (event) {
    var field = event.target;
    if (!limited(field) || !event.clipboardData) return;
    var pasted = event.clipboardData.getData("text");
    var start = field.selectionStart || 0;
    var end = field.selectionEnd || start;
    var room = field.maxLength - (field.value.length - (end - start));
    if (pasted.length <= room) return;
    // Let the browser paste what fits, then say what it left out.
    window.setTimeout(function () {
      var box = note(field);
      var kept = Math.max(room, 0);
      var tail = pasted.slice(Math.max(kept - 30, 0), kept).trim();
      box.classList.add("field-limit-cut");
      box.textContent = "Only " + plural(field.maxLength, "character") + " fit here: " +
        plural(pasted.length - kept, "character") + " of what you pasted " +
        (pasted.length - kept === 1 ? "was" : "were") + " left out" +
        (tail ? ": the text now ends \u201c\u2026" + tail + "\u201d" : "") + ". Shorten it before saving.";
    }, 0);
  });

  document.addEventListener("input", function (event) {
    var field = event.target;
    if (!limited(field)) return;
    var shown = field.nextElementSibling;
    // A typed change after a cut paste replaces the warning with the count.
    if (shown && shown.classList.contains("field-limit-cut") && event.inputType !== "insertFromPaste") {
      shown.classList.remove("field-limit-cut");
    }
    if (!(shown && shown.classList.contains("field-limit-cut"))) count(field);
  });
})();

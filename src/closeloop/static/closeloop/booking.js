// Booking an interview: picking another round in the Round list brings that round's length,
// panel and notes to the fields still showing the previous round's (what was changed by
// hand stays), as the server does on submit (`interview_round_defaults_follow`). Without
// this script the server applies the same rule when the form is sent.
(function () {
  var data = document.getElementById("round-defaults");
  var form = data && data.closest("form");
  if (!form) return;
  var defaults = JSON.parse(data.textContent);
  var round = form.elements.namedItem("round");
  var shown = form.elements.namedItem("prefilled_from");
  if (!round || !shown) return;

  function lines(text) { return (text || "").replace(/\r\n/g, "\n").trim(); }

  function panel() {
    var ids = [];
    form.querySelectorAll('input[name="interviewers"]:checked').forEach(function (box) { ids.push(box.value); });
    return ids.sort().join(",");
  }

  round.addEventListener("change", function () {
    var before = defaults[shown.value];
    var after = defaults[round.value];
    if (!before || !after) return;
    var minutes = form.elements.namedItem("duration_minutes");
    if (minutes && String(minutes.value) === String(before.minutes || "")) minutes.value = after.minutes || "";
    if (panel() === before.interviewers.slice().sort().join(",")) {
      form.querySelectorAll('input[name="interviewers"]').forEach(function (box) {
        box.checked = after.interviewers.indexOf(box.value) !== -1;
      });
    }
    var notes = form.elements.namedItem("notes");
    if (notes && lines(notes.value) === lines(before.notes)) notes.value = after.notes;
    shown.value = round.value;
  });
})();

// Keyboard shortcuts, anywhere outside a text field: "/" search, "?" the list of shortcuts,
// and the keys a page marks with data-shortcut ("j"/"k" next and previous candidate, "a"
// advance, "p" pass, "c" comment). A marked link is followed; anything else is opened (its
// <details>) and its first field gets the cursor, so a shortcut never acts on its own.
(function () {
  var FIELDS = "input:not([type=hidden]), select, textarea";

  function typing(target) {
    var tag = target && target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }

  function visible(el) {
    return !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length) || el.tagName === "SUMMARY";
  }

  function marked(key) {
    var all = document.querySelectorAll('[data-shortcut="' + key + '"]');
    for (var i = 0; i < all.length; i++) {
      if (all[i].tagName === "SUMMARY" || visible(all[i])) return all[i];
    }
    // "c": the comment box, whichever panel holds it.
    return key === "c" ? document.getElementById("comment-body") : null;
  }

  function open(el) {
    for (var node = el; node; node = node.parentElement) {
      if (node.tagName === "DETAILS") node.open = true;
    }
    if (el.tagName === "SUMMARY" && el.parentElement) el.parentElement.open = true;
  }

  function reach(el) {
    if (el.tagName === "A") { el.click(); return; }
    open(el);
    var scope = el.tagName === "SUMMARY" ? el.parentElement : el;
    var field = el.matches(FIELDS) ? el : scope.querySelector(FIELDS);
    (field || el).focus();
    (field || el).scrollIntoView({ block: "center" });
  }

  function help() {
    var dialog = document.getElementById("shortcut-help");
    if (dialog && !dialog.open && dialog.showModal) dialog.showModal();
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    if (document.querySelector("dialog[open]") && event.key !== "Escape") return;
    if (event.key === "/") {
      var box = document.getElementById("site-search");
      if (!box) return;
      event.preventDefault();
      box.focus();
      box.select();
    } else if (event.key === "?") {
      event.preventDefault();
      help();
    } else if (event.key.length === 1) {
      var el = marked(event.key);
      if (!el) return;
      event.preventDefault();
      reach(el);
    }
  });

  // The header box's suggestions: arrows walk them, Escape closes them.
  function suggestions() {
    return Array.prototype.slice.call(document.querySelectorAll("#search-suggest a"));
  }

  document.addEventListener("keydown", function (event) {
    var box = document.getElementById("site-search");
    var links = suggestions();
    if (!box || !links.length) return;
    var at = links.indexOf(document.activeElement);
    if (event.target !== box && at < 0) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      var step = event.key === "ArrowDown" ? 1 : -1;
      var next = at + step;
      if (next < 0) box.focus();
      else links[Math.min(next, links.length - 1)].focus();
    } else if (event.key === "Escape") {
      document.getElementById("search-suggest").innerHTML = "";
      box.focus();
    }
  });

  document.addEventListener("click", function (event) {
    var list = document.getElementById("search-suggest");
    if (list && list.innerHTML && !event.target.closest(".site-search")) list.innerHTML = "";
  });

  document.addEventListener("click", function (event) {
    var close = event.target.closest && event.target.closest("[data-dialog-close]");
    if (close && close.closest("dialog")) close.closest("dialog").close();
  });

  document.addEventListener("DOMContentLoaded", function () {
    // The footer's button needs this script: shown only where it runs.
    var button = document.querySelector('.site-foot [data-shortcut="?"]');
    if (!button) return;
    button.hidden = false;
    button.addEventListener("click", help);
  });
})();

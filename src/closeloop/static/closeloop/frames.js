// A preview frame marked `data-fit-content` takes the height of the email inside it, so the
// email reads by scrolling the page (on a phone, a box of a fixed height inside the page
// scrolled on its own). The frame's document is our own email HTML: sandboxed with
// `allow-same-origin` only so this page may measure it; nothing in it runs (no
// `allow-scripts`, and its policy allows no script). Without JavaScript the frame keeps the
// stylesheet's height and scrolls.
(function () {
  function fit(frame) {
    var doc;
    try {
      doc = frame.contentDocument;
    } catch (error) {
      return;
    }
    if (!doc || !doc.documentElement || !doc.body) return;
    frame.style.height = "0px"; // measure the content, not the frame it was given
    var height = doc.documentElement.scrollHeight;
    frame.style.height = height > 0 ? height + "px" : "";
    frame.classList.add("frame-fitted");
  }

  function fitAll() {
    document.querySelectorAll("iframe[data-fit-content]").forEach(fit);
  }

  // The frame may load before or after this script runs: fit on its load, and now.
  document.addEventListener(
    "load",
    function (event) {
      if (event.target.matches && event.target.matches("iframe[data-fit-content]")) fit(event.target);
    },
    true,
  );
  var resized = null;
  window.addEventListener("resize", function () {
    clearTimeout(resized);
    resized = setTimeout(fitAll, 100); // a turned phone wraps the email anew
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", fitAll);
  } else {
    fitAll();
  }
})();

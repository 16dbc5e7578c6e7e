// Glossary tooltips: Escape closes the one shown, without moving the focus; it shows again on the next hover or focus.
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll(".glossaire:hover, .glossaire:focus-within").forEach(function (term) {
      term.classList.add("glossaire-ferme");
    });
  });
  // Reopen only when the pointer or the focus comes back from outside the term, not on every move inside it.
  function reopen(event) {
    var term = event.target.closest && event.target.closest(".glossaire");
    if (term && !(event.relatedTarget && term.contains(event.relatedTarget))) term.classList.remove("glossaire-ferme");
  }
  document.addEventListener("focusin", reopen);
  document.addEventListener("mouseover", reopen);
})();

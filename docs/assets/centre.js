/* Behaviour of the centres' own controls (no inline event handlers: the pages carry none).
   « Fermer ce bandeau »: the choice is kept for the whole centre (the key is in the button); the theme's inline
   script hides the bar on the next pages before it is drawn. « Imprimer »: the browser's print dialog. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var close = event.target.closest && event.target.closest("[data-fermer-bandeau]");
    if (close) {
      try { localStorage.setItem(close.getAttribute("data-fermer-bandeau"), "ferme"); } catch (e) { /* private mode */ }
      document.documentElement.classList.add("centre-bandeau-ferme");
    }
    if (event.target.closest && event.target.closest("[data-imprimer]")) window.print();
  });
})();

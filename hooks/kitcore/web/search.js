/* Search box of a centre or of the portal. The index is built at build time (hooks/kitcore/search.py) and
   loaded on first use by a <script> tag, which works from file:// where fetch() does not. The query goes
   through RechercheFrancais.terms, the same normalisation and stemming as the index. */
(function () {
  "use strict";
  var MAX_SHOWN = 30;
  var form = document.querySelector("form[data-recherche]");
  if (!form || !window.lunr || !window.RechercheFrancais) return;
  var input = form.querySelector(".recherche__champ");
  var panel = form.querySelector(".recherche__resultats");
  var base = form.getAttribute("data-recherche-base") || "./";
  var state = { index: null, data: null, loading: false, failed: false };

  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (text) el.textContent = text;
    return el;
  }

  function load(then) {
    if (state.index || state.failed) { if (then) then(); return; }
    if (then) state.pending = then;
    if (state.loading) return;
    state.loading = true;
    var script = document.createElement("script");
    script.src = base + "recherche/index.js";
    script.onload = function () {
      try {
        state.data = window.RECHERCHE_INDEX;
        state.index = lunr.Index.load(state.data.index);
        form.setAttribute("data-recherche-pret", "");
      } catch (e) {
        state.failed = true;
      }
      state.loading = false;
      if (state.pending) { var next = state.pending; state.pending = null; next(); }
    };
    script.onerror = function () {
      state.failed = true;
      state.loading = false;
      if (state.pending) { var next = state.pending; state.pending = null; next(); }
    };
    document.head.appendChild(script);
  }

  function search(query) {
    var terms = RechercheFrancais.terms(query);
    if (!terms.length) return null;
    // Type-ahead: the last word may be unfinished, unless the reader typed a space after it.
    var open = !/\s$/.test(query);
    var results = state.index.query(function (q) {
      terms.forEach(function (term, i) {
        q.term(term, {
          presence: lunr.Query.presence.REQUIRED,
          wildcard: open && i === terms.length - 1 ? lunr.Query.wildcard.TRAILING : lunr.Query.wildcard.NONE
        });
      });
    });
    return results;
  }

  function href(doc, centre) {
    return base + (centre ? centre + "/" : "") + doc.u;
  }

  function render() {
    var query = input.value;
    panel.textContent = "";
    if (!query.trim()) { panel.hidden = true; return; }
    panel.hidden = false;
    var status = element("p", "recherche__etat");
    panel.appendChild(status);
    if (state.failed) { status.textContent = "La recherche n'est pas disponible sur cette page."; return; }
    if (!state.index) { status.textContent = "Chargement de l'index de recherche…"; return; }
    var results = search(query);
    if (results === null) {
      status.textContent = "Précisez votre recherche : les mots trop courts ou trop courants sont ignorés.";
      return;
    }
    if (!results.length) {
      status.textContent = "Aucun résultat pour « " + query.trim() + " ». Essayez un autre mot ou une autre orthographe.";
      return;
    }
    status.textContent = results.length + (results.length > 1 ? " résultats" : " résultat") + " pour « " + query.trim() + " »";
    var list = element("ol", "recherche__liste");
    var names = state.data.centres || null;
    results.slice(0, MAX_SHOWN).forEach(function (r) {
      var doc = state.data.docs[Number(r.ref)];
      var item = element("li", "recherche__resultat");
      if (doc.k) item.setAttribute("data-kit", doc.k);
      if (doc.p) item.setAttribute("data-partie", doc.p);
      var centres = doc.c || [];
      if (centres.length) item.setAttribute("data-centre", centres.join(" "));
      var link = element("a", "recherche__lien");
      link.href = href(doc, centres[0]);
      link.appendChild(element("span", "recherche__titre", doc.t));
      if (doc.p) link.appendChild(element("span", "recherche__partie", doc.p));
      item.appendChild(link);
      if (names && centres.length) {
        var where = element("p", "recherche__centres", centres.length > 1 ? "Centres : " : "Centre : ");
        centres.forEach(function (c, i) {
          if (i) where.appendChild(document.createTextNode(", "));
          var a = element("a", "recherche__centre", names[c] || c);
          a.href = href(doc, c);
          a.setAttribute("data-centre", c);
          where.appendChild(a);
        });
        item.appendChild(where);
      }
      if (doc.e) item.appendChild(element("p", "recherche__extrait", doc.e));
      list.appendChild(item);
    });
    panel.appendChild(list);
    if (results.length > MAX_SHOWN) {
      panel.appendChild(element("p", "recherche__plus",
        (results.length - MAX_SHOWN === 1 ? "1 autre résultat" : (results.length - MAX_SHOWN) + " autres résultats") +
        " : ajoutez un mot pour préciser votre recherche."));
    }
  }

  function links() {
    return Array.prototype.slice.call(panel.querySelectorAll("a.recherche__lien"));
  }

  input.addEventListener("focus", function () { load(); });
  input.addEventListener("input", function () {
    if (!state.index && !state.failed) load(render);
    render();
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var first = links()[0];
    if (first) window.location.href = first.href;
  });
  form.addEventListener("keydown", function (event) {
    var all = links();
    var at = all.indexOf(document.activeElement);
    if (event.key === "Escape") {
      panel.hidden = true;
      input.focus();
    } else if (event.key === "ArrowDown" && all.length) {
      event.preventDefault();
      all[Math.min(at + 1, all.length - 1)].focus();
    } else if (event.key === "ArrowUp" && at >= 0) {
      event.preventDefault();
      if (at === 0) input.focus(); else all[at - 1].focus();
    }
  });
  document.addEventListener("click", function (event) {
    if (!form.contains(event.target)) panel.hidden = true;
  });
  document.addEventListener("keydown", function (event) {
    var t = event.target;
    var typing = t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.isContentEditable);
    if (event.key === "/" && !typing) { event.preventDefault(); input.focus(); }
  });
  var initial = new URLSearchParams(window.location.search).get("q");
  if (initial) { input.value = initial; load(render); }
})();

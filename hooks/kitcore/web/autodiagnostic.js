/* Self-diagnosis of a kit page: turns the paper grid into an accessible form and scores it in the browser.
   The data (window.AUTODIAGNOSTIC) is written at build time by kitcore.questionnaire from the kit's
   autodiagnostic.yml; the rules are kitcore.diagnostic's, in integers, so that both give the same scores.
   Nothing leaves the page: answers are kept in localStorage only if the reader asks, and cleared on demand.
   Every text is set with textContent: none is ever parsed as HTML. */
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";

  /* ----- scoring (kept in step with kitcore/diagnostic.py) ----- */

  function divisorOf(data, questions) {
    if (data.calcul !== "moyenne") return 1;
    return questions.reduce(function (sum, q) { return sum + q.poids; }, 0);
  }

  function bounds(data, q) {
    var points = data.echelles[q.echelle].map(function (o) { return o.points; });
    return [Math.min.apply(null, points), Math.max.apply(null, points)];
  }

  function scoreOf(data, questions, bands, answers) {
    var raw = 0, low = 0, high = 0;
    questions.forEach(function (q) {
      var b = bounds(data, q);
      raw += q.poids * data.echelles[q.echelle][answers[q.id]].points;
      low += q.poids * b[0];
      high += q.poids * b[1];
    });
    var divisor = divisorOf(data, questions);
    var band = null;
    bands.forEach(function (t) {
      if (!band && t.de * divisor <= 100 * raw && 100 * raw <= t.a * divisor) band = t;
    });
    return {
      brut: raw, diviseur: divisor, minimum: low, maximum: high, tranche: band,
      centiemes: Math.floor((200 * raw + divisor) / (2 * divisor)),
      maximumCentiemes: Math.floor((200 * high + divisor) / (2 * divisor))
    };
  }

  function allQuestions(data) {
    return data.axes.reduce(function (all, axis) { return all.concat(axis.questions); }, []);
  }

  /* Scores of complete answers (question id → index of the chosen option): per axis and overall. */
  function score(data, answers) {
    var out = { axes: {}, global: null };
    data.axes.forEach(function (axis) { out.axes[axis.id] = scoreOf(data, axis.questions, axis.tranches, answers); });
    if (data.global.length) out.global = scoreOf(data, allQuestions(data), data.global, answers);
    return out;
  }

  /* Hundredths as a French decimal: 250 → « 2,5 », 1200 → « 12 ». */
  function frenchNumber(hundredths) {
    var sign = hundredths < 0 ? "-" : "";
    var n = Math.abs(hundredths);
    var whole = Math.floor(n / 100), cents = n % 100;
    if (!cents) return sign + whole;
    return (sign + whole + "," + (cents < 10 ? "0" : "") + cents).replace(/0$/, "");
  }

  window.Autodiagnostic = { score: score, frenchNumber: frenchNumber };

  /* ----- the form ----- */

  var data = window.AUTODIAGNOSTIC;
  var container = document.getElementById("autodiagnostic");
  var paper = document.getElementById("autodiagnostic-papier");
  if (!data || !container || !paper) return;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  /* A row of two buttons, the first one primary; each is [label, on click], and no handler makes it the submit. */
  function actions(primary, secondary) {
    var row = el("p", "autodiagnostic__actions");
    [primary, secondary].forEach(function (button, i) {
      var node = el("button", i ? "md-button" : "md-button md-button--primary", button[0]);
      node.type = button[1] ? "button" : "submit";
      if (button[1]) node.addEventListener("click", button[1]);
      row.appendChild(node);
    });
    return row;
  }

  function storage() {
    try { return window.localStorage; } catch (e) { return null; }  // refused (privacy settings): no keeping
  }

  var questions = allQuestions(data);
  var form = el("form", "autodiagnostic__formulaire");
  form.setAttribute("novalidate", "");
  form.setAttribute("aria-label", data.titre);
  var summary = el("div", "autodiagnostic__erreurs");
  summary.id = "autodiagnostic-erreurs";
  summary.tabIndex = -1;
  summary.hidden = true;
  form.appendChild(summary);

  var number = 0;
  data.axes.forEach(function (axis) {
    var group = el("fieldset", "autodiagnostic__axe");
    group.appendChild(el("legend", "autodiagnostic__axe-titre", axis.titre));
    if (axis.description) group.appendChild(el("p", "autodiagnostic__axe-description", axis.description));
    axis.questions.forEach(function (q) {
      number += 1;
      var box = el("fieldset", "autodiagnostic__question");
      box.id = "question-" + q.id;
      box.appendChild(el("legend", null, number + ". " + q.texte + (q.poids !== 1 ? " (coefficient " + q.poids + ")" : "")));
      var described = [];
      if (q.aide) {
        var hint = el("p", "autodiagnostic__aide", q.aide);
        hint.id = "aide-" + q.id;
        box.appendChild(hint);
        described.push(hint.id);
      }
      var error = el("p", "autodiagnostic__erreur", "Répondez à cette question.");
      error.id = "erreur-" + q.id;
      error.hidden = true;
      box.appendChild(error);
      if (described.length) box.setAttribute("aria-describedby", described.join(" "));
      var options = el("div", "autodiagnostic__options");
      data.echelles[q.echelle].forEach(function (option, i) {
        var label = el("label", "autodiagnostic__option");
        var input = el("input");
        input.type = "radio";
        input.name = "q-" + q.id;
        input.value = String(i);
        label.appendChild(input);
        label.appendChild(el("span", null, option.libelle));
        options.appendChild(label);
      });
      box.appendChild(options);
      group.appendChild(box);
    });
    form.appendChild(group);
  });

  var keep = el("p", "autodiagnostic__garder");
  var keepBox = el("input");
  keepBox.type = "checkbox";
  keepBox.id = "autodiagnostic-garder";
  var keepLabel = el("label", null, "Garder mes réponses dans ce navigateur pour ma prochaine visite "
    + "(elles ne sont jamais envoyées)");
  keepLabel.htmlFor = keepBox.id;
  keep.appendChild(keepBox);
  keep.appendChild(keepLabel);
  form.appendChild(keep);

  form.appendChild(actions(["Calculer mes résultats", null], ["Effacer mes réponses", clearAnswers]));

  var results = el("section", "autodiagnostic__resultats");
  results.id = "autodiagnostic-resultats";
  results.tabIndex = -1;
  results.hidden = true;
  results.setAttribute("aria-labelledby", "autodiagnostic-resultats-titre");

  var announce = el("p", "autodiagnostic__annonce");
  announce.setAttribute("aria-live", "polite");

  paper.hidden = true;
  paper.parentNode.insertBefore(form, paper.nextSibling);
  form.parentNode.insertBefore(results, form.nextSibling);
  results.parentNode.insertBefore(announce, results.nextSibling);
  container.className += " autodiagnostic--actif";
  var key = document.querySelector(".autodiagnostic__lecture");
  if (key && key.previousElementSibling) key.previousElementSibling.classList.add("autodiagnostic__lecture-titre");
  document.body.className += " avec-autodiagnostic";

  function say(message) {
    // Emptied first: the same sentence twice in a row is announced again.
    announce.textContent = "";
    window.setTimeout(function () { announce.textContent = message; }, 50);
  }

  function answers() {
    var out = {};
    questions.forEach(function (q) {
      var checked = form.querySelector('input[name="q-' + q.id + '"]:checked');
      if (checked) out[q.id] = Number(checked.value);
    });
    return out;
  }

  function mark(q, missing) {
    var box = document.getElementById("question-" + q.id);
    var error = document.getElementById("erreur-" + q.id);
    error.hidden = !missing;
    box.classList.toggle("autodiagnostic__question--erreur", missing);
    var ids = (q.aide ? ["aide-" + q.id] : []).concat(missing ? [error.id] : []);
    if (ids.length) box.setAttribute("aria-describedby", ids.join(" ")); else box.removeAttribute("aria-describedby");
    box.querySelectorAll("input").forEach(function (input) {
      if (missing) input.setAttribute("aria-invalid", "true"); else input.removeAttribute("aria-invalid");
    });
  }

  function save() {
    var store = storage();
    if (!store) return;
    if (keepBox.checked) store.setItem(data.stockage, JSON.stringify(answers()));
    else store.removeItem(data.stockage);
  }

  function showChosen() {
    form.querySelectorAll(".autodiagnostic__option").forEach(function (label) {
      label.classList.toggle("autodiagnostic__option--choisie", label.querySelector("input").checked);
    });
  }

  function showErrors(missing) {
    summary.textContent = "";
    var title = el("h2", null, missing.length === 1 ? "Il manque une réponse"
      : "Il manque " + missing.length + " réponses");
    title.id = "autodiagnostic-erreurs-titre";
    summary.setAttribute("aria-labelledby", title.id);
    summary.appendChild(title);
    summary.appendChild(el("p", null, "Répondez à ces questions pour obtenir vos résultats :"));
    var list = el("ul");
    missing.forEach(function (q) {
      var item = el("li");
      var link = el("a", null, questions.indexOf(q) + 1 + ". " + q.texte);
      link.href = "#question-" + q.id;
      link.addEventListener("click", function (event) {
        event.preventDefault();
        form.querySelector('input[name="q-' + q.id + '"]').focus();
      });
      item.appendChild(link);
      list.appendChild(item);
    });
    summary.appendChild(list);
    summary.hidden = false;
    summary.focus();
    say(title.textContent + ".");
  }

  function chart(lines) {
    var rowHeight = 46, width = 640, barWidth = 460;
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("class", "autodiagnostic__graphique");
    svg.setAttribute("viewBox", "0 0 " + width + " " + (lines.length * rowHeight + 4));
    svg.setAttribute("role", "img");
    var title = document.createElementNS(SVG, "title");
    title.textContent = "Graphique de vos scores : " + lines.map(function (line) {
      return line.titre + " " + frenchNumber(line.score.centiemes) + " sur " + frenchNumber(line.score.maximumCentiemes);
    }).join(" ; ");
    svg.appendChild(title);
    lines.forEach(function (line, i) {
      var y = i * rowHeight;
      var label = document.createElementNS(SVG, "text");
      label.setAttribute("x", "0");
      label.setAttribute("y", String(y + 15));
      label.setAttribute("class", "autodiagnostic__graphique-libelle");
      label.textContent = line.titre;
      var track = document.createElementNS(SVG, "rect");
      track.setAttribute("x", "0");
      track.setAttribute("y", String(y + 22));
      track.setAttribute("width", String(barWidth));
      track.setAttribute("height", "16");
      track.setAttribute("class", "autodiagnostic__graphique-fond");
      var share = line.score.maximum > 0 ? line.score.brut / line.score.maximum : 0;  // same divisor on both sides
      var bar = document.createElementNS(SVG, "rect");
      bar.setAttribute("x", "0");
      bar.setAttribute("y", String(y + 22));
      bar.setAttribute("width", String(Math.max(0, Math.min(1, share)) * barWidth));
      bar.setAttribute("height", "16");
      bar.setAttribute("class", "autodiagnostic__graphique-barre");
      var value = document.createElementNS(SVG, "text");
      value.setAttribute("x", String(barWidth + 10));
      value.setAttribute("y", String(y + 35));
      value.setAttribute("class", "autodiagnostic__graphique-valeur");
      value.textContent = frenchNumber(line.score.centiemes) + " sur " + frenchNumber(line.score.maximumCentiemes);
      [label, track, bar, value].forEach(function (node) { svg.appendChild(node); });
    });
    return svg;
  }

  function lines(scores) {
    // Ids of their own kind: an axis may be called « global » without its block taking the overall score's id.
    var out = data.axes.map(function (axis) {
      return { id: "axe-" + axis.id, titre: axis.titre, score: scores.axes[axis.id] };
    });
    if (scores.global) out.unshift({ id: "global", titre: "Score global", score: scores.global });
    return out;
  }

  function showResults(scores) {
    results.textContent = "";
    var title = el("h2", null, "Vos résultats");
    title.id = "autodiagnostic-resultats-titre";
    results.appendChild(title);
    var all = lines(scores);
    results.appendChild(chart(all));
    all.forEach(function (line) {
      var block = el("div", "autodiagnostic__resultat");
      block.id = "resultat-" + line.id;
      block.appendChild(el("h3", null, line.titre));
      var verdict = el("p", "autodiagnostic__verdict");
      verdict.appendChild(el("span", "autodiagnostic__score",
        frenchNumber(line.score.centiemes) + " sur " + frenchNumber(line.score.maximumCentiemes)));
      verdict.appendChild(document.createTextNode(" — "));
      verdict.appendChild(el("strong", "autodiagnostic__tranche", line.score.tranche ? line.score.tranche.titre : ""));
      block.appendChild(verdict);
      if (line.score.tranche) {
        block.appendChild(el("p", "autodiagnostic__recommandation", line.score.tranche.recommandation));
        if (line.score.tranche.liens.length) {
          var list = el("ul", "autodiagnostic__liens");
          line.score.tranche.liens.forEach(function (target) {
            var item = el("li");
            var link = el("a", null, target.texte);
            link.href = target.href;
            item.appendChild(link);
            list.appendChild(item);
          });
          block.appendChild(list);
        }
      }
      results.appendChild(block);
    });
    results.appendChild(actions(["Imprimer mes résultats", function () { window.print(); }],
      ["Télécharger mes réponses", function () { downloadCsv(scores); }]));
    results.hidden = false;
    container.classList.add("autodiagnostic--calcule");
    results.focus();
    say("Résultats calculés. " + all.map(function (line) {
      return line.titre + " : " + frenchNumber(line.score.centiemes) + " sur "
        + frenchNumber(line.score.maximumCentiemes) + (line.score.tranche ? ", " + line.score.tranche.titre : "");
    }).join(". ") + ".");
  }

  function cell(value) {
    var text = String(value);
    if (/^[=+\-@]/.test(text)) text = "'" + text;  // never a formula once opened in a spreadsheet
    return /[;"\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  function downloadCsv(scores) {
    var chosen = answers();
    var rows = [["axe", "n°", "question", "votre réponse", "points", "poids"]];
    var n = 0;
    data.axes.forEach(function (axis) {
      axis.questions.forEach(function (q) {
        n += 1;
        var option = data.echelles[q.echelle][chosen[q.id]];
        rows.push([axis.titre, n, q.texte, option.libelle, option.points, q.poids]);
      });
    });
    rows.push([]);
    rows.push(["résultat", "score", "score maximal", "titre", "recommandation"]);
    lines(scores).forEach(function (line) {
      rows.push([line.titre, frenchNumber(line.score.centiemes), frenchNumber(line.score.maximumCentiemes),
        line.score.tranche ? line.score.tranche.titre : "", line.score.tranche ? line.score.tranche.recommandation : ""]);
    });
    var text = "\ufeff" + rows.map(function (row) { return row.map(cell).join(";"); }).join("\n") + "\n";
    var url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
    var link = el("a");
    link.href = url;
    link.download = data.fichier + ".csv";
    link.hidden = true;
    document.body.appendChild(link);
    link.click();
    document.body.removeChild(link);
    window.setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
    say("Vos réponses ont été téléchargées (fichier " + link.download + ").");
  }

  form.addEventListener("change", function (event) {
    if (event.target === keepBox) {
      save();
      say(keepBox.checked ? "Vos réponses seront gardées dans ce navigateur." : "Vos réponses ne seront plus gardées.");
      return;
    }
    var name = event.target.name || "";
    questions.forEach(function (q) { if ("q-" + q.id === name) mark(q, false); });
    showChosen();
    save();
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var given = answers();
    var missing = questions.filter(function (q) { return !(q.id in given); });
    questions.forEach(function (q) { mark(q, missing.indexOf(q) >= 0); });
    if (missing.length) {
      results.hidden = true;
      container.classList.remove("autodiagnostic--calcule");
      showErrors(missing);
      return;
    }
    summary.hidden = true;
    showResults(score(data, given));
  });

  function clearAnswers() {
    form.reset();
    var store = storage();
    if (store) store.removeItem(data.stockage);
    questions.forEach(function (q) { mark(q, false); });
    showChosen();
    summary.hidden = true;
    results.hidden = true;
    results.textContent = "";
    container.classList.remove("autodiagnostic--calcule");
    say("Vos réponses ont été effacées.");
  }

  (function restore() {
    var store = storage();
    var saved = store && store.getItem(data.stockage);
    if (!saved) return;
    var values;
    try { values = JSON.parse(saved); } catch (e) { return; }
    questions.forEach(function (q) {
      var input = form.querySelector('input[name="q-' + q.id + '"][value="' + Number(values[q.id]) + '"]');
      if (input) input.checked = true;
    });
    keepBox.checked = true;
    showChosen();
  })();
})();

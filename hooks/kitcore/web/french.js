/* French text normalisation for search: the exact mirror of hooks/kitcore/french.py (tests prove both agree).
   Used in the browser on the reader's query, and loadable by node for the tests. */
(function (root) {
  "use strict";
  var STOPWORDS = (
    "a afin ai aie aient ainsi alors as au aucun aucune auquel aupres aussi autre autres aux auxquels avec avoir avait " +
    "avaient avez avons ayant c ca car ce ceci cela celle celles celui ces cet cette ceux chaque chez ci comme comment " +
    "d dans de des desquels deux dont du duquel elle elles en encore entre es est et etaient etait etant etc ete etes " +
    "etre eu eux il ils j je jusqu l la laquelle le lequel les lesquelles lesquels leur leurs lorsqu lui m ma mais me " +
    "meme memes mes moi mon n ne ni nos notre nous on ont or ou par parce pas peu peut plus pour pourquoi puis puisqu " +
    "qu quand que quel quelle quelles quels qui quoi quoiqu s sa sans se selon ses si soi soit son sont sous suis sur " +
    "t ta te tes toi ton tous tout toute toutes tres tu un une unes uns vers via voici voila vos votre vous y"
  ).split(" ");
  var SUFFIXES = [
    "issement", "ification", "abilite", "isation", "ariale", "oriale", "ifier", "ateur", "atrice", "ation", "ariat",
    "arial", "orial", "atif", "ative", "ement", "aire", "oire", "iser", "ance", "ence", "ique", "isme", "iste", "able",
    "ible", "euse", "iere", "elle", "eant", "aient", "eront", "ait", "ant", "ante", "era", "eur", "ier", "ion", "ite",
    "ive", "ale", "at", "al", "el", "if", "ee", "er", "ez", "ie", "ir", "e"
  ];
  var MIN_STEM = 3;
  var STOP = Object.create(null);
  STOPWORDS.forEach(function (w) { STOP[w] = true; });
  // Longest first, ties in alphabetical order: the order Python's sorted(key=(-len, s)) gives.
  var BY_LENGTH = SUFFIXES.slice().sort(function (x, y) {
    return y.length - x.length || (x < y ? -1 : x > y ? 1 : 0);
  });
  var DOUBLED = ["nn", "ll", "tt", "mm", "ss", "pp"];
  var COMBINING = /[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]/g;

  function fold(text) {
    text = String(text).toLowerCase().replace(/œ/g, "oe").replace(/æ/g, "ae");
    return text.normalize("NFKD").replace(COMBINING, "");
  }

  function tokens(text) {
    return fold(text).split(/[^a-z0-9]+/).filter(function (t) { return t.length > 0; });
  }

  function endsWith(word, suffix) {
    return word.length >= suffix.length && word.slice(word.length - suffix.length) === suffix;
  }

  function stem(word) {
    if (word.length <= MIN_STEM || !/^[a-z]+$/.test(word)) return word;
    if (endsWith(word, "aux") && word.length - 3 >= MIN_STEM) {
      word = word.slice(0, -3) + "al";
    } else if ((word.charAt(word.length - 1) === "s" || word.charAt(word.length - 1) === "x") && !endsWith(word, "ss")) {
      word = word.slice(0, -1);
    }
    for (var i = 0; i < BY_LENGTH.length; i++) {
      var suffix = BY_LENGTH[i];
      if (endsWith(word, suffix) && word.length - suffix.length >= MIN_STEM) {
        word = word.slice(0, word.length - suffix.length);
        break;
      }
    }
    // Only when a stem longer than MIN_STEM remains: « donn » (données) must not become « don » (dons).
    if (DOUBLED.indexOf(word.slice(-2)) >= 0 && word.length - 1 > MIN_STEM) word = word.slice(0, -1);
    return word;
  }

  function terms(text) {
    return tokens(text).filter(function (t) { return t.length > 1 && !STOP[t]; }).map(stem);
  }

  var api = { STOPWORDS: STOPWORDS, SUFFIXES: SUFFIXES, MIN_STEM: MIN_STEM, fold: fold, tokens: tokens, stem: stem, terms: terms };
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.RechercheFrancais = api;
})(this);

"""The real content: five centres of substantive kits, figures all defined, `make check` clean."""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from kitcore import checks, figures, parts

ROOT = Path(__file__).resolve().parent.parent
KITS = ROOT / "kits"
# Minimum length of each part, in the part table's order.
MINIMUM = dict(zip((p.id for p in parts.PARTS), (2000, 1500, 2000, 1000)))
OPEN_FORMATS = {".odt", ".ods", ".docx", ".xlsx", ".csv", ".pdf"}


@pytest.fixture(scope="module")
def corpus():
    corpus, report = checks.check_kits(KITS)
    assert [p.text() for p in report.sorted()] == [], "make check doit passer sans erreur ni avertissement"
    return corpus


def test_five_centres_with_enough_kits(corpus) -> None:
    assert [a.id for a in corpus.audiences] == ["associations", "entreprises", "fondations", "investisseurs", "territoires"]
    assert [c.id for c in corpus.challenges] == ["modeles-socio-economiques", "numerique", "competences", "evaluation"]
    published = [k for k in corpus.kits if not k.draft]
    assert len(published) >= 20
    for audience in corpus.audiences:
        assert len(corpus.kits_for(audience.id)) >= 4, audience.id
    assert sum(1 for k in published if len(k.publics) > 1) >= 5
    # Every challenge is covered somewhere.
    assert set(Counter(c for k in published for c in k.enjeux)) == {c.id for c in corpus.challenges}


def test_each_part_is_substantive(corpus) -> None:
    short = []
    for kit in corpus.kits:
        for part, minimum in MINIMUM.items():
            text = kit.sections[part]
            if len(text) < minimum:
                short.append(f"{kit.id}/{part}.md : {len(text)} caractères (minimum {minimum})")
        steps = re.findall(r"^###\s+Étape\s+\d", kit.sections["methodologie"], re.M)
        if len(steps) < 4:
            short.append(f"{kit.id}/methodologie.md : {len(steps)} étapes numérotées (minimum 4)")
        if re.search(r"lorem ipsum", " ".join(kit.sections.values()), re.I):
            short.append(f"{kit.id} : texte de remplissage")
    assert short == []


def test_each_toolbox_offers_an_open_format_file(corpus) -> None:
    for kit in corpus.kits:
        files = [kit.folder / r.fichier for r in kit.ressources]
        assert any(f.suffix.lower() in OPEN_FORMATS and f.stat().st_size > 200 for f in files), kit.id


def test_every_figure_used_is_defined_and_every_figure_is_sourced(corpus) -> None:
    used = {ident for kit in corpus.kits for text in kit.sections.values() for ident in figures.figure_calls(text)}
    assert used, "les kits doivent citer les chiffres partagés par {{ chiffre('…') }}"
    assert used <= set(corpus.figures), used - set(corpus.figures)
    for fig in corpus.figures.values():
        assert fig.source.strip() and fig.valeur.strip(), fig.id
    # The note's headline figures are stated once, in chiffres.yml, and used by the kits.
    for key in ("devoir_alliances_citoyens", "devoir_alliances_entreprises", "devoir_alliances_associations",
                "devoir_alliances_maires", "benevoles", "modes_evaluation", "profils_maires", "nouveaux_metiers",
                "enjeux_partages"):
        assert key in corpus.figures and key in used, key


def test_figures_are_not_typed_by_hand(corpus) -> None:
    # A figure typed in a kit escapes correction in chiffres.yml: the headline percentages must come from macros.
    for kit in corpus.kits:
        for part, text in kit.sections.items():
            for value in ("69 %", "81 %", "86 %", "87 %", "76 %", "13 millions"):
                assert value not in text.replace("\u202f", " ").replace("\u00a0", " "), f"{kit.id}/{part}.md : {value}"


# --- Content the field can trust (#15) -----------------------------------------------------------------------

# Examples the source note gives; each may illustrate at most three kits, so that kits do not all tell the same story.
NOTE_EXAMPLES = ("Solifap", "Téléthon", "Fédération des entreprises de propreté", "carrefour des solutions",
                 "RéZolutions Numériques", "Fondation Accenture", "Consult'In France", "Mouvement associatif",
                 "Juris Associations", "Fonjep", "qui changent l", "parcours d'expérience", "Convergences", "MEDEF")
COMPOSITE = re.compile(r'^!!! info "Cas composites?"$')


def _kit_text(kit) -> str:
    files = [kit.folder / r.fichier for r in kit.ressources if r.fichier.endswith(".csv")]
    return "\n".join(list(kit.sections.values()) + [f.read_text(encoding="utf-8") for f in files])


def test_authors_are_writers_not_the_bodies_the_kits_draw_on(corpus) -> None:
    from kitcore import authorship

    bodies = authorship.name_index(authorship.cited_bodies(corpus))
    assert [(k.id, a) for k in corpus.kits for a in k.auteurs if authorship.cited_as_source(a, bodies)] == []
    # The check itself: an organisation the figures cite, written as author in any case or with its article.
    assert authorship.cited_as_source("l'observatoire des Partenariats", bodies) is not None
    assert authorship.cited_as_source("Le RAMEAU", bodies) is not None
    assert authorship.cited_as_source("Jeanne Martin", bodies) is None


def test_author_named_as_a_source_is_reported_with_file_line_and_fix(tmp_path: Path) -> None:
    import shutil

    kits = tmp_path / "kits"
    shutil.copytree(KITS, kits)
    meta = kits / "valoriser-le-benevolat" / "kit.yml"
    meta.write_text(meta.read_text(encoding="utf-8").replace(
        "  - Équipe éditoriale des centres de ressources", "  - Observatoire des partenariats"), encoding="utf-8")
    _, report = checks.check_kits(kits)
    texts = [p.text() for p in report.problems]
    assert len(texts) == 1 and texts[0].startswith("kits/valoriser-le-benevolat/kit.yml, ligne ")
    assert "« auteurs » nomme « Observatoire des partenariats », qui est cité comme source" in texts[0]
    assert "citez l'étude dans « sources »" in texts[0]


def test_every_figure_has_a_year_and_says_whether_it_was_observed_or_forecast(corpus, tmp_path: Path) -> None:
    for fig in corpus.figures.values():
        assert fig.years and fig.nature in ("observation", "prevision"), fig.id
    assert corpus.figures["parcours_pilotes"].nature == "prevision"  # « 2018 sera l'occasion… » is an announcement
    # A figure without its year is refused, in French, with the file and line.
    kits = tmp_path / "kits"
    kits.mkdir()
    for name in ("publics.yml", "enjeux.yml"):
        (kits / name).write_text((KITS / name).read_text(encoding="utf-8"), encoding="utf-8")
    (kits / "chiffres.yml").write_text("x:\n  valeur: \"3\"\n  libelle: Trois\n  source: Étude\n  nature: observation\n"
                                       "y:\n  valeur: \"4\"\n  libelle: Quatre\n  source: Étude\n  annee: \"2017-2015\"\n"
                                       "  nature: observation\n", encoding="utf-8")
    _, report = checks.check_kits(kits)
    texts = [p.text() for p in report.problems]
    assert "kits/chiffres.yml, ligne 1 : La clé obligatoire « annee » manque" in " ".join(texts)
    assert "kits/chiffres.yml, ligne 10 : « annee » vaut « 2017-2015 », qui n'est pas une année valide" in " ".join(texts)


def test_pages_state_the_year_of_each_figure_they_use(corpus) -> None:
    undated = [(k.id, part, line, ident) for k in corpus.kits for part, text in k.sections.items()
               for line, ident in figures.undated_uses(text, corpus.figures)]
    assert undated == []
    # The rule holds per paragraph: the year of another paragraph does not count.
    text = "En 2016, le contexte change.\n\nLa part atteint {{ chiffre('maires_co_construction') }} des maires.\n"
    assert figures.undated_uses(text, corpus.figures) == [(3, "maires_co_construction")]
    assert figures.undated_uses(text.replace("\n\nLa", " La"), corpus.figures) == []
    # A period counts by any of its years.
    assert figures.undated_uses("En 2016, {{ chiffre('devoir_alliances_maires') }}.", corpus.figures) == []


def test_survey_figures_are_told_in_the_past(corpus) -> None:
    present = re.compile(r"chiffre\('devoir_alliances_[a-z]+'\) \}\}[^.]{0,80}\b(se disent|sont favorables|plébiscitent|soutiennent)\b")
    assert [k.id for k in corpus.kits for t in k.sections.values() if present.search(t)] == []


def test_every_kit_cites_its_sources_and_offers_further_reading(corpus) -> None:
    from kitcore import schema

    for kit in corpus.kits:
        assert kit.sources and any(s.auteur == "Le RAMEAU" and s.annee == 2017 for s in kit.sources), kit.id
        assert len(kit.pour_aller_plus_loin) >= 2, kit.id
        for address in [r.adresse for r in kit.pour_aller_plus_loin] + [s.adresse for s in kit.sources if s.adresse]:
            assert schema.address_problem(address) is None, (kit.id, address)


def test_sources_and_further_reading_are_on_the_kit_page_the_toolbox_and_the_printable_page(corpus) -> None:
    from kitcore import pages
    from kitcore.engines.material import dialect

    centre = pages.build_centre(corpus, "entreprises")
    kit = corpus.kit("mecenat-de-competences")
    by_path = {p.path: dialect.markdown(p) for p in centre.pages}
    tools = next(p for p in parts.PARTS if p.downloads).id
    home, toolbox, printable = (by_path[f"kits/{kit.id}/{name}.md"] for name in (parts.PRESENTATION, tools, parts.PRINTABLE))
    first = kit.pour_aller_plus_loin[0]
    for page in (home, toolbox, printable):
        assert "## Pour aller plus loin" in page and f"]({first.adresse})" in page
    for page in (home, printable):
        assert "## Sources" in page and "Le RAMEAU, « Les impacts des alliances" in page
    assert "Rédaction" in home and "Par Équipe" not in home


def test_addresses_are_checked_for_form_without_the_network() -> None:
    from kitcore import schema

    assert schema.address_problem("https://www.lerameau.fr/") is None
    for bad in ("http://www.lerameau.fr/", "https://lerameau", "https://www.lerameau.fr/a b", "https://u:p@x.fr/",
                "https://x.fr:99999/", "javascript:alert(1)", "https://" + "a" * 2001 + ".fr"):
        assert schema.address_problem(bad), bad


def test_no_example_of_the_note_illustrates_more_than_three_kits(corpus) -> None:
    for example in NOTE_EXAMPLES:
        users = [k.id for k in corpus.kits if example.casefold() in _kit_text(k).casefold()]
        assert len(users) <= 3, (example, users)


def test_invented_cases_are_labelled_as_composites(corpus) -> None:
    for kit in corpus.kits:
        for part, text in kit.sections.items():
            rows = text.splitlines()
            for i, row in enumerate(rows):
                if "composite" in row.casefold() and not COMPOSITE.match(row):
                    # The only other place the word may appear: the body of the admonition itself.
                    assert i > 0 and COMPOSITE.match(rows[i - 1]), f"{kit.id}/{part}.md, ligne {i + 1}"
    composites = sum(1 for k in corpus.kits for t in k.sections.values() for r in t.splitlines() if COMPOSITE.match(r))
    assert composites >= 15


def test_downloads_follow_french_typography_too(corpus) -> None:
    import csv
    import io

    wrong = {
        "espace ordinaire avant « : ; ! ? »": re.compile(r"(?<=\S) [:;!?](?=\s|$)"),
        "espace ordinaire après « ou avant »": re.compile(r"« |(?<=\S) »"),
        "« n° » au lieu de « nᵒ »": re.compile(r"\bn°"),
        "trait d'union en guise de tiret": re.compile(r"(?<=\S) - (?=\S)"),
    }
    problems = []
    files = sorted({kit.folder / r.fichier for kit in corpus.kits for r in kit.ressources if r.fichier.endswith(".csv")})
    assert len(files) >= 40
    for path in files:
        for number, row in enumerate(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig")), delimiter=";"), 1):
            for cell in row:
                problems += [f"{path.relative_to(KITS)}, ligne {number} : {what}" for what, rule in wrong.items()
                             if rule.search(cell)]
    assert problems == []


def test_one_wording_for_the_recurring_labels_and_one_scale_per_grid(corpus) -> None:
    texts = {f"{k.id}/{part}": t for k in corpus.kits for part, t in k.sections.items()}
    variants = re.compile(r"^\*\*(Qui|Quoi|Livrable|Comment l'utiliser)\*\* :|Ce que l'on peut en retenir|\*\*Mode d'emploi",
                          re.M)
    assert [name for name, t in texts.items() if variants.search(t)] == []
    steps = [name for name, t in texts.items() if name.endswith("/methodologie")]
    for name in steps:
        assert texts[name].count("**Qui :**") >= 4 and texts[name].count("**Livrable :**") >= 4, name
    # Materiality grids are scored on one scale everywhere: 1 to 4.
    grids = [kit.folder / r.fichier for kit in corpus.kits for r in kit.ressources if "materialite" in r.fichier]
    assert len(grids) == 2
    for grid in grids:
        header = grid.read_text(encoding="utf-8-sig").splitlines()[0]
        assert header.count("(1 à 4)") == 2 and "1 à 5" not in header, grid

"""Safe reading of contributed files: UTF-8 text and bounded YAML with the line of every value."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .wording import human_size

# Contributed YAML is small; a bigger file is a mistake or an attack.
MAX_YAML_BYTES = 256 * 1024
MAX_TEXT_BYTES = 2 * 1024 * 1024
MAX_YAML_NODES = 20_000
# Composed documents by text: the live preview re-checks every kit on each edit, and only one file has changed.
# Keyed by content, not by time, so a cached result can never be stale. Nodes are cached, not data: each
# call builds fresh data from them, which costs less than copying (a copy per load dominated big corpora).
MAX_PARSED = 4096
_PARSED: dict[str, yaml.Node] = {}
# Nesting and text length a kit never needs: deeper nesting would exhaust Python's recursion (a traceback),
# and a single huge value would end up on every card and page.
MAX_YAML_DEPTH = 20
MAX_YAML_SCALAR_CHARS = 20_000


class SourceError(Exception):
    """A file that cannot be read, with the line and the French explanation."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass
class Located:
    """A YAML document's data, with the line of each key and list item."""

    data: Any
    lines: dict[tuple, int] = field(default_factory=dict)
    # Unquoted words that YAML 1.1 reads as yes or no (`No`, `on`, `y`…), by path: editors reading YAML 1.2
    # take them as text, so a text field holding one gets a message saying to quote it.
    words: dict[tuple, str] = field(default_factory=dict)

    def line(self, *path: Any) -> int | None:
        """Line of the value at `path` (keys and indexes), or of its nearest parent."""
        p = tuple(path)
        while p:
            if p in self.lines:
                return self.lines[p]
            p = p[:-1]
        return self.lines.get((), None)


def read_text(path: Path, limit: int = MAX_TEXT_BYTES) -> str:
    """Read a UTF-8 text file, refusing other encodings and oversized files."""
    try:
        if path.is_symlink():
            raise SourceError("ce fichier est un lien symbolique ; remplacez-le par le fichier lui-même.")
        size = path.stat().st_size
        if size > limit:
            raise SourceError(
                f"le fichier est trop volumineux ({human_size(size)}, maximum {human_size(limit)}) ; "
                "découpez-le ou allégez-le."
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"impossible de lire le fichier ({exc.strerror or exc}) ; vérifiez qu'il existe et que "
                          "vous avez le droit de le lire.") from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise SourceError(
            "le texte n'est pas encodé en UTF-8 ; enregistrez le fichier en UTF-8 "
            "(dans votre éditeur : « Enregistrer sous », encodage UTF-8).",
            line,
        ) from exc
    text = text.lstrip("\ufeff")
    control = _CONTROL.search(text)
    if control:
        # YAML refuses them outright and Markdown uses some as internal markers: never a contributor's intent.
        raise SourceError(
            f"le texte contient un caractère invisible interdit (U+{ord(control.group()):04X}), souvent venu "
            "d'un copier-coller ; supprimez-le (retapez la ligne indiquée).",
            text.count("\n", 0, control.start()) + 1,
        )
    return text


# C0 controls but tab, line feed and carriage return; DEL; C1 controls; the line breaks only YAML counts as
# such (U+0085, U+2028, U+2029: line numbers would differ from the editor's); a byte-order mark after the start
# and non-characters. None is ever a contributor's intent, and YAML or Markdown choke on several of them.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")


class _Bounded:
    """Composition that refuses anchors, aliases and oversized documents (no billion laughs)."""

    def compose_node(self, parent: Any, index: Any) -> Any:  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise SourceError(
                "les alias YAML (« *nom ») ne sont pas acceptés ; recopiez la valeur à la place.",
                event.start_mark.line + 1,
            )
        event = self.peek_event()
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise SourceError(
                "les ancres YAML (« &nom ») ne sont pas acceptées ; retirez-les.",
                event.start_mark.line + 1,
            )
        self._nodes = getattr(self, "_nodes", 0) + 1
        if self._nodes > MAX_YAML_NODES:
            raise SourceError("le document YAML est trop gros ; un kit n'a besoin que de quelques dizaines de valeurs.")
        if isinstance(event, yaml.ScalarEvent) and len(event.value) > MAX_YAML_SCALAR_CHARS:
            raise SourceError(
                f"cette valeur est trop longue ({len(event.value)} caractères, maximum {MAX_YAML_SCALAR_CHARS}) ; "
                "le texte long a sa place dans les fichiers Markdown des parties du kit.",
                event.start_mark.line + 1,
            )
        self._depth = getattr(self, "_depth", 0) + 1
        try:
            if self._depth > MAX_YAML_DEPTH:
                raise SourceError(
                    f"les valeurs sont imbriquées trop profondément (plus de {MAX_YAML_DEPTH} niveaux) ; "
                    "un kit n'a besoin que de listes et de clés simples.",
                    event.start_mark.line + 1,
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class _BoundedLoader(_Bounded, yaml.SafeLoader):
    """Safe loader, all in Python: its error messages are the ones _EXPLANATIONS translates."""


# libyaml's scanner and parser (C, no recursion) do the work that dominates loading, about ten times faster;
# the same bounded composition runs on their events. A syntax error is reported again by the Python loader,
# whose messages we translate.
_FAST = getattr(yaml, "__with_libyaml__", False)
if _FAST:
    class _FastLoader(_Bounded, yaml.composer.Composer, yaml.cyaml.CParser,  # type: ignore[name-defined,misc]
                      yaml.constructor.SafeConstructor, yaml.resolver.Resolver):
        """Bounded composition over libyaml's events."""

        def __init__(self, stream: str) -> None:
            yaml.cyaml.CParser.__init__(self, stream)
            yaml.composer.Composer.__init__(self)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)

    class _CLoader(yaml.cyaml.CParser, yaml.constructor.SafeConstructor,  # type: ignore[name-defined,misc]
                   yaml.resolver.Resolver):
        """libyaml's own composition, for documents that cannot hold anchors, aliases or deep nesting."""

        def __init__(self, stream: str) -> None:
            yaml.cyaml.CParser.__init__(self, stream)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)

# A short document with no « & » or « * » can hold neither anchors nor aliases, and its nesting is bounded by
# its length (libyaml's composer recurses in C); the bounds are then checked on the finished nodes.
MAX_C_COMPOSED_CHARS = 4096

# Timestamps stay strings so that we can explain a bad date ourselves; dates are parsed by the schema.
_BoundedLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
if _FAST:
    _FastLoader.yaml_implicit_resolvers = _BoundedLoader.yaml_implicit_resolvers
    _CLoader.yaml_implicit_resolvers = _BoundedLoader.yaml_implicit_resolvers


def _check_bounds(node: yaml.Node) -> None:
    """The limits of _Bounded.compose_node, in the same order and words, on an already composed document."""
    count = 0
    stack: list[tuple[yaml.Node, int]] = [(node, 1)]
    while stack:
        current, depth = stack.pop()
        count += 1
        if count > MAX_YAML_NODES:
            raise SourceError("le document YAML est trop gros ; un kit n'a besoin que de quelques dizaines de valeurs.")
        line = current.start_mark.line + 1
        if isinstance(current, yaml.ScalarNode) and len(current.value) > MAX_YAML_SCALAR_CHARS:
            raise SourceError(
                f"cette valeur est trop longue ({len(current.value)} caractères, maximum {MAX_YAML_SCALAR_CHARS}) ; "
                "le texte long a sa place dans les fichiers Markdown des parties du kit.",
                line,
            )
        if depth > MAX_YAML_DEPTH:
            raise SourceError(
                f"les valeurs sont imbriquées trop profondément (plus de {MAX_YAML_DEPTH} niveaux) ; "
                "un kit n'a besoin que de listes et de clés simples.",
                line,
            )
        if isinstance(current, yaml.MappingNode):
            children = [n for pair in current.value for n in pair]
        elif isinstance(current, yaml.SequenceNode):
            children = list(current.value)
        else:
            continue
        stack.extend((child, depth + 1) for child in reversed(children))  # document order


# The booleans of YAML 1.1 (yaml.org/type/bool.html), y and n included, which PyYAML leaves as text.
YES_NO_WORDS = re.compile(r"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$")
MAX_SHOWN_VALUE = 40  # characters of an unreadable value quoted in its message
_STANDARD_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")}


def _locate(node: yaml.Node, path: tuple, lines: dict[tuple, int], words: dict[tuple, str]) -> Any:
    lines[path] = node.start_mark.line + 1
    if node.tag not in _STANDARD_TAGS:
        # Explicit tags (!!python/object…, !ENV…) are never needed in a kit, and some are dangerous.
        raise SourceError(
            f"la balise YAML « {node.tag.replace('tag:yaml.org,2002:', '!!')} » n'est pas acceptée ; "
            "écrivez une simple valeur.",
            node.start_mark.line + 1,
        )
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _locate(key_node, path + ("__key__",), {}, {})
            if isinstance(key, (list, dict)):
                raise SourceError("une clé YAML doit être un simple mot ; écrivez « nom: valeur », sans crochets "
                                  "ni tiret devant la clé.", key_node.start_mark.line + 1)
            if key in out:
                raise SourceError(
                    f"la clé « {key} » apparaît deux fois ; gardez-en une seule.", key_node.start_mark.line + 1
                )
            out[key] = _locate(value_node, path + (key,), lines, words)
            lines[path + (key,)] = key_node.start_mark.line + 1  # the key's line, not its value's
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_locate(item, path + (i,), lines, words) for i, item in enumerate(node.value)]
    if not node.style and len(node.value) <= 5 and YES_NO_WORDS.match(node.value):  # plain: style None or ""
        words[path] = node.value
    try:
        return yaml.SafeLoader.construct_object(_ScalarConstructor(), node)  # type: ignore[arg-type]
    except (yaml.YAMLError, ValueError, KeyError) as exc:
        # A value its explicit tag cannot read (`!!int abc`, `!!timestamp 2026-02-30`, `!!bool peut-être`), or an
        # integer longer than Python converts (4,300 digits): a message, never a traceback.
        shown = node.value if len(node.value) <= MAX_SHOWN_VALUE else node.value[:MAX_SHOWN_VALUE] + "…"
        raise SourceError(f"la valeur « {shown} » n'est pas lisible ; écrivez-la entre guillemets, sans balise "
                          "« !!… » devant.", node.start_mark.line + 1) from exc


class _ScalarConstructor(yaml.SafeLoader):
    """Constructs lone scalar nodes with the safe constructors."""

    def __init__(self) -> None:  # no stream needed for scalars
        yaml.constructor.SafeConstructor.__init__(self)


def _tab_line(text: str) -> int | None:
    for number, line in enumerate(text.splitlines(), 1):
        if re.match(r"^ *\t", line):
            return number
    return None


def load_yaml(path: Path) -> Located:
    """Load one YAML document safely, with line numbers; raise SourceError in French."""
    text = read_text(path, MAX_YAML_BYTES)
    node = _PARSED.get(text)
    if node is None:
        tab = _tab_line(text)
        if tab is not None:
            raise SourceError("une tabulation sert d'indentation ; YAML n'accepte que des espaces.", tab)
        node = _compose_fast(text) if _FAST else None
        if node is None:
            node = _compose(text)
    if node is _EMPTY_DOCUMENT:
        return Located(None, {(): 1})
    lines: dict[tuple, int] = {}
    words: dict[tuple, str] = {}
    data = _locate(node, (), lines, words)  # raises on a refused tag or key: such documents are never cached
    if len(_PARSED) >= MAX_PARSED:
        _PARSED.clear()
    _PARSED[text] = node
    return Located(data, lines, words)


_EMPTY_DOCUMENT = yaml.ScalarNode("tag:yaml.org,2002:null", "")


def _compose_fast(text: str) -> yaml.Node | None:
    """The document's node by libyaml, or None to let the Python loader explain a syntax error."""
    if len(text) <= MAX_C_COMPOSED_CHARS and "&" not in text and "*" not in text:
        node = _single_node(_CLoader, text)
        if node is None:
            return None
        if node is not _EMPTY_DOCUMENT:
            _check_bounds(node)
        return node
    return _single_node(_FastLoader, text)


def _single_node(kind: type, text: str) -> yaml.Node | None:
    """The document's node by a libyaml-based loader (built inside the try: building it reads the stream, and
    reading can fail), or None for any YAML error."""
    loader = None
    try:
        loader = kind(text)
        node = loader.get_single_node()
    except SourceError:
        raise
    except (yaml.YAMLError, ValueError, UnicodeError):
        return None
    finally:
        if loader is not None:
            loader.dispose()
    return _EMPTY_DOCUMENT if node is None else node


def _compose(text: str) -> yaml.Node:
    """The document's node by the Python loader; every YAML error becomes a French SourceError with its line."""
    loader = None
    try:
        loader = _BoundedLoader(text)
        node = loader.get_single_node()
    except SourceError:
        raise
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1 if isinstance(exc.position, int) else None
        raise SourceError("le texte contient un caractère que YAML ne lit pas ; supprimez-le ou retapez la ligne "
                          "indiquée.", line) from exc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise SourceError(
            "la syntaxe YAML est invalide"
            + (f" ({_explain(exc.problem)})" if exc.problem else "")
            + " ; vérifiez l'indentation, les deux-points après chaque clé et les guillemets.",
            line,
        ) from exc
    except (yaml.YAMLError, ValueError, UnicodeError) as exc:
        raise SourceError("la syntaxe YAML est invalide ; vérifiez l'indentation, les deux-points après chaque clé "
                          "et les guillemets.") from exc
    finally:
        if loader is not None:
            loader.dispose()
    return _EMPTY_DOCUMENT if node is None else node


_EXPLANATIONS = {
    "mapping values are not allowed here": "deux-points inattendus, peut-être un texte à mettre entre guillemets",
    "could not find expected ':'": "il manque les deux-points après une clé",
    "found character that cannot start any token": "caractère inattendu en début de valeur",
    "expected <block end>, but found '<block sequence start>'": "indentation incohérente d'une liste",
    "found unexpected end of stream": "guillemet ou crochet non fermé",
    "did not find expected key": "indentation incohérente",
    "found undefined alias": "alias inconnu",
    "but found another document": "un seul document est attendu : retirez la ligne « --- » qui en ouvre un second",
}


def _explain(problem: str) -> str:
    for english, french in _EXPLANATIONS.items():
        if problem.startswith(english):
            return french
    return "structure inattendue"

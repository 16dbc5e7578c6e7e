"""The inputs of a build are declared once (kitcore.inputs): fingerprint, preview watcher and `mkdocs serve` agree."""
from __future__ import annotations

import yaml

from conftest import ROOT
from kitcore import fingerprint, inputs, watch


def test_every_declared_input_exists() -> None:
    assert [p for p in inputs.project_paths() if not p.exists()] == []
    assert {"scripts", "hooks", "pyproject.toml", "mkdocs.yml", "docs"} <= {i.path for i in inputs.PROJECT}


def test_fingerprint_and_watcher_read_the_same_declaration() -> None:
    kits = ROOT / "kits"
    scanned = fingerprint.scan(ROOT, kits).signatures
    for item in inputs.PROJECT:
        assert any(key == f"projet/{item.path}" or key.startswith(f"projet/{item.path}/") for key in scanned), item
    assert "projet/scripts/build.py" in scanned
    watched = watch.watch_list(ROOT, kits)
    assert set(watched.code) == set(inputs.project_paths(code=True))
    assert set(watched.content) == {kits, *inputs.project_paths(code=False)}


def test_mkdocs_serve_watches_the_declared_inputs(monkeypatch) -> None:
    # mkdocs.yml lists nothing itself: the hook adds the declaration to `watch` when the configuration loads.
    raw = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    assert "watch" not in raw
    from mkdocs.config import load_config

    monkeypatch.setenv("KITS_DIR", str(ROOT / "tests" / "fixtures" / "corpus"))
    monkeypatch.delenv("CENTRE", raising=False)
    config = load_config(str(ROOT / "mkdocs.yml"))
    config = config.plugins.on_config(config)
    assert {str(p) for p in inputs.project_paths()} <= set(config.watch)
    assert str(ROOT / "tests" / "fixtures" / "corpus") in config.watch

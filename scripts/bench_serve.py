"""Benchmark of the live preview: time from a kit edit to the updated page, for `scripts/serve.py` and `mkdocs serve`."""
from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from kitcore import parts

ROOT = Path(__file__).resolve().parent.parent

CHALLENGES = (
    ("modeles-socio-economiques", "Modèles socio-économiques"),
    ("numerique", "Numérique"),
    ("competences", "Compétences"),
    ("evaluation", "Évaluation"),
)
FILLER = (
    "Les alliances entre associations, entreprises et collectivités transforment la manière de conduire "
    "un projet d'intérêt général. Chaque partenaire y apporte ses ressources, ses compétences et son regard ; "
    "ensemble, ils inventent des réponses que nul n'aurait trouvées seul. "
)


def write_corpus(root: Path, kits: int = 100) -> Path:
    """Write a synthetic kits tree of `kits` kits (five pages each) for one audience; return its folder."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "publics.yml").write_text(
        "- id: associations\n  nom: Associations\n  titre_centre: Centre d'essai\n"
        "  description: Un centre synthétique pour mesurer l'aperçu.\n  presentation: |\n"
        "    Ce centre sert de banc d'essai : ses kits sont générés automatiquement.\n",
        encoding="utf-8",
    )
    (root / "enjeux.yml").write_text(
        "".join(f"- id: {cid}\n  nom: {name}\n  description: Les kits de l'enjeu {name.lower()}.\n" for cid, name in CHALLENGES),
        encoding="utf-8",
    )
    for n in range(kits):
        folder = root / f"kit-{n:03d}"
        folder.mkdir(exist_ok=True)
        challenge = CHALLENGES[n % len(CHALLENGES)][0]
        (folder / "kit.yml").write_text(
            f"titre: Kit d'essai numéro {n}\nresume: Un kit généré pour le banc d'essai, numéro {n}.\n"
            f"publics:\n  - associations\nenjeux:\n  - {challenge}\nauteurs:\n  - Banc d'essai\nmise_a_jour: 2026-01-15\n",
            encoding="utf-8",
        )
        for part in (p.id for p in parts.PARTS):
            paragraphs = "\n\n".join(FILLER * 3 for _ in range(6))
            (folder / f"{part}.md").write_text(
                f"## Première étape\n\n{paragraphs}\n\n## Deuxième étape\n\n- un point\n- un autre point\n\n{paragraphs}\n",
                encoding="utf-8",
            )
    return root


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str, timeout: float = 30.0) -> str | None:
    """The body of `url`, or None when the server does not answer (yet)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            return resp.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.read().decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None


def wait_for(url: str, needle: str, deadline: float, pause: float = 0.01) -> float | None:
    """Poll `url` until its body contains `needle`; return the time it did, or None past `deadline`."""
    while time.perf_counter() < deadline:
        body = fetch(url)
        if body is not None and needle in body:
            return time.perf_counter()
        time.sleep(pause)
    return None


def measure(name: str, base: str, kits: Path, rounds: int, timeout: float) -> dict[str, list[float]]:
    """Time `rounds` edits of each kind until a page shows them: a kit part (its own page), and a kit title
    (the home page's cards and the navigation: what a partial rebuild would leave stale)."""
    scenarios = {
        "partie": (kits / "kit-042" / "methodologie.md", f"{base}/kits/kit-042/methodologie.html",
                   lambda text, mark: text + f"\n\n{mark}\n"),
        "titre": (kits / "kit-017" / "kit.yml", f"{base}/index.html",
                  lambda text, mark: text.replace("titre: Kit d'essai numéro 17", f"titre: {mark}")),
    }
    times: dict[str, list[float]] = {kind: [] for kind in scenarios}
    for i in range(rounds):
        for kind, (path, url, edit) in scenarios.items():
            original = path.read_text(encoding="utf-8")
            mark = f"Marque-{name}-{kind}-{i}-{time.time_ns()}"
            start = time.perf_counter()
            path.write_text(edit(original, mark), encoding="utf-8")
            done = wait_for(url, mark, start + timeout)
            path.write_text(original, encoding="utf-8")
            if done is None:
                print(f"  {name} : modification « {kind} » {i + 1} non visible après {timeout:.0f} s", file=sys.stderr)
                continue
            times[kind].append(done - start)
            # A server that rebuilds everything may still be busy (the edit, then its undoing): let it finish
            # before the next edit, so that each measure starts from a quiet server.
            time.sleep(max(0.5, 2.5 * times[kind][-1]))
    return times


def start(cmd: list[str], env: dict[str, str], base: str, warmup: float) -> subprocess.Popen:
    """Start a server and wait until it serves its home page."""
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    if wait_for(f"{base}/index.html", "<html", time.perf_counter() + warmup, pause=0.2) is None:
        stop(proc)
        raise SystemExit(f"Le serveur {cmd[2]} n'a pas démarré en {warmup:.0f} s.")
    return proc


def stop(proc: subprocess.Popen) -> None:
    """Stop a server started by `start` and every process it spawned."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()


def report(name: str, times: dict[str, list[float]]) -> list[str]:
    """French lines: median, best and worst delays of each kind of edit."""
    lines = []
    for kind, values in times.items():
        label = f"{name} ({kind})"
        if not values:
            lines.append(f"{label:<24} aucune mesure")
            continue
        lines.append(f"{label:<24} médiane {statistics.median(values):6.2f} s   min {min(values):6.2f} s   "
                     f"max {max(values):6.2f} s   ({len(values)} modifications)")
    return lines


def main(argv: list[str] | None = None) -> int:
    """Generate the synthetic centre, measure both servers, print the figures."""
    parser = argparse.ArgumentParser(description="Mesure le délai entre la modification d'un kit et la page à jour.")
    parser.add_argument("--kits", type=int, default=100, help="nombre de kits (cinq pages chacun)")
    parser.add_argument("--rounds", type=int, default=5, help="modifications mesurées par serveur")
    parser.add_argument("--sans-mkdocs", action="store_true", help="ne pas mesurer « mkdocs serve » (lent)")
    args = parser.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    try:
        kits = write_corpus(tmp / "kits", args.kits)
        print(f"Centre synthétique : {args.kits} kits, {args.kits * 5} pages de kit, dans {kits}")
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="1")
        results = []

        port = free_port()
        base = f"http://127.0.0.1:{port}"
        proc = start([sys.executable, str(ROOT / "scripts" / "serve.py"), "--kits", str(kits), "--centre", "associations",
                      "--port", str(port)], env, base, warmup=120)
        try:
            results += report("serve.py", measure("apercu", base, kits, args.rounds, timeout=30))
        finally:
            stop(proc)

        if not args.sans_mkdocs:
            port = free_port()
            base = f"http://127.0.0.1:{port}"
            mk_env = dict(env, CENTRE="associations", KITS_DIR=str(kits), BROUILLONS="1",
                          SITE_DIR=str(tmp / "mkdocs-site"))
            proc = start([sys.executable, "-m", "mkdocs", "serve", "--no-strict", "-a", f"127.0.0.1:{port}",
                          "--watch", str(kits), "-f", str(ROOT / "mkdocs.yml")], mk_env, base, warmup=300)
            try:
                results += report("mkdocs serve", measure("mkdocs", base, kits, args.rounds, timeout=180))
            finally:
                stop(proc)
        print("Délai entre l'écriture du fichier et la page à jour servie "
              f"(charge de la machine : {os.getloadavg()[0]:.1f} pour {os.cpu_count()} processeurs) :")
        for line in results:
            print("  " + line)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

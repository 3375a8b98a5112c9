"""Hostile input: does the time to read it grow linearly, and how does it compare with prose?

    python bench/hostile.py [--scale N] [--json]

Each hostile shape (many quotes, unattributed quote marks, only quote marks, only names, a huge
HTML page, deeply nested HTML, repeated dated sentences) is read at one size and at twice that
size through the same entry points the commands use (``read_article`` + ``find_quotes``, and
``analyze_report`` as ``refuge analyze`` does). Printed per shape: seconds at each size, the
growth ratio (about 2 for linear work; 4 would be quadratic) and the ratio to ordinary prose of
the same size read the same way in the same run (the baseline). Inputs answered whatever their
size (an alias bomb in a case file as ``refuge check`` reads it, a DOCX zip bomb, 10 MB PDF and
text reports, all refused; an HTML entity bomb, read without expanding it) are timed at their
one size. The unit tests check what is refused and what is found; the time it takes is
measured here, where a loaded machine cannot fail a build.
"""

from __future__ import annotations

import argparse
import io
import json
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

from refuge.casefile import parse_case
from refuge.errors import CaseFileError, InputError
from refuge.ingest.article import read_article
from refuge.ingest.quotes import find_quotes
from refuge.limits import MAX_REPORT_CHARS
from refuge.services.analysis import analyze_report

ROOT = Path(__file__).resolve().parents[1]
PROSE = (ROOT / "examples" / "zhilin-moscow-times-2022-12-30.txt").read_text(encoding="utf-8")

# Each shape: a repeated unit; the text is the unit times ``scale * weight``.
SHAPES: dict[str, tuple[str, int]] = {
    "many-quotes": ('"a b c d," Zhovtis said. ', 6),
    "unattributed": ('x "a b c d" y ', 10),
    "only-marks": ('"', 100),
    "only-names": ("Ivan Petrov Sidorov ", 6),
}

# HTML shapes, read as ``a.html``, built from a count of units (``scale * weight``); the prose
# baseline is read as text of the same length.
_PARAGRAPH = '<p>Paragraph with "some quoted words," Zhovtis said.</p><div><span>x</span></div>'
HTML_SHAPES: dict[str, tuple[Callable[[int], str], int]] = {
    "html-huge-page": (lambda n: f"<html><body>{_PARAGRAPH * n}</body></html>", 5),
    "html-nesting": (lambda n: "<div>" * n + "deep text" + "</div>" * n, 25),
}

# A report of one dated sentence repeated, through ``analyze_report`` (dating each mention once
# looked at the whole article: quadratic). Both sizes stay under ``MAX_REPORT_CHARS``.
DATED = "On 5 March 2022, he was detained.\n"

# The classic "billion laughs" (nine levels of nine aliases); refused, whatever its size.
BOMB = "a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n" + "".join(
    f"{n}: &{n} [{','.join([f'*{p}'] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi", strict=True)
)


def _seconds(run: Callable[[], object], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    return best


def _quotes_of(text: str) -> Callable[[], object]:
    return lambda: find_quotes(read_article(text, name="hostile.txt"), use_model=False)


def _html_of(markup: str) -> Callable[[], object]:
    def run() -> object:
        try:
            return find_quotes(read_article(markup, name="a.html"), use_model=False)
        except InputError:  # refusing is an answer too; its time is what is measured
            return None

    return run


def _analysis_of(text: bytes | str) -> Callable[[], object]:
    return lambda: analyze_report(text, name="hostile.txt")


def _refused(run: Callable[[], object], what: str) -> Callable[[], None]:
    def check() -> None:
        try:
            run()
        except (CaseFileError, InputError):
            return
        raise SystemExit(f"{what} was accepted")

    return check


def _entity_bomb() -> str:
    entities = "".join(
        f'<!ENTITY e{i} "{("&e" + str(i - 1) + ";") * 10 if i else "lol"}">' for i in range(10)
    )
    return f"<!DOCTYPE html [{entities}]><html><body><p>&e9;&e9; and text</p></body></html>"


def _zip_bomb_docx(unpacked: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as member:
            for _ in range(unpacked // 1_000_000):
                member.write(b"0" * 1_000_000)
    return out.getvalue()


def _row(t_small: float, t_large: float, t_prose: float, chars: int) -> dict[str, float]:
    return {
        "chars": chars,
        "s_at_1x": round(t_small, 3),
        "s_at_2x": round(t_large, 3),
        "growth_2x": round(t_large / t_small, 2) if t_small else 0.0,
        "vs_prose": round(t_large / t_prose, 2) if t_prose else 0.0,
    }


def _prose(chars: int) -> str:
    return (PROSE * (chars // len(PROSE) + 1))[:chars]


def _timed_html(markup: str) -> Callable[[], None]:
    def run() -> None:
        if _html_of(markup)() is None:
            raise SystemExit("the entity bomb was refused; expected read without expansion")

    return run


def _refusals() -> dict[str, dict[str, float]]:
    """Bombs and oversized reports, refused (or, the entity bomb, read unexpanded) whatever
    their size: seconds to answer, best of three."""
    html = _entity_bomb()
    docx = _zip_bomb_docx(60_000_000)
    pdf = b"%PDF-1.4\n" + b"0" * 10_000_000
    text = (DATED * (10_000_000 // len(DATED) + 1)).encode()
    cases: dict[str, tuple[int, Callable[[], None]]] = {
        "alias-bomb": (len(BOMB), _refused(lambda: parse_case(BOMB, "bomb.yaml"), "alias bomb")),
        "html-entity-bomb": (len(html), _timed_html(html)),
        "docx-zip-bomb": (
            len(docx),
            _refused(lambda: read_article(docx, name="bomb.docx"), "zip bomb"),
        ),
        "pdf-10mb": (len(pdf), _refused(lambda: read_article(pdf, name="huge.pdf"), "10 MB PDF")),
        "text-10mb": (len(text), _refused(_analysis_of(text), "10 MB report")),
    }
    return {
        name: {"chars": n, "s_at_1x": round(_seconds(run), 6)} for name, (n, run) in cases.items()
    }


def measure(scale: int) -> dict[str, dict[str, float]]:
    """Seconds at one and two times ``scale`` for each shape, with growth and prose ratios."""
    out: dict[str, dict[str, float]] = {}
    for name, (unit, weight) in SHAPES.items():
        small = unit * (scale * weight)
        large = small + small
        t_prose = _seconds(_quotes_of(_prose(len(large))))
        t_small, t_large = _seconds(_quotes_of(small)), _seconds(_quotes_of(large))
        out[name] = _row(t_small, t_large, t_prose, len(large))
    for name, (build, weight) in HTML_SHAPES.items():
        small, large = build(scale * weight), build(2 * scale * weight)
        t_prose = _seconds(_quotes_of(_prose(len(large))))
        t_small, t_large = _seconds(_html_of(small)), _seconds(_html_of(large))
        out[name] = _row(t_small, t_large, t_prose, len(large))
    count = min(scale * 2, MAX_REPORT_CHARS // (2 * len(DATED)) - 10)
    small, large = "Title\n\n" + DATED * count, "Title\n\n" + DATED * (2 * count)
    t_prose = _seconds(_analysis_of(_prose(len(large))), repeat=1)
    t_small = _seconds(_analysis_of(small), repeat=1)
    t_large = _seconds(_analysis_of(large), repeat=1)
    out["dated-sentences"] = _row(t_small, t_large, t_prose, len(large))
    out.update(_refusals())
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=10_000, help="units at the smaller size")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = measure(args.scale)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"{'shape':16} {'chars':>10} {'1x s':>8} {'2x s':>8} {'growth':>7} {'vs prose':>9}")
    for name, row in result.items():
        print(
            f"{name:16} {row['chars']:>10,.0f} {row['s_at_1x']:>8} {row.get('s_at_2x', ''):>8} "
            f"{row.get('growth_2x', ''):>7} {row.get('vs_prose', ''):>9}"
        )


if __name__ == "__main__":
    main()

"""The bundled packs load and carry their sources; malformed packs fail with a precise message."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from refuge.domain import DateRange
from refuge.errors import LawPackError
from refuge.rules.packs import _Loader, default_pack_dir, load_library


def test_every_rule_cites_its_source_and_its_verification_status() -> None:
    library = load_library()
    assert len(library.rules) >= 20
    for rule in library.rules:
        assert rule.spec.citation.text.strip()
        assert rule.spec.citation.research, f"{rule.spec.id} does not say where it was researched"
        assert rule.spec.basis in ("verified", "secondary", "unverified")


def test_unverified_research_items_stay_marked_unverified() -> None:
    """[U] items of the law research: the appeal bar, the 30-day departure period."""
    library = load_library()
    for rule_id in ("kz.refugees.asylum_seeker_pending_appeal", "kz.refugees.departure_period"):
        assert library.rule(rule_id).spec.basis == "unverified"
    deadline = {d.spec.id: d for d in library.deadlines}
    assert deadline["kz.refugees.departure_after_final_refusal"].spec.basis == "unverified"
    assert library.calendars["kz-working"].spec.basis == "unverified"


def test_complaint_forums_open_on_the_researched_dates() -> None:
    """Kazakhstan's dates live in the party table, not in the rules' versions."""
    library = load_library()
    for rule_id in ("iccpr_op1.interim_measures_respected", "cat.22.interim_measures_respected"):
        assert library.rule(rule_id).versions[0].spec.valid_from is None
    gates = library.gates
    assert gates.instruments("iccpr_op1.interim_measures_respected", "iccpr") == ("iccpr-op1",)
    assert gates.instruments("cat.22.interim_measures_respected", "cat") == ("cat-22",)
    assert gates.parties is not None
    op1 = gates.parties.binding("iccpr-op1", "KZ", DateRange.day(date(2009, 9, 30)))
    assert op1.status == "bound"
    before = gates.parties.binding("iccpr-op1", "KZ", DateRange.day(date(2009, 9, 29)))
    assert before.status == "not_bound"
    cat22 = gates.parties.binding("cat-22", "KZ", DateRange(date(2008, 1, 1), date(2008, 12, 31)))
    assert cat22.status == "possibly_bound"  # the day of the 2008 declaration is unconfirmed


def copy_packs(tmp_path: Path) -> Path:
    target = tmp_path / "lawpacks"
    shutil.copytree(default_pack_dir(), target)
    return target


def edit_rules(root: Path, pack: str, change: object) -> None:
    path = root / pack / "rules.yaml"
    rules = yaml.safe_load(path.read_text())
    change(rules)  # type: ignore[operator]
    path.write_text(yaml.safe_dump(rules, sort_keys=False))


def load(root: Path) -> None:
    _Loader(root).library()


def test_a_copy_of_the_bundled_packs_loads(tmp_path: Path) -> None:
    load(copy_packs(tmp_path))


@pytest.mark.parametrize(
    ("pack", "change", "message"),
    [
        ("cat", lambda r: r[0]["versions"][0].update(when="torture_risk or x"), "unknown fluent"),
        ("cat", lambda r: r[0]["versions"][0].update(when="__import__('os')"), "is not allowed"),
        ("cat", lambda r: r[0]["versions"][0].update(when="a.b"), "is not allowed"),
        ("cat", lambda r: r[0].pop("citation"), "citation: Field required"),
        ("cat", lambda r: r[0].update(basis="probably"), "basis: Input should be"),
        ("cat", lambda r: r[0].update(instrument="ecthr-typo"), "unknown instrument 'ecthr-typo'"),
        (
            "refugee-convention",
            lambda r: r[2].update(defeats=["cat.3.non_refoulement"]),
            "no overriding across legal orders",
        ),
        (
            "kz",
            lambda r: r[0]["versions"].append({"from": "2012-01-01", "when": "removed"}),
            "versions overlap",
        ),
        ("kz", lambda r: r.append(dict(r[0])), "defined twice"),
    ],
)
def test_malformed_packs_are_refused(
    tmp_path: Path, pack: str, change: object, message: str
) -> None:
    root = copy_packs(tmp_path)
    edit_rules(root, pack, change)
    with pytest.raises(LawPackError, match=message):
        load(root)


def test_non_derogable_protection_cannot_be_defeated(tmp_path: Path) -> None:
    root = copy_packs(tmp_path)

    def add_exception(rules: list[dict[str, object]]) -> None:
        rules.append(
            {
                **rules[1],
                "id": "cat.fake_exception",
                "kind": "exception",
                "defeats": ["cat.3.non_refoulement"],
                "versions": [{"when": "removed"}],
            }
        )
        rules[-1].pop("check_at", None)

    edit_rules(root, "cat", add_exception)
    with pytest.raises(LawPackError, match="non-derogable"):
        load(root)


def test_where_filters_only_name_attributes_of_the_event_type(tmp_path: Path) -> None:
    root = copy_packs(tmp_path)
    path = root / "common" / "fluents.yaml"
    path.write_text(path.read_text().replace("harm == 'death_penalty'", "penalty == 'death'"))
    with pytest.raises(LawPackError, match=r"'penalty' .* is not an attribute"):
        load(root)

"""The three bodies a request for interim measures can go to, and what each requires.

A complaint to a UN committee is receivable only against a state bound by the treaty *and* by
the clause that accepts individual complaints (CAT art. 22 declaration; the ICCPR's First
Optional Protocol). The published requirements each request follows are cited in
docs/filing.md; the wording of each request lives in the templates.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Body:
    """One body: its id on the command line, its name, the instruments a complaint needs, the
    rule under which it indicates interim measures, and its code in the event vocabulary."""

    id: str
    name: str
    short: str
    instruments: tuple[str, ...]
    interim_rule: str
    content_rule: str
    harm_articles: str
    event_body: str
    references: tuple[tuple[str, str], ...]


BODIES: dict[str, Body] = {
    body.id: body
    for body in (
        Body(
            id="cat",
            name="Committee against Torture",
            short="CAT",
            instruments=("cat", "cat-22"),
            interim_rule="rule 114 of the Committee's rules of procedure (CAT/C/3/Rev.6)",
            content_rule="rule 113 of the rules of procedure (content of a complaint)",
            harm_articles="article 3 of the Convention against Torture (non-refoulement)",
            event_body="CAT",
            references=(
                (
                    "Rules of procedure of the Committee against Torture, CAT/C/3/Rev.6",
                    "https://undocs.org/CAT/C/3/Rev.6",
                ),
                (
                    "Committee against Torture, General comment No. 4 (2017), CAT/C/GC/4",
                    "https://undocs.org/CAT/C/GC/4",
                ),
            ),
        ),
        Body(
            id="hrc",
            name="Human Rights Committee",
            short="HRC",
            instruments=("iccpr", "iccpr-op1"),
            interim_rule="rule 94 of the Committee's rules of procedure (CCPR/C/3/Rev.12)",
            content_rule="rule 99 of the rules of procedure (conditions of admissibility)",
            harm_articles="articles 6 and 7 of the International Covenant on Civil and "
            "Political Rights",
            event_body="HRC",
            references=(
                (
                    "Rules of procedure of the Human Rights Committee, CCPR/C/3/Rev.12",
                    "https://undocs.org/CCPR/C/3/Rev.12",
                ),
                (
                    "OHCHR, Complaints by individuals under the human rights treaties",
                    "https://www.ohchr.org/en/treaty-bodies/complaints-about-human-rights-violations",
                ),
            ),
        ),
        Body(
            id="echr",
            name="European Court of Human Rights",
            short="ECtHR",
            instruments=("echr",),
            interim_rule="Rule 39 of the Rules of Court",
            content_rule="Rule 47 of the Rules of Court (contents of an individual application)",
            harm_articles="Articles 2 and 3 of the European Convention on Human Rights",
            event_body="ECtHR",
            references=(
                (
                    "Rules of Court, Rule 39 and Rule 47",
                    "https://www.echr.coe.int/documents/d/echr/rules_court_eng",
                ),
                (
                    "Practice Direction: Requests for interim measures (Rule 39)",
                    "https://www.echr.coe.int/documents/d/echr/pd_interim_measures_eng",
                ),
                ("Rule 39 electronic platform", "https://r39.echr.coe.int/"),
            ),
        ),
    )
}

"""The Russian trigger lexicon: which words announce which procedural event, and which words
say it did not (yet) happen.

Patterns match surface forms: Russian states that a step happened with the perfective past
(задержали, депортировал) or a short passive participle (задержан, выдворена, переданы), while
infinitives (выдать, депортировать) follow plans, demands and fears. So only those forms are
listed, and a cue word in the clause before the trigger (не, может, грозит, планирует, намерен,
собираются, должен, будет, угроза) drops it. Nouns count only in phrases that report a step
("отказ в предоставлении статуса беженца", "слушание по обжалованию").

Why phrases and not a classifier: the lawyer asks "why does the draft say he was extradited?"
and the answer is the words that triggered it (shown with every event).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

__all__ = ["IRREALIS", "REPORTING", "TRIGGERS", "Trigger"]

_W = r"(?<![а-яё])"  # a word starts here
_E = r"(?![а-яё])"  # a word ends here
_PAST = r"(?:л|ла|ло|ли|н|на|но|ны|нный|нного|нному|нным|нной|нную|нная|нные|нных)"


@dataclass(frozen=True, slots=True)
class Trigger:
    """Words announcing an event of ``type`` with ``attrs``; ``also`` lists the further events
    the same words imply ("удовлетворила запрос России об экстрадиции" is the decision and the
    request); ``modal`` triggers (threats) are kept in an irrealis clause."""

    name: str
    type: str
    pattern: re.Pattern[str]
    attrs: dict[str, Any] = field(default_factory=dict)
    also: tuple[tuple[str, dict[str, Any]], ...] = ()
    modal: bool = False  # a threat or risk: kept in an irrealis clause
    noun: bool = False  # a noun phrase that presupposes the step ("отказ в предоставлении")


def _t(
    name: str,
    type_: str,
    pattern: str,
    attrs: dict[str, Any] | None = None,
    also: tuple[tuple[str, dict[str, Any]], ...] = (),
    modal: bool = False,
    noun: bool = False,
) -> Trigger:
    compiled = re.compile(pattern, re.IGNORECASE)
    return Trigger(name, type_, compiled, attrs or {}, also, modal, noun)


_ASYLUM = r"(?:статус\w*\s+беженц\w*|(?:политическ\w+\s+)?убежищ\w*)"
_BODY_ECTHR = r"(?:еспч|европейск\w+\s+суд\w*(?:\s+по\s+правам\s+человека)?)"

TRIGGERS: tuple[Trigger, ...] = (
    # -- custody ---------------------------------------------------------------------------
    _t(
        "extradition arrest",
        "detention",
        rf"{_W}экстрадиционн\w+\s+арест\w*",
        {"grounds": "extradition_arrest"},
    ),
    _t("in absentia arrest", "charge", rf"{_W}заочно\s+арестова{_PAST}{_E}"),
    _t(
        "detained",
        "detention",
        rf"{_W}(?:задержа{_PAST}|задержива(?:л|ла|ли)|арестова{_PAST}|"
        rf"взят\w*\s+под\s+стражу|взяли\s+под\s+стражу){_E}",
    ),
    _t(
        "placed in custody",
        "detention",
        rf"{_W}(?:помести(?:л|ли|ла)|помещ(?:ен|ена|ены))\s+"
        rf"(?:\w+\s+)?(?:под\s+стражу|в\s+сизо|в\s+изолятор|в\s+депортационн\w+\s+центр)",
    ),
    _t("detention (noun)", "detention", rf"{_W}задержани(?:е|я|ю|ем){_E}"),
    _t(
        "released",
        "release",
        rf"{_W}(?:освободи(?:л|ла|ли)|освобожд(?:ен|ена|ены)|"
        rf"отпусти(?:л|ла|ли)|выпусти(?:л|ла|ли)|вышел\s+на\s+свободу|освобождени[яе]){_E}",
    ),
    # -- removal ---------------------------------------------------------------------------
    _t(
        "deported",
        "removal",
        rf"{_W}(?:депортирова{_PAST}|выдвор(?:ен|ена|ены|ил|или|ила)|"
        rf"высла(?:л|ла|ли|н|на|ны)|выслан\w*){_E}",
        {"via": "deportation"},
    ),
    _t(
        "extradited",
        "removal",
        rf"{_W}(?:экстрадирова{_PAST}|выда(?:л|ла|ли|н|на|ны)|"
        rf"выданн\w+)(?!\s+(?:\w+\s+)?(?:постановлени|виз|документ|паспорт|разрешени|решени))"
        rf"{_E}",
        {"via": "extradition"},
    ),
    _t(
        "handed over",
        "removal",
        rf"{_W}(?:переда(?:л|ла|ли|н|на|ны)|переданн\w+)\s+(?:\w+\s+){{0,3}}?"
        rf"(?:российск\w+|таджикск\w+|узбекск\w+|властям|силовик\w*|сторон\w+|фсб|москв\w+|"
        rf"военн\w+|полици\w+|спецслужб\w+)",
        {"via": "handover"},
    ),
    _t(
        "taken out",
        "removal",
        rf"{_W}(?:вывез(?:ли|ен|ена|ены)|тайно\s+вывезен\w*){_E}",
        {"via": "rendition"},
    ),
    _t("fled to", "flight", rf"{_W}(?:сбежал\w*|бежал\w*)\s+в\s+(?=[А-ЯЁ])"),
    _t("left the country", "flight", rf"{_W}покинул\w*\s+(?:россию|страну|родину)"),
    _t("crossed the border", "entry", rf"{_W}пересе?ё?к(?:ла|ли)?\s+границ\w*"),
    # -- orders, courts, requests -----------------------------------------------------------
    _t(
        "expulsion ordered",
        "expulsion_order",
        rf"{_W}(?:приговори\w+|постанови\w+|обязал\w*)"
        rf"[^;]{{0,60}}?выдворени\w*",
    ),
    _t("expulsion decision", "expulsion_order", rf"{_W}решени\w+\s+о\s+(?:депортации|выдворении)"),
    _t(
        "extradition granted",
        "extradition_decision",
        rf"{_W}удовлетвори(?:л|ла|ли)\s+"
        rf"(?:экстрадиционн\w+\s+)?(?:запрос|обращени)\w*",
        {"outcome": "granted"},
        also=(("extradition_request", {}),),
    ),
    _t(
        "extradition order",
        "extradition_decision",
        rf"{_W}(?:постановлени\w+|решени\w+)\s+"
        rf"(?:\w+\s+){{0,3}}?(?:об\s+экстрадиции|об\s+удовлетворении\s+запроса|о\s+выдаче|"
        rf"удовлетворить\s+запрос|выдать\s+)",
        {"outcome": "granted"},
        also=(("extradition_request", {}),),
        noun=True,
    ),
    _t(
        "extradition refused",
        "extradition_decision",
        rf"{_W}отказа(?:л|ла|ли)\s+(?:\w+\s+){{0,2}}?"
        rf"в\s+(?:экстрадиции|выдаче)",
        {"outcome": "refused"},
    ),
    _t(
        "extradition request",
        "extradition_request",
        rf"{_W}(?:запрос\w*\s+(?:\w+\s+){{0,3}}?"
        rf"(?:об\s+экстрадиции|о\s+выдаче|на\s+экстрадицию)|экстрадиционн\w+\s+запрос\w*|"
        rf"(?:требуют|добивается|настаивает\s+на)\s+(?:\w+\s+)?(?:выдачи|экстрадиции)|"
        rf"выдачи\s+которого\s+\w+\s+\w+\s+требуют|по\s+(?:требованию|запросу)\s+"
        rf"(?!интерпола)\w+)",
        noun=True,
    ),
    _t(
        "wanted",
        "charge",
        rf"{_W}(?:объяви(?:л|ла|ли)\s+(?:\w+\s+)?в\s+(?:\w+\s+)?розыск|"
        rf"объявлен\w*\s+(?:\w+\s+){{0,3}}?в\s+(?:\w+\s+)?розыск|разыскивается|искал[аи]?\s+"
        rf"(?:\w+\s+)?за\s)",
        noun=True,
    ),
    _t(
        "case opened",
        "charge",
        rf"{_W}(?:возбуди(?:л|ла|ли)\s+(?:\w+\s+){{0,3}}?дело|"
        rf"возбуждено\s+(?:\w+\s+)?дело|обвини(?:л|ла|ли)|обвинив|обвиняем\w+|обвиняется|"
        rf"по\s+обвинени\w+|предъяви(?:л|ла|ли)\s+(?:\w+\s+)?обвинени\w*)",
    ),
    _t(
        "convicted",
        "conviction",
        rf"{_W}(?:осуди(?:л|ла|ли)|осужд(?:ен|ена|ены)|"
        rf"приговори(?:л|ла|ли)\s+(?:\w+\s+){{0,3}}?к\s+(?!штраф)(?:\d|\w+\s+год|\w+\s+лет|"
        rf"лишени|заключени))",
    ),
    # -- asylum ----------------------------------------------------------------------------
    _t(
        "asylum refused",
        "asylum_decision",
        rf"{_W}(?:отказа(?:л|ла|ли)\s+(?:\w+\s+){{0,3}}?в\s+"
        rf"(?:предоставлении\s+|присвоении\s+)?(?:\w+\s+)?{_ASYLUM}|отказ\w*\s+в\s+(?:предоставлении|"
        rf"присвоении)\s+(?:\w+\s+)?{_ASYLUM}|отказом\s+предоставить\s+убежище)",
        {"outcome": "refused"},
        noun=True,
    ),
    _t(
        "refused (asylum sentence)",
        "asylum_decision",
        rf"{_W}(?:ему|ей|им)\s+отказали{_E}|"
        rf"{_W}отказали\s+(?:ему|ей|им)(?:\s+в\s+этом)?{_E}",
        {"outcome": "refused"},
    ),
    _t(
        "asked for asylum",
        "asylum_application",
        rf"{_W}(?:попроси\w*|запроси\w*|просил\w*|"
        rf"подал\w*\s+(?:ходатайство|заявление|документы)|ходатайств\w+|заявлени\w+)\s+"
        rf"(?:\w+\s+){{0,4}}?{_ASYLUM}",
        noun=True,
    ),
    _t(
        "asylum-seeker status",
        "asylum_registration",
        rf"{_W}статус\w*\s+(?:лица,?\s+)?"
        rf"(?:ищущего|пригласившего|искател\w+|просител\w+)\s+убежищ\w*",
    ),
    # -- appeals ---------------------------------------------------------------------------
    _t(
        "appealed",
        "appeal_lodged",
        rf"{_W}(?:обжалова(?:л|ла|ли|но)|подал\w*\s+(?:апелляци\w+|"
        rf"жалоб\w+|иск|кассаци\w+)|обратил\w*\s+в\s+суд|попроси\w+\s+суд\s+отменить|"
        rf"по\s+обжалованию|апелляци\w+\s+(?:\w+\s+){{0,3}}?на\s+решени\w+|"
        rf"жалоб\w+\s+(?:\w+\s+){{0,3}}?на\s+решени\w+)",
        noun=True,
    ),
    _t(
        "appeal rejected",
        "appeal_decision",
        rf"{_W}(?:оставил\w*\s+без\s+удовлетворения|"
        rf"отказал\w*\s+(?:\w+\s+){{0,2}}?в\s+иске)",
        {"outcome": "upheld"},
    ),
    _t(
        "decision quashed",
        "appeal_decision",
        rf"{_W}(?:суд\w*)\s+(?:\w+\s+){{0,3}}?отмени(?:л|ла|ли)",
        {"outcome": "quashed"},
    ),
    _t(
        "removal suspended by a court",
        "appeal_decision",
        rf"{_W}суд\w*\s+(?:\w+\s+){{0,4}}?"
        rf"приостанови(?:л|ла|ли)",
        {"outcome": "suspended"},
    ),
    _t(
        "extradition suspended",
        "other",
        rf"{_W}приостанови(?:л|ла|ли)\s+(?:процесс\s+)?"
        rf"(?:экстрадици\w+|выдач\w+)",
        {"label": "extradition suspended by the prosecutor"},
    ),
    # -- international bodies, risk -----------------------------------------------------------
    _t(
        "Rule 39",
        "interim_measures",
        rf"{_W}(?:правил\w+\s+39|запрет\w*\s+{_BODY_ECTHR}|"
        rf"{_BODY_ECTHR}\s+(?:\w+\s+)?запрети\w+)",
        {"body": "ECtHR"},
    ),
    _t(
        "UN committee",
        "interim_measures",
        rf"{_W}комитет\w*\s+оон\s+(?:\w+\s+){{0,4}}?"
        rf"(?:запрети\w+|попроси\w+|потребова\w+)",
        {"body": "HRC"},
    ),
    _t(
        "risk on return",
        "risk_allegation",
        rf"{_W}(?:грозят|грозит|ждут|ждет|ждёт|угрожает)\s+"
        rf"(?:\w+\s+){{0,3}}?(?:пытк\w+|смерт\w+|гибел\w+|преследовани\w+|риск\w*\s+пыток)|"
        rf"могут\s+убить|политическ\w+\s+расправ\w+",
        modal=True,
    ),
    _t(
        "custody after return",
        "other",
        rf"{_W}где\s+(?:его|её|ее|их)\s+(?:посадили|арестовали|"
        rf"задержали)",
        {"label": "detained in the origin after return"},
    ),
)

#: Cue words in the clause before a trigger: the step is planned, possible, feared or denied.
IRREALIS = re.compile(
    rf"{_W}(?:не|может|могут|могли|мог|грозит|грозят|планир\w+|намерен\w*|собира\w+|хоч\w+|"
    rf"хотел\w*|должн\w+|должен|будет|будут|если|угроз\w+|риск\w*|попыт\w+|пыта\w+|ожида\w+|"
    rf"решили|нельзя|невозможн\w+|готовил\w*|опасени\w+|опаса\w+){_E}",
    re.IGNORECASE,
)
#: Reporting verbs: a date attached to them dates the report, not the event.
REPORTING = re.compile(
    rf"{_W}(?:сообщи\w+|заяви\w+|рассказа\w+|сказа\w+|отмети\w+|пишет|передает|передаёт){_E}",
    re.IGNORECASE,
)

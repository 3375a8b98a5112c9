"""Alerts say which law judged a case hosted by a state with no national pack."""

from __future__ import annotations

from datetime import date

from refuge.casefile import parse_case
from refuge.services.alerts import live_alerts

CASE = """\
case:
  id: tr-alert
  person: {name: T, citizenship: [UZ]}
  host: TR
  origin: UZ
events:
  - {id: order, type: expulsion_order, date: 2023-05-20}
"""


def test_every_alert_of_a_case_without_national_law_says_so() -> None:
    alerts = live_alerts(parse_case(CASE), date(2023, 6, 1), 30)
    assert alerts
    for alert in alerts:
        assert "no national law of TR is encoded; international law only" in alert.reason
    kazakh = parse_case(CASE.replace("host: TR", "host: KZ"))
    assert all("national law" not in a.reason for a in live_alerts(kazakh, date(2023, 6, 1), 30))

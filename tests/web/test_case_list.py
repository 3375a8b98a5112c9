"""The case list: the Risks column is filled whether or not the list is filtered by risk, and
the filters (which name nobody) are a GET, so Back and reload never resubmit a form."""

from __future__ import annotations

import re
import sys

from fastapi.testclient import TestClient

fx = sys.modules["refuge_test_web_fixtures"]


def _risks(page: str) -> list[str]:
    return re.findall(r'<td class="risks"[^>]*>(.*?)</td>', page, flags=re.S)


def test_the_risks_column_is_filled_without_a_filter(client: TestClient) -> None:
    fx.sign_in(client, "lawyer-a")
    unfiltered = client.get("/cases").text
    cells = _risks(unfiltered)
    assert cells and "flag-action" in cells[0], cells  # the removed man's open actions
    filtered = client.get("/cases?risk=action").text
    assert _risks(filtered) == cells


def test_the_filters_are_a_get_and_the_name_a_post(client: TestClient) -> None:
    fx.sign_in(client, "lawyer-a")
    page = client.get("/cases?host=KZ&state=&risk=").text
    forms = re.findall(r'<form method="(\w+)" action="/cases"[^>]*>(.*?)</form>', page, re.S)
    chooses = {method for method, body in forms if '<select name="risk"' in body}
    names = {method for method, body in forms if 'name="q"' in body}
    assert chooses == {"get"} and names == {"post"}
    assert client.get("/cases?host=TR").text.count('<td class="risks"') == 0

"""What the report's page shows, shaped from the processed tables with the csv module alone (the
report step must stay light): each state's history with its sources, the events behind each year
of the chart, the claims in plain words with their evidence linked to the states."""
from __future__ import annotations

import json
import re
import unicodedata

from dprk_relations.core.dates import written
from dprk_relations.rules.reference import name_patterns
from dprk_relations.rules.status import AFTER_CUT_OFF

# Only links a reader can follow safely: anything else (javascript:, data:, a bare path) is shown as text.
SAFE_URL = re.compile(r"https?://\S+")
# An evidence item that names a state starts with its code (events.csv and acts.csv citations do).
LEADING_CODE = re.compile(r"^([A-Z]{3}[A-Z]?)\b(.*)$", re.S)
EVENT_KINDS = ["established", "suspended", "severed", "restored"]


def safe_url(url: str) -> str | None:
    return url if url and SAFE_URL.fullmatch(url) else None


def folded(name: str) -> str:
    """A name as a reader types or sorts it: accents dropped, case folded ("Côte d'Ivoire": "cote d'ivoire")."""
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)).casefold()


def state_histories(status: list[dict], events: list[dict], sources: list[dict]) -> list[dict]:
    """Every state of the universe, by name as a reader sorts it (accents folded), with its events in order,
    each with its sources, and what the search matches it by: its name and official name, folded, and
    country_converter's pattern for its other names (a dissolved state has its own name only)."""
    by_event: dict[str, list[dict]] = {}
    for s in sources:
        by_event.setdefault(s["event_id"], []).append({
            "citation": s["citation"], "url": safe_url(s["url"]), "reading": s["reading"],
            "date_given": s["date_given"], "quote": s["quote"]})
    by_state: dict[str, list[dict]] = {}
    for e in sorted(events, key=lambda e: (e["iso3"], e["order_date"], int(e["line"]))):
        by_state.setdefault(e["iso3"], []).append({
            "event_id": e["event_id"], "event": e["event"], "precision": e["precision"],
            "date": e["date"] or f"between {e['earliest']} and {e['latest']}", "rule": e["date_rule"],
            "note": e["note"], "sources": by_event.get(e["event_id"], [])})
    out = []
    patterns = name_patterns()
    for s in sorted(status, key=lambda s: (folded(s["name"]), s["iso3"])):
        official, pattern = patterns.get(s["iso3"], ("", ""))
        out.append({**s, "history": by_state.get(s["iso3"], []), "search_names": " | ".join(
            dict.fromkeys(folded(n) for n in (s["name"], official) if n)), "name_pattern": pattern})
    return out


def years(yearly: list[dict], events: list[dict], as_of: str) -> list[dict]:
    """Each year of the chart with the stock at its end and the states of each kind of event in it."""
    names = {}
    by_year: dict[str, dict[str, list]] = {}
    for e in sorted(events, key=lambda e: (e["date_latest"], e["iso3"])):
        if e["date_latest"] > as_of:
            continue  # left out by the cut-off, as in the chart
        names[e["iso3"]] = e["state"]
        by_year.setdefault(e["year"], {k: [] for k in EVENT_KINDS})[e["event"]].append(
            {"iso3": e["iso3"], "name": e["state"], "date": written(e["date"], e["earliest"], e["latest"])})
    return [{"year": y["year"], "maintaining": y["maintaining"], "measured_on": y["measured_on"],
             **by_year.get(y["year"], {k: [] for k in EVENT_KINDS})} for y in yearly]


def plain_value(text: str, names: dict[str, str]) -> str:
    """A claim's value (JSON) in words: state codes by their names, an empty list as 'none'."""
    if text == "":
        return "no value"
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        return text

    def word(v) -> str:
        if v is None:
            return "not in the data"
        if isinstance(v, str):
            return names.get(v, v)
        if isinstance(v, float):
            return f"{v * 100:.1f}%" if 0 < v < 1 else f"{v:g}"
        return str(v)

    if isinstance(value, list):
        return ", ".join(word(v) for v in value) if value else "none"
    if isinstance(value, dict):
        return "; ".join(f"{word(k)}: {word(v)}" for k, v in value.items()) or "none"
    return word(value)


def evidence_items(text: str, codes: set[str]) -> list[dict]:
    """The evidence of a claim, one item per cited row; an item naming a state links to its history."""
    items = []
    for part in (p.strip() for p in text.split(" | ")):
        if not part:
            continue
        match = LEADING_CODE.match(part)
        if match and match.group(1) in codes:
            items.append({"code": match.group(1), "text": match.group(2)})
        else:
            items.append({"code": None, "text": part})
    return items


def claims_view(claims: list[dict], status: list[dict], as_of: str) -> tuple[list[dict], int]:
    """The claims with their value in words and evidence items; and how many speak for a date after the cut-off."""
    names = {s["iso3"]: s["name"] for s in status}
    codes = set(names)
    out = []
    for c in claims:
        words = plain_value(c["value"], names)
        # what the search matches: the statement, its id and section, the value in words (accents folded)
        text = folded(" ".join((c["quote"], c["claim_id"], c["document"], c["section"], words)))
        out.append({**c, "slug": c["verdict"].replace(" ", "-"), "value_words": words, "search_text": text,
                    "evidence_items": evidence_items(c["evidence"], codes)})
    after = sum(c["verdict"] == AFTER_CUT_OFF for c in claims)
    return out, after

"""The README's headline numbers are the outputs' numbers: a data edit that moves one fails here
until the README says what the data now say."""
from __future__ import annotations

import csv
import json
import re

import pytest

from dprk_relations.core import paths

README = (paths.ROOT / "README.md").read_text(encoding="utf-8")
TEXT = re.sub(r"\s+", " ", README)


def table(path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


EVENTS = table(paths.DATA_PROCESSED / "events.csv")
CLAIMS = {c["claim_id"]: c for c in table(paths.DATA_PROCESSED / "claims_checked.csv")}
CHART = {r["year"]: r for r in table(paths.REPORTS / "figures" / "maintaining.csv")}
STATUS = table(paths.DATA_PROCESSED / "state_status.csv")


def count(rows, **match) -> int:
    return sum(all(r[k] == v for k, v in match.items()) for r in rows)


def test_the_event_list_as_the_readme_describes_it():
    kinds = [count(EVENTS, event=k) for k in ("established", "severed", "suspended", "restored")]
    assert (f"`data/raw/events.csv` has {len(EVENTS)} events ({kinds[0]} establishments, {kinds[1]} severances, "
            f"{kinds[2]} suspensions, {kinds[3]} restorations)") in TEXT
    precisions = [count(EVENTS, precision=p) for p in ("day", "month", "year", "window")]
    assert f"Dates: {precisions[0]} to the day, {precisions[1]} to the month, {precisions[2]} to the year, {precisions[3]} windows" in TEXT
    assert f"`sources.csv` has {len(table(paths.DATA_RAW / 'sources.csv'))} rows of evidence" in TEXT
    assert f"`no_relations.csv` has {len(table(paths.DATA_RAW / 'no_relations.csv'))} states" in TEXT
    assert f"`published_counts.csv` has {len(table(paths.DATA_RAW / 'published_counts.csv'))} counts" in TEXT


def test_the_key_numbers_on_the_report_s_date():
    last = CHART["2023"]
    assert f"**{last['maintaining']} states** maintain relations" in TEXT
    assert f"the band of other readings of the sources: {last['maintaining_low']} to {last['maintaining_high']}" in TEXT
    share = float(table(paths.DATA_PROCESSED / "yearly_counts.csv")[-1]["share_of_un_members"])
    assert f"**{share * 100:.1f}% of UN members**" in TEXT
    assert f"and {last['ever_established']} states have ever established relations" in TEXT


def test_the_states_that_once_had_relations_and_do_not_now():
    broken = [s for s in STATUS if s["status"] in ("broken", "suspended")]
    assert f"The {['no', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'][len(broken)]} existing states" in TEXT
    listed = re.search(r"had relations and do not now: (.*?); Palestine", TEXT).group(1)
    assert sorted(re.findall(r"([A-Z][A-Za-z ]+?) \(\d{4}\)", listed)) == sorted(s["name"] for s in broken)


@pytest.mark.parametrize("year, value", re.findall(r"(\d{4}): (\d+)(?: \(\d+–\d+\))?[,.]", README[README.index("The chart's series"):README.index("Against the")]))
def test_each_year_of_the_chart_series_the_readme_quotes(year, value):
    assert CHART[year]["maintaining"] == value


def test_the_band_the_readme_quotes():
    section = README[README.index("The chart's series"):README.index("Against the")]
    for year, low, high in re.findall(r"(\d{4}): \d+ \((\d+)–(\d+)\)", section):
        assert (CHART[year]["maintaining_low"], CHART[year]["maintaining_high"]) == (low, high), year


def test_the_published_counts_within_the_tolerance():
    from dprk_relations.report.site import PUBLISHED_TOLERANCE

    rows = table(paths.DATA_PROCESSED / "published_comparison.csv")
    close = sum(abs(int(r["difference"])) <= PUBLISHED_TOLERANCE for r in rows)
    assert f"Against the {len(rows)} published counts" in TEXT and f"{close} are within {PUBLISHED_TOLERANCE} of the data" in TEXT


def test_the_claims_tally_and_the_ncnk_figures():
    verdicts = [c["verdict"] for c in CLAIMS.values()]
    ncnk = count(CLAIMS.values(), document="ncnk_2016")
    tally = {v: verdicts.count(v) for v in ("supported", "partly supported", "contradicted", "not checkable")}
    assert (f"Of the {len(CLAIMS)} registered statements ({len(CLAIMS) - ncnk} of the report, {ncnk} of NCNK), "
            f"{tally['supported']} are supported, {tally['partly supported']} partly supported, "
            f"{tally['contradicted']} contradicted and {'none is' if not tally['not checkable'] else str(tally['not checkable']) + ' are'} left not checkable") in TEXT
    assert f"(states existing on that day, Palestine apart): **{CLAIMS['ncnk_ever_164']['value']}**" in TEXT
    assert f"**{CLAIMS['ncnk_maintaining_2016']['value']}** were maintaining relations" in TEXT
    assert f"stock tripled in the 1960s (×{CLAIMS['tripled_1960s']['value']})" in TEXT
    assert f"Portugal's relations lasted {round(float(CLAIMS['portugal_almost_fifty']['value']))} years" in TEXT
    assert f"{CLAIMS['embassies_dozens_abroad']['value']} embassies, but none in {json.loads(CLAIMS['embassies_all_continents']['value'])[0]}" in TEXT


@pytest.fixture(scope="module")
def koreas():
    from datetime import date

    from dprk_relations.data import ingest
    from dprk_relations.rules.relations import build_spells

    as_of = date(2023, 10, 1)
    north, south = ingest.load(paths.DATA_RAW), ingest.load(paths.DATA_RAW, focal="KOR")
    return (north.states, build_spells(north.events, north.states, north.successions, as_of),
            build_spells(south.events, south.states, south.successions, as_of))


def test_the_rok_series_and_the_four_groups_the_readme_quotes(koreas):
    from datetime import date

    from dprk_relations.analysis import race
    from dprk_relations.rules.relations import stock_on

    states, north, south = koreas
    section = README[README.index("**Both Koreas**"):README.index("**What an edit changed.**")]
    series = re.findall(r"(\d{4})(-10-01)?: (\d+)[,.]", section[:section.index("| day |")])
    assert len(series) >= 10
    for year, tail, value in series:
        day = date(int(year), 10, 1) if tail else date(int(year), 12, 31)
        assert int(stock_on(south, [day])[0]) == int(value), year
    rows = re.findall(r"^\| (\d{4}-\d{2}-\d{2}) \| (\d+) \| (\d+) \| (\d+) \| (\d+) \| ([\d.]+)% \|$", section, re.MULTILINE)
    assert [r[0][:4] for r in rows] == ["1965", "1975", "1985", "1995", "2023"]
    table = race.groups_table(north, south, states, [date.fromisoformat(r[0]) for r in rows])
    for row, got in zip(rows, table.to_dict("records")):
        assert [int(v) for v in row[1:5]] == [got[g] for g in race.GROUPS], row[0]
        assert row[5] == f"{got['dual_share'] * 100:.1f}", row[0]


def test_the_rok_list_as_the_readme_describes_it():
    events, sources = table(paths.DATA_RAW / "kor" / "events.csv"), table(paths.DATA_RAW / "kor" / "sources.csv")
    kinds = [count(events, event=k) for k in ("established", "severed", "suspended", "restored")]
    assert (f"`data/raw/kor/events.csv` has {len(events)} events ({kinds[0]} establishments, {kinds[1]} severances, "
            f"{kinds[2]} suspension, {kinds[3]} restorations), dated {count(events, precision='day')} to the day, "
            f"{count(events, precision='month')} to the month and {count(events, precision='year')} to the year; "
            f"`sources.csv` has {len(sources)} rows") in TEXT


def test_the_lead_and_the_switches_the_readme_quotes_are_the_race_step_s():
    from datetime import date

    from dprk_relations.analysis import pages, race
    from dprk_relations.data import ingest

    lists = race.counted({code: ingest.load(paths.DATA_RAW, focal=code) for code in race.KOREAS}, date(2023, 10, 1), 1948)
    table = race.race_table(lists)
    leads = pages.race_view([{k: str(v) for k, v in r.items()} for r in table.to_dict("records")], [], [])["leads"]
    section = README[README.index("**Both Koreas**"):README.index("**What an edit changed.**")]
    quoted = re.search(r"The lead, by year end: the DPRK from (\d{4}) \((\d+) to (\d+)\),\s+the ROK from (\d{4}) \((\d+) to (\d+)\), "
                       r"a tie in (\d{4}), the ROK from (\d{4}) on\.", section)
    assert quoted, "the README's sentence on the lead"
    got = [(leads[0]["year"], leads[0]["dprk"], leads[0]["rok"]), (leads[1]["year"], leads[1]["dprk"], leads[1]["rok"])]
    assert [tuple(map(int, quoted.groups()[i:i + 3])) for i in (0, 3)] == [tuple(map(int, g)) for g in got]
    assert [(l["year"], l["leader"]) for l in leads[2:]] == [(quoted.group(7), "tie"), (quoted.group(8), "ROK")]
    switches = race.switches(lists, date(2023, 10, 1))
    words = {"Nine": 9, "Ten": 10, "Eight": 8}
    count = re.search(r"(\w+) switches under the rule", section).group(1)
    assert words[count] == len(switches)
    for name in set(switches["state"]):
        assert name.split()[0] in section, name


def test_the_rok_published_counts_the_readme_quotes_are_the_comparison_s():
    from datetime import date

    from dprk_relations.analysis import published, uncertainty
    from dprk_relations.data import ingest
    from dprk_relations.rules.relations import build_spells

    as_of = date(2023, 10, 1)
    rok = ingest.load(paths.DATA_RAW, focal="KOR")
    spells = build_spells(rok.events, rok.states, rok.successions, as_of)
    readings = uncertainty.readings_of(rok.events, rok.sources, rok.states, rok.successions, as_of)
    band = uncertainty.band_on(readings, published.band_days(rok.published_counts, as_of))
    rows = published.compare(rok.published_counts, spells, rok.states, as_of, band)
    paragraph = README[README.index("The ROK's published counts ("):README.index("The ROK's claims (")]
    differences = [abs(int(d)) for d in rows["difference"]]
    assert (f"`data/raw/kor/published_counts.csv`, {len(rok.published_counts)} counts" in paragraph
            and f"of the {len(rows)} dated up to the" in paragraph)
    assert f"{sum(d <= 2 for d in differences)} are within 2 of the data and {sum(d <= 3 for d in differences)} within 3" in paragraph
    assert "Every count is above the data" in paragraph and (rows["published"] > rows["derived"]).all()
    over = rows[[d > 2 for d in differences]]
    words = {8: "eight", 7: "seven", 9: "nine"}
    assert f"The {words[len(over)]} differences over 2" in paragraph
    for value in over["published"]:
        assert re.search(rf"\b{int(value)}\b", paragraph), value


def test_the_rok_claims_the_readme_counts_are_the_register_s_verdicts():
    from collections import Counter
    from datetime import date

    from dprk_relations.analysis import claims
    from dprk_relations.data import ingest
    from dprk_relations.rules.relations import build_spells

    as_of = date(2023, 10, 1)
    rok, dprk = ingest.load(paths.DATA_RAW, focal="KOR"), ingest.load(paths.DATA_RAW)
    spells = build_spells(rok.events, rok.states, rok.successions, as_of)
    other = build_spells(dprk.events, dprk.states, dprk.successions, as_of)
    checked = claims.evaluate(rok.claims, claims.Context.from_dataset(rok, spells, as_of, other, "KOR"))
    verdicts = Counter(checked["verdict"])
    paragraph = README[README.index("The ROK's claims ("):README.index("**What an edit changed.**")]
    assert f"{len(checked)} statements on the race" in paragraph
    assert (f"{verdicts['supported']} supported, {verdicts['partly supported']} partly supported, "
            f"{verdicts['contradicted']} contradicted, {verdicts['after the cut-off']} after the cut-off") in paragraph
    numbers = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "ten": 10, "eleven": 11}
    # the counts' contradictions (Haggard & Ryu's "basically zero", at most 1, is the one of another kind)
    off = Counter(abs(int(v) - int(e)) for v, e, c in zip(checked["value"], checked["expected"], checked["verdict"])
                  if c == "contradicted" and str(e).isdigit() and int(e) > 1)
    said = re.search(r"(\w+) of the contradictions are by one state, (\w+) by two, (\w+) by three, (\w+) by four\s+and (\w+) by five", paragraph)
    assert said and [numbers[w] for w in said.groups()] == [off[1], off[2], off[3], off[4], off[5]], off

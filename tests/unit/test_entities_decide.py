"""Corpus-level entity decisions (issue 17's examples as small fixtures): one kind per name,
the junk filter and its override, lone names joined to their one full name, counts per article."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from searchidx.cli import main
from searchidx.entities import AliasTable, parse_overrides
from tests.unit.entity_fixtures import article


def test_one_kind_per_name_from_the_votes_of_all_articles() -> None:
    articles = [article(orgs=("Wales",))] + [article(places=("Wales",))] * 3
    table = AliasTable.build(articles)
    assert table.top("places") == [("Wales", 4)]
    assert table.top("organisations") == []


def test_sports_results_make_a_club_an_organisation() -> None:
    club = ("places", "Liverpool", "club")
    articles = [article(places=("Liverpool",), cues=(club,))] * 3 + [article(places=("Liverpool",))]
    table = AliasTable.build(articles)
    assert table.top("organisations") == [("Liverpool", 4)]
    assert table.apply(articles[-1]).places == ()


def test_a_city_that_is_also_a_team_is_a_team_only_in_sports_results() -> None:
    club = ("places", "Atlanta", "club")
    results = [article(places=("Atlanta",), cues=(club,))] * 2
    news = [article(places=("Atlanta",))] * 3
    table = AliasTable.build(results + news)
    assert table.apply(results[0]).organisations == ("Atlanta",)
    assert table.apply(results[0]).places == ()
    assert table.apply(news[0]).places == ("Atlanta",)
    assert table.top("organisations") == [("Atlanta", 2)]
    assert table.top("places") == [("Atlanta", 3)]
    # a player's full name in a result stays a person ("Pete Sampras beat ...")
    player = ("people", "Pete Sampras", "club")
    assert AliasTable.build([article(people=("Pete Sampras",), cues=(player,))]).top("people") == [
        ("Pete Sampras", 1)
    ]


def test_countries_stay_places_and_team_names_are_organisations() -> None:
    articles = [
        article(orgs=("Wales",), cues=(("organisations", "Wales", "club"),)),
        article(places=("Wales",)),
        article(people=("Manchester United",)),
    ]
    table = AliasTable.build(articles)
    assert table.top("places") == [("Wales", 2)]
    assert table.top("organisations") == [("Manchester United", 1)]
    assert table.top("people") == []


def test_junk_is_dropped_with_a_reason_and_the_alias_file_can_keep_it() -> None:
    title = ("organisations", "Latest Propaganda Video Shows", "title")
    articles = [
        article(orgs=("GMT", "LLC", "Home", "Acme Ltd"), places=("London",)),
        article(orgs=("AEST", "Latest Propaganda Video Shows"), people=("GB",), cues=(title,)),
        article(people=("Oscar-winner", "Welsh")),
    ]
    table = AliasTable.build(articles)
    assert [value for value, _ in table.top("organisations")] == ["Acme Ltd"]
    assert table.top("people") == []
    reasons = {value: reason for value, reason, _ in table.junk("organisations")}
    assert reasons["GMT"] == reasons["AEST"] == "time zone"
    assert reasons["LLC"] == "legal form alone"
    assert reasons["Home"] == "generic word"
    assert reasons["Latest Propaganda Video Shows"] == "only in headlines"
    kept = AliasTable.build(articles, parse_overrides("organisations: + Home\n"))
    assert ("Home", 1) in kept.top("organisations")
    # the decisions survive the trip through aliases.json
    again = AliasTable.from_json(json.loads(json.dumps(table.to_json())))
    assert again.canonical("organisations", "GMT") == ""
    assert again.junk("organisations") == table.junk("organisations")


def test_lone_surname_joins_the_one_full_name_it_stands_for() -> None:
    articles = [article(people=("Tony Blair",))] * 6 + [
        article(people=("Cherie Blair",)),
        article(people=("Blair",)),
        article(people=("Bush",)),
        article(people=("George W Bush",)),
        article(people=("George Bush",)),
    ]
    table = AliasTable.build(articles)
    assert table.canonical("people", "Blair") == "Tony Blair"
    assert table.canonical("people", "Bush") == "George W Bush"
    assert ("Tony Blair", 7) in table.top("people")


def test_lone_name_left_alone_when_two_full_names_compete() -> None:
    articles = [article(people=("Kim Jong Un",))] * 2 + [
        article(people=("Kim Yong-chol",)),
        article(people=("Kim",)),
    ]
    table = AliasTable.build(articles)
    assert table.canonical("people", "Kim") == "Kim"
    split = AliasTable.build(articles[:2] + articles[3:], parse_overrides("people: ! Kim\n"))
    assert split.canonical("people", "Kim") == "Kim"


def test_plural_forms_are_one_value_and_a_plural_is_no_person() -> None:
    articles = [
        article(orgs=("Apple iPod",)),
        article(orgs=("Apple iPods",)),
        article(people=("Lib Dems",)),
        article(people=("Lib Dem",)),
        article(orgs=("Labour",)),
        article(orgs=("Labour Party",)),
    ]
    table = AliasTable.build(articles)
    assert table.canonical("organisations", "Labour") == "Labour Party"
    assert table.canonical("organisations", "Apple iPods") == table.canonical(
        "organisations", "Apple iPod"
    )
    assert table.canonical("organisations", "Lib Dem") == table.canonical(
        "organisations", "Lib Dems"
    )
    assert table.top("people") == []
    # a family named far less often than its best-known member leaves the member a person
    family = [article(people=("Ronald Varga", "Varga"))] * 5 + [article(people=("Vargas",))]
    members = AliasTable.build(family)
    assert members.top("organisations") == []
    assert members.canonical("people", "Varga") == "Ronald Varga"


def test_newswire_table_abbreviations_are_junk() -> None:
    articles = [article(orgs=("Revs", "DLRS", "Acme Corp"), people=("Shr",))]
    table = AliasTable.build(articles)
    assert table.top("organisations") == [("Acme Corp", 1)]
    assert table.top("people") == []
    assert {reason for _, reason, _ in table.junk("organisations")} == {"unit"}


def test_alias_file_retypes_a_name() -> None:
    articles = [article(places=("BT",))] * 2
    table = AliasTable.build(articles, parse_overrides("organisations: > BT\n"))
    assert table.top("organisations") == [("BT", 2)]
    assert table.top("places") == []


def test_entities_match_searches_all_values(tmp_path: Path) -> None:
    table = AliasTable.build(
        [article(people=(f"Person {n}",)) for n in range(30)] + [article(people=("Tony Blair",))]
    )
    assert table.matching("people", "blair") == [("Tony Blair", 1)]
    result = CliRunner().invoke(main, ["entities", "--index", str(tmp_path), "--match", "x"])
    assert result.exit_code == 3, result.output


def test_names_other_articles_tag_are_found_in_text_spacy_left_untagged() -> None:
    tagged = [article(orgs=("Lancashire",), places=("Belgrade",), people=("Tony Blair",))] * 2
    table_rows = article(
        cues=(
            ("", "Lancashire", "run"),  # "Sussex 363 , Lancashire 197-8": no entity found
            ("", "BELGRADE", "run"), ("", "BELGRADE", "first"),  # a dateline
            ("", "Tony Blair", "run"),
        )
    )  # fmt: skip
    sentence_start = article(
        cues=(("", "Lancashire", "run"), ("", "Lancashire", "first"), ("", "Blair", "run"))
    )
    table = AliasTable.build([*tagged, table_rows, sentence_start])
    found = table.apply(table_rows)
    assert found.organisations == ("Lancashire",)
    assert found.places == ("Belgrade",)
    assert found.people == ("Tony Blair",)
    # a capitalised word opening a sentence may be any word; a lone surname is not looked for
    assert table.apply(sentence_start) == AliasTable.build([]).apply(sentence_start)
    assert table.top("organisations") == [("Lancashire", 3)]
    # names tagged in one article only are not looked for
    once = AliasTable.build([tagged[0], table_rows])
    assert once.apply(table_rows).organisations == ()


def test_an_article_votes_for_the_kind_of_most_mentions_and_countries_are_places() -> None:
    mixed = article(orgs=("Arbil",), places=("Arbil",), cues=(("places", "Arbil", "most"),))
    table = AliasTable.build([mixed, mixed, article(orgs=("Arbil",))])
    assert table.top("places") == [("Arbil", 3)]
    # a national team is named after its country: a place whatever the votes
    team = ("organisations", "Slovakia", "club")
    assert AliasTable.build([article(orgs=("Slovakia",), cues=(team,))]).top("places") == [
        ("Slovakia", 1)
    ]


def test_an_organisation_opening_with_a_given_name_of_the_corpus_is_a_person() -> None:
    people = [article(people=(f"Scott {name}",)) for name in ("Hoch", "Gibbs", "Pruett")]
    athlete = article(orgs=("Scott Draper", "Scott Paper Company", "Dinamo Moscow"))
    table = AliasTable.build([*people, athlete])
    assert "Scott Draper" in table.apply(athlete).people
    # a body word keeps an organisation; a first word no person's name opens stays
    assert table.apply(athlete).organisations == ("Dinamo Moscow", "Scott Paper Company")
    # two people named Scott are not enough evidence of a given name
    assert AliasTable.build([*people[:2], athlete]).apply(athlete).people == ()


def test_sport_names_are_junk_and_russia_is_a_country() -> None:
    report = article(orgs=("SOCCER", "Russia"), cues=(("organisations", "Russia", "club"),))
    table = AliasTable.build([report])
    assert table.top("organisations") == []
    assert table.top("places") == [("Russia", 1)]
    assert ("SOCCER", "a sport", 1) in table.junk("organisations")


def test_a_side_of_a_result_line_is_a_team_even_untagged() -> None:
    table_rows = article(
        cues=(
            ("", "East Fife", "run"), ("", "East Fife", "result"), ("", "East Fife", "first"),
            ("", "June", "run"), ("", "June", "result"),
            ("", "Hamilton", "run"),  # no numbers around it: nothing known
        )
    )  # fmt: skip
    assert AliasTable.build([table_rows]).apply(table_rows).organisations == ("East Fife",)


def test_untagged_runs_shaped_like_people_are_people() -> None:
    people = [article(people=(f"Pete {name}",)) for name in ("Hoch", "Gibbs", "Pruett")]
    results = article(
        cues=(
            ("", "W. Athey", "run"),  # an initial and a surname
            ("", "Pete Sampras", "run"),  # a given name of the corpus
            ("", "Jiri Novak", "run"), ("", "Jiri Novak", "nation"),  # "( Czech Republic )"
            ("", "Grand Slam Cup", "run"), ("", "Grand Slam Cup", "nation"),  # a body's word
            ("", "Pete And", "run"),
        )
    )  # fmt: skip
    table = AliasTable.build([*people, results])
    assert table.apply(results).people == ("Jiri Novak", "Pete Sampras", "W. Athey")
    assert AliasTable.build([results]).apply(results).people == ("Jiri Novak", "W. Athey")


def test_datelines_and_venues_are_places() -> None:
    report = article(
        orgs=("SEATTLE",),
        cues=(
            ("", "DUBLIN", "run"), ("", "DUBLIN", "dateline"), ("", "DUBLIN", "first"),
            ("", "Headingley", "run"), ("", "Headingley", "venue"),
            ("", "Greater Milwaukee Open", "run"), ("", "Greater Milwaukee Open", "venue"),
            ("organisations", "SEATTLE", "club"), ("organisations", "SEATTLE", "venue"),
        ),
    )  # fmt: skip
    city = [article(places=("Seattle",))] * 3
    table = AliasTable.build([report, *city])
    applied = table.apply(report)
    assert applied.places == ("DUBLIN", "Headingley", "Seattle")
    # the team plays at home: the city is named too, as a place
    assert applied.organisations == ("SEATTLE",)


def test_a_country_s_initials_are_the_country() -> None:
    articles = [
        article(orgs=("DPRK",), places=("North Korea",)),
        article(places=("North Korea",)),
    ]
    table = AliasTable.build(articles)
    assert table.top("organisations") == []
    assert table.top("places") == [("North Korea", 2)]
    assert table.canonical("places", "DPRK") == "North Korea"


def test_titles_initials_and_lone_team_words() -> None:
    titled = ("people", "Campbell", "person")
    articles = [article(orgs=("Campbell",))] * 5 + [
        article(people=("Campbell",), cues=(titled,))
    ] * 2
    articles += [article(places=("BT",))] * 3 + [article(orgs=("BT",))] * 2
    articles += [article(orgs=("Manchester United",))] * 6 + [article(orgs=("Leeds United",))]
    articles += [article(orgs=("United",))]
    table = AliasTable.build(articles)
    assert ("Campbell", 7) in table.top("people")  # "Mr Campbell": no body is called Mr
    assert ("BT", 5) in table.top("organisations")  # initials name bodies, not places
    assert table.canonical("organisations", "United") == "Manchester United"
    # initials also written as a word are no initials: "TEXAS" beside "Texas"
    texas = [article(places=("Texas",))] * 3 + [article(orgs=("TEXAS",))]
    assert AliasTable.build(texas).top("places") == [("Texas", 4)]


def test_words_spacy_mostly_leaves_untagged_are_not_looked_for() -> None:
    tagged = [article(orgs=("World",))] * 2
    prose = [article(cues=(("", "World", "run"),))] * 3
    table = AliasTable.build(tagged + prose)
    assert table.apply(prose[0]).organisations == ()


def test_a_word_opening_names_of_places_is_no_given_name() -> None:
    people = [article(people=(f"New {name}",)) for name in ("Year", "Order", "Labour")]
    places = [article(places=(f"New {name}",)) for name in ("York", "Zealand", "Delhi", "Jersey")]
    runs = article(cues=(("", "New Forest", "run"),))
    assert AliasTable.build([*people, *places, runs]).apply(runs).people == ()

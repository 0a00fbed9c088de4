"""Text links: write-ups of one event join by the whole text; a look-alike event of the same kind
on the same day stays apart; a daily template does not chain across the week."""

from __future__ import annotations

from pathlib import Path

from searchidx.stories.grouping import StoryIndex, StoryInput

# Two earthquakes on one day (the look-alike pair of an ECB+ topic), three write-ups each, none a
# copy of another; then unrelated notes so that IDF has something to say.
QUAKES = {
    "peru": [
        "Strong earthquake shakes southern Peru\nA magnitude 7.1 earthquake struck near Arequipa "
        "in southern Peru on Monday, killing at least twelve people, Peruvian officials said. "
        "Houses collapsed in Arequipa and Moquegua, and President Humala flew to the region.",
        "Peru quake kills twelve near Arequipa\nRescuers in Arequipa searched collapsed houses "
        "after the 7.1 quake; Humala said the army would bring tents to Moquegua and Arequipa, "
        "where twelve people died when adobe walls fell.",
        "Humala visits Arequipa after deadly earthquake\nPresident Ollanta Humala toured "
        "Arequipa, where the earthquake killed twelve, and promised money to rebuild adobe "
        "houses in Moquegua; aftershocks kept residents outdoors in Peru.",
    ],
    "iran": [
        "Earthquake hits northwest Iran\nA magnitude 6.4 earthquake struck near Tabriz in "
        "northwest Iran, killing at least thirty villagers in Ahar and Varzaqan, Iranian state "
        "television said. Red Crescent teams reached the mountain villages.",
        "Iran quake toll rises in Ahar and Varzaqan\nThe Red Crescent said thirty died in Ahar "
        "and Varzaqan near Tabriz after the 6.4 earthquake; villagers slept outside in the "
        "cold as Iranian rescuers dug through rubble.",
        "Tabriz hospitals treat quake injured\nHospitals in Tabriz took in hundreds hurt in "
        "Varzaqan and Ahar, Iranian officials said, as the Red Crescent sent tents after the "
        "earthquake flattened mountain villages in northwest Iran.",
    ],
}
FILLERS = [
    "Football club wins league\nThe club won the league on the final day after a late goal.",
    "Central bank holds rates\nThe central bank kept its rate unchanged, citing inflation.",
    "New phone released\nThe company released a phone with a larger screen and better camera.",
    "Airline orders jets\nThe airline ordered forty jets to replace its ageing fleet.",
    "Film tops box office\nThe animated film topped the weekend box office in North America.",
    "Wheat harvest forecast\nFarmers expect a record wheat harvest after a wet spring.",
]


def _items() -> list[StoryInput]:
    items = [StoryInput(f"{event}{n}", text, 20160411)
             for event, texts in QUAKES.items() for n, text in enumerate(texts)]  # fmt: skip
    return items + [StoryInput(f"f{n}", text, 20160411) for n, text in enumerate(FILLERS)]


def test_write_ups_of_one_event_join_and_a_look_alike_event_stays_apart() -> None:
    index = StoryIndex()
    index.add(_items())
    assert index.story_of("peru0") == index.story_of("peru1") == index.story_of("peru2")
    assert index.story_of("iran0") == index.story_of("iran1") == index.story_of("iran2")
    assert index.story_of("peru0") != index.story_of("iran0")
    assert all(len(index.stories()[index.story_of(f"f{n}") or ""]) == 1 for n in range(6))


def test_names_as_entities_do_not_join_look_alike_events() -> None:
    # Entities are a boost, not a gate: both events name "Red Crescent" in one, none in other.
    items = [StoryInput(i.id, i.text, i.day, organisations=("Red Crescent",),
                        places=("Peru",) if i.id.startswith("peru") else ("Iran",))
             if not i.id.startswith("f") else i for i in _items()]  # fmt: skip
    index = StoryIndex()
    index.add(items)
    assert index.story_of("peru0") == index.story_of("peru2")
    assert index.story_of("iran0") == index.story_of("iran2")
    assert index.story_of("peru0") != index.story_of("iran0")


def test_a_daily_template_does_not_chain_across_the_week() -> None:
    notices = [StoryInput(f"day{n}", "Federal Reserve adds reserves\nThe Federal Reserve "
                          f"entered the government securities market to add temporary reserves "
                          f"via {n + 2} billion dlrs of customer repurchase agreements, a "
                          "spokesman said. Federal funds were trading at six pct.",
                          19870302 + n) for n in range(9)]  # fmt: skip
    index = StoryIndex()
    index.add(notices)
    assert index.story_of("day0") != index.story_of("day8")
    assert index.story_of("day0") != index.story_of("day5")


def test_vectors_survive_a_save_and_place_a_late_write_up(tmp_path: Path) -> None:
    index = StoryIndex()
    items = _items()
    index.add([i for i in items if i.id != "iran2"])
    index.save(tmp_path)
    loaded = StoryIndex.load(tmp_path)
    assert loaded._text.vectors.keys() == index._text.vectors.keys()
    loaded.add([i for i in items if i.id == "iran2"])
    assert loaded.story_of("iran2") == loaded.story_of("iran0") != loaded.story_of("peru0")

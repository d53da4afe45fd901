"""Figures in news sentences ("four police officers", "21 muertos", "8 mexicanos muertos y 7 heridos"),
each keyed by the quantity it counts.

News revises its numbers: the Villa Unión toll was 14, then 21, 22, 23. To report that honestly the
bot must know that "21 muertos" and "at least 21 people were killed" state the same quantity, that
"23 dead" revises it, and that "7 Mexicans killed", "49 injured" or "33 still in hospital" are other
quantities. A quantity is what happened to the counted (an event: died, injured, in hospital,
missing, arrested …) and who was counted (a group: police, gunmen, soldiers, one nation's citizens);
both are read from the words next to the number, in English or Spanish.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from eval.grounding.numbers import NumberExtractor
from index.lexical import fold_accents

EVENT_WORDS: dict[str, frozenset[str]] = {
    "deaths": frozenset(
        """dead deaths death died die dying killed kill killing murdered fatalities fatality bodies lives
        muertos muertas muerto muerta muerte muertes fallecidos fallecidas fallecido fallecio fallecieron
        fallece fallecen murio murieron muere mueren asesinados asesinadas decesos mortales""".split()
    ),
    "injured": frozenset("wounded injured injuries hurt heridos heridas herido lesionados lesionadas lesiones".split()),
    "hospitalised": frozenset(
        """hospitalized hospitalised hospital hospitals admitted hospitalizados hospitalizadas hospitalizado
        internados internadas hospitales hospitalizacion hospitalization""".split()
    ),
    "missing": frozenset("missing unaccounted desaparecidos desaparecidas desaparecido".split()),
    "arrested": frozenset(
        "arrested detained arrests arrest detenidos detenidas detenido arrestados capturados aprehendidos".split()
    ),
    "rescued": frozenset("rescued rescatados rescatadas rescatado".split()),
    "evacuated": frozenset("evacuated evacuees evacuados evacuadas desalojados".split()),
    "identified": frozenset("identified identificados identificadas identificado".split()),
    "homicides": frozenset("homicides murders homicidios asesinatos".split()),
    "displaced": frozenset("displaced homeless damnificados desplazados".split()),
    "convicted": frozenset(
        """convicted sentenced charged indicted condenados condenadas sentenciados sentenciadas procesados
        imputados""".split()
    ),
}
"""Accent-folded words that say what happened to what a number counts (written for this project)."""
EVENT_PRIORITY = (
    "hospitalised",
    "identified",
    "rescued",
    "missing",
    "convicted",
    "arrested",
    "evacuated",
    "displaced",
    "homicides",
    "inhabitants",
    "injured",
    "deaths",
)
"""When a phrase names several events the more specific one is counted: "21 heridos llevados a hospitales"
counts people in hospital, "injured people taken to hospitals" too."""

GROUP_WORDS: dict[str, frozenset[str]] = {
    "police": frozenset("police policemen policeman officers officer policias policia agentes".split()),
    "gunmen": frozenset(
        """gunmen gunman attackers attacker assailants sicarios pistoleros agresores atacantes delincuentes
        integrantes""".split()
    ),
    "civilians": frozenset("civilians civilian civiles".split()),
    "soldiers": frozenset("soldiers troops soldados militares efectivos".split()),
    "children": frozenset("children kids minors ninos ninas menores".split()),
    "vehicles": frozenset("vehicles vehicle trucks truck pickups vehiculos camionetas camiones unidades".split()),
    "shots": frozenset("shots rounds disparos balazos tiros".split()),
    "inhabitants": frozenset("inhabitants residents population habitantes poblacion pobladores".split()),
}
"""Accent-folded words that say who (or what) a number counts."""

NATIONALITIES: dict[str, tuple[str, ...]] = {
    "mexico": ("mexican", "mexicans", "mexicano", "mexicanos", "mexicana", "mexicanas"),
    "usa": ("american", "americans", "estadounidense", "estadounidenses", "norteamericanos"),
    "guatemala": ("guatemalan", "guatemalans", "guatemalteco", "guatemaltecos", "guatemalteca", "guatemaltecas"),
    "honduras": ("honduran", "hondurans", "hondureno", "hondurenos", "hondurena", "hondurenas"),
    "el_salvador": ("salvadoran", "salvadorans", "salvadoreno", "salvadorenos", "salvadorena", "salvadorenas"),
    "colombia": ("colombian", "colombians", "colombiano", "colombianos", "colombiana", "colombianas"),
    "venezuela": ("venezuelan", "venezuelans", "venezolano", "venezolanos", "venezolana", "venezolanas"),
    "cuba": ("cuban", "cubans", "cubano", "cubanos", "cubana", "cubanas"),
    "haiti": ("haitian", "haitians", "haitiano", "haitianos", "haitiana", "haitianas"),
    "bahamas": ("bahamian", "bahamians", "bahameno", "bahamenos", "bahamena", "bahamenas"),
    "spain": ("spaniard", "spaniards", "spanish", "espanol", "espanoles", "espanola", "espanolas"),
    "canada": ("canadian", "canadians", "canadiense", "canadienses"),
    "germany": ("german", "germans", "aleman", "alemanes", "alemana", "alemanas"),
    "argentina": ("argentine", "argentines", "argentino", "argentinos", "argentina", "argentinas"),
    "peru": ("peruvian", "peruvians", "peruano", "peruanos", "peruana", "peruanas"),
    "chile": ("chilean", "chileans", "chileno", "chilenos", "chilena", "chilenas"),
}
"""Demonyms, accent-folded, by country: "8 mexicanos muertos" counts one nation's dead, not the toll."""
_NATION_OF = {word: country for country, words in NATIONALITIES.items() for word in words}

TOLL_CUES = frozenset("toll cifra balance recuento tally count saldo".split())
"""Words before a number that make it a death toll ('the toll rose to 21', 'la cifra subió a 22')."""
COUNT_CUES = frozenset("number numero total".split())
RISE_CUES = frozenset(
    """rose risen climbed reached increased stood subio ascendio aumento llego elevo
    asciende sube""".split()
)
"""With a deaths word before the number, these make it a toll too ('people killed has risen to 23')."""
KILLING_VERBS = frozenset("killing killed left leaving dejo dejando dejaron cobro mato matando".split())
"""A verb right before the number whose object is the dead ('killing 20', 'dejó 20 muertos')."""

INCREMENT_WORDS = frozenset(
    "more additional another further other others mas otros otras otro otra adicionales".split()
)
"""Next to a number these make it a change of a figure, not the figure."""

CONJUNCTIONS = frozenset("and or but y e o u pero while mientras".split())
"""End the phrase after a number: '52 y la cifra de desaparecidos' does not count the missing."""
PARTITIVES = frozenset("of de".split())
"""'46 of those injured have died in hospital': the count's event is the clause's verb, further on."""
PARTITIVE_WINDOW = 12
LEAD_IN = frozenset("a to at least al menos unos unas some about around cerca de alrededor the los las".split())
"""Words between an event verb and its number: 'se han identificado a 13', 'rescued at least 201'."""
RANGE_TO = frozenset("a to hasta".split())
"""'subió de 50 a 52', 'rose from 50 to 52': the first number is the old value, the second the figure."""

SUBSET_CUES = ("de los cuales", "de las cuales", "of whom", "of which", "among them", "entre ellos", "entre ellas")
"""Before a number these make it a part of the figure just given."""
DISCHARGE_CUES = frozenset("discharged released".split())
"""After a number these count people who left hospital ('dados de alta' in Spanish)."""

AFTER_WINDOW = 6
"""Words after a number read for its quantity ('8 Mexican nationals were among the dead')."""
BEFORE_WINDOW = 20
MAX_FIGURE = 10_000_000
_WORD = re.compile(r"\w+", re.UNICODE)
_CLAUSE_END = re.compile(r"[.;:!?()\"“”]|,\s")
_numbers = NumberExtractor()


@dataclass(frozen=True)
class Quantity:
    """What a figure counts: an event (deaths, injured …) and a group (police, one nation's citizens …)."""

    event: str | None = None
    group: str | None = None

    @property
    def key(self) -> str:
        """'deaths', 'deaths:police', 'injured:nationals-mexico', 'police' (a group with no event stated)."""
        return ":".join(part for part in (self.event, self.group) if part)

    def __bool__(self) -> bool:
        return bool(self.event or self.group)


@dataclass(frozen=True)
class Figure:
    """One number in one sentence, with the quantity it counts."""

    quantity: Quantity
    value: int
    sentence: str
    span: tuple[int, int]

    @property
    def concept(self) -> str:
        return self.quantity.key


def _folded_words(text: str) -> list[str]:
    return [fold_accents(w).lower() for w in _WORD.findall(text)]


def _event_of(words: list[str]) -> str | None:
    found = {event for event, vocabulary in EVENT_WORDS.items() if vocabulary & set(words)}
    return next((event for event in EVENT_PRIORITY if event in found), None)


def _quantity_in(words: list[str]) -> Quantity:
    """Event and group named by these words; 'died in hospital' counts deaths (where they died), not
    people in hospital."""
    event, group = _event_of(words), _group_of(words)
    if event == "hospitalised" and EVENT_WORDS["deaths"] & set(words):
        first_death = min(i for i, w in enumerate(words) if w in EVENT_WORDS["deaths"])
        first_hospital = min(i for i, w in enumerate(words) if w in EVENT_WORDS["hospitalised"])
        if first_death < first_hospital:
            event, group = "deaths", group or "in-hospital"
    return Quantity(event, group)


def _group_of(words: list[str]) -> str | None:
    for word in words:
        if word in _NATION_OF:
            return f"nationals-{_NATION_OF[word]}"
        group = next((g for g, vocabulary in GROUP_WORDS.items() if word in vocabulary), None)
        if group:
            return group
    return None


def quantity_of(text: str) -> Quantity:
    """The quantity a question or phrase speaks of ('¿Cuántos policías murieron?' -> deaths of police)."""
    words = _folded_words(text)
    quantity = _quantity_in(words)
    if quantity.event is None and TOLL_CUES & set(words):
        quantity = Quantity("deaths", quantity.group)
    return quantity


def figures_in(sentence: str) -> list[Figure]:
    """The countable figures of a sentence; dates, years and numbers that count nothing named are left out."""
    found: list[Figure] = []
    mentions = [
        m
        for m in _numbers.mentions(sentence)
        if any(k.isdigit() for k in m.keys) and not any(k.startswith("date:") for k in m.keys)
    ]
    previous_end = 0
    for i, mention in enumerate(mentions):
        value = int(next(k for k in mention.keys if k.isdigit()))
        window_start, previous_end = previous_end, mention.span[1]
        if value <= 0 or value > MAX_FIGURE or 1900 <= value <= 2100:
            continue
        next_start = mentions[i + 1].span[0] if i + 1 < len(mentions) else len(sentence)
        after_text = sentence[mention.span[1] : next_start]
        clause_end = _CLAUSE_END.search(after_text)
        after = _phrase(_folded_words(after_text[: clause_end.start()] if clause_end else after_text))
        before_text = sentence[window_start : mention.span[0]]  # a cue belongs to the first number after it
        before = _folded_words(before_text)[-BEFORE_WINDOW:]
        if (after and after[0] in INCREMENT_WORDS) or (before and before[-1] in INCREMENT_WORDS):
            continue  # "two more people have died": a change, not a count
        if " ".join(before[-3:]).endswith(SUBSET_CUES):
            continue  # "34 heridos, de los cuales 30 …": a part of the figure before it
        clause = " ".join(_folded_words(after_text[: clause_end.start()] if clause_end else after_text))
        if DISCHARGE_CUES & set(clause.split()) or "de alta" in clause:
            continue  # "cinco … han sido dados de alta": discharged, not in hospital
        if after and after[0] in RANGE_TO and i + 1 < len(mentions):
            previous_end = window_start  # "subió de 50 a 52": 50 is the value it was; its cues are 52's
            continue
        quantity = _quantity_in(after)
        if quantity.event is None:
            quantity = Quantity(_event_before(before), quantity.group)
        if not quantity and set(before) & (COUNT_CUES | RISE_CUES):
            quantity = Quantity(None, _group_of(before[::-1]))  # "truck crossings reached 186,400"
        if not quantity.group and found and before and before[-1] in {"and", "y"} and found[-1].quantity.group:
            # "8 mexicanos muertos y 7 heridos": the 7 are Mexicans too
            quantity = Quantity(quantity.event, found[-1].quantity.group)
        if quantity:
            found.append(Figure(quantity, value, sentence, mention.span))
    return found


def _phrase(after: list[str]) -> list[str]:
    """The words after a number that say what it counts: up to a conjunction, or the whole clause
    after a partitive ('46 of those injured … have died in hospital')."""
    if after and after[0] in PARTITIVES:
        return after[:PARTITIVE_WINDOW]
    phrase = []
    for word in after[:AFTER_WINDOW]:
        if word in CONJUNCTIONS:
            break
        phrase.append(word)
    return phrase


def _event_before(before: list[str]) -> str | None:
    """The event a number reports when the words before it say so: 'the toll rose to 21', 'la cifra de
    desaparecidos bajó a 1.300', 'the number of people killed has risen to 23', 'killing 20'."""
    if before and before[-1] in KILLING_VERBS:
        return "deaths"
    lead = list(before)
    while lead and lead[-1] in LEAD_IN:
        lead.pop()
    if lead and len(before) - len(lead) <= 3 and (event := _event_of(lead[-1:])):
        return event  # "se han identificado a 13", "rescued at least 201"
    cued = set(before) & (TOLL_CUES | COUNT_CUES | RISE_CUES)
    if not cued:
        return None
    for word in reversed(before):  # the nearest event word before the number
        event = _event_of([word])
        if event:
            return event
    return "deaths" if TOLL_CUES & cued else None


def asked_quantity(question: str) -> Quantity | None:
    """The quantity a question counts ('how many police died?' -> deaths:police), or None when it counts
    none of the news quantities known here."""
    quantity = quantity_of(question)
    return quantity if quantity else None


def asked_concept(question: str) -> str | None:
    """`asked_quantity` as its key ('deaths', 'injured:nationals-mexico'), for labels and reports."""
    quantity = asked_quantity(question)
    return quantity.key if quantity else None

"""Finding people's names in free-text answers, so they can be removed.

The names are the lists the `faker` package keeps for its British and Indian
English locales (`en_GB`: the commonest given names and surnames in the UK;
`en_IN`: South Asian given names and surnames common in the UK too), with its
American surname list; with the short forms people write (Dave, Steve, Liz:
`SHORT_FORMS`) and the given names in `WORDS_AND_PLACES`. faker's American
given-name list is not used: seven thousand names, many of them English
words ("Council", "Major", "Page").

A name is found, in this order (answers are short; each rule says why):

1. **A title and what follows**: Mr, Mrs, Ms, Miss, Mx, Dr, Prof, Professor,
   Cllr, Councillor, Sir, Dame, Rev, Revd or Reverend, then one or two
   capitalised words ("Cllr Okafor", "Dr Anne Price"): a title is only ever
   followed by a name.
2. **A given name followed by a surname**: a capitalised given name, an
   optional middle initial, and a capitalised word that is a listed surname
   ("Mark Jones", "Grace Patel"), or, when the given name is unambiguous, any
   capitalised word ("Sarah Okonkwo").
3. **An unambiguous given name on its own** ("Sarah was very helpful").

A given name is ambiguous when it is also a word people capitalise, at the
start of a sentence or as a place ("Will", "Hope", "May", "Bill", "Mark",
"Rich", "Grace", "Faith", "Frank", "Victoria", "Chelsea"...; the list is
`WORDS_AND_PLACES`): it is removed only by rules 1 and 2 with a listed
surname. Never removed: a name within the partnership's own organisation
names ("Charlotte Mason College", when that is a member), a name before
a word of place or organisation ("Victoria Road", "Grace Hospital", "Sarah
House"), or after St or Saint ("St Helen's"). Also not caught: surnames on
their own ("Smith said", since many are also words: Green, Hill, Wood),
names written in lower case or in capitals, and given names that none of
the lists holds. Where a rule is unsure it leans towards removing: "Mark
Green" is removed, though it might be a note about green space.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

PLACEHOLDER = "[name removed]"
TITLES = "Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor|Cllr|Councillor|Sir|Dame|Rev|Revd|Reverend"
# "Sarah", "O'Brien", "McDonald", "Smith-Jones"; "Sarah's" is "Sarah" and "'s".
WORD = r"[A-Z][a-z]*(?:['’-]?[A-Z][a-z]+)*"
TITLED = re.compile(rf"\b(?:{TITLES})\.?\s+(?:[A-Z]\.?\s+)?({WORD})(?:\s+({WORD}))?")
CAPITALISED = re.compile(rf"\b{WORD}\b")
SPACE = re.compile(r"\s+")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


WORDS_AND_PLACES = _words(
    # Given names that are also words written with a capital, at the start
    # of a sentence or as places: the faker names that an English word list
    # holds in lower case, less those rarely used as words ("John", "Peter").
    "Amber April August Autumn Bill Carol Charity Chase Chelsea Christian Clare Dale Dawn "
    "Dean Douglas Faith Frank Glen Grace Guy Hazel Heather Holly Hope Iris Ivy Jack Jade "
    "Jasmine Jordan Joy June Kerry Lee Leigh Lewis Lily Lynn Mark Max May Miles Olive Pat "
    "Pearl Penny Rich Robin Rose Ross Ruby Shannon Stanley Summer Victor Victoria Violet "
    "Will Beverley Don Ray Rob Sue Art Bob Drew Grant Lance Wade Nick Sunny Patience "
    "Prudence Mercy Harmony Destiny Daisy Eta Forum Harsh Lucky Mason Veer"
)
PLACE_WORDS = _words(
    # A given name before one of these is part of a place or an organisation.
    "Street Road Lane Avenue Close Way Drive Crescent Square Place Gardens Park Hospital "
    "Hospice House Centre Center Court Station Ward Wing School Academy College "
    "University Council Police Trust Foundation Partnership Surgery Practice Clinic "
    "Church Chapel Hall Library Unit Team Project Fund Group Board Service Services "
    "Estate Bridge Quay Market "
)
SHORT_FORMS = _words(
    "Andy Becky Bev Chris Dan Dave Fred Geoff Jen Jenny Jess Jim Jon Ken Liz Matt Mike "
    "Pete Phil Ron Steve Tim Vicky"
)
SAINTS = frozenset({"St", "St.", "Saint"})


@functools.cache
def given_names() -> frozenset[str]:
    from faker.providers.person.en_GB import Provider as British
    from faker.providers.person.en_IN import Provider as Indian

    return frozenset(
        [
            *British.first_names_male,
            *British.first_names_female,
            *Indian.first_names_male,
            *Indian.first_names_female,
            *SHORT_FORMS,
            *WORDS_AND_PLACES,
        ]
    )


@functools.cache
def surnames() -> frozenset[str]:
    from faker.providers.person.en import Provider as American
    from faker.providers.person.en_GB import Provider as British
    from faker.providers.person.en_IN import Provider as Indian

    return frozenset([*British.last_names, *Indian.last_names, *American.last_names])


def remove_names(text: str, keep: Iterable[str] = ()) -> str:
    """`text` with people's names replaced by "[name removed]" (rules above).

    `keep` holds phrases never touched: the partnership's organisation names.
    """
    kept: list[str] = []

    def hold(match: re.Match[str]) -> str:
        kept.append(match.group(0))
        return f"\x00{len(kept) - 1}\x00"

    phrases = sorted({p.strip() for p in keep if p.strip()}, key=len, reverse=True)
    if phrases:
        pattern = "|".join(r"\s+".join(map(re.escape, p.split())) for p in phrases)
        text = re.sub(rf"\b(?:{pattern})\b", hold, text, flags=re.IGNORECASE)
    text = TITLED.sub(_titled, text)
    text = _given_names(text)
    return re.sub("\x00(\\d+)\x00", lambda m: kept[int(m.group(1))], text)


def _titled(match: re.Match[str]) -> str:
    second = match.group(2)
    if second and second in PLACE_WORDS:  # "Cllr Patel Council": the title and name only
        return PLACEHOLDER + match.group(0)[match.end(1) - match.start(0) :]
    return PLACEHOLDER


def _given_names(text: str) -> str:
    names, family = given_names(), surnames()
    words = list(CAPITALISED.finditer(text))
    cuts: list[tuple[int, int]] = []
    skip_to = -1
    for index, word in enumerate(words):
        if word.start() < skip_to or word.group(0) not in names:
            continue
        before = words[index - 1] if index else None
        if before and before.group(0) in SAINTS and _adjacent(text, before, word):
            continue
        following = _next_word(text, words, index)
        after = following.group(0) if following else None
        ambiguous = word.group(0) in WORDS_AND_PLACES
        if after in PLACE_WORDS:
            continue
        if following is not None and (after in family or not ambiguous):
            cuts.append((word.start(), following.end()))
            skip_to = following.end()
        elif not ambiguous:
            cuts.append((word.start(), word.end()))
    for start, end in reversed(cuts):
        text = text[:start] + PLACEHOLDER + text[end:]
    return text


def _next_word(text: str, words: list[re.Match[str]], index: int) -> re.Match[str] | None:
    """The capitalised word right after `words[index]`, past a middle initial ("Anne J. Price")."""
    position = index + 1
    if position < len(words) and len(words[position].group(0)) == 1:
        if not _adjacent(text, words[index], words[position]):
            return None
        index, position = position, position + 1
    if position < len(words) and _adjacent(text, words[index], words[position]):
        return words[position]
    return None


def _adjacent(text: str, first: re.Match[str], second: re.Match[str]) -> bool:
    """Whether only spaces (after an initial, a full stop and spaces) lie between two words."""
    between = text[first.end() : second.start()]
    if len(first.group(0)) == 1:
        between = between.removeprefix(".")
    return bool(SPACE.fullmatch(between))

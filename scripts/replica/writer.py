"""Composes a release body: plans the paragraphs, writes quotes in all their forms, places images."""
from __future__ import annotations

from random import Random

from .compose import (CREDIT_FORMS, SENTENCE_END, STYLES, Body, Filler, ItemList, Para, Picture, nodot)
from .texts import (CAST, CREDITS, GENERAL_CLOSINGS, GENERAL_DETAILS, GENERAL_STATEMENTS, INDIRECT, VERBS_AFTER,
                    VERBS_BEFORE, VERBS_PRONOUN, VERBS_WE, Person)

SPLIT_VERBS = ["sagte", "erklärte", "betonte", "sagt"]


class Composer:
    """Writes one release's body; quotes and date mentions are recorded as they are written."""

    def __init__(self, rel, rng: Random):
        self.rel, self.rng, self.topic = rel, rng, rel.topic
        self.fill = Filler(rng, rel.facts, rel.published)
        self.style = STYLES[rel.style]
        self.blocks: list = []
        self.quotes: list[dict] = []
        self.mentions: list[dict] = []
        self.count = 0  # truth paragraphs written so far
        self.introduced: dict[str, str] = {}  # person key -> role the reader learnt
        self.last: str | None = None  # the person a pronoun would refer to
        self.speaker: Person | None = None
        self.lead = rng.choice(rel.lead_ids or range(len(self.topic.leads)))
        self.pools = {"details": self._pool(self.topic.details), "statements": self._pool(self.topic.statements),
                      "images": self._pool(self.topic.images, 1), "lists": self._pool(self.topic.lists, 0),
                      "general details": self._pool(GENERAL_DETAILS),
                      "general statements": self._pool(GENERAL_STATEMENTS)}

    def build(self) -> Body:
        """Write the whole body."""
        for unit in self._plan():
            getattr(self, "_" + unit)()
        return Body(self.blocks, self.quotes, self.mentions)

    def _fits(self, text: str) -> str | None:
        """Text without its story tag ("…#0,2"), or None if it belongs to another lead's story."""
        text, _, tags = text.partition("#")
        return text if not tags or self.lead in {int(t) for t in tags.split(",")} else None

    def _pool(self, items: list, tagged: int | None = None) -> list:
        """The items that fit this release's story, tags removed, in random order.

        Tuples carry the tag on element `tagged` (an image's caption, a list's intro)."""
        fitting = []
        for item in items:
            text = self._fits(item if tagged is None else item[tagged])
            if text is not None:
                fitting.append(text if tagged is None else item[:tagged] + (text,) + item[tagged + 1:])
        self.rng.shuffle(fitting)
        return fitting

    def _take(self, pool: str) -> str | None:
        """The next unused text from the topic's pool, then from the general one; None when both are used up."""
        if self.pools[pool]:
            return self.pools[pool].pop()
        general = self.pools["general " + pool]
        # the shared sentences only now and then, so that releases do not all end alike
        return general.pop() if general and self.rng.random() < 0.4 else None

    def _plan(self) -> list[str]:
        old = self.rel.template == "2019"
        total = self.rng.randint(2, 5) if old else self.rng.choice([2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 8])
        quotes = min(total - 1, self.rng.choice([0, 1, 1, 2, 2]))
        room = total - 1 - quotes
        has_list = bool(self.pools["lists"]) and room >= 1 and self.rng.random() < 0.35
        closing = room - has_list >= 1 and self.rng.random() < 0.5
        middle = ["detail"] * (room - has_list - closing) + ["list"] * has_list
        self.rng.shuffle(middle)
        for _ in range(quotes):
            # the first quote comes early, as in the real releases; a second one right after it or soon
            first = middle.index("quote") if "quote" in middle else None
            pos = self.rng.randint(0, min(1, len(middle))) if first is None else first + self.rng.randint(1, 2)
            middle.insert(min(pos, len(middle)), "quote")
        units = ["lead"] + middle + ["closing"] * closing
        return self._with_images(units, self.rng.choice([0, 0, 1]) if old else self.rng.choice([0, 1, 1, 2, 2, 3]))

    def _with_images(self, units: list[str], count: int) -> list[str]:
        slots = sorted(self.rng.sample(range(len(units)), min(count, len(units))), reverse=True)
        for slot in slots:
            units.insert(slot + 1, "image")
        return units

    def _add(self, text: str, quotes: tuple = (), plain: bool = True) -> None:
        text = text.translate(self.style)
        mentions = self.fill.take_mentions(text)
        for quote in quotes:
            self.quotes.append({"text": quote["text"].translate(self.style), "speaker": quote["speaker"],
                                "role": quote["role"], "paragraph": self.count})
        self.mentions.extend(mentions)
        self.blocks.append(Para(text, plain and not quotes and not mentions))
        self.count += 1

    def _lead(self) -> None:
        self._add(self.fill(self.topic.leads[self.lead]))

    def _detail(self) -> None:
        self.last = None  # a detail may name anyone: no pronoun may point across it
        if self.rng.random() < 0.12:
            person = CAST[self.rng.choice(self.topic.speakers)]
            ref, _ = self._ref(person, mid=True)
            self.last = person.key
            self._add(self.rng.choice(INDIRECT).replace("{ref}", ref), plain=False)
            return
        first = self._take("details")
        if first is None:
            return
        second = self._take("details") if self.rng.random() < 0.4 else None
        self._add(self.fill(first if second is None else f"{first} {second}"))

    def _closing(self) -> None:
        pool = self.topic.closings if self.topic.closings and self.rng.random() < 0.7 else GENERAL_CLOSINGS
        self._add(self.fill(self.rng.choice(pool)))

    def _list(self) -> None:
        intro, items, ordered = self.pools["lists"].pop()
        self._add(self.fill(intro))
        written = []
        for item in items:
            text = self.fill(item).translate(self.style)
            self.mentions.extend(self.fill.take_mentions(text))
            written.append(text)
        self.blocks.append(ItemList(written, ordered))
        self.count += len(written)

    def _image(self) -> None:
        if not self.pools["images"]:
            return
        alt, caption, stem = self.pools["images"].pop()
        caption, alt = self.fill(caption).translate(self.style), self.fill(alt).translate(self.style)
        self.fill.found.clear()  # captions are not body text
        roll = self.rng.random()
        alt = caption if roll < 0.2 else "" if roll < 0.3 else None if roll < 0.4 else alt
        form = self.rng.choice(CREDIT_FORMS)
        credit = None if form == "none" else self.rng.choice(CREDITS)
        number = sum(isinstance(b, Picture) for b in self.blocks) + 1
        src = (f"/C125830C0042AB74/CurrentBaseLink/W2BM{self.rel.code}{number:03d}BOCMDE/$FILE/"
               f"{stem}_ContentHalf.jpg")
        self.blocks.append(Picture(src, alt, caption, credit, form))

    # Quotes ---------------------------------------------------------------------------------------

    def _quote(self) -> None:
        person = self._pick_speaker()
        statement = self.fill(self._take("statements") or self.rng.choice(GENERAL_STATEMENTS))
        text, spans, role = getattr(self, "_form_" + self._pick_form(person, statement))(person, statement)
        self.last, self.speaker = person.key, person
        extra = self._take("details") if self.rng.random() < 0.3 else None
        if extra:  # a plain sentence after the quote, as in the real releases
            text += " " + self.fill(extra)
            self.last = None
        self._add(text, tuple({"text": s, "speaker": person.full, "role": role} for s in spans))

    def _pick_speaker(self) -> Person:
        if self.speaker and self.rng.random() < 0.5:
            return self.speaker
        keys = [k for k in self.topic.speakers if not self.speaker or k != self.speaker.key]
        if self.rng.random() < 0.2 and (not self.speaker or self.speaker.key != "ob"):
            keys = ["ob"]
        return CAST[self.rng.choice(keys or self.topic.speakers)]

    def _pick_form(self, person: Person, statement: str) -> str:
        if self.last == person.key and self.rng.random() < 0.6:
            return "pronoun"
        forms = ["after"] * 4 + ["before"] * 2 + ["so", "colon", "continued", "continued"]
        return self.rng.choice(forms + ["split"] * 3 if "|" in statement else forms)

    def _ref(self, person: Person, mid: bool) -> tuple[str, str]:
        """How the text names the person here, and the role a reader learns from it."""
        if person.key in self.introduced:
            roll = self.rng.random()
            if roll < 0.45:
                return f"{person.pre} {person.last}", person.pre
            if roll < 0.75 or not person.title:
                return person.last, self.introduced[person.key]
            return f"{person.title} {person.last}", self.introduced[person.key]
        if self.rng.random() < 0.55:
            pre = "Bochums Oberbürgermeister" if person.key == "ob" and self.rng.random() < 0.5 else person.pre
            ref, role = f"{pre} {person.titled}", person.pre
        else:
            ref, role = f"{person.titled}, {person.appos}" + ("," if mid else ""), person.appos
        self.introduced[person.key] = role
        return ref, role

    def _form_after(self, person: Person, statement: str):
        """„A“, sagte X. / „A“, kündigte X an."""
        verb = self.rng.choice(VERBS_AFTER + VERBS_WE if statement.startswith("Wir ") else VERBS_AFTER)
        ref, role = self._ref(person, mid="{ref}" in verb and not verb.endswith("{ref}"))
        said = verb.replace("{ref}", ref) if "{ref}" in verb else f"{verb} {ref}"
        inner = nodot(statement.replace("|", " "))
        return f"„{inner}“, {said}.", [inner], role

    def _form_before(self, person: Person, statement: str):
        """X betonte: „A.“"""
        ref, role = self._ref(person, mid=True)
        inner = statement.replace("|", " ")
        return f"{ref} {self.rng.choice(VERBS_BEFORE)}: „{inner}“", [inner], role

    def _form_so(self, person: Person, statement: str):
        """„A“, so X."""
        ref, role = self._ref(person, mid=False)
        inner = nodot(statement.replace("|", " "))
        return f"„{inner}“, so {ref}.", [inner], role

    def _form_colon(self, person: Person, statement: str):
        """X: „A.“"""
        ref, role = self._ref(person, mid=False)
        inner = statement.replace("|", " ")
        return f"{ref}: „{inner}“", [inner], role

    def _form_split(self, person: Person, statement: str):
        """„A“, sagte X, „b.“ - one sentence cut by its attribution: two quoted spans."""
        first, second = statement.split("|", 1)
        first = first.rstrip().rstrip(",")
        ref, role = self._ref(person, mid=True)
        sep = " " if ref.endswith(",") else ", "
        return f"„{first}“, {self.rng.choice(SPLIT_VERBS)} {ref}{sep}„{second}“", [first, second], role

    def _form_continued(self, person: Person, statement: str):
        """„A“, sagte X. „B.“ - the quote goes on in the next sentence."""
        parts = SENTENCE_END.split(statement.replace("|", " "), 1)
        if len(parts) < 2:
            more = self._take("statements") or self.rng.choice(GENERAL_STATEMENTS)
            parts.append(self.fill(more).replace("|", " "))
        text, spans, role = self._form_after(person, parts[0])
        return f"{text} „{parts[1]}“", spans + [parts[1]], role

    def _form_pronoun(self, person: Person, statement: str):
        """„A“, ergänzte sie. - the speaker was the last person named."""
        verb = self.rng.choice(VERBS_PRONOUN)
        said = verb.replace("{ref}", person.pronoun) if "{ref}" in verb else f"{verb} {person.pronoun}"
        inner = nodot(statement.replace("|", " "))
        return f"„{inner}“, {said}.", [inner], self.introduced[person.key]

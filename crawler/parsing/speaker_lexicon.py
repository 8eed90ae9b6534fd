"""The words that make up German speakers' phrases: first names, roles, titles and stop words.

Plain data and cheap predicates for `crawler.parsing.speakers`.
"""
from __future__ import annotations

from functools import lru_cache

__all__ = [
    "FIRST_NAMES_M", "FIRST_NAMES_F", "first_name_gender", "is_first_name", "is_role_word", "role_gender",
    "TITLE_WORDS", "ARTICLES", "NAME_PARTICLES", "ROLE_LINKS", "STOP_CAPS", "ORG_WORDS", "SENTENCE_ADVERBS",
    "SPEECH_VERBS", "FOREIGN_TITLES", "SPEECH_NOUNS", "looks_like_noun",
]

# --------------------------------------------------------------------------- first names
# A compact list of first names common in Germany (several generations, some international).
FIRST_NAMES_M = frozenset("""
Achim Adam Adrian Ahmet Alexander Alfred Ali Andreas André Andre Anton Armin Arne Arnold Axel Ben
Benedikt Benjamin Bernd Bernhard Björn Bodo Boris Burkhard Carl Carsten Christian Christoph Claus
Clemens Daniel David Denis Dennis Detlef Dieter Dietmar Dirk Dominik Egon Elias Emil Emre Enrico
Erich Erik Ernst Erwin Fabian Felix Finn Florian Frank Franz Friedhelm Friedrich Fritz Georg Gerd
Gerhard Gregor Guido Gunnar Günter Günther Gustav Hakan Hans Harald Hartmut Heiko Heiner Heinrich
Heinz Helge Helmut Hendrik Henning Herbert Hermann Holger Horst Hubert Hugo Ingo Jakob Jan Jannik
Jens Jochen Johann Johannes Jonas Jonathan Jörg Josef Joachim Julian Jürgen Kai Karl Karsten
Kemal Kevin Klaus Konrad Konstantin Kurt Lars Leon Linus Lothar Lukas Ludger Ludwig Lutz Manfred
Marc Marcel Marco Marcus Mario Markus Martin Mathias Matthias Max Maximilian Mehmet Michael Mike
Moritz Mustafa Nico Niklas Nils Norbert Olaf Oliver Otto Pascal Patrick Paul Peter Philipp Rainer
Ralf Ralph Reinhard Reiner René Richard Robert Roland Rolf Rüdiger Rudolf Sascha Sebastian Serkan
Simon Stefan Stephan Steffen Sven Theo Thomas Thorsten Tim Timo Tobias Tom Torsten Udo Ulrich Uwe
Viktor Volker Walter Werner Wilfried Wilhelm Willi Wolfgang Yusuf
Adolf Albert Alois Arthur August Bastian Berthold Bruno Cem Christopher Cornelius Dariusz Dominic
Edgar Eduard Emanuel Engelbert Eugen Ewald Ferdinand Franz-Josef Georgios Gerrit Gottfried Hannes
Hasan Heinz-Dieter Helmuth Henrik Hüseyin Ibrahim Ismail Jacob Janusz Jannis Jochem Johannes Jörn
Kalle Karl-Heinz Kilian Klaus-Dieter Krzysztof Lennart Leo Leonard Luca Lucas Magnus Malte Marek
Marian Marius Mats Matteo Maurice Mehmet Michel Mirko Murat Nikolai Nikolaus Ole Omar Oskar Ömer
Piotr Rafael Ralf Raphael Reinhold Robin Roman Rudi Ruben Samuel Siegfried Stanislaw Sönke Tarek
Thilo Tilo Tillmann Tobias Ulf Valentin Vincent Waldemar Wilko Winfried Wojciech Yannick Yasin
Jupp Hennes Heribert Hubertus Egbert Gunter Gernot Hartwig Ingolf Knut Lorenz Meinolf Reinhold
""".split())
FIRST_NAMES_F = frozenset("""
Agnes Alexandra Alina Andrea Angelika Anja Anke Anna Anne Annette Antje Astrid Ayse Barbara Beate
Bettina Bianca Birgit Brigitte Britta Carina Carla Carmen Carolin Caroline Charlotte Christa
Christiane Christina Christine Claudia Cornelia Dagmar Daniela Diana Doris Dorothea Edith Elena
Elif Elisabeth Elke Ella Emily Emine Emma Erika Eva Fatma Franziska Frauke Friederike Gabriele
Gerda Gertrud Gisela Greta Gudrun Hanna Hannah Heike Helga Helene Hildegard Ilse Ines Inga Inge
Ingrid Irene Iris Isabel Jacqueline Jana Janina Jasmin Jennifer Jessica Johanna Josephine Judith
Julia Juliane Jutta Karin Katharina Kathrin Katja Katrin Kerstin Kim Klara Lara Laura Lea Lena
Leonie Lina Linda Lisa Luisa Magdalena Maike Manuela Mareike Maren Margarete Maria Marie Marina
Marion Marlene Martina Melanie Meike Merve Mia Michaela Miriam Monika Nadine Natalie Nicole Nina
Nora Olga Paula Petra Pia Regina Renate Rita Ronja Rosemarie Ruth Sabine Sabrina Sandra Sara Sarah
Silke Silvia Simone Sofia Sonja Sophia Sophie Stefanie Stephanie Susanne Svenja Swantje Tanja
Theresa Ulrike Ursula Ute Vanessa Vera Verena Veronika Waltraud Wiebke Yvonne Zeynep
Adelheid Agata Aleksandra Amelie Anastasia Anita Anneliese Annika Antonia Aylin Bärbel Berta Bettina
Brunhilde Cäcilia Christel Dana Dilek Dorothee Edeltraud Elfriede Elsa Elvira Emilia Erna Esra Eveline
Fenja Frieda Gabi Gerlinde Gertraud Gesa Hanne Hannelore Hatice Hedwig Heidi Heidrun Helena Henriette
Hilde Hildegard Ida Ilona Ingeborg Irmgard Isabell Jolanta Josefine Käthe Karla Karolina Katarzyna
Klara Lena-Marie Leni Liesel Lieselotte Lotte Luise Lydia Magdalene Malgorzata Mandy Margot Margret
Margit Marianne Marlies Martha Mathilde Mechthild Melike Mira Nadja Natascha Nele Nicola Ortrud Rebecca
Rosa Rosi Roswitha Selin Sibylle Sigrid Sina Stella Tamara Thea Tina Trude Uschi Wilma Yasemin Zofia
""".split())
_ALL_FIRST = FIRST_NAMES_M | FIRST_NAMES_F


def first_name_gender(word: str) -> str | None:
    part = word.split("-", 1)[0]
    if part in FIRST_NAMES_F:
        return "f"
    if part in FIRST_NAMES_M:
        return "m"
    return None


def is_first_name(word: str) -> bool:
    """A first name, also a double one ("Karl-Heinz"); "Paul-Gerhardt-Schule" is not."""
    if "-" not in word:
        return word in _ALL_FIRST
    return all(part in _ALL_FIRST for part in word.split("-"))


# --------------------------------------------------------------------------- roles
_ROLE_STEMS = (
    "meister", "baurat", "stadtrat", "landrat", "schulrat", "ratsherr", "ratsfrau", "rätin",
    "dezernent", "direktor", "leiter", "führer", "präsident", "vorsitzende", "sprecher",
    "beauftragte", "referent", "koordinator", "minister", "chef", "manager", "vorstand", "vorständin",
    "kämmerer", "kämmerin", "intendant", "kurator", "sekretär", "senator", "pfarrer", "arzt",
    "ärztin", "trainer", "planer", "berater", "dozent", "professor", "experte", "expertin",
    "mitarbeiter", "arbeiter", "gründer", "inhaber", "vorsteher", "mitglied", "beigeordnete",
    "initiator", "organisator", "veranstalter", "künstler", "autor", "architekt", "schirmherr",
    "preisträger", "moderator", "kapitän", "abgeordnete", "rektor", "dekan", "bischof",
    "superintendent", "kommandant", "ingenieur", "bibliothekar", "archivar", "lehrer", "erzieher",
    "vertreter", "kanzler", "helfer", "anwalt", "anwältin", "kommissar", "dirigent", "pädagoge",
    "pädagogin", "journalist", "historiker", "sportler", "bürgermeister",
    "förster", "schüler", "student", "pastor", "pfleger", "gärtner", "polizist", "platzwart", "hauswart",
)
_INFLECTIONS = ("innen", "in", "en", "es", "r", "n", "s", "")
_STEMS_BY_TAIL: dict[str, tuple[str, ...]] = {}
for _stem in _ROLE_STEMS:
    _STEMS_BY_TAIL[_stem[-3:]] = _STEMS_BY_TAIL.get(_stem[-3:], ()) + (_stem,)


@lru_cache(maxsize=8192)
def _role_like(lw: str) -> bool:
    for ending in _INFLECTIONS:
        if ending and not lw.endswith(ending):
            continue
        base = lw[: len(lw) - len(ending)]
        stems = _STEMS_BY_TAIL.get(base[-3:])
        if stems and base.endswith(stems):
            return True
    return False


def is_role_word(word: str) -> bool:
    """A capitalised noun naming an office or function (Oberbürgermeister, Leiterin, Stadtbaurätin)."""
    return word[:1].isupper() and _role_like(word.lower())


def role_gender(word: str) -> str | None:
    lw = word.lower()
    if lw.endswith(("in", "innen")):
        return "f"
    if lw.endswith("e"):  # die/der Vorsitzende, Beauftragte: the article decides
        return None
    return "m"


# --------------------------------------------------------------------------- titles of other languages
# Forms of address and offices that stand before a name as titles do in English, French, Spanish,
# Italian, Dutch, Polish and Turkish press copy; like "Dr." they are no part of the speaker's name.
# The value is the gender the title gives, where it gives one.
FOREIGN_TITLES: dict[str, str | None] = {
    "Mr": "m", "Mister": "m", "Sir": "m", "Lord": "m", "Mrs": "f", "Ms": "f", "Miss": "f", "Lady": "f",
    "Councillor": None, "Councilor": None, "Cllr": None, "Mayor": None, "Alderman": None, "Reverend": None,
    "Rev": None, "Monsieur": "m", "Madame": "f", "Mme": "f", "Mlle": "f", "Maire": None, "Adjoint": "m",
    "Adjointe": "f", "Señor": "m", "Señora": "f", "Sr": "m", "Sra": "f", "Concejal": "m", "Concejala": "f",
    "Alcalde": "m", "Alcaldesa": "f", "Signor": "m", "Signore": "m", "Signora": "f", "Sindaco": None,
    "Assessore": "m", "Assessora": "f", "Burgemeester": None, "Wethouder": None, "Meneer": "m", "Mevrouw": "f",
    "Pan": "m", "Pani": "f", "Prezydent": None, "Bay": "m", "Bayan": "f",
}

# Nouns that introduce what a person said: "Sein Appell: „…“", "Ihr Fazit nach drei Jahren: „…“".
SPEECH_NOUNS = frozenset("""
Appell Fazit Bilanz Botschaft Wunsch Bitte Credo Motto Antwort Einschätzung Urteil Kommentar Forderung
Hoffnung Prognose Devise Meinung Resümee Rat Ratschlag Tipp Aufruf Versprechen Dank Lob Kritik Erklärung
Begründung Worte Schlusswort Eindruck Zwischenbilanz Ziel Anliegen Vorschlag Warnung Mahnung Überzeugung
""".split())

# Endings of German common nouns that a surname hardly ever has: "Besichtigung", "Besuchern", "Mannschaft".
_NOUN_ENDINGS = ("ung", "ungen", "heit", "keit", "schaft", "tion", "tionen", "ität", "nis", "nisse", "ismus", "ern")
_MIN_NOUN = 7


def looks_like_noun(word: str) -> bool:
    """A capitalised word with a common-noun ending (not a name): Besichtigung, Besuchern, Gemeinschaft."""
    return len(word) >= _MIN_NOUN and "-" not in word and word.lower().endswith(_NOUN_ENDINGS)


# --------------------------------------------------------------------------- vocabulary
TITLE_WORDS = frozenset({"Dr", "Prof", "Dipl", "PD", "Mag"})
ARTICLES = {"der": "m", "die": "f", "das": None, "den": "m", "dem": None, "des": None,
            "ein": "m", "eine": "f", "einer": None}
NAME_PARTICLES = frozenset({"von", "van", "de", "der", "den", "zu", "vom", "ter", "ten", "da", "di", "dos", "el"})
ROLE_LINKS = frozenset({"des", "der", "für", "vom", "von", "beim", "im", "am", "zur", "zum", "bei", "in"})
# Capitalised words that never belong to a name (they end the phrase).
STOP_CAPS = frozenset("""
Montag Dienstag Mittwoch Donnerstag Freitag Samstag Sonnabend Sonntag Wochenende Vormittag
Nachmittag Abend Morgen Mittag Rande Rahmen Gespräch Interview Vorfeld Anschluss Namen Auftakt
Bilanz Stellung Auskunft Bescheid Mut Dank Ende Anfang Beginn Jahr Jahres Januar Februar März April
Mai Juni Juli August September Oktober November Dezember Auch Dazu Hierzu Daher Deshalb Zudem
Außerdem Und Aber Doch Denn So Dann Nun Jetzt Heute Gestern Abschließend Ebenso Besonders
Insbesondere Gleichzeitig Dabei Damit Darüber Zum Zur Für Laut Nach Aus Im Am Bei Mit Vor Weiter
Ferner Schließlich Allerdings Trotzdem Sie Er Es Wir Ich Man Das Die Der Den Dem Des Ein Eine Einer
""".split())
# Organisations that may speak in a release: the quote is kept, the speaker stays None.
ORG_WORDS = frozenset("""
Stadt Stadtverwaltung Verwaltung Polizei Feuerwehr Presseamt Pressestelle Jury Stadtwerke Bogestra
Initiative Verein Team Organisatoren Veranstalter Ministerium Bezirksregierung Landesregierung
Bundesregierung Universität Hochschule Klinik Klinikum Museum Bibliothek Gesellschaft Unternehmen
""".split())
SENTENCE_ADVERBS = frozenset(
    w.lower() for w in """
Auch Dazu Hierzu Daher Deshalb Zudem Außerdem Und Aber Doch Denn Dann Nun Jetzt Heute Gestern
Abschließend Ebenso Ebenfalls Besonders Insbesondere Gleichzeitig Dabei Damit Weiter Ferner
Schließlich Allerdings Trotzdem Hier Dort Zufrieden Sichtlich Erfreut Stolz Selbst Für Laut
""".split()
)

# --------------------------------------------------------------------------- speech verbs
_STATE_ADJECTIVES = "überzeugt|sicher|klar|zufrieden|froh|stolz|begeistert|erfreut|optimistisch|zuversichtlich|dankbar|gewiss"
# Speech verbs: (singular forms, plural forms, needs "sich", particle that must follow the subject).
# "kündigte Oberbürgermeister Eiskirch an", "freute sich …", "ist sich … sicher".
SPEECH_VERBS = [
    ("sagt sagte", "sagen sagten", False, None),
    ("erklärt erklärte", "erklären erklärten", False, None),
    ("betont betonte", "betonen betonten", False, None),
    ("ergänzt ergänzte", "ergänzen ergänzten", False, None),
    ("meint meinte", "meinen meinten", False, None),
    ("resümiert resümierte", "resümieren resümierten", False, None),
    ("berichtet berichtete", "berichten berichteten", False, None),
    ("unterstreicht unterstrich", "unterstreichen unterstrichen", False, None),
    ("weiß wusste", "wissen wussten", False, None),
    ("findet fand", "finden fanden", False, None),
    ("erläutert erläuterte", "erläutern erläuterten", False, None),
    ("appelliert appellierte", "appellieren appellierten", False, None),
    ("bilanziert bilanzierte", "bilanzieren bilanzierten", False, None),
    ("fragt fragte", "fragen fragten", False, None),
    ("antwortet antwortete", "antworten antworteten", False, None),
    ("versichert versicherte", "versichern versicherten", False, None),
    ("mahnt mahnte", "mahnen mahnten", False, None),
    ("warnt warnte", "warnen warnten", False, None),
    ("fordert forderte", "fordern forderten", False, None),
    ("hofft hoffte", "hoffen hofften", False, None),
    ("lobt lobte", "loben lobten", False, None),
    ("dankt dankte", "danken dankten", False, None),
    ("erzählt erzählte", "erzählen erzählten", False, None),
    ("verspricht versprach", "versprechen versprachen", False, None),
    ("kommentiert kommentierte", "kommentieren kommentierten", False, None),
    ("bekräftigt bekräftigte", "bekräftigen bekräftigten", False, None),
    ("bestätigt bestätigte", "bestätigen bestätigten", False, None),
    ("begründet begründete", "begründen begründeten", False, None),
    ("schildert schilderte", "schildern schilderten", False, None),
    ("beschreibt beschrieb", "beschreiben beschrieben", False, None),
    ("schreibt schrieb", "schreiben schrieben", False, None),
    ("glaubt glaubte", "glauben glaubten", False, None),
    ("erinnert erinnerte", "erinnern erinnerten", False, None),
    ("verdeutlicht verdeutlichte", "verdeutlichen verdeutlichten", False, None),
    ("urteilt urteilte", "urteilen urteilten", False, None),
    ("ermutigt ermutigte", "ermutigen ermutigten", False, None),
    ("schmunzelt schmunzelte", "schmunzeln schmunzelten", False, None),
    ("wirbt warb", "werben warben", False, None),
    ("empfiehlt empfahl", "empfehlen empfahlen", False, None),
    ("rät riet", "raten rieten", False, None),
    ("bittet bat", "bitten baten", False, None),
    ("bedauert bedauerte", "bedauern bedauerten", False, None),
    ("kritisiert kritisierte", "kritisieren kritisierten", False, None),
    ("gesteht gestand", "gestehen gestanden", False, None),
    ("lacht lachte", "lachen lachten", False, None),
    ("staunt staunte", "staunen staunten", False, None),
    ("scherzt scherzte", "scherzen scherzten", False, None),
    ("jubelt jubelte", "jubeln jubelten", False, None),
    ("ermuntert ermunterte", "ermuntern ermunterten", False, None),
    ("wünscht wünschte", "wünschen wünschten", False, None),
    ("verrät verriet", "verraten verrieten", False, None),
    ("freut freute", "freuen freuten", True, None),
    ("zeigt zeigte", "zeigen zeigten", True, None),
    ("äußert äußerte", "äußern äußerten", True, None),
    ("kündigt kündigte", "kündigen kündigten", False, "an"),
    ("fügt fügte", "fügen fügten", False, "hinzu"),
    ("hebt hob", "heben hoben", False, "hervor"),
    ("stellt stellte", "stellen stellten", False, "fest|klar|heraus"),
    ("gibt gab", "geben gaben", False, "zu bedenken"),
    ("macht machte", "machen machten", False, "deutlich|klar"),
    ("führt führte", "führen führten", False, "aus"),
    ("fasst fasste", "fassen fassten", False, "zusammen"),
    ("merkt merkte", "merken merkten", False, "an"),
    ("weist wies", "weisen wiesen", False, "hin"),
    ("ruft rief", "rufen riefen", False, "auf|zu"),
    ("räumt räumte", "räumen räumten", False, "ein"),
    ("schätzt schätzte", "schätzen schätzten", False, "ein"),
    ("teilt teilte", "teilen teilten", False, "mit"),
    ("zieht zog", "ziehen zogen", False, "Bilanz"),
    ("blickt blickte", "blicken blickten", False, "zurück|voraus"),
    ("ist war", "sind waren", False, _STATE_ADJECTIVES),
    ("steht stand", "stehen standen", False, "fest"),
]

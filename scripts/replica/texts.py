"""German text material shared by all topics: the cast, places, credits, calendar words, edits."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Person:
    """One member of the replica's stable cast of quotable people."""

    key: str
    first: str
    last: str
    gender: str  # "f" | "m"
    title: str  # "", "Dr.", "Prof. Dr."
    pre: str  # role as written before the name ("Stadtbaurat")
    appos: str  # role as an apposition after the name ("Leiter des Tiefbauamts")

    @property
    def full(self) -> str:
        """First and last name, no title: the speaker a perfect extractor reports."""
        return f"{self.first} {self.last}"

    @property
    def titled(self) -> str:
        """The name as printed, with an academic title where there is one."""
        return f"{self.title} {self.full}".strip()

    @property
    def pronoun(self) -> str:
        """The subject pronoun used for pronoun attribution ("sagte sie")."""
        return "sie" if self.gender == "f" else "er"


_CAST = [
    ("ob", "Thomas", "Eiskirch", "m", "", "Oberbürgermeister", "Oberbürgermeister der Stadt Bochum"),
    ("beispiel", "Anna", "Beispiel", "f", "", "Bezirksbürgermeisterin",
     "Bezirksbürgermeisterin von Bochum-Mitte"),
    ("gerdes", "Frank", "Gerdes", "m", "", "Bezirksbürgermeister", "Bezirksbürgermeister von Wattenscheid"),
    ("feldkamp", "Markus", "Feldkamp", "m", "Dr.", "Stadtbaurat", "Stadtbaurat der Stadt Bochum"),
    ("huelsmann", "Britta", "Hülsmann", "f", "", "Büchereileiterin", "Leiterin der Stadtbücherei"),
    ("wienecke", "Jörg", "Wienecke", "m", "", "Tiefbauamtsleiter", "Leiter des Tiefbauamts"),
    ("osterhoff", "Katrin", "Osterhoff", "f", "Prof. Dr.", "Kulturdezernentin",
     "Dezernentin für Kultur, Sport und Tourismus"),
    ("brinkhoff", "Stefan", "Brinkhoff", "m", "", "Musikschulleiter", "Leiter der Musikschule Bochum"),
    ("szymanski", "Melanie", "Szymański", "f", "", "Jugendamtsleiterin", "Leiterin des Jugendamts"),
    ("mehring", "Carsten", "Mehring", "m", "Dr.", "Gesundheitsamtsleiter", "Leiter des Gesundheitsamts"),
    ("demir", "Ayşe", "Demir", "f", "", "Integrationsbeauftragte", "Integrationsbeauftragte der Stadt Bochum"),
    ("ruhnau", "Claudia", "Ruhnau", "f", "", "Umweltdezernentin", "Dezernentin für Umwelt und Grünflächen"),
    ("pawlowski", "Dirk", "Pawlowski", "m", "", "Feuerwehrchef", "Leiter der Feuerwehr Bochum"),
    ("thielmann", "Nicole", "Thielmann", "f", "", "Stadtkämmerin", "Kämmerin der Stadt Bochum"),
    ("kortmann", "Michael", "Kortmann", "m", "", "Sportamtsleiter", "Leiter des Sport- und Bäderamts"),
    ("vormbrock", "Heike", "Vormbrock", "f", "Dr.", "Archivleiterin", "Leiterin des Stadtarchivs"),
    ("brueggemann", "Lena", "Brüggemann", "f", "", "Klimaschutzmanagerin", "Klimaschutzmanagerin der Stadt"),
    ("huettemann", "Andreas", "Hüttemann", "m", "", "Stadtsprecher", "Sprecher der Stadt Bochum"),
    ("kowalczyk", "Sandra", "Kowalczyk", "f", "", "VHS-Leiterin", "Leiterin der Volkshochschule"),
    ("luedtke", "Peter", "Lüdtke", "m", "", "Ordnungsamtsleiter", "Leiter des Ordnungsamts"),
    ("overbeck", "Jana", "Overbeck", "f", "", "Radverkehrsbeauftragte", "Radverkehrsbeauftragte der Stadt"),
    ("tiemann", "Ralf", "Tiemann", "m", "", "Digitalisierungschef", "Chief Digital Officer der Stadt Bochum"),
    ("hockamp", "Gabriele", "Hockamp", "f", "", "Seniorenbeiratsvorsitzende",
     "Vorsitzende des Seniorenbeirats"),
    ("aydin", "Yusuf", "Aydın", "m", "", "Quartiersmanager", "Quartiersmanager in Wattenscheid-Mitte"),
    ("brenscheidt", "Ute", "Brenscheidt", "f", "Dr.", "Museumsdirektorin", "Direktorin des Kunstmuseums Bochum"),
    ("reinders", "Tobias", "Reinders", "m", "", "Schulamtsleiter", "Leiter des Schulverwaltungsamts"),
]

CAST: dict[str, Person] = {row[0]: Person(*row) for row in _CAST}

WEEKDAYS = ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"]
MONTHS = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
          "Oktober", "November", "Dezember"]

STREETS = ["Hattinger Straße", "Königsallee", "Castroper Straße", "Herner Straße", "Wittener Straße",
           "Dorstener Straße", "Alleestraße", "Universitätsstraße", "Bergstraße", "Kortumstraße",
           "Hochstraße", "Markstraße", "Essener Straße", "Hauptstraße", "Westenfelder Straße",
           "Am Ruhrpark", "Oskar-Hoffmann-Straße", "Kemnader Straße", "Harpener Hellweg",
           "Gerther Straße", "Lewackerstraße", "Brenscheder Straße", "Steinring", "Hustadtring"]

CREDITS = ["Stadt Bochum", "Stadt Bochum, Referat für Kommunikation", "Lutz Leitmann/Stadt Bochum",
           "Jan Hellwig/Stadt Bochum", "Karin Mertens", "Bochum Marketing", "Feuerwehr Bochum",
           "Tiefbauamt Bochum", "Musikschule Bochum", "Kunstmuseum Bochum", "Stadtarchiv Bochum",
           "privat", "Ole Brinkmann/Ole Brinkmann", "Bitkom", "USB Bochum"]

# General sentences any topic may use; {slots} are filled like topic templates.
GENERAL_DETAILS = [
    "Die Stadt Bochum bittet alle Betroffenen um Verständnis.",
    "Die Teilnahme ist kostenlos, eine Anmeldung ist nicht erforderlich.",
    "Alle Veranstaltungsorte sind barrierefrei zu erreichen.",
    "Die Kosten von rund {n} 000 Euro trägt die Stadt, ein Teil wird über Landesmittel gefördert.",
    "Fragen beantwortet das Bürgertelefon der Stadt unter 0234 / 910-0.",
    "Die Stadt informiert über den weiteren Verlauf auf ihren Kanälen in den sozialen Netzwerken.",
    "Bereits im vergangenen Jahr war das Interesse groß: Damals kamen mehr als {n2} Besucherinnen und Besucher.",
    "Der Zugang ist auch mit Kinderwagen und Rollstuhl möglich.",
]

GENERAL_CLOSINGS = [
    "Weitere Informationen gibt es im Internet unter www.bochum.de.",
    "Rückfragen beantwortet das Referat für Kommunikation unter Telefon 0234 / 910-{ext}.",
    "Alle Termine stehen auch im Veranstaltungskalender unter www.bochum.de/veranstaltungen.",
    "Weitere Auskünfte erteilt die Stadt Bochum unter Telefon 0234 / 910-{ext}.",
]

# Statements anyone may make; "|" marks where a split quote may be cut.
GENERAL_STATEMENTS = [
    "Das ist ein gutes Signal für unsere Stadt.",
    "Wir wollen, dass Bochum für alle Generationen lebenswert bleibt,|und dafür braucht es genau solche Projekte.",
    "Ich danke allen, die sich mit so viel Engagement eingebracht haben.",
    "Hier zeigt sich, was wir gemeinsam erreichen können. Darauf können wir stolz sein.",
    "Wir haben zugehört,|und wir setzen die Anregungen aus der Bürgerschaft jetzt um.",
    "Es ist uns wichtig, die Menschen vor Ort frühzeitig einzubinden.",
]

# Indirect speech: a person is named and speaks, but nothing is quoted (not a quote).
INDIRECT = [
    "{ref} dankte allen Beteiligten für ihre Unterstützung.",
    "{ref} betonte, die Stadt werde die Entwicklung weiter aufmerksam verfolgen.",
    "{ref} zeigte sich zufrieden mit dem bisherigen Verlauf.",
    "Nach Angaben von {ref} sollen die Erfahrungen in die weitere Planung einfließen.",
]

VERBS_AFTER = ["sagte", "erklärte", "betonte", "sagt", "erläuterte", "unterstrich", "freute sich", "hob {ref} hervor"]
VERBS_WE = ["kündigte {ref} an", "zeigte sich {ref} überzeugt"]  # only for "Wir ..." statements
VERBS_BEFORE = ["betonte", "sagte", "erklärte", "ist überzeugt", "freut sich", "machte deutlich"]
VERBS_PRONOUN = ["ergänzte", "sagte", "betonte", "fügte {ref} hinzu", "erklärte"]

# Edits the press office makes after publication: (old word, new words), first match wins.
BODY_FIXES = [
    ("voraussichtlich", "nach derzeitiger Planung"), ("rund", "etwa"), ("kostenlos", "kostenfrei"),
    ("außerdem", "zudem"), ("bereits", "schon"), ("erforderlich", "notwendig"),
    ("Informationen", "Auskünfte"), ("Interessierte", "Interessentinnen und Interessenten"),
    ("zahlreiche", "viele"), ("gemeinsam", "zusammen"), ("wieder", "erneut"), ("beginnen", "starten"),
]
BODY_ADDITIONS = [
    "Aktualisierte Informationen veröffentlicht die Stadt im Internet unter www.bochum.de.",
    "Die Stadt bittet um Verständnis für mögliche Einschränkungen.",
    "Weitere Auskünfte erteilt das Bürgertelefon unter 0234 / 910-0.",
    "Die ursprünglich genannten Angaben wurden auf Wunsch der Veranstalter ergänzt.",
]
HEADLINE_FIXES = [
    ("startet", "beginnt"), ("eröffnet", "hat eröffnet"), ("wieder", "erneut"),
    ("bleibt", "ist"), ("lädt", "bittet"), ("erinnern", "gedenken"), ("informiert", "berichtet"),
]
HEADLINE_SUFFIXES = [" – aktualisiert", " (korrigierte Fassung)", " – mit neuen Terminen"]

# Pages outside the press section, in the service-page model.
SERVICE_PAGES = {
    "Bewohnerparkausweis": ("Bewohnerparkausweis beantragen", [
        "Anwohnerinnen und Anwohner können in Bewohnerparkgebieten einen Parkausweis beantragen.",
        "Der Ausweis gilt für ein Jahr und kostet 30,70 Euro."],
        ["Personalausweis", "Fahrzeugschein", "gegebenenfalls eine Vollmacht"]),
    "Sperrmuell": ("Sperrmüll anmelden", [
        "Sperrmüll holt der USB nach Terminvereinbarung ab.",
        "Pro Abholung sind bis zu fünf Kubikmeter kostenlos."],
        ["Möbel", "Matratzen", "Teppiche", "Elektrogroßgeräte nach Absprache"]),
    "Personalausweis": ("Personalausweis beantragen", [
        "Den Personalausweis beantragen Sie persönlich in einem der Bürgerbüros.",
        "Bitte buchen Sie vorher online einen Termin."],
        ["ein aktuelles biometrisches Passfoto", "der bisherige Ausweis", "die Gebühr von 37 Euro"]),
    "Hundesteuer": ("Hundesteuer", [
        "Wer in Bochum einen Hund hält, muss ihn innerhalb von zwei Wochen anmelden.",
        "Die Steuer wird jährlich erhoben; Stand der Angaben: 01.01.2024."],
        ["erster Hund: 156 Euro im Jahr", "jeder weitere Hund: 180 Euro im Jahr"]),
}

INTERN_HEADLINE = "Entwurf: Haushaltsplan 2025 – nicht zur Veröffentlichung"
INTERN_TEXT = [
    "Dieser Text ist ein interner Entwurf des Referats für Kommunikation und nicht freigegeben.",
    "Sperrfrist: bis zur Einbringung des Haushalts in den Rat.",
]

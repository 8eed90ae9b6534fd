"""Topic material for the generated press releases (first half; topics_more.py has the rest).

Templates use {slots}: topic facts ({branch}, {street} ...), numbers ({n}, {n2}, {ext}), {time},
{year}, {next_year}, and dates written as {FORM_WHICH}: WHICH is one of the release's dates (event,
end, past, deadline), FORM how it is written: am "am Samstag, 14. September" / "am 14. September",
ab "ab Montag, 13. Mai" / "ab dem 13. Mai", bis "bis Freitag, 24. Mai" / "bis zum 24. Mai", day
"Samstag, 14. September", num "15.11.2020"; hl "am 2. April" and hlday "2. April" are for headlines
and record nothing. {range} is "vom 9. bis zum 29. Mai" (event to end), {d:1938-11-09} a date with
its year, {md:12-31} a day of the month nearest to publication, {end:07} "Ende Juli" (after "bis":
the next end of July). Body dates are recorded as date mentions. A trailing comma ({am_event,}) adds the comma German needs after a weekday date.
Quotation marks are written „…“ with ‚…‘ nested and converted to the release's style later;
a "|" in a statement marks where a split quote may cut it; "#0,2" after a headline names the leads
that tell its story.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Topic:
    """Everything needed to write releases about one subject."""

    key: str
    speakers: list[str]
    facts: dict
    headlines: list[str]
    leads: list[str]
    details: list[str]
    statements: list[str]
    lists: list[tuple] = field(default_factory=list)  # (intro, [items], ordered)
    images: list[tuple] = field(default_factory=list)  # (alt, caption, file stem)
    closings: list[str] = field(default_factory=list)
    weight: float = 1.0
    months: tuple = ()  # publication months the topic is used in; empty = all year
    since: str = ""  # ISO date window for publication
    until: str = ""
    segment: str = ""  # topic URL segment used instead of the date for some releases
    offsets: dict = field(default_factory=dict)  # overrides of DATE_OFFSETS for this topic


BRANCHES = ["Zentralbücherei", "Stadtteilbücherei Langendreer", "Stadtteilbücherei Wattenscheid",
            "Stadtteilbücherei Linden", "Stadtteilbücherei Querenburg", "Stadtteilbücherei Gerthe",
            "Stadtteilbücherei Harpen"]

TOPICS_A = [
    Topic(
        key="buecherei", speakers=["huelsmann", "osterhoff"],
        facts={"branch": BRANCHES, "n": (3, 12),
               "author": ["Judith Kerber", "Lukas Brandtner", "Mira Ostendorf", "Henning Rautenberg",
                          "Selin Kaya", "Konrad Wiesmann"],
               "book": ["Die Zeche am Fluss", "Kohle, Kumpel, Kinderzeit", "Sommer in Stiepel",
                        "Das Haus an der Kortumstraße", "Nachtschicht", "Wo die Ruhr still steht"]},
        headlines=["{branch} bleibt {hl_event} geschlossen#0", "Ferienprogramm der Stadtbücherei#2",
                   "Lesung mit {author} in der {branch}#1", "Der „Sommerleseclub“ startet wieder#3",
                   "Neue Öffnungszeiten in der {branch}#4", "Stadtbücherei / Neue Medien für die Kinderbibliothek#5",
                   "Herbstlesung der „BoLits“#1", "{author} liest aus „{book}“#1"],
        leads=["Die {branch} bleibt {am_event,} wegen Inventurarbeiten geschlossen. Ab dem folgenden Tag sind "
               "die Mitarbeiterinnen und Mitarbeiter wieder wie gewohnt für die Leserinnen und Leser da.",
               "Zu einer Lesung mit {author} lädt die Stadtbücherei {am_event,} {time} in die {branch} ein. "
               "Vorgestellt wird der neue Roman „{book}“.",
               "Lesen, basteln, spielen: Die Stadtbücherei hat für die Ferien ein buntes Programm für Kinder "
               "von sechs bis zwölf Jahren zusammengestellt. Los geht es {am_event,} in der {branch}.",
               "Die Stadtbücherei startet {ab_event,} wieder den „Sommerleseclub“. Schülerinnen und Schüler ab "
               "der fünften Klasse können sich in allen Büchereien anmelden und {bis_end,} so viele Bücher "
               "lesen, wie sie möchten.",
               "Die {branch} erweitert ihre Öffnungszeiten: {ab_event,} ist sie zusätzlich samstags von 10 bis "
               "14 Uhr geöffnet.",
               "Die Kinderbibliothek der Stadtbücherei hat ihr Angebot erweitert: Ab sofort können dort auch "
               "Tonies, Konsolenspiele und Brettspiele ausgeliehen werden."],
        details=["Die Teilnahme ist kostenlos, eine Anmeldung ist jedoch erforderlich, da die Zahl der Plätze "
                 "begrenzt ist.#1,2",
                 "Ausgeliehene Medien können in dieser Zeit über den Rückgabeautomaten am Eingang zurückgegeben "
                 "werden. Die Leihfristen werden automatisch verlängert, Säumnisgebühren fallen nicht an.#0",
                 "Der Eintritt kostet {n} Euro, ermäßigt die Hälfte. Karten gibt es an der Information der {branch}.#1",
                 "Mit {n2} Teilnehmenden hatte der „Sommerleseclub“ im vergangenen Jahr einen Rekord aufgestellt.#3",
                 "Wer mindestens drei Bücher liest, erhält ein Zertifikat, das viele Schulen auf dem Zeugnis "
                 "vermerken.#3",
                 "Die Onleihe steht allen Kundinnen und Kunden rund um die Uhr zur Verfügung. Rund {n2} E-Books, "
                 "E-Audios und digitale Zeitschriften können dort ausgeliehen werden.",
                 "Neben Büchern können auch Tonies, Konsolenspiele und Brettspiele ausgeliehen werden.",
                 "Die Reihe „Bochum liest“ bringt seit mehreren Jahren Autorinnen und Autoren aus der Region in "
                 "die Büchereien.#1"],
        statements=["Wir möchten, dass Kinder auch in den Ferien Freude am Lesen haben,|und dafür haben wir ein "
                    "Programm zusammengestellt, das neugierig macht.#2,3",
                    "Die Bücherei ist längst mehr als ein Ort zum Ausleihen. Sie ist ein Treffpunkt für alle "
                    "Generationen.",
                    "Wir bitten unsere Leserinnen und Leser um Verständnis für die Schließung.#0",
                    "Der ‚Sommerleseclub‘ zeigt jedes Jahr aufs Neue, wie viel Spaß Lesen machen kann.#3",
                    "Gerade die digitalen Angebote werden immer stärker nachgefragt,|deshalb bauen wir sie "
                    "weiter aus."],
        lists=[("Das Programm im Überblick:#2",
                 ["{day_event}: Bilderbuchkino für Kinder ab vier Jahren",
                  "Lesung mit {author} für Kinder ab acht Jahren",
                  "Bastelnachmittag „Bücherwürmer“ in der {branch}",
                  "Comic-Workshop für Jugendliche ab zwölf Jahren"], False),
               ("Während der Schließung gilt:#0",
                ["Rückgaben sind über den Rückgabeautomaten möglich.",
                 "Vorbestellte Medien bleiben eine Woche länger reserviert.",
                 "Die Onleihe ist weiterhin rund um die Uhr erreichbar."], False)],
        images=[("Kinder in der Kinderbibliothek", "Kinder stöbern in der Kinderbibliothek der Zentralbücherei.",
                 "buecherei_kinder"),
                ("Bücherregale", "Blick in die {branch}.", "buecherei_regale"),
                ("", "Die Urkunde für die Teilnahme am „Sommerleseclub“#3", "leseclub")],
        closings=["Weitere Informationen gibt es im Internet unter www.bochum.de/stadtbuecherei.",
                  "Anmeldungen nimmt die {branch} unter Telefon 0234 / 910-{ext} entgegen."],
    ),
    Topic(
        key="baustelle", speakers=["wienecke", "feldkamp"], weight=1.6,
        facts={"street": ["Hattinger Straße", "Königsallee", "Castroper Straße", "Herner Straße",
                          "Wittener Straße", "Dorstener Straße", "Alleestraße", "Universitätsstraße",
                          "Essener Straße", "Harpener Hellweg", "Gerther Straße", "Kemnader Straße"],
               "street2": ["Kortumstraße", "Westring", "Ostring", "Südring", "Nordring", "Lewackerstraße",
                           "Brenscheder Straße", "Markstraße"],
               "work": ["die Erneuerung der Fahrbahndecke", "die Sanierung der Gehwege",
                        "die Erneuerung des Abwasserkanals", "die Verlegung neuer Versorgungsleitungen",
                        "die Sanierung der Stützmauer"]},
        headlines=["Sperrung der {street} / Umleitung über den {street2}#0", "Bauarbeiten auf der {street}#1,2",
                   "{street} wird ab {hlday_event} saniert#0,1", "Vollsperrung an der Kreuzung {street} und {street2}#0",
                   "Tiefbauamt erneuert Fahrbahn der {street}#1,2", "Bauarbeiten verursachen Schäden an Gehwegen#3"],
        leads=["Für {work} wird die {street} {ab_event,} zwischen der Einmündung {street2} und der "
               "Stadtgrenze gesperrt. Die Arbeiten dauern voraussichtlich {bis_end}.",
               "Das Tiefbauamt beginnt {am_event,} mit Bauarbeiten auf der {street}. Geplant ist {work}. Der "
               "Verkehr wird in dieser Zeit einspurig an der Baustelle vorbeigeführt.",
               "Auf der {street} ist {range} {work} geplant. Autofahrerinnen und Autofahrer müssen sich auf "
               "Behinderungen einstellen.",
               "Bei Arbeiten an Versorgungsleitungen auf der {street} sind Gehwege beschädigt worden. Das "
               "Tiefbauamt hat die Schäden aufgenommen und die beteiligten Firmen zur Reparatur aufgefordert."],
        details=["Eine Umleitung über den {street2} ist ausgeschildert.#0,1,2",
                 "Fußgängerinnen und Fußgänger können die Baustelle jederzeit passieren, die Zufahrt zu den "
                 "Grundstücken bleibt gewährleistet.#0,1,2",
                 "Die Buslinien der BOGESTRA fahren in dieser Zeit eine Umleitung, die Haltestelle {street2} "
                 "entfällt.#0,1,2",
                 "Die Kosten für die Maßnahme belaufen sich auf rund {n}0 000 Euro.#0,1,2",
                 "Die Arbeiten finden in mehreren Bauabschnitten statt, damit der Verkehr möglichst wenig "
                 "beeinträchtigt wird.#0,1,2",
                 "Bei schlechtem Wetter kann sich der Zeitplan verschieben.",
                 "Während der Nachtstunden ruhen die Arbeiten, die Fahrbahn bleibt aber gesperrt.#0",
                 "Parkplätze im Baustellenbereich stehen für die Dauer der Arbeiten nicht zur Verfügung.#0,1,2",
                 "Betroffen sind vor allem die Gehwege zwischen der Einmündung {street2} und der Stadtgrenze.#3",
                 "Bis zur Reparatur sind die Schadstellen mit Baken gesichert.#3",
                 "Anwohnerinnen und Anwohner können weitere Schäden beim Mängelmelder der Stadt melden.#3"],
        statements=["Wir wissen, dass eine solche Baustelle für die Anwohnerinnen und Anwohner eine Belastung "
                    "ist,|deshalb arbeiten wir so zügig wie möglich.#0,1,2",
                    "Die Fahrbahn ist in einem schlechten Zustand. Eine Sanierung ist dringend notwendig.#0,1,2",
                    "Wir haben die Arbeiten bewusst in die Ferienzeit gelegt, weil dann weniger Verkehr ist.#0,1,2",
                    "Mit der Erneuerung machen wir die Straße für die nächsten Jahrzehnte fit.#0,1,2",
                    "Die Schäden müssen die verursachenden Firmen beheben,|nicht die Steuerzahlerinnen und "
                    "Steuerzahler.#3"],
        lists=[("Folgende Umleitungen sind eingerichtet:#0,1,2",
                ["stadteinwärts über den {street2}", "stadtauswärts über die Universitätsstraße",
                 "für Radfahrende über die ausgeschilderte Nebenroute"], False),
               ("Die Bauabschnitte:#0,1,2",
                ["Abschnitt 1: {range}", "Abschnitt 2: im Anschluss bis zum Ende der Ferien",
                 "Abschnitt 3: Markierungsarbeiten und Restarbeiten"], True)],
        images=[("Baustelle", "Die Baustelle auf der {street}", "baustelle"),
                ("Absperrung an der {street}", "Absperrung an der {street}", "sperrung"),
                ("Bagger auf der Fahrbahn", "Die Arbeiten an der {street} haben begonnen.", "bagger")],
        closings=["Aktuelle Baustellen zeigt die Stadt im Internet unter www.bochum.de/baustellen.",
                  "Fragen zur Baustelle beantwortet das Tiefbauamt unter Telefon 0234 / 910-{ext}."],
    ),
    Topic(
        key="stolpersteine", speakers=["vormbrock", "ob", "beispiel"], weight=0.7,
        facts={"victims": ["Erich und Berta Rosenbaum", "Leopold Kahn", "Rosa und Siegfried Meyerhof",
                           "die Geschwister Hanna und Walter Levy", "Moritz Blumenthal", "Klara Silberberg"],
               "street": ["Kortumstraße", "Alleestraße", "Wittener Straße", "Bergstraße", "Dorstener Straße",
                          "Hochstraße", "Markstraße"],
               "school": ["Goethe-Schule", "Graf-Engelbert-Schule", "Hildegardis-Schule", "Schiller-Schule",
                          "Theodor-Körner-Schule"]},
        headlines=["Neue „Stolpersteine“ erinnern an verfolgte Bochumer#0,1",
                   "Stolpersteine für {victims} verlegt#0", "Gedenken an der {street}: neue Stolpersteine#0",
                   "Schülerinnen und Schüler übernehmen Patenschaft für Stolpersteine#2"],
        leads=["An der {street} erinnern seit {day_past,} neue Stolpersteine an {victims}. Der Künstler Gunter "
               "Demnig hat die Gedenksteine vor dem letzten frei gewählten Wohnort verlegt.",
               "Mit der Verlegung von weiteren Stolpersteinen {am_event,} setzt die Stadt das Gedenken an die "
               "Opfer des Nationalsozialismus fort.",
               "Schülerinnen und Schüler der {school} haben die Geschichte von {victims} recherchiert. "
               "Am {day_event,} werden an der {street} Stolpersteine für sie verlegt."],
        details=["In der Pogromnacht am {d:1938-11-09} wurde die Wohnung der Familie verwüstet.",
                 "Am {d:1942-01-27} wurden sie nach Riga deportiert, wo sich ihre Spur verliert.",
                 "Die Recherchen hat das Stadtarchiv gemeinsam mit der {school} übernommen.",
                 "In Bochum liegen inzwischen mehr als {n2} Stolpersteine.",
                 "Die Gedenksteine werden durch Spenden finanziert, Patinnen und Paten übernehmen die Pflege.",
                 "Zur Verlegung werden auch Angehörige aus dem Ausland erwartet.#1,2",
                 "Das Projekt „Stolpersteine“ des Künstlers Gunter Demnig ist das größte dezentrale Mahnmal "
                 "der Welt."],
        statements=["Die Stolpersteine holen die Namen der Opfer zurück in unsere Straßen,|mitten in unseren "
                    "Alltag.",
                    "Es ist bewegend zu sehen, mit wie viel Ernsthaftigkeit sich die jungen Menschen mit dieser "
                    "Geschichte beschäftigt haben.",
                    "Erinnern ist keine Pflichtübung. Es ist ein Auftrag für die Zukunft.",
                    "Jeder einzelne Stein steht für ein Leben,|das gewaltsam beendet wurde."],
        images=[("Stolpersteine", "Die neuen Stolpersteine an der {street}", "stolpersteine"),
                ("Verlegung der Stolpersteine", "Gunter Demnig bei der Verlegung", "verlegung")],
        closings=["Eine Übersicht über alle Stolpersteine in Bochum gibt es unter www.bochum.de/stolpersteine."],
    ),
    Topic(
        key="stadtradeln", speakers=["overbeck", "ob", "brueggemann"], months=(3, 4, 5, 6, 7, 8, 9),
        facts={"team": ["Radfreunde Wiemelhausen", "Team Rathaus", "Kita Sonnenschein", "Die Kettenfetten",
                        "VfL-Fanradler", "Ruhr-Uni radelt"]},
        headlines=["Stadtradeln {year}: Bochum tritt in die Pedale#0,1", "Die Aktion „Stadtradeln“ startet#0,1",
                   "Stadtradeln: Bochum sammelt Kilometer fürs Klima#0,1", "Bilanz des „Stadtradelns“ {year}#2"],
        leads=["Bochum beteiligt sich {range} wieder an der Aktion „Stadtradeln“. Drei Wochen lang sammeln "
               "Bürgerinnen und Bürger Kilometer, die sie mit dem Rad zurücklegen.",
               "Die Aktion „Stadtradeln“ geht in die nächste Runde: {ab_event,} können alle, die in Bochum "
               "wohnen, arbeiten oder zur Schule gehen, für ihr Team in die Pedale treten.",
               "Mehr als {n2} Radlerinnen und Radler haben beim diesjährigen „Stadtradeln“ mitgemacht. "
               "Gemeinsam legten sie über {n} 000 Kilometer zurück."],
        details=["Gefahrene Kilometer können über die App oder im Online-Radelkalender eingetragen werden.#0,1",
                 "Das Team „{team}“ sicherte sich mit Abstand die meisten Kilometer.#2",
                 "Die Aktion „Stadtradeln“ ist eine Kampagne des Klima-Bündnis, an der sich bundesweit "
                 "mehr als 2 000 Kommunen beteiligen.",
                 "Wer möchte, kann über die Meldeplattform „Radar“ auf Schäden an Radwegen hinweisen.",
                 "Die besten Teams werden bei einer Feierstunde im Rathaus ausgezeichnet.",
                 "Auch Mitglieder des Rates und der Bezirksvertretungen radeln mit."],
        statements=["Jeder Kilometer, der mit dem Rad statt mit dem Auto zurückgelegt wird, ist ein Gewinn "
                    "für das Klima.",
                    "Das ‚Stadtradeln‘ zeigt, wie viele Menschen in Bochum schon heute regelmäßig aufs Rad "
                    "steigen.",
                    "Wir bauen das Radwegenetz Schritt für Schritt aus,|und die Hinweise aus der Aktion helfen "
                    "uns dabei.",
                    "Machen Sie mit! Jede Fahrt zählt.#0,1"],
        lists=[("So funktioniert die Teilnahme:#0,1",
                ["Registrierung unter www.stadtradeln.de", "einem bestehenden Team beitreten oder ein neues "
                 "gründen", "Kilometer in der App oder im Online-Kalender eintragen"], True)],
        images=[("Radfahrende vor dem Rathaus", "Auftakt zum „Stadtradeln“ vor dem Rathaus", "stadtradeln"),
                ("", "Radlerinnen und Radler am Kemnader See", "radler")],
        closings=["Alle Infos zur Aktion gibt es unter www.bochum.de/stadtradeln."],
    ),
    Topic(
        key="kita", speakers=["szymanski", "ob"],
        facts={"kita": ["Kita Regenbogen", "Kita Sonnenschein", "Kita Pusteblume", "Kita Zechenkinder",
                        "Kita Am Stadtpark", "Kita Kleine Strolche"], "n": (6, 12), "district": ["Langendreer", "Wattenscheid",
                        "Weitmar", "Gerthe", "Harpen", "Altenbochum", "Hamme"]},
        headlines=["Neue {kita} in {district} eröffnet#0", "Mehr Kita-Plätze für Bochum#2",
                   "Anmeldung im „Kita-Navigator“ ab {hlday_event}#1", "Richtfest für die {kita} in {district}#3"],
        leads=["In {district} hat die neue {kita} ihre Türen geöffnet. In sechs Gruppen werden dort künftig "
               "{n}0 Kinder betreut.",
               "Eltern können ihre Kinder {ab_event,} über den „Kita-Navigator“ für das kommende Kindergartenjahr "
               "anmelden. Die Anmeldung ist {bis_end,} möglich.",
               "Die Stadt schafft weitere Betreuungsplätze: Bis zum Sommer {next_year} entstehen in {district} "
               "und Hamme zusammen mehr als {n2} neue Plätze.",
               "Für die neue {kita} in {district} ist Richtfest gefeiert worden. Ab dem kommenden Sommer sollen "
               "dort {n}0 Kinder betreut werden."],
        details=["Der Neubau ist in Holzbauweise errichtet und hat ein begrüntes Dach.#0,3",
                 "Träger der Einrichtung ist die Stadt Bochum.#0,3",
                 "Die Kosten für den Neubau liegen bei rund {n} Millionen Euro.#0,2,3",
                 "Eltern, die noch keinen Platz haben, werden gebeten, sich beim Jugendamt zu melden.#1,2",
                 "Die Zusagen für die Plätze werden voraussichtlich bis {num_deadline} verschickt.#1",
                 "Zum Außengelände gehören ein Sandspielbereich, eine Matschanlage und ein kleiner Garten.#0,3"],
        statements=["Jeder neue Kita-Platz ist eine echte Entlastung für Familien.",
                    "Wir investieren in die Zukunft unserer Kinder,|und wir tun das in allen Stadtteilen.",
                    "Der ‚Kita-Navigator‘ macht die Anmeldung für Eltern deutlich einfacher.#1"],
        lists=[("Für die Anmeldung werden benötigt:#1",
                ["die Geburtsurkunde des Kindes", "ein Nachweis über den Wohnsitz in Bochum",
                 "bei Bedarf eine Bescheinigung des Arbeitgebers"], False)],
        images=[("Die neue Kita", "Die neue {kita} in {district}#0,3", "kita"),
                ("Spielende Kinder", "Spielende Kinder", "kinder")],
        closings=["Der „Kita-Navigator“ ist im Internet unter www.bochum.de/kita-navigator zu finden."],
    ),
    Topic(
        key="musikschule", speakers=["brinkhoff", "osterhoff"],
        facts={"hall": ["im Anneliese Brost Musikforum Ruhr", "im Kammermusiksaal der Musikschule",
                        "in der Christuskirche", "im Kulturhaus Thealozzi"],
               "n": (3, 15), "ensemble": ["Jugendsinfonieorchester", "Gitarrenensemble", "Akkordeonorchester",
                            "Blechbläserensemble", "Kammerorchester"]},
        headlines=["Musikschule lädt zum Tag der offenen Tür#0", "Konzert der Musikschule {hall}#1",
                   "Instrumentenkarussell: Anmeldung ab {hlday_event}#3",
                   "Preise beim Wettbewerb „Jugend musiziert“#2"],
        leads=["Die Musikschule Bochum öffnet {am_event,} von 11 bis 16 Uhr ihre Türen. Kinder, Jugendliche und "
               "Erwachsene können Instrumente ausprobieren und die Lehrkräfte kennenlernen.",
               "Das {ensemble} der Musikschule gibt {am_event,} {time} ein Konzert {hall}.",
               "Beim Regionalwettbewerb „Jugend musiziert“ haben Schülerinnen und Schüler der Musikschule "
               "{n} erste Preise gewonnen.",
               "Für das „Instrumentenkarussell“ können Eltern ihre Kinder {ab_event,} anmelden. Ein Jahr lang "
               "lernen Kinder im Grundschulalter dort verschiedene Instrumente kennen."],
        details=["Der Eintritt ist frei, um Spenden für die Ensemblearbeit wird gebeten.#1",
                 "Auf dem Programm stehen Werke von Mozart, Dvořák und Filmmusik.#1",
                 "Im „Instrumentenkarussell“ lernen Kinder im Grundschulalter ein Jahr lang verschiedene "
                 "Instrumente kennen.#0",
                 "Die Musikschule unterrichtet rund {n2} Schülerinnen und Schüler.",
                 "Wartelisten gibt es derzeit vor allem für Klavier und Schlagzeug.#0,3",
                 "Das Programm „Musik im Quartier“ bringt Unterricht direkt in die Stadtteile."],
        statements=["Musik verbindet Menschen,|ganz gleich, woher sie kommen.",
                    "Unsere Schülerinnen und Schüler haben großartige Leistungen gezeigt. Wir sind sehr stolz.#2",
                    "Wer ein Instrument lernen möchte, ist bei uns in jedem Alter richtig.#0,3"],
        images=[("Das Jugendsinfonieorchester", "Das {ensemble} bei der Probe", "orchester"),
                ("Kinder probieren Instrumente aus", "Kinder probieren Instrumente aus#0,3", "instrumente")],
        closings=["Informationen zum Unterrichtsangebot gibt es unter www.bochum.de/musikschule."],
    ),
]

"""The words of the printed pages in Finnish and English, and the check that none is missing.

Every text a person reads on a card, the booklet or the report comes from the catalog's fi/en
fields or from :data:`TEXTS`. :func:`text` never falls back to the other language: a missing
entry is a :class:`TranslationError` with code T101, and :func:`audit_translations` lists every
blank or missing text of a catalog and of the table at once (T101, T102).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from pydantic import BaseModel

from configurator.model.errors import Problem
from configurator.model.schema import Catalog, Names

__all__ = [
    "LANGS",
    "TEXTS",
    "TranslationError",
    "audit_translations",
    "number",
    "text",
    "translated",
]

LANGS = ("fi", "en")

TEXTS: dict[str, dict[str, str]] = {
    # booklet and cards
    "booklet": {"fi": "Tilakortit", "en": "Space cards"},
    "contents": {"fi": "Sisällys", "en": "Contents"},
    "programme": {"fi": "Tilaohjelma", "en": "Space programme"},
    "plan": {"fi": "Toiminnallinen pohjaratkaisu", "en": "Functional floor plan"},
    "cards": {"fi": "Tilakortit", "en": "Space cards"},
    "partners": {"fi": "Toimijat", "en": "Partners"},
    "totals": {"fi": "Pinta-alat", "en": "Areas"},
    "pooling": {"fi": "Yhteisen palvelupisteen säästö", "en": "Saving of the shared point"},
    "pooling_line": {
        "fi": "Yhteinen piste {shared} m² erillisten toimipisteiden {separate} m² sijaan: "
        "{saving} m² ({share}) ja {rent} € vuodessa vähemmän vuokraa.",
        "en": "Shared point {shared} m² against {separate} m² as separate offices: {saving} m² "
        "({share}) and {rent} € a year less rent.",
    },
    "scenario": {"fi": "Skenaario", "en": "Scenario"},
    "date": {"fi": "Päivämäärä", "en": "Date"},
    "revision": {"fi": "Revisio", "en": "Revision"},
    "option": {"fi": "Vaihtoehto", "en": "Option"},
    "page": {"fi": "Sivu", "en": "Page"},
    "code": {"fi": "Tunnus", "en": "Code"},
    "zone": {"fi": "Vyöhyke", "en": "Zone"},
    "privacy": {"fi": "Yksityisyystaso", "en": "Privacy level"},
    "count": {"fi": "Määrä tässä ohjelmassa", "en": "Count in this programme"},
    "from_template": {"fi": "Kirjaston mallin mukainen", "en": "From the catalog template"},
    "deviates": {"fi": "Poikkeaa mallista", "en": "Deviates from the template"},
    "changed": {"fi": "muutettu", "en": "changed"},
    "purpose": {"fi": "Käyttötarkoitus", "en": "Purpose"},
    "activities": {"fi": "Toiminnot", "en": "Activities"},
    "service_part": {"fi": "Osuus palvelusta", "en": "Part in the service"},
    "users": {"fi": "Käyttäjät", "en": "Users"},
    "visitors_hour": {"fi": "Asiakkaita mitoitustunnissa", "en": "Visitors at the design hour"},
    "visitors_value": {
        "fi": "{arrivals} asiakasta/h koko pisteessä; tämän tilan käyttö {load}",
        "en": "{arrivals} visitors/h in the whole point; this space's use {load}",
    },
    "visitors_value_none": {
        "fi": "{arrivals} asiakasta/h koko pisteessä (tila ei ole oma vaiheensa asiointipoluilla)",
        "en": "{arrivals} visitors/h in the whole point (not a step of its own in the visitor "
        "paths)",
    },
    "roles_present": {"fi": "Paikalla olevat roolit", "en": "Roles present"},
    "hours_of_use": {"fi": "Käyttöaika", "en": "Hours of use"},
    "hours_value": {
        "fi": "avoinna {hours} h päivässä, {days} päivää vuodessa",
        "en": "open {hours} h a day, {days} days a year",
    },
    "size": {"fi": "Mitoitus", "en": "Size"},
    "net_each": {"fi": "Hyötyala / yksikkö", "en": "Net area each"},
    "net_total": {"fi": "Hyötyala yhteensä", "en": "Net area in total"},
    "rooms_drawn": {"fi": "Huoneita", "en": "Rooms"},
    "occupants": {"fi": "Mitoitushenkilömäärä (paloturvallisuus)", "en": "Design occupants (fire)"},
    "min_width": {"fi": "Vähimmäisleveys", "en": "Minimum width"},
    "area_range": {"fi": "Sallittu ala / yksikkö", "en": "Allowed area each"},
    "rule": {"fi": "Mitoitusperuste", "en": "Sizing rule"},
    "why_count": {"fi": "Miksi juuri tämä määrä", "en": "Why this count"},
    "furniture": {"fi": "Kalusteet", "en": "Furniture"},
    "equipment": {"fi": "Varusteet", "en": "Equipment"},
    "digital": {"fi": "Digitaaliset laitteet", "en": "Digital equipment"},
    "per_unit": {"fi": "kpl / yksikkö", "en": "per unit"},
    "requirements": {"fi": "Tilavaatimukset", "en": "Requirements"},
    "acoustic": {"fi": "Ääneneristys ja puheen yksityisyys", "en": "Acoustic privacy"},
    "accessibility": {"fi": "Esteettömyys", "en": "Accessibility"},
    "safety": {"fi": "Turvallisuus", "en": "Safety and security"},
    "daylight": {"fi": "Päivänvalo", "en": "Daylight"},
    "climate": {"fi": "Sisäilmastoluokka", "en": "Indoor-climate class"},
    "climate_value": {
        "fi": "{category} (Sisäilmastoluokitus 2018){lux}{noise}",
        "en": "{category} (Finnish indoor-climate classification 2018){lux}{noise}",
    },
    "lux": {"fi": ", valaistusvoimakkuus {lux} lx", "en": ", illuminance {lux} lx"},
    "noise": {
        "fi": ", LVI-laitteiden ääni enintään {noise} dB(A)",
        "en": ", building-services noise at most {noise} dB(A)",
    },
    "adaptability": {"fi": "Muuntojousto", "en": "Adaptability"},
    "neighbours": {"fi": "Naapuritilat", "en": "Neighbours"},
    "preferred": {"fi": "toivottu", "en": "preferred"},
    "forbidden": {"fi": "kielletty", "en": "forbidden"},
    "met": {"fi": "toteutuu", "en": "met"},
    "not_met": {"fi": "ei toteudu", "en": "not met"},
    "absent": {"fi": "ei tässä ohjelmassa", "en": "not in this programme"},
    "in_plan": {"fi": "Sijainti vaihtoehdossa {option}", "en": "Place in option {option}"},
    "not_drawn": {"fi": "Tätä tilaa ei ole pohjassa.", "en": "This space is not on the plan."},
    "spare_note": {
        "fi": "Vuokrattava lisätila (katkoviiva): {count} kpl, yhteensä {area} m², {rent} € "
        "vuodessa vuokralla {per} €/m²/kk. Tilaohjelma ei tarvitse tätä alaa; sillä on oma ovi "
        "aulasta.",
        "en": "Spare lettable area (dashed): {count}, {area} m² in all, {rent} € a year at "
        "{per} €/m² a month. The programme does not need this floor; it has its own door from "
        "the hall.",
    },
    "plan_note": {
        "fi": "Punainen piste: asiakkaiden sisäänkäynti, harmaa: henkilökunnan ovi; harmaat "
        "alueet ovat kiinteitä rakenteita (porrashuoneet, kuilut, pilarit). Alat ovat "
        "tilaohjelman nettoaloja.",
        "en": "Red dot: a visitor entrance, grey: a staff door; grey areas are fixed structure "
        "(stairs, shafts, columns). Areas are the programme's net areas.",
    },
    "sketch": {"fi": "Tyyppihuone", "en": "Typical room"},
    "sketch_caption": {
        "fi": "{width} × {depth} m = {area} m²; kalusteet {furniture} m²{turning}",
        "en": "{width} × {depth} m = {area} m²; furniture {furniture} m²{turning}",
    },
    "turning": {"fi": ", kääntymisympyrä ⌀ 1,5 m", "en": ", turning circle ⌀ 1.5 m"},
    "fits": {"fi": "Kalusteet mahtuvat.", "en": "The furniture fits."},
    "does_not_fit": {"fi": "Kalusteet eivät mahdu", "en": "The furniture does not fit"},
    "F101": {
        "fi": "kalusteet ja kääntymisympyrä vievät enemmän alaa kuin huoneessa on",
        "en": "the furniture and the turning circle need more floor than the room has",
    },
    "F102": {
        "fi": "jokin kaluste on huonetta leveämpi kummin päin tahansa",
        "en": "an item is wider than the room whichever way it is turned",
    },
    "F103": {
        "fi": "kaikki kalusteet eivät mahdu lattialle",
        "en": "not all the furniture finds a place on the floor",
    },
    "F104": {
        "fi": "kalusteiden väliin ei jää vapaata 1,5 m kääntymisympyrää",
        "en": "no free 1.5 m turning circle is left between the furniture",
    },
    "estimate": {
        "fi": "Mitat ja määrät ovat arvioita, eivät lähdeaineiston lukuja.",
        "en": "Sizes and counts are estimates, not figures from the sources.",
    },
    "none": {"fi": "ei", "en": "none"},
    "space": {"fi": "Tila", "en": "Space"},
    "unit_col": {"fi": "Yksikkö", "en": "Unit"},
    "area_col": {"fi": "Ala m²", "en": "Area m²"},
    "count_col": {"fi": "Määrä", "en": "Count"},
    "net": {"fi": "Hyötyala (netto)", "en": "Net area"},
    "circulation": {"fi": "Liikennealat", "en": "Circulation"},
    "usable": {"fi": "Huoneistoala", "en": "Usable area"},
    "gross": {"fi": "Bruttoala", "en": "Gross area"},
    "staff_on_site": {"fi": "Henkilöstöä paikalla", "en": "Staff on site"},
    "annual_visits": {"fi": "Asiointeja vuodessa", "en": "Visits a year"},
    # options report
    "report": {"fi": "Pohjaratkaisuvaihtoehdot", "en": "Floor-plan options"},
    "recommended": {"fi": "Suositeltu vaihtoehto", "en": "Recommended option"},
    "why_recommended": {
        "fi": "Vaihtoehto {option}: kokonaispisteet {score} (sija {rank} / {of}). Sen sijat "
        "mittareittain (1 = paras):",
        "en": "Option {option}: overall score {score} (rank {rank} of {of}). Its rank on each "
        "KPI (1 = best):",
    },
    "best_passing": {
        "fi": "Se saa parhaat pisteet niistä vaihtoehdoista, jotka täyttävät kaikki tavoitteet.",
        "en": "It scores best of the options that meet every target.",
    },
    "rank": {"fi": "sija", "en": "rank"},
    "kpi": {"fi": "Mittari", "en": "KPI"},
    "audit": {"fi": "Tarkastus", "en": "Audit"},
    "audit_ok": {"fi": "ei huomautettavaa", "en": "no problems"},
    "audit_problems": {"fi": "{n} huomautusta", "en": "{n} problems"},
    "strategy": {"fi": "Strategia", "en": "Strategy"},
    "score": {"fi": "Pisteet", "en": "Score"},
    "seed": {"fi": "siemen", "en": "seed"},
    "best_word": {"fi": "paras", "en": "best"},
    "target": {"fi": "Tavoite", "en": "Target"},
    "targets_met": {"fi": "Tavoitteet täyttyvät", "en": "Targets met"},
    "yes": {"fi": "kyllä", "en": "yes"},
    "no": {"fi": "ei", "en": "no"},
    "no_option_meets": {
        "fi": "Yksikään vaihtoehto ei täytä kaikkia tavoitteita; suositus on parhaat pisteet "
        "saava.",
        "en": "No option meets every target; the recommendation is the best-scoring one.",
    },
    "rank_line": {"fi": "{kpi}: sija {rank} / {of}", "en": "{kpi}: rank {rank} of {of}"},
    "options_side": {"fi": "Vaihtoehdot rinnakkain", "en": "The options side by side"},
    "definitions": {"fi": "Mittareiden määritelmät", "en": "What the KPIs measure"},
    "audit_line": {
        "fi": "Jokainen vaihtoehto on tarkastettu geometriastaan (tilat rakennuksen sisällä, "
        "ovet yhteisillä seinillä, saavutettavuus, yksityisyys, leveydet, turvallisuus).",
        "en": "Every option is audited from its geometry (spaces inside the building, doors on "
        "shared walls, reach, privacy, widths, safety).",
    },
    # interactive figures (figures.py)
    "fig.corridor": {"fi": "Käytävä", "en": "Corridor"},
    "fig.hall": {"fi": "Aula", "en": "Hall"},
    "fig.staff_corridor": {"fi": "Henkilökunnan käytävä", "en": "Staff corridor"},
    "fig.entrance": {"fi": "Sisäänkäynti", "en": "Entrance"},
    "fig.staff_entrance": {"fi": "Henkilökunnan sisäänkäynti", "en": "Staff entrance"},
    "fig.spare_entrance": {
        "fi": "Vuokrattavan tilan oma ovi (uusi)",
        "en": "Spare area's own door (new)",
    },
    "fig.obstacle": {"fi": "Kiinteä rakenne", "en": "Fixed element"},
    "fig.spare": {"fi": "Vuokrattava lisätila", "en": "Spare lettable area"},
    "fig.rent": {"fi": "Vuokra", "en": "Rent"},
    "fig.window": {"fi": "Ikkunajulkisivu", "en": "Windowed façade"},
    "fig.floor": {"fi": "Kerrosala", "en": "Floor"},
    "fig.area": {"fi": "Ala", "en": "Area"},
    "fig.zone": {"fi": "Vyöhyke", "en": "Zone"},
    "fig.type": {"fi": "Tilatyyppi", "en": "Space type"},
    "fig.walk": {"fi": "Kävely", "en": "Walk"},
    "fig.paths": {"fi": "Asiakaspolut", "en": "Persona paths"},
    "fig.separate": {"fi": "Erilliset toimipisteet", "en": "Separate offices"},
    "fig.shared": {"fi": "Yhteinen palvelupiste", "en": "Shared point"},
    "fig.usable": {"fi": "Huoneistoala, m²", "en": "Usable area, m²"},
    "fig.counts": {"fi": "Kalusteet ja huoneet, kpl", "en": "Counters, rooms and seats"},
    "fig.option": {"fi": "Vaihtoehto", "en": "Option"},
    "fig.target": {"fi": "Tavoite", "en": "Target"},
    "fig.shares": {"fi": "Osuudet, %", "en": "Shares, %"},
    "pool.quick-service counters": {"fi": "Pikapalvelutiskit", "en": "Quick-service counters"},
    "pool.self-service terminals": {"fi": "Itsepalvelupäätteet", "en": "Self-service terminals"},
    "pool.meeting and service rooms": {
        "fi": "Tapaamis- ja palveluhuoneet",
        "en": "Meeting and service rooms",
    },
    "pool.waiting seats": {"fi": "Odotuspaikat", "en": "Waiting seats"},
    "pool.staff on site": {"fi": "Henkilökunta paikalla", "en": "Staff on site"},
    "kpi.walk_m": {"fi": "Kävelymatka / asiointi, m", "en": "Walk per visit, m"},
    "kpi.adjacency_satisfaction": {"fi": "Toivotut naapurit", "en": "Preferred neighbours"},
    "kpi.daylight_share": {"fi": "Päivänvalo", "en": "Daylight"},
    "kpi.guard_visibility": {"fi": "Vartijan näkyvyys", "en": "Guard's view"},
    "kpi.compactness": {"fi": "Vyöhykkeiden eheys", "en": "Zone compactness"},
    "kpi.area_efficiency": {"fi": "Tilatehokkuus", "en": "Area efficiency"},
    "kpi.unassigned_m2": {"fi": "Käyttämätön ala, m²", "en": "Unassigned floor, m²"},
    "kpi.spare_m2": {"fi": "Vuokrattava lisäala, m²", "en": "Lettable spare floor, m²"},
    "kpi.max_area_deviation": {
        "fi": "Suurin pinta-alapoikkeama",
        "en": "Largest area deviation",
    },
    "kpi.privacy_violations": {"fi": "Yksityisyysrikkeet", "en": "Privacy breaks"},
    "kpi.forbidden_adjacencies": {"fi": "Kielletyt naapurit", "en": "Forbidden neighbours"},
    "kpi.unreachable_rooms": {"fi": "Saavuttamattomat tilat", "en": "Unreachable rooms"},
    "kpi.audit_problems": {"fi": "Tarkastuksen huomautukset", "en": "Audit problems"},
    "kpi.egress_max_m": {"fi": "Pisin poistumisreitti, m", "en": "Longest escape route, m"},
    "kpi.daylight_ok_share": {
        "fi": "Päivänvalo työ- ja oleskelutiloissa",
        "en": "Daylight where it is needed",
    },
    "kpi.rule_problems": {"fi": "Rakentamismääräyshuomautukset", "en": "Building-rule problems"},
    "kpi.score": {"fi": "Kokonaispisteet", "en": "Overall score"},
    "def.walk_m": {
        "fi": "Asiakkaan kävely sisäänkäynniltä kunkin palvelun kautta takaisin, "
        "asiakasprofiileilla painotettuna.",
        "en": "The visitor's walk from the entrance through each service moment and back, "
        "weighted by the personas.",
    },
    "def.adjacency_satisfaction": {
        "fi": "Osuus toivotuista naapuripareista, jotka ovat enintään 3 m päässä toisistaan.",
        "en": "Share of preferred neighbour pairs drawn within 3 m of each other.",
    },
    "def.daylight_share": {
        "fi": "Osuus päivänvaloa haluavista tiloista, joilla on ikkunajulkisivua ≥ 1 m.",
        "en": "Share of rooms wanting daylight that touch a windowed façade over ≥ 1 m.",
    },
    "def.guard_visibility": {
        "fi": "Osuus asiakastilan lattiasta, jonka vartija näkee ovensuustaan.",
        "en": "Share of the visitor floor the guard sees from the guard post's door.",
    },
    "def.compactness": {
        "fi": "Vyöhykkeen ala / sen kuperan verhon ala, keskiarvo (1 = yksi ehjä alue).",
        "en": "Zone area over its convex hull area, averaged (1 = one compact block).",
    },
    "def.area_efficiency": {
        "fi": "Piirretty hyötyala / käytettävissä oleva lattia-ala.",
        "en": "Net room area drawn over the usable floor.",
    },
    "def.spare_m2": {
        "fi": (
            "Ohjelman ylittävä lattia-ala julkisivun varrella omina tiloinaan, joihin on oma ovi "
            "yleisestä kulkutilasta: voidaan vuokrata toiselle käyttäjälle."
        ),
        "en": (
            "Floor beyond the programme, kept along a façade as areas with their own door onto "
            "public circulation: it can be let to another tenant."
        ),
    },
    "def.unassigned_m2": {
        "fi": "Lattia, jota mikään tila ei kata (nurkat, kaistaleet).",
        "en": "Floor no space covers (niches, slivers).",
    },
    "def.max_area_deviation": {
        "fi": "Suurin |piirretty − ohjelma| / ohjelma; tavoite enintään 5 %.",
        "en": "Largest |drawn − programme| / programme; the target is at most 5 %.",
    },
    "def.privacy_violations": {
        "fi": "Yksityisyysporrastuksen rikkeet (tarkastus P302–P306 ja syvyysjärjestys).",
        "en": "Breaks of the privacy gradient (audit P302–P306 and the depth order).",
    },
    "def.forbidden_adjacencies": {
        "fi": "Tilat, jotka koskettavat tilaa, jonka vieressä ne eivät saa olla.",
        "en": "Rooms touching a room their type must not touch.",
    },
    "def.unreachable_rooms": {
        "fi": "Tilat, joihin ei pääse ovien ja aukkojen kautta (P301).",
        "en": "Rooms no route through doors and openings reaches (P301).",
    },
    "def.audit_problems": {
        "fi": "Geometrisen tarkastuksen huomautukset (0 jokaisessa kelpuutetussa vaihtoehdossa).",
        "en": "Problems the geometric audit finds (0 for every option kept).",
    },
    "def.egress_max_m": {
        "fi": (
            "Pisin poistumisreitti lähimmälle uloskäytävälle; kahden uloskäytävän reittien "
            "yhteinen osuus lasketaan kahdesti (YM 848/2017 32 §)."
        ),
        "en": (
            "The longest walk to the nearest exit, the part shared by the routes to two exits "
            "counted twice (YM 848/2017 §32)."
        ),
    },
    "def.daylight_ok_share": {
        "fi": (
            "Osuus päivänvaloa vaativista tiloista ja työpisteistä, joilla on riittävästi "
            "ikkunajulkisivua (valoaukot ≥ 1/10 lattia-alasta, YM 1008/2017 5 §)."
        ),
        "en": (
            "Share of rooms and work places needing daylight with enough windowed façade "
            "(light openings ≥ 1/10 of the floor, YM 1008/2017 §5)."
        ),
    },
    "def.rule_problems": {
        "fi": "Rakentamismääräystarkastuksen huomautukset: uloskäytävät, esteettömyys, päivänvalo.",
        "en": "Problems the building-rule review finds: exits, accessibility, daylight.",
    },
    "def.score": {
        "fi": "Painotettu kokonaispisteytys, jolla vaihtoehdot järjestetään (suurempi on parempi).",
        "en": "The weighted score the options are ranked by (higher is better).",
    },
    # portfolio summary (configurator/network/summary.py)
    "portfolio": {"fi": "Palvelupisteverkko", "en": "Service-point network"},
    "pf_subtitle": {
        "fi": "{sites} kohdetta, {options} vaihtoehtoa kohdetta kohden",
        "en": "{sites} sites, {options} options a site",
    },
    "pf_network": {"fi": "Verkko yhteensä", "en": "The network"},
    "pf_regions": {"fi": "Maakunnittain", "en": "By region"},
    "pf_sites": {"fi": "Kohteet", "en": "Sites"},
    "pf_failures": {"fi": "Kohteet ilman suunnitelmaa", "en": "Sites with no plan"},
    "pf_no_failures": {"fi": "Kaikki kohteet suunniteltiin.", "en": "Every site was planned."},
    "pf_site": {"fi": "Kohde", "en": "Site"},
    "pf_name": {"fi": "Nimi", "en": "Name"},
    "pf_region": {"fi": "Maakunta", "en": "Region"},
    "pf_reason": {"fi": "Syy", "en": "Reason"},
    "pf_count": {"fi": "Kohteita", "en": "Sites"},
    "pf_planned": {"fi": "Suunniteltu", "en": "Planned"},
    "pf_failed": {"fi": "Epäonnistui", "en": "Failed"},
    "pf_visits": {"fi": "Käyntiä/v", "en": "Visits/yr"},
    "pf_staff": {"fi": "Henkilöstö", "en": "Staff"},
    "pf_usable": {"fi": "Hyötyala m²", "en": "Usable m²"},
    "pf_gross": {"fi": "Bruttoala m²", "en": "Gross m²"},
    "pf_rent": {"fi": "Vuokra €/v", "en": "Rent €/yr"},
    "pf_separate": {"fi": "Erilliset toimipisteet m²", "en": "Separate offices m²"},
    "pf_saving_m2": {"fi": "Säästö m²", "en": "Saving m²"},
    "pf_saving_eur": {"fi": "Säästö €/v", "en": "Saving €/yr"},
    "pf_per_person": {"fi": "m²/henkilö", "en": "m²/person"},
    "pf_per_visits": {"fi": "m²/1000 käyntiä", "en": "m²/1000 visits"},
    "pf_options": {"fi": "Vaihtoehtoja", "en": "Options"},
    "pf_rules": {"fi": "Rikotut rakentamismääräykset", "en": "Building rules broken"},
    "pf_saving_chart": {
        "fi": "Säästö erillisiin toimipisteisiin nähden kohteittain",
        "en": "Saving against separate offices, site by site",
    },
    "pf_band_chart": {
        "fi": "Hyötyala henkilöä kohden ja valtion tavoite",
        "en": "Usable area per person working on site, against the state's target",
    },
    "pf_band": {"fi": "tavoite {low}–{high} m²/htv", "en": "target {low}–{high} m²/person-year"},
    "pf_band_x": {"fi": "henkilöstö paikalla", "en": "staff on site"},
    "pf_band_y": {"fi": "m² / henkilö", "en": "m² / person"},
    "pf_band_note": {
        "fi": "{inside} kohdetta tavoitevälillä, {above} sen yläpuolella ja {below} alapuolella; "
        "asiakastilat kasvattavat palvelupisteen alaa henkilöä kohden.",
        "en": "{inside} sites in the band, {above} above it and {below} below; a service point's "
        "customer areas raise its area per person above an office's.",
    },
    "pf_map": {"fi": "Kohteet kartalla", "en": "The sites on the map"},
    "pf_map_legend": {"fi": "hyötyala m²", "en": "usable m²"},
    "pf_map_note": {
        "fi": "Ympyrän pinta-ala vastaa paikkakunnan kohteiden hyötyalaa; punainen: "
        "kohde ilman suunnitelmaa. Harmaat pisteet: kuntien keskustat.",
        "en": "Each circle's area is the usable area of the sites in that place; red: a site "
        "with no plan. Grey dots: the municipalities' centres.",
    },
    "pf_assumptions": {
        "fi": "Käynnit ja henkilöstö on skaalattu asukasmäärästä luettelon arvioista; "
        "kohteet ilman rakennusta saavat ohjelman mukaan mitoitetun suorakaiteen.",
        "en": "Visits and staff are scaled from the residents served by the catalog's "
        "estimates; a site with no building gets a rectangle sized to its programme.",
    },
    # evacuation page (configurator/simulation/pictures.py)
    "evac_title": {"fi": "Poistuminen", "en": "Evacuation"},
    "evac_summary": {
        "fi": "{persons} henkilöä (rakentamismääräysten henkilömäärä) poistuu vaihtoehdon "
        "todellisista uloskäytävistä, kukin reittiä pitkin lähimpään; esiliikeaika {low}–{high} s.",
        "en": "{persons} people (the building rules' occupant load) leave by the option's real "
        "exits, each to the nearest by route; pre-movement {low}-{high} s.",
    },
    "evac_half": {"fi": "Puolet ulkona", "en": "Half out"},
    "evac_ninety": {"fi": "90 % ulkona", "en": "Nine in ten out"},
    "evac_all": {"fi": "Kaikki ulkona", "en": "All out"},
    "evac_stuck": {"fi": "Jumissa", "en": "Stuck inside"},
    "evac_hand": {"fi": "Käsinlaskenta", "en": "Hand calculation"},
    "evac_exits": {"fi": "Uloskäytävät", "en": "Exits"},
    "evac_all_exits": {"fi": "kaikki uloskäytävät ({out}/{of})", "en": "all exits ({out} of {of})"},
    "evac_time_axis": {"fi": "aika hälytyksestä (s)", "en": "time after the alarm (s)"},
    "evac_out_axis": {"fi": "ulkona (henkilöä)", "en": "people out"},
    "evac_last_occupied": {"fi": "viimeksi käytössä (s)", "en": "last occupied (s)"},
    "evac_rset_out": {
        "fi": "RSET-kartta: kaikki ulkona {seconds} s:ssa",
        "en": "RSET map: everyone out in {seconds} s",
    },
    "evac_rset_stuck": {
        "fi": "RSET-kartta: {stuck} yhä sisällä",
        "en": "RSET map: {stuck} still inside",
    },
    "evac_exit": {"fi": "Uloskäytävä", "en": "Exit"},
    "evac_width": {"fi": "Leveys m", "en": "Width m"},
    "evac_people": {"fi": "Henkilöä", "en": "People"},
    "evac_last": {"fi": "Viimeinen s", "en": "Last out s"},
    "evac_flow": {"fi": "Virta hlö/s", "en": "Flow persons/s"},
    "evac_note": {
        "fi": "JuPedSim 1.4 (törmäyksetön nopeusmalli), mittaukset PedPy. Käsinlaskenta: pisin "
        "reitti 1,2 m/s, virtaus 1,3 hlö/(m·s) tehollista leveyttä, viimeinen esiliikeaika.",
        "en": "JuPedSim 1.4 (collision-free speed model), measured with PedPy. Hand calculation: "
        "the longest route at 1.2 m/s, 1.3 persons/(m·s) of effective width, the latest "
        "pre-movement.",
    },
    # design-day page (configurator/simulation/day_pictures.py)
    "day_title": {"fi": "Mitoituspäivä", "en": "The design day"},
    "day_summary": {
        "fi": "{visitors} asiakasta saapuu mitoituspäivän tuntiprofiilin mukaan ({hours} h) ja "
        "kulkee persoonansa polun vaihtoehdon todellisissa tiloissa; {left} lähti, "
        "{stuck} kävelyä juuttui.",
        "en": "{visitors} visitors arrive by the design day's hourly profile ({hours} h) and "
        "follow their persona's path through the option's real spaces; {left} left, "
        "{stuck} walks got stuck.",
    },
    "day_verdict_holds": {
        "fi": "Jokainen asiakastila riittää päivän huippuun.",
        "en": "Every visitor space holds the day's peak.",
    },
    "day_verdict_over": {
        "fi": "Yli kapasiteetin: {spaces}.",
        "en": "Over capacity: {spaces}.",
    },
    "day_holds": {"fi": "riittää", "en": "holds"},
    "day_passage": {"fi": "kulkutila", "en": "passage"},
    "day_over": {
        "fi": "yli {by} hlö:llä klo {at} alkaen, yhteensä {minutes} min",
        "en": "over by {by} from {at}, {minutes} min in all",
    },
    "day_map_title": {
        "fi": "Huippukäyttö kapasiteettiin nähden; pisteet: {people} henkilöä klo {at}",
        "en": "Peak occupancy against capacity; dots: {people} people at {at}",
    },
    "day_map_scale": {
        "fi": "huippu / kapasiteetti (punainen: yli)",
        "en": "peak / capacity (red: over)",
    },
    "day_open": {"fi": "aukioloaika", "en": "opening hours"},
    "day_time_axis": {"fi": "kellonaika", "en": "time of day"},
    "day_people_axis": {"fi": "henkilöä (5 min huippu)", "en": "people (most in 5 min)"},
    "day_space": {"fi": "Tila", "en": "Space"},
    "day_capacity": {"fi": "Kapasiteetti", "en": "Capacity"},
    "day_peak": {"fi": "Huippu", "en": "Peak"},
    "day_peak_at": {"fi": "Klo", "en": "At"},
    "day_density": {"fi": "Tiheys hlö/m²", "en": "Density persons/m²"},
    "day_verdict": {"fi": "Arvio", "en": "Verdict"},
    "day_services": {"fi": "Palvelut", "en": "Services"},
    "day_service": {"fi": "Palvelu", "en": "Service"},
    "day_servers": {"fi": "Palvelupisteitä", "en": "Servers"},
    "day_served": {"fi": "Palveltu", "en": "Served"},
    "day_mean_wait": {"fi": "Odotus ka.", "en": "Mean wait"},
    "day_p90_wait": {"fi": "Odotus 90 %", "en": "Wait 90 %"},
    "day_max_wait": {"fi": "Pisin odotus", "en": "Longest wait"},
    "day_max_queue": {"fi": "Pisin jono", "en": "Longest queue"},
    "day_walks": {"fi": "Kävelymatkat", "en": "Walking distances"},
    "day_persona": {"fi": "Persoona", "en": "Persona"},
    "day_visitors": {"fi": "Asiakkaita", "en": "Visitors"},
    "day_walk_mean": {"fi": "Keskimäärin m", "en": "Mean m"},
    "day_walk_p90": {"fi": "90 % m", "en": "90 % m"},
    "day_note": {
        "fi": "JuPedSim 1.4 liikuttaa kävelijät, istuvat ja palveltavat pysyvät paikallaan; "
        "tiheys PedPy (tiheimmän 3 m ruudun klassinen tiheys). Palveluajat eksponentiaalisia "
        "luettelon keskiarvoin; vuoronumero kutsuu odotustilasta vapaaseen pisteeseen.",
        "en": "JuPedSim 1.4 moves the walkers; people seated or being served stay put; density "
        "from PedPy (classic density of the densest 3 m square). Service times are exponential "
        "about the catalog's means; a ticket calls from the lounge to the free counter.",
    },
    # enumerations
    "privacy.open": {"fi": "avoin", "en": "open"},
    "privacy.semi_open": {"fi": "puoliavoin", "en": "semi-open"},
    "privacy.private": {"fi": "yksityinen", "en": "private"},
    "part.core": {"fi": "ydinpalvelu", "en": "core service"},
    "part.supporting": {"fi": "tukipalvelu", "en": "supporting"},
    "part.add_on": {"fi": "lisäpalvelu", "en": "add-on"},
    "acoustic.none": {"fi": "ei vaatimusta", "en": "none"},
    "acoustic.normal": {"fi": "tavanomainen", "en": "normal"},
    "acoustic.speech_private": {
        "fi": "puhe ei kuulu ulos (puheen yksityisyys)",
        "en": "speech private",
    },
    "acoustic.confidential": {
        "fi": "luottamuksellinen (parannettu ääneneristys)",
        "en": "confidential (enhanced sound insulation)",
    },
    "access.step_free": {"fi": "kynnyksetön", "en": "step-free"},
    "access.turning_space": {"fi": "pyörätuolin kääntymistila", "en": "wheelchair turning space"},
    "access.hearing_loop": {"fi": "induktiosilmukka", "en": "hearing loop"},
    "access.accessible_wc": {"fi": "esteetön WC", "en": "accessible WC"},
    "access.low_counter": {"fi": "matala asiointitaso", "en": "low counter section"},
    "daylight.required": {"fi": "vaaditaan", "en": "required"},
    "daylight.preferred": {"fi": "toivotaan", "en": "preferred"},
    "daylight.none": {"fi": "ei tarvita", "en": "not needed"},
    "unit.room": {"fi": "huone", "en": "room"},
    "unit.seat": {"fi": "istumapaikka", "en": "seat"},
    "unit.workplace": {"fi": "työpiste", "en": "work place"},
    "unit.place": {"fi": "paikka", "en": "place"},
    "user.visitor": {"fi": "asiakkaat", "en": "visitors"},
    "user.staff": {"fi": "henkilöstö", "en": "staff"},
    "driver.fixed": {"fi": "kiinteä määrä", "en": "fixed count"},
    "driver.queue": {
        "fi": "jonomalli (Erlang C ja A) palvelutasotavoitteella",
        "en": "queueing model (Erlang C and A) against the service-level target",
    },
    "driver.appointment_hours": {
        "fi": "varatut tunnit ÷ tavoitekäyttöaste",
        "en": "booked hours ÷ target utilisation",
    },
    "driver.visitor_load": {
        "fi": "asiakkaita tunnissa ÷ asiakkaita yksikköä kohti",
        "en": "visitors an hour ÷ visitors per unit",
    },
    "driver.waiting_seats": {
        "fi": "jonottajat (95. persentiili) ja etuajassa saapuvat, saattajineen",
        "en": "queueing (95th percentile) and early arrivals, with companions",
    },
    "driver.per_seats": {"fi": "odotuspaikkojen mukaan", "en": "by the waiting seats"},
    "driver.per_role": {"fi": "yksi roolin henkilöä kohti", "en": "one per person in a role"},
    "driver.per_staff": {"fi": "paikalla olevan henkilöstön mukaan", "en": "by the staff on site"},
}
"""Label → text in each language. Keys with a dot are values of a catalog enumeration."""


class TranslationError(KeyError):
    """A text the page needs is missing in the language asked for."""

    def __init__(
        self, key: str, lang: str, table: str = "configurator.documents.i18n.TEXTS"
    ) -> None:
        self.problem = Problem("T101", f"no {lang} text for {key!r} in {table}")
        super().__init__(str(self.problem))


def translated(
    table: Mapping[str, Mapping[str, str]],
    key: str,
    lang: str,
    values: Mapping[str, object],
    *,
    name: str = "configurator.documents.i18n.TEXTS",
) -> str:
    """A text of a translation table (called ``name`` in the error) in a language, with
    ``{field}`` filled from ``values``; a missing or blank one raises, never the other language."""
    words = table.get(key, {}).get(lang, "").strip()
    if not words:
        raise TranslationError(key, lang, name)
    return words.format(**values) if values else words


def text(key: str, lang: str, **values: object) -> str:
    """Return a label of the printed pages in a language (see :func:`translated`)."""
    return translated(TEXTS, key, lang, values)


def number(value: float, lang: str, decimals: int = 1) -> str:
    """A number as the language prints it: thin-space thousands, decimal comma in Finnish."""
    out = f"{value:,.{decimals}f}".replace(",", "\u202f")
    return out.replace(".", ",") if lang == "fi" else out


def _names(model: BaseModel, where: str) -> Iterator[tuple[str, Names]]:
    """Every :class:`Names` inside a model, with its path."""
    for name, value in model:
        here = f"{where}.{name}"
        if isinstance(value, Names):
            yield here, value
        elif isinstance(value, BaseModel):
            yield from _names(value, here)
        elif isinstance(value, list | tuple):
            for i, item in enumerate(value):
                if isinstance(item, Names):
                    yield f"{here}[{i}]", item
                elif isinstance(item, BaseModel):
                    yield from _names(item, f"{here}[{i}]")


def audit_translations(catalog: Catalog, *, table: dict[str, Any] | None = None) -> list[Problem]:
    """List every blank catalog text (T102) and every table entry missing a language (T101)."""
    problems = []
    for section in ("zones", "space_types", "roles"):
        for i, record in enumerate(getattr(catalog, section)):
            for path, names in _names(record, f"{section}[{i}]"):
                for lang in LANGS:
                    if not str(getattr(names, lang)).strip():
                        problems.append(
                            Problem("T102", f"{path}: the {lang} text is blank", path=path)
                        )
    for key, entry in (TEXTS if table is None else table).items():
        for lang in LANGS:
            if not str(entry.get(lang, "")).strip():
                problems.append(Problem("T101", f"no {lang} text for {key!r}", path=key))
    return problems

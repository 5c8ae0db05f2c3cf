"""The UI's words in Finnish and English; :func:`t` never falls back to the other language."""

from __future__ import annotations

import streamlit as st

from configurator.documents.i18n import number, translated

UI_TEXTS: dict[str, dict[str, str]] = {
    "page.scenario": {"fi": "Skenaario", "en": "Scenario"},
    "page.demand": {"fi": "Kysyntä", "en": "Demand"},
    "page.programme": {"fi": "Tilaohjelma", "en": "Programme"},
    "page.footprint": {"fi": "Rakennus", "en": "Footprint"},
    "page.options": {"fi": "Vaihtoehdot", "en": "Options"},
    "page.exports": {"fi": "Tilakortit ja tiedostot", "en": "Cards and exports"},
    "page.portfolio": {"fi": "Verkko", "en": "Portfolio"},
    "day.title": {"fi": "Mitoituspäivä", "en": "The design day"},
    "day.help": {
        "fi": "Asiakkaat saapuvat virastojen tuntiprofiilin mukaan ja kulkevat persoonansa "
        "polun piirretyissä tiloissa (JuPedSim); kukin tila verrataan kapasiteettiinsa.",
        "en": "Visitors arrive by the agencies' hourly profiles and walk their persona's path "
        "through the drawn spaces (JuPedSim); each space is compared with its capacity.",
    },
    "day.run": {"fi": "Simuloi päivä", "en": "Simulate the day"},
    "day.progress": {"fi": "klo {at}", "en": "at {at}"},
    "day.visitors": {"fi": "Asiakkaita", "en": "Visitors"},
    "day.left": {"fi": "Lähti", "en": "Left"},
    "day.stuck": {"fi": "Jumissa", "en": "Stuck"},
    "day.over": {"fi": "Tiloja yli kapasiteetin", "en": "Spaces over capacity"},
    "day.over_list": {"fi": "Yli kapasiteetin: {spaces}", "en": "Over capacity: {spaces}"},
    "day.holds": {
        "fi": "Jokainen asiakastila riittää päivän huippuun.",
        "en": "Every visitor space holds the day's peak.",
    },
    "day.time": {"fi": "Kellonaika", "en": "Time of day"},
    "day.dots": {
        "fi": "Värit: huippukäyttö / kapasiteetti (punainen: yli). Pisteet: {people} henkilöä "
        "klo {at}.",
        "en": "Colours: peak occupancy / capacity (red: over). Dots: {people} people at {at}.",
    },
    "day.space": {"fi": "Tila", "en": "Space"},
    "day.capacity": {"fi": "Kapasiteetti", "en": "Capacity"},
    "day.peak": {"fi": "Huippu", "en": "Peak"},
    "day.at": {"fi": "Klo", "en": "At"},
    "day.density": {"fi": "Tiheys hlö/m²", "en": "Density people/m²"},
    "day.verdict": {"fi": "Arvio", "en": "Verdict"},
    "day.service": {"fi": "Palvelu", "en": "Service"},
    "day.servers": {"fi": "Pisteitä", "en": "Servers"},
    "day.served": {"fi": "Palveltu", "en": "Served"},
    "day.mean_wait": {"fi": "Odotus ka. s", "en": "Mean wait s"},
    "day.p90_wait": {"fi": "Odotus 90 % s", "en": "Wait 90 % s"},
    "day.max_queue": {"fi": "Pisin jono", "en": "Longest queue"},
    "evac.title": {"fi": "Poistuminen", "en": "Evacuation"},
    "evac.help": {
        "fi": "Rakentamismääräysten henkilömäärä poistuu vaihtoehdon todellisista uloskäytävistä "
        "(JuPedSim); esiliikeaika 30–60 s, kävelynopeus noin 1,2 m/s. Kestää pienellä "
        "toimipisteellä noin 20 s, suurella muutaman minuutin.",
        "en": "The building rules' occupant load leaves by the option's real exits (JuPedSim); "
        "pre-movement 30-60 s, walking about 1.2 m/s. About 20 s for a small point, a few "
        "minutes for a large one.",
    },
    "evac.run": {"fi": "Simuloi poistuminen", "en": "Evacuate"},
    "evac.progress": {"fi": "{out}/{total} ulkona", "en": "{out}/{total} out"},
    "evac.persons": {"fi": "Ulkona", "en": "Out"},
    "evac.all": {"fi": "kaikki", "en": "all"},
    "evac.hand": {"fi": "Käsinlaskenta", "en": "Hand calculation"},
    "evac.exit": {"fi": "Uloskäytävä", "en": "Exit"},
    "evac.width": {"fi": "Leveys m", "en": "Width m"},
    "evac.people": {"fi": "Henkilöä", "en": "People"},
    "evac.last": {"fi": "Viimeinen s", "en": "Last out s"},
    "evac.flow": {"fi": "Virta hlö/s", "en": "Flow people/s"},
    "portfolio.intro": {
        "fi": "Koko verkko kerralla: jokainen kohde mitoitetaan, sijoitetaan ja tarkastetaan. "
        "Käynnit skaalataan asukasmäärästä luettelon arvioilla (arvioita, ei ennusteita).",
        "en": "A whole network at once: every site sized, laid out and checked. Visits are "
        "scaled from the residents served by the catalog's estimates (estimates, not forecasts).",
    },
    "portfolio.source": {"fi": "Kohteet", "en": "Sites"},
    "portfolio.source_example": {
        "fi": "Esimerkki: Suomen verkko",
        "en": "Example: Finland's network",
    },
    "portfolio.source_upload": {"fi": "Oma taulukko (CSV, XLSX)", "en": "Your table (CSV, XLSX)"},
    "portfolio.upload": {"fi": "Kohdetaulukko", "en": "Sites table"},
    "portfolio.upload_help": {
        "fi": "Sarakkeet: site, name, region, lat, lon, population tai visits_<toimija>, "
        "agencies, width_m ja depth_m (ilman niitä rakennus mitoitetaan ohjelman mukaan).",
        "en": "Columns: site, name, region, lat, lon, population or visits_<agency>, agencies, "
        "width_m and depth_m (without them the building is sized to the programme).",
    },
    "portfolio.too_large": {
        "fi": "Taulukko on yli {limit} Mt.",
        "en": "The table is over {limit} MB.",
    },
    "portfolio.regions": {"fi": "Maakunnat", "en": "Regions"},
    "portfolio.too_many": {
        "fi": "Taulukossa on {sites} kohdetta; täällä enintään {limit}. Suurempi verkko: "
        "configurator portfolio komentoriviltä.",
        "en": "The table has {sites} sites; at most {limit} here. A larger network: "
        "configurator portfolio on the command line.",
    },
    "portfolio.example_help": {
        "fi": "Esimerkin {sites} kohdetta on sijoitettu komennolla configurator siting "
        "(50 km, vähintään 10 000 asukasta); koko maa vie kahdella prosessilla noin 3 min.",
        "en": "The example's {sites} sites come from configurator siting (50 km, at least "
        "10 000 residents a point); the whole country takes about 3 min on two processes.",
    },
    "portfolio.options": {"fi": "Vaihtoehtoja kohdetta kohden", "en": "Options a site"},
    "portfolio.run": {"fi": "Suunnittele {sites} kohdetta", "en": "Plan {sites} sites"},
    "portfolio.progress": {
        "fi": "{done}/{total} kohdetta valmis, {failed} epäonnistui",
        "en": "{done}/{total} sites done, {failed} failed",
    },
    "portfolio.planned": {"fi": "Suunniteltu", "en": "Planned"},
    "portfolio.usable": {"fi": "Hyötyala", "en": "Usable area"},
    "portfolio.saving_m2": {"fi": "Säästö", "en": "Saving"},
    "portfolio.saving_eur": {"fi": "Säästö vuodessa", "en": "Saving a year"},
    "portfolio.failures": {
        "fi": "{count} kohdetta ilman suunnitelmaa",
        "en": "{count} sites with no plan",
    },
    "check.title": {"fi": "Työn vaiheet", "en": "Steps"},
    "check.partners": {"fi": "{n} toimijaa", "en": "{n} partners"},
    "check.problems": {"fi": "{n} korjattavaa", "en": "{n} to fix"},
    "check.usable": {"fi": "{m2} m² huoneistoalaa", "en": "{m2} m² usable"},
    "check.chosen": {"fi": "valittu {n}", "en": "option {n} chosen"},
    "download.yaml": {"fi": "Lataa skenaario (YAML)", "en": "Download the scenario (YAML)"},
    "download.yaml_help": {
        "fi": "Skenaario tässä tehdyin muutoksin; avautuu sellaisenaan uudelleen.",
        "en": "The scenario with the changes made here; it loads back as it is.",
    },
    "problems.title": {
        "fi": "Skenaariossa on korjattavaa:",
        "en": "The scenario has problems to fix:",
    },
    # scenario
    "scenario.intro": {
        "fi": "Avaa esimerkki tai lataa oma skenaariotiedostosi ja valitse palvelupisteen "
        "toimijat. Seuraavilla sivuilla muutat kysyntää ja rakennusta, luot pohjaratkaisut ja "
        "tulostat tilakortit.",
        "en": "Open an example or upload your own scenario file and choose the partners of "
        "the service point. On the next pages you change the demand and the building, make "
        "the floor-plan options and print the space cards.",
    },
    "scenario.start": {"fi": "Lähtötiedot", "en": "Start from"},
    "scenario.example": {"fi": "Esimerkki", "en": "Example"},
    "scenario.example_pick": {"fi": "Valitse esimerkki", "en": "Choose an example"},
    "scenario.open": {"fi": "Avaa esimerkki", "en": "Open the example"},
    "scenario.upload": {"fi": "…tai lataa skenaario (YAML)", "en": "…or upload a scenario (YAML)"},
    "scenario.upload_help": {
        "fi": "Enintään {kb} kt. Tiedosto tarkistetaan kuten komentorivillä.",
        "en": "At most {kb} kB. The file is checked as the command line checks it.",
    },
    "scenario.upload_failed": {
        "fi": "Tiedostoa {name} ei voitu ottaa käyttöön:",
        "en": "{name} could not be used:",
    },
    "scenario.start_failed": {
        "fi": "Komentorivillä annettua skenaariota ei voitu avata, joten Pori avattiin:",
        "en": "The scenario given on the command line could not be opened, so Pori is open:",
    },
    "scenario.upload_ok": {"fi": "{name} avattu.", "en": "{name} is open."},
    "scenario.partners_title": {"fi": "Toimijat", "en": "Partners"},
    "scenario.partners": {"fi": "Palvelupisteen toimijat", "en": "Partner agencies"},
    "scenario.partners_help": {
        "fi": "Luettelon toimijat; jo mukana olevan luvut säilyvät.",
        "en": "From the catalog; a partner already in keeps its figures.",
    },
    "scenario.partner_count": {"fi": "Toimijoita", "en": "Partners"},
    "scenario.visits": {"fi": "Käyntejä vuodessa", "en": "Visits a year"},
    "scenario.floor": {"fi": "Kerrosala", "en": "Floor area"},
    "scenario.revision": {"fi": "Muutos · päiväys", "en": "Revision · date"},
    # demand
    "demand.intro": {
        "fi": "Toimijoiden luvut taulukoissa; muutokset tarkistetaan heti ja huomautukset "
        "näkyvät oikealla.",
        "en": "Each partner's figures in the tables; every change is checked at once and "
        "the findings are shown on the right.",
    },
    "demand.tab.visits": {"fi": "Käynnit ja henkilöstö", "en": "Visits and staff"},
    "demand.tab.split": {"fi": "Kanavajakauma", "en": "Channel split"},
    "demand.tab.handling": {"fi": "Käsittelyajat, min", "en": "Handling times, min"},
    "demand.agency": {"fi": "Toimija", "en": "Agency"},
    "demand.annual_visits": {"fi": "Käynnit / v", "en": "Visits / year"},
    "demand.opening_days": {"fi": "Aukiolopäivät", "en": "Days open"},
    "demand.opening_hours": {"fi": "Aukiolotunnit / pv", "en": "Hours open / day"},
    "demand.peak_day_factor": {"fi": "Huippupäivän kerroin", "en": "Peak-day factor"},
    "demand.peak_hour_factor": {"fi": "Huipputunnin kerroin", "en": "Peak-hour factor"},
    "demand.group_size": {"fi": "Ryhmän koko", "en": "Group size"},
    "demand.staff_on_site": {"fi": "Henkilöstö paikalla", "en": "Staff on site"},
    "demand.shares_counters": {"fi": "Jakaa tiskit", "en": "Shares counters"},
    "demand.channel.self_service": {"fi": "Itsepalvelu", "en": "Self-service"},
    "demand.channel.quick_counter": {"fi": "Pikapalvelu", "en": "Quick counter"},
    "demand.channel.appointment": {"fi": "Ajanvaraus", "en": "Appointment"},
    "demand.channel.remote": {"fi": "Etäpalvelu", "en": "Remote"},
    "demand.channel.group": {"fi": "Ryhmä", "en": "Group"},
    "demand.split_sums": {"fi": "Summat (pitää olla 1,00): ", "en": "Sums (must be 1.00): "},
    "demand.check": {"fi": "Tarkistus", "en": "Check"},
    "demand.ok": {"fi": "Luvut ovat kunnossa.", "en": "The figures check out."},
    "demand.targets": {"fi": "Palvelutavoitteet", "en": "Service targets"},
    "demand.factors": {"fi": "Alat ja vuokra", "en": "Areas and rent"},
    "demand.counter_level": {
        "fi": "Tiskillä tavoiteajassa palveltujen osuus",
        "en": "Counter: share served within the target",
    },
    "demand.counter_wait_s": {"fi": "Tiskin tavoiteodotus, min", "en": "Counter: target wait, min"},
    "demand.self_service_wait_s": {
        "fi": "Itsepalvelun tavoiteodotus, min",
        "en": "Self-service: target wait, min",
    },
    "demand.room_utilisation": {"fi": "Huoneiden käyttöaste", "en": "Room utilisation"},
    "demand.desk_sharing_ratio": {
        "fi": "Työpisteitä / henkilö paikalla",
        "en": "Work places per person on site",
    },
    "demand.companions_factor": {
        "fi": "Henkilöä / odottava asiakas",
        "en": "Persons per waiting visitor",
    },
    "demand.circulation_factor": {"fi": "Liikennealakerroin", "en": "Circulation factor"},
    "demand.gross_factor": {"fi": "Brutto / huoneistoala", "en": "Gross over usable"},
    "demand.rent_eur_per_m2_month": {"fi": "Vuokra, €/m²/kk", "en": "Rent, €/m²/month"},
    # programme
    "programme.net": {"fi": "Huonetila (netto)", "en": "Net room area"},
    "programme.net_help": {
        "fi": "Ohjelman tilojen ala yhteensä.",
        "en": "The programme's rooms and places together.",
    },
    "programme.usable": {"fi": "Huoneistoala", "en": "Usable area"},
    "programme.usable_help": {
        "fi": "Netto + liikenneala (liikennealakerroin).",
        "en": "Net plus circulation (the circulation factor).",
    },
    "programme.gross": {"fi": "Bruttoala (ohjelma)", "en": "Gross area (programme)"},
    "programme.gross_help": {
        "fi": "Huoneistoala × bruttokerroin: ohjelman tarve, ei valitun rakennuksen ala.",
        "en": "Usable × gross factor: what the programme needs, not the chosen building's floor.",
    },
    "programme.staff": {"fi": "Henkilöstö paikalla", "en": "Staff on site"},
    "programme.rent": {"fi": "Vuokra, € / v", "en": "Rent, € / year"},
    "programme.rows": {"fi": "Tilat ja perustelut", "en": "Spaces and why"},
    "programme.col.name": {"fi": "Tila", "en": "Space"},
    "programme.col.zone": {"fi": "Vyöhyke", "en": "Zone"},
    "programme.col.privacy": {"fi": "Yksityisyys", "en": "Privacy"},
    "programme.col.count": {"fi": "Määrä", "en": "Count"},
    "programme.col.unit_area": {"fi": "m² / kpl", "en": "m² each"},
    "programme.col.area": {"fi": "Ala, m²", "en": "Area, m²"},
    "programme.col.why": {"fi": "Perustelu", "en": "Why"},
    "programme.col.net": {"fi": "Netto, m²", "en": "Net, m²"},
    "programme.col.share": {"fi": "Osuus", "en": "Share"},
    "programme.by_zone": {"fi": "Vyöhykkeittäin", "en": "By zone"},
    "programme.by_privacy": {"fi": "Yksityisyystasoittain", "en": "By privacy level"},
    "programme.pooling": {
        "fi": "Yhteinen piste vai erilliset toimipisteet",
        "en": "Shared point or separate offices",
    },
    "programme.pooling_line": {
        "fi": "Yhteinen piste {shared} erillisten toimipisteiden {separate} sijaan: {saving} "
        "({share}) ja {rent} € vuodessa vähemmän vuokraa.",
        "en": "Shared point {shared} against {separate} as separate offices: {saving} ({share}) "
        "and {rent} € a year less rent.",
    },
    "programme.pooling_table": {"fi": "Vertailu taulukkona", "en": "The comparison as a table"},
    "programme.allocation": {"fi": "Vuokran jako", "en": "Rent allocation"},
    "privacy.open": {"fi": "avoin", "en": "open"},
    "privacy.semi_open": {"fi": "puoliavoin", "en": "semi-open"},
    "privacy.private": {"fi": "yksityinen", "en": "private"},
    # footprint
    "footprint.intro": {
        "fi": "Suorakaide mittojen mukaan, monikulmio kulmapisteinä, DXF-pohjapiirustus tai "
        "IFC-rakennusmalli. Esikatselu on mittakaavassa.",
        "en": "A rectangle by its sides, a polygon by its corners, a DXF floor plan or an IFC "
        "building model. The preview is to scale.",
    },
    "footprint.mode": {"fi": "Rakennuksen muoto", "en": "Building from"},
    "footprint.mode.rectangle": {"fi": "Suorakaide", "en": "Rectangle"},
    "footprint.mode.polygon": {"fi": "Monikulmio", "en": "Polygon"},
    "footprint.mode.drawing": {"fi": "DXF- tai IFC-malli", "en": "DXF or IFC"},
    "footprint.width": {"fi": "Leveys, m", "en": "Width, m"},
    "footprint.depth": {"fi": "Syvyys, m", "en": "Depth, m"},
    "footprint.vertices_help": {
        "fi": "Kulmapisteet järjestyksessä ulkokehää pitkin, metreinä.",
        "en": "The corners in order round the outline, in metres.",
    },
    "footprint.dxf": {
        "fi": "DXF-pohjapiirustus tai IFC-rakennusmalli",
        "en": "DXF floor plan or IFC building model",
    },
    "footprint.storey": {"fi": "Mallin kerros", "en": "Storey of the model"},
    "footprint.dxf_none": {
        "fi": "Lataa piirustus tai malli: rakennus luetaan sen seinistä.",
        "en": "Upload a drawing or a model: the building is read from its walls.",
    },
    "footprint.units": {"fi": "Piirustuksen yksikkö", "en": "Drawing units"},
    "footprint.units_file": {"fi": "tiedoston oma", "en": "from the file"},
    "footprint.building": {"fi": "Piirustuksen rakennus", "en": "Building on the drawing"},
    "footprint.from_drawing": {
        "fi": "Rakennus piirustuksesta {name}",
        "en": "Building from {name}",
    },
    "footprint.own_doors": {
        "fi": "Skenaarion sisäänkäynnit eivät ole tämän rakennuksen seinällä; piirustuksen omat "
        "ovet otettiin käyttöön.",
        "en": "The scenario's entrances are not on this building; the drawing's own doors "
        "are used.",
    },
    "footprint.doors": {"fi": "Sisäänkäynnit", "en": "Entrances"},
    "footprint.door_id": {"fi": "Tunnus", "en": "Id"},
    "footprint.door_width": {"fi": "Leveys, m", "en": "Width, m"},
    "footprint.door_kind": {"fi": "Laji", "en": "Kind"},
    "footprint.windows_title": {"fi": "Ikkunat", "en": "Windows"},
    "footprint.all_windows": {
        "fi": "Kaikilla julkisivuilla ikkunat",
        "en": "Windows on every façade",
    },
    "footprint.windows": {"fi": "Ikkunalliset julkisivut", "en": "Windowed façades"},
    "footprint.partial_windows": {
        "fi": "Lisäksi {n} julkisivun osaa ikkunoin skenaariosta (säilytetään).",
        "en": "And {n} windowed parts of façades from the scenario (kept as they are).",
    },
    "footprint.obstacles": {
        "fi": "{n} kiinteää rakennetta (porras, hissi, pilarit) skenaariosta.",
        "en": "{n} fixed elements (stairs, lifts, columns) from the scenario.",
    },
    # options
    "options.count": {"fi": "Vaihtoehtoja", "en": "Options"},
    "options.generate": {"fi": "Luo vaihtoehdot", "en": "Generate options"},
    "options.progress": {
        "fi": "{kept} / {wanted} vaihtoehtoa valmiina",
        "en": "{kept} of {wanted} options ready",
    },
    "options.fewer": {
        "fi": "Rakennukseen mahtui {made} erilaista vaihtoehtoa ({asked} pyydetty).",
        "en": "{made} distinct options fit this floor ({asked} asked).",
    },
    "options.fewer_one": {
        "fi": "Rakennukseen mahtui vain yksi vaihtoehto ({asked} pyydetty).",
        "en": "Only one distinct option fits this floor ({asked} asked).",
    },
    "options.none_yet": {
        "fi": "Vaihtoehtoja ei ole vielä luotu: paina Luo vaihtoehdot.",
        "en": "No options yet: press Generate options.",
    },
    "options.stale": {
        "fi": "Skenaario on muuttunut vaihtoehtojen luomisen jälkeen: luo ne uudelleen.",
        "en": "The scenario has changed since the options were made: generate them again.",
    },
    "options.choose": {"fi": "Jatka vaihtoehdolla", "en": "Carry on with option"},
    "options.seed": {"fi": "siemen", "en": "seed"},
    "options.paths": {"fi": "Näytä asiakaspolut", "en": "Show the persona paths"},
    "options.audit_ok": {
        "fi": "Vaihtoehdon {option} geometrinen tarkastus: ei huomautettavaa.",
        "en": "Option {option}'s geometric audit: no problems found.",
    },
    "options.audit_bad": {"fi": "Tarkastuksen huomautukset:", "en": "The audit found:"},
    "options.rules_ok": {
        "fi": "Vaihtoehto {option} täyttää uloskäytävä-, esteettömyys- ja päivänvalovaatimukset.",
        "en": "Option {option} meets the exit, accessibility and daylight rules.",
    },
    "options.rules_bad": {
        "fi": (
            "Rakentamismääräykset (uloskäytävät YM 848/2017, esteettömyys VNa 241/2017, "
            "päivänvalo YM 1008/2017):"
        ),
        "en": (
            "Building rules (exits YM 848/2017, accessibility 241/2017, daylight YM 1008/2017):"
        ),
    },
    "options.compare": {"fi": "Vaihtoehtojen vertailu", "en": "The options compared"},
    "options.recommended": {
        "fi": "Suositus: **vaihtoehto {option}**, paras pistemäärä kaikki tavoitteet täyttäen.",
        "en": "Recommended: **option {option}**, the best score that meets every target.",
    },
    "options.none_meet": {
        "fi": "Mikään vaihtoehto ei täytä kaikkia tavoitteita; parhaat pisteet: "
        "vaihtoehto {option}.",
        "en": "No option meets every target; the best score is option {option}'s.",
    },
    "options.kpi": {"fi": "Mittari", "en": "KPI"},
    "options.target": {"fi": "Tavoite", "en": "Target"},
    "fig.option_short": {"fi": "Vaiht.", "en": "Option"},
    "strategy.linear": {"fi": "lineaarinen", "en": "linear"},
    "strategy.hub": {"fi": "keskusaula", "en": "hub"},
    "strategy.split": {"fi": "jaettu", "en": "split"},
    # exports
    "exports.always": {"fi": "Tilaohjelma ja skenaario", "en": "Programme and scenario"},
    "exports.xlsx": {"fi": "Tilaohjelma (XLSX)", "en": "Programme (XLSX)"},
    "exports.need_options": {
        "fi": "Piirustukset, tilakortit ja vertailuraportti tehdään vaihtoehdoista: luo ne ensin.",
        "en": "The drawings, space cards and options report are made from the options: make "
        "them first.",
    },
    "exports.plan": {"fi": "Vaihtoehdon {option} piirustus", "en": "Option {option}'s drawing"},
    "exports.ifc_help": {
        "fi": "IFC4-tilamalli: tilat pinta-aloineen, vyöhykkeet, ovet ja tilaohjelman vaatimukset",
        "en": "IFC4 space model: spaces with their areas, zones, doors and the programme's "
        "requirements",
    },
    "exports.printouts": {"fi": "Tulosteet", "en": "Printouts"},
    "exports.make_booklet": {
        "fi": "Tee vaihtoehdon {option} tilakortit (PDF)",
        "en": "Make the space cards of option {option} (PDF)",
    },
    "exports.make_report": {
        "fi": "Tee vertailuraportti (PDF)",
        "en": "Make the options report (PDF)",
    },
    "exports.printing": {"fi": "Tulostetaan (noin 10 s)…", "en": "Printing (about 10 s)…"},
    "exports.booklet": {"fi": "Lataa tilakortit (PDF)", "en": "Download the space cards (PDF)"},
    "exports.report": {
        "fi": "Lataa vertailuraportti (PDF)",
        "en": "Download the options report (PDF)",
    },
    "exports.card": {"fi": "Tilakortin esikatselu", "en": "Space card preview"},
    "exports.card_of": {"fi": "Tilakortti", "en": "Space card of"},
}


def t(key: str, **values: object) -> str:
    """The UI text in the user's language, with ``values`` filled in."""
    lang = str(st.session_state.get("lang", "en"))
    return translated(UI_TEXTS, key, lang, values, name="ui.texts.UI_TEXTS")


def num(value: float, decimals: int = 0) -> str:
    """A number as the user's language prints it (the printed pages' own rule)."""
    return number(value, str(st.session_state.get("lang", "en")), decimals)


def m2(value: float) -> str:
    """An area as the UI prints it: whole square metres."""
    return f"{num(value)} m²"

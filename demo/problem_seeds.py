"""The problems the seed texts name, and example effect indicators: what `load_demo` adds to
the seed löften of `demo.seeds` (by kommun code).

A problem's description quotes its seed text where the text describes the problem (see
`sources/`); titles are short names for what the text says. A problem lists the commitments
that answer it by their short text and the focus areas by their title. Ale's text names
problem areas (narkotika, fortkörning, störande moped- och A-traktorkörning) but promises no
numbered work against them: its problems point at its one focus area, not at commitments.

`EXAMPLE_INDICATORS` are invented for demonstration: no seed text gives a figure. Their values
are saved with `is_example=True` and the pages label them "Exempel"; their source says so.
"""

import datetime

from demo.seeds import ALE, KUNGALV, LYSEKIL, TANUM, TROLLHATTAN

D = datetime.date

PROBLEMS = {
    KUNGALV: [
        {
            "title": "Otrygghet på Nordmannatorget och i Komarken",
            "description": "Vi kommer att rikta in oss på Nordmannatorget och Komarken "
            "eftersom de platserna upplevs otrygga.",
            "places": ["Nordmannatorget", "Komarken"],
            "sources": [
                "Undersökningar om trygghet och dialoger med medborgarna",
                "Polisens och kommunens lägesbilder",
            ],
            "commitments": [
                "Bättre belysning, ökad insyn och mindre nedskräpning",
                "Permanent kameraövervakning på Nordmannatorget",
                "Fotpatrullering på Nordmannatorget och i Komarken",
                "Ökad närvaro av Trygga Ungdomsmiljöer (TUM)",
                "Två trygghetsvandringar",
            ],
            "focus_areas": ["Insatser för ökad trygghet"],
        },
        {
            "title": "Trafiken: hastighet och trimmade mopeder",
            "description": "Särskilt fokus riktas på trygghet, trafik och brottsaktiva.",
            "places": [],
            "sources": ["Undersökningar om trygghet och dialoger med medborgarna"],
            "commitments": [
                "Hastighetskontroller",
                "Insatser mot trimmade mopeder och A-traktorer",
                "Information om mopedåkning till föräldrar",
            ],
            "focus_areas": ["Insatser för ökad trafiksäkerhet"],
        },
        {
            "title": "Brottsaktiva personer",
            "description": "De så kallade brottsaktiva är få men står för en stor andel av den "
            "totala brottsligheten. De har ofta ett pågående missbruk som i sin tur också ofta "
            "leder till störande av ordning och en otrygghet i samhället.",
            "places": [],
            "sources": ["Polisens och kommunens lägesbilder"],
            "commitments": ["Kontakt med tio brottsaktiva personer"],
            "focus_areas": ["Riktade insatser mot brottsaktiva"],
        },
    ],
    TANUM: [
        {
            "title": "Inbrott",
            "description": "Kartläggningen visade att inbrott, trafikbrott samt "
            "narkotikarelaterad brottslighet är de tydligaste problemområdena i Tanums kommun.",
            "places": [],
            "sources": [
                "Kartläggning 2016: medborgardialoger, lokal trygghetsundersökning, polisens "
                "medarbetardialog"
            ],
            "commitments": ["Informationsträff om grannsamverkan"],
            "focus_areas": [],
        },
        {
            "title": "Trafikbrott",
            "description": "Kartläggningen visade att inbrott, trafikbrott samt "
            "narkotikarelaterad brottslighet är de tydligaste problemområdena i Tanums kommun.",
            "places": [],
            "sources": [
                "Kartläggning 2016: medborgardialoger, lokal trygghetsundersökning, polisens "
                "medarbetardialog"
            ],
            "commitments": ["Trafikkontroller på utpekade platser"],
            "focus_areas": [],
        },
        {
            "title": "Narkotikarelaterad brottslighet",
            "description": "Kartläggningen visade att inbrott, trafikbrott samt "
            "narkotikarelaterad brottslighet är de tydligaste problemområdena i Tanums kommun.",
            "places": [],
            "sources": [
                "Kartläggning 2016: medborgardialoger, lokal trygghetsundersökning, polisens "
                "medarbetardialog"
            ],
            "commitments": ["Riktade insatser mot narkotika"],
            "focus_areas": [],
        },
        {
            "title": "Önskan om ökad polisiär närvaro",
            "description": "Det visade sig också tydligt att det fanns en önskan om ökad "
            "polisiär närvaro i kommunen.",
            "places": [],
            "sources": ["Kartläggning 2016"],
            "commitments": [
                "Mobila poliskontoret en dag i veckan",
                "Hotspot-patrullering av otrygga platser",
            ],
            "focus_areas": [],
        },
    ],
    ALE: [
        {
            "title": "Narkotika",
            "description": "I den lokala lägesbilden har medborgarna, polisen och kommunen "
            "beskrivit narkotika och trafikrelaterade brott som några problemområden i Ale "
            "kommun. Polisens och kommunens gemensamma bild är att tillgängligheten av "
            "narkotika är stor och ungdomarna har en förändrad och mer liberal inställning "
            "till narkotika idag än tidigare. Problem med narkotika finns i hela kommunen.",
            "places": ["Hela kommunen"],
            "sources": [
                "Den lokala lägesbilden",
                "Medborgardialoger",
                "Polisens brottsstatistik (Uppföljning av brottsligheten 2017, Polisområde "
                "Storgöteborg)",
            ],
            "commitments": [],
            "focus_areas": ["Fortkörning och narkotika"],
        },
        {
            "title": "Fortkörning",
            "description": "I våra medborgardialoger har det bland annat framkommit att "
            "invånarna i Ale upplever att fortkörning är ett problem i stora delar av kommunen, "
            "både på större och mindre vägar.",
            "places": ["Stora delar av kommunen"],
            "sources": ["Medborgardialoger", "Den lokala lägesbilden"],
            "commitments": [],
            "focus_areas": ["Fortkörning och narkotika"],
        },
        {
            "title": "Störande moped- och A-traktorkörning",
            "description": "Även störande moped- och A-traktorkörning är ett bekymmer.",
            "places": [],
            "sources": ["Medborgardialoger"],
            "commitments": [],
            "focus_areas": ["Fortkörning och narkotika"],
        },
    ],
    LYSEKIL: [
        {
            "title": "Otrygghet kopplad till ett fåtal unga",
            "description": "En stor del av otryggheten i Lysekils kommun bedöms vara sprunget ur "
            "målgruppen barn och unga och ett begränsat antal individer inom den målgruppen som "
            "har ett normbrytande beteende i mötet med andra människor.",
            "places": [],
            "sources": ["Analys- och kartläggningsarbete i det strategiska trygghetsteamet"],
            "commitments": [],
            "focus_areas": ["Ungdomar, inkludering och positiva fritidsaktiviteter"],
        },
        {
            "title": "Brottsaktiva personer, narkotikabrott och tillgreppsbrott",
            "description": "Gemensamt fokus bör riktas mot brottsaktiva personer i Lysekils "
            "kommun. Det innefattar insatser mot specifika personer, men även specifika brott så "
            "som narkotikabrott eller tillgreppsbrott.",
            "places": [],
            "sources": ["Analys- och kartläggningsarbete i det strategiska trygghetsteamet"],
            "commitments": [],
            "focus_areas": ["Brottsaktiva personer och välfärdsbrott"],
        },
        {
            "title": "Utbredd otrygghet",
            "description": "Den utbredda otryggheten i Lysekils kommun behöver bemötas genom en "
            "kommunikationsstrategi som förenklar för medborgaren att veta vad som görs för att "
            "öka tryggheten och minska brottsligheten i Lysekils kommun.",
            "places": [
                "Norra Kronbergsgatan",
                "Färgaregatan/Södra Kronbergsgatan",
                "Norra hamnen",
            ],
            "sources": ["Analys- och kartläggningsarbete i det strategiska trygghetsteamet"],
            "commitments": [],
            "focus_areas": ["Trygga fysiska miljöer och mötesplatser", "Kommunikation"],
        },
    ],
    TROLLHATTAN: [
        {
            "title": "Otrygghet vid resecentrum och i kollektivtrafiken",
            "description": "Fokus ligger särskilt på den centrala stadsmiljön, resecentrum och "
            "kollektivtrafiken – platser där upplevd otrygghet är som störst, särskilt bland "
            "yngre kvinnor.",
            "places": ["Resecentrum", "Kollektivtrafiken", "Den centrala stadsmiljön"],
            "sources": [
                "Lokala trygghetsmätningar",
                "Dialoger med invånare och medarbetare",
            ],
            "commitments": [
                "Närvaro i offentlig miljö utifrån gemensam lägesbild",
                "Gemensam närvaro på resecentrum",
                "Fokusgrupp om resecentrum",
                "Riktade insatser i kollektivtrafiken",
            ],
            "focus_areas": [],
        },
        {
            "title": "Narkotikabrott i centrala delar av staden",
            "description": "Satsningar på att motverka narkotikabrott i centrala delar av "
            "staden ska intensifieras.",
            "places": ["Centrala delar av staden"],
            "sources": ["Dialoger med invånare och medarbetare"],
            "commitments": ["Intensifierat arbete mot narkotikabrott i centrum"],
            "focus_areas": [],
        },
        {
            "title": "Unga som rekryteras till kriminalitet",
            "description": "Vi kommer också fortsätta arbeta med våra ungdomar för att minska "
            "risken att de väljer kriminalitet och motverka nyrekrytering till organiserad "
            "brottslighet.",
            "places": [],
            "sources": ["Polisens och kommunens gemensamma lägesbild"],
            "commitments": ["Skydda unga från att dras in i kriminalitet"],
            "focus_areas": [],
        },
    ],
}

EXAMPLE_SOURCE = "Exempel: påhittade värden för demonstration, inte en verklig mätning"

EXAMPLE_INDICATORS = {
    TROLLHATTAN: [
        {
            "name": "Andel som känner sig otrygga vid resecentrum kvällstid",
            "place": "Resecentrum",
            "unit": "%",
            "direction": "lower",
            "source": EXAMPLE_SOURCE,
            "problems": ["Otrygghet vid resecentrum och i kollektivtrafiken"],
            "values": [
                (D(2023, 1, 1), "year", "41"),
                (D(2025, 1, 1), "year", "36"),
            ],
        },
        {
            "name": "Andel som känner sig otrygga i kollektivtrafiken",
            "place": "Kollektivtrafiken",
            "unit": "%",
            "direction": "lower",
            "source": EXAMPLE_SOURCE,
            "problems": ["Otrygghet vid resecentrum och i kollektivtrafiken"],
            "values": [
                (D(2023, 1, 1), "year", "27"),
                (D(2025, 1, 1), "year", "25"),
            ],
        },
    ],
    ALE: [
        {
            "name": "Anmälda narkotikabrott per 1 000 invånare",
            "place": "",
            "unit": "per 1 000 invånare",
            "direction": "lower",
            "source": EXAMPLE_SOURCE,
            "problems": ["Narkotika"],
            "values": [
                (D(2016, 1, 1), "year", "6.1"),
                (D(2017, 1, 1), "year", "6.8"),
            ],
        },
    ],
}

EXAMPLE_VALUE_NOTE = "Exempel: påhittat värde för demonstration."


def load_problems(loader, seed, pledge):
    """Creates or re-syncs the seed löfte's problems (found by their place in the löfte) and
    the kommun's example indicators (by name) with their example values (by period), through
    the loader's `save` and `set_m2m`, so a second run changes nothing."""
    from pledges.models import Indicator, IndicatorValue, Problem

    code = seed["municipality"]
    commitments = {c.short_text: c for c in pledge.commitments.all()}
    areas = {a.title: a for a in pledge.focus_areas.all()}
    problems = {}
    for order, item in enumerate(PROBLEMS.get(code, []), start=1):
        problem = loader.save(
            "problems",
            Problem,
            {"pledge": pledge, "order": order},
            {
                "title": item["title"],
                "description": item["description"],
                "places": "\n".join(item["places"]),
                "sources": "\n".join(item["sources"]),
            },
        )
        loader.set_m2m(
            "problem commitments",
            problem.commitments,
            [commitments[text] for text in item["commitments"]],
        )
        loader.set_m2m(
            "problem focus areas", problem.focus_areas, [areas[t] for t in item["focus_areas"]]
        )
        problems[item["title"]] = problem
    for item in EXAMPLE_INDICATORS.get(code, []):
        indicator = loader.save(
            "example indicators",
            Indicator,
            {"municipality": pledge.municipality, "name": item["name"]},
            {
                "place": item["place"],
                "unit": item["unit"],
                "direction": item["direction"],
                "source": item["source"],
            },
        )
        loader.set_m2m(
            "indicator problems", indicator.problems, [problems[t] for t in item["problems"]]
        )
        for period, granularity, value in item["values"]:
            loader.save(
                "example indicator values",
                IndicatorValue,
                {"indicator": indicator, "period": period},
                {
                    "granularity": granularity,
                    "value": _decimal(value),
                    "source": "",
                    "note": EXAMPLE_VALUE_NOTE,
                    "is_example": True,
                },
            )


def _decimal(text):
    from decimal import Decimal

    return Decimal(text).quantize(Decimal("0.001"))

"""The five seed löften as plain data: what `manage.py load_demo` loads.

The Swedish text is quoted as published (see `sources/`, and the test that checks every
commitment against its source); only web-page chrome (cookie and JavaScript notices, contact
centre opening hours, image captions, "Till toppen", a weather warning) is left out.
Headings that only announce the paragraph below them are not repeated.

Each löfte is one dict. Commitments list only what differs from the defaults in
`loader.COMMITMENT_DEFAULTS`, and each names its `commitment_kind` (`Commitment.Kind`, our
classification, not the published text). Anything under an `example` key is invented
demonstration data, not part of the published löfte: a status, dated example activities,
and a `series` of activities spread over the period with a fixed random seed. Their
descriptions start with "Exempel:" and the activities are saved with `is_example=True`.

Kommuner are referred to by their SCB code, so that a changed slug does not matter.
"""

import datetime

D = datetime.date

KUNGALV = "1482"
ALE = "1440"
TANUM = "1435"
LYSEKIL = "1484"
TROLLHATTAN = "1488"

REGION = "Väst"

# The kommuner each lokalpolisområde covers. Only kommuner we could confirm from public
# sources are listed (the seeds themselves name only their own kommun):
# - Kungälv/Ale (polisområde Storgöteborg): Kungälv and Ale, as its name says.
# - Västra Fyrbodal: Lysekil (seed 003) and Tanum (seed 001); Uddevalla, Strömstad, Munkedal
#   and Sotenäs from their own löften and news pages. Orust belongs to Södra Fyrbodal
#   (with Stenungsund and Tjörn), so it is not listed.
# - Östra Fyrbodal: Trollhättan (seed 004); Vänersborg, Åmål, Dals-Ed, Bengtsfors and
#   Mellerud from their löften. Färgelanda and Lilla Edet are left out: not confirmed.
POLICE_AREAS = [
    {
        "slug": "kungalv-ale",
        "name": "Lokalpolisområde Kungälv/Ale",
        "police_district": "Storgöteborg",
        "municipalities": [KUNGALV, ALE],
    },
    {
        "slug": "vastra-fyrbodal",
        "name": "Lokalpolisområde Västra Fyrbodal",
        "police_district": "Fyrbodal",
        "municipalities": [
            "1485",  # Uddevalla
            LYSEKIL,
            "1427",  # Sotenäs
            "1430",  # Munkedal
            TANUM,
            "1486",  # Strömstad
        ],
    },
    {
        "slug": "ostra-fyrbodal",
        "name": "Lokalpolisområde Östra Fyrbodal",
        "police_district": "Fyrbodal",
        "municipalities": [
            TROLLHATTAN,
            "1487",  # Vänersborg
            "1492",  # Åmål
            "1438",  # Dals-Ed
            "1460",  # Bengtsfors
            "1461",  # Mellerud
        ],
    },
]

# Ale's seed gives no period. The page was last checked on 2018-11-29 and points to the crime
# statistics up to 2017, so it describes the work in 2018: the calendar year 2018 is stored
# (a löfte needs dates to be ordered), but the löfte is marked `period_stated: False` and
# every page says "Perioden anges inte i källan" instead of these dates.
ALE_PERIOD = (D(2018, 1, 1), D(2018, 12, 31))

# Example activities are never dated after this day, whatever the period, so that reloading
# the demo data on another day gives the same result.
EXAMPLES_UNTIL = D(2026, 10, 31)


# --- Kungälv, from October 2018 (seed 000) ------------------------------------------------

KUNGALV_PLEDGE = {
    "municipality": KUNGALV,
    "police_area": "kungalv-ale",
    "slug": "2018-2019",
    "title": "Trygg i Kungälv – medborgarlöfte 2018–2019",
    # "I oktober 2018 lovade polisen och Kungälvs kommun" and "under ett år".
    "start_date": D(2018, 10, 1),
    "end_date": D(2019, 9, 30),
    "introduction": """\
Kungälvs kommun och polisen samarbetar och samverkar utifrån en modell som kallas Trygg i \
Kungälv. Målet är att öka tryggheten, minska brottsligheten och att öka förtroendet i samhället.

Löftet till medborgarna är ett åtagande som polisen och Kungälvs kommun gör till invånarna i \
kommunen under ett år. Löftet är utformat som konkreta aktiviteter som genomförs i syfte att \
minska ett problem som kommer att ha ett särskilt fokus i arbetet med att skapa trygghet.

Medborgarlöftet är en del av Trygg i Kungälv – en långsiktig satsning där polisen, kommunen \
och invånarna samverkar för att öka tryggheten i kommunen. Särskilt fokus riktas på trygghet, \
trafik och brottsaktiva.""",
    "background": """\
Arbetet med trygghet i Kungälv bygger på synpunkter från invånare, information från polisen \
och kommunens olika verksamheter. Invånarnas synpunkter tas tillvara genom undersökningar om \
trygghet och regelbundna dialoger med medborgarna. Inom polisen och kommunen samlar de \
ansvariga in information och uppdaterar lägesbilden regelbundet. Utifrån den skapas en \
gemensam plan för åtgärder, som beskriver de problem som ska åtgärdas.

Problemet som valts ut bygger på vad boende i kommunen har lyft fram i olika undersökningar \
om trygghet och i dialoger med medborgarna. Även de lägesbilder som polisen och kommunen har \
om den aktuella situationen i Kungälv ligger till grund.""",
    # "Medborgarlöftet ska" followed by four bullets, kept as written.
    "goals": [
        "öka tryggheten",
        "förebygga brott",
        "öka medborgarnas och lokalsamhällets delaktighet i det brottsförebyggande och "
        "trygghetsskapande arbetet",
        "stärka förtroendet för polisen.",
    ],
    "focus_places": ["Nordmannatorget", "Komarken"],
    "partners": ["Kriminalvården"],
    "follow_up_schedule": "",
    "follow_up_description": "",
    "signatories": [],
    "contacts": [],
    "focus_areas": [
        {
            "title": "Insatser för ökad trygghet",
            "description": "Vi kommer att rikta in oss på Nordmannatorget och Komarken eftersom "
            "de platserna upplevs otrygga.",
            "commitments": [
                {
                    "commitment_kind": "environment",
                    "text": "Den fysiska miljön och tryggheten ska förbättras genom att åtgärda "
                    "belysning, öka insynen och minska nedskräpningen.",
                    "short_text": "Bättre belysning, ökad insyn och mindre nedskräpning",
                    # "Kommunen med flera."
                    "municipality": True,
                    "responsible_note": "med flera",
                    "places": ["Nordmannatorget", "Komarken"],
                    "example": {
                        "status": "in_progress",
                        "entries": [
                            (
                                D(2019, 3, 12),
                                1,
                                "Nordmannatorget",
                                "Exempel: ny belysning vid gångvägen mot busshållplatsen.",
                            ),
                        ],
                    },
                },
                {
                    "commitment_kind": "environment",
                    "text": "Vi ska arbeta för en permanent kameraövervakning på "
                    "Nordmannatorget och omgivningarna som upplevs som otrygga.",
                    "short_text": "Permanent kameraövervakning på Nordmannatorget",
                    "police": True,
                    "places": ["Nordmannatorget"],
                    "example": {"status": "in_progress"},
                },
                {
                    "commitment_kind": "presence",
                    "text": "Fler poliser på Nordmannatorget och i Komarken som fotpatrullerar "
                    "på otrygga och särskilt brottsutsatta platser och tider vid minst 200 "
                    "tillfällen under året.",
                    "short_text": "Fotpatrullering på Nordmannatorget och i Komarken",
                    "police": True,
                    "places": ["Nordmannatorget", "Komarken"],
                    "kind": "count",
                    "quantity": 200,
                    "unit": "fotpatrulleringar",
                    "example": {
                        "series": {
                            "count": 137,
                            "places": ["Nordmannatorget", "Komarken"],
                            "description": "Exempel: fotpatrullering kvällstid på {place}.",
                        },
                    },
                },
                {
                    "commitment_kind": "youth",
                    "text": "Ökad närvaro i området från personalen på Trygga Ungdomsmiljöer, TUM.",
                    "short_text": "Ökad närvaro av Trygga Ungdomsmiljöer (TUM)",
                    "municipality": True,
                    "places": ["Nordmannatorget", "Komarken"],
                    "example": {"status": "in_progress"},
                },
                {
                    "commitment_kind": "safety_walks",
                    "text": "Två trygghetsvandringar ska genomföras i området.",
                    "short_text": "Två trygghetsvandringar",
                    "municipality": True,
                    "places": ["Nordmannatorget", "Komarken"],
                    "kind": "count",
                    "quantity": 2,
                    "unit": "trygghetsvandringar",
                    "example": {
                        "entries": [
                            (
                                D(2018, 11, 7),
                                1,
                                "Nordmannatorget",
                                "Exempel: trygghetsvandring med boende och "
                                "fastighetsägare kring Nordmannatorget.",
                            ),
                            (
                                D(2019, 4, 24),
                                1,
                                "Komarken",
                                "Exempel: trygghetsvandring i Komarken.",
                            ),
                        ],
                    },
                },
            ],
        },
        {
            "title": "Insatser för ökad trafiksäkerhet",
            "description": "",
            "commitments": [
                {
                    "commitment_kind": "traffic",
                    "text": "Minst 20 trafikkontroller med fokus på hastighet.",
                    "short_text": "Hastighetskontroller",
                    "police": True,
                    "kind": "count",
                    "quantity": 20,
                    "unit": "trafikkontroller",
                    "example": {
                        "series": {
                            "count": 16,
                            "places": ["Ytterby", "Kareby", "Kode", "Marstrand"],
                            "description": "Exempel: hastighetskontroll i {place}.",
                        },
                    },
                },
                {
                    "commitment_kind": "traffic",
                    "text": "Två insatser med fokus på trimmade mopeder och A-traktorer.",
                    "short_text": "Insatser mot trimmade mopeder och A-traktorer",
                    "police": True,
                    "kind": "count",
                    "quantity": 2,
                    "unit": "insatser",
                    "example": {
                        "entries": [
                            (
                                D(2019, 5, 17),
                                1,
                                "Kungälvs centrum",
                                "Exempel: kontroll av mopeder och A-traktorer en fredagskväll.",
                            ),
                        ],
                    },
                },
                {
                    "commitment_kind": "dialogue",
                    "text": "Information om trygg och säker mopedåkning kommer att skickas ut "
                    "till samtliga föräldrar i kommunen som har ungdomar som fyller 15 år.",
                    "short_text": "Information om mopedåkning till föräldrar",
                    "municipality": True,
                    "kind": "milestone",
                    "example": {
                        "entries": [
                            (
                                D(2019, 4, 15),
                                1,
                                "",
                                "Exempel: informationsbrev skickat till föräldrar till "
                                "ungdomar som fyller 15 år.",
                            ),
                        ],
                    },
                },
            ],
        },
        {
            "title": "Riktade insatser mot brottsaktiva",
            "description": "De så kallade brottsaktiva är få men står för en stor andel av den "
            "totala brottsligheten. De har ofta ett pågående missbruk som i sin tur också ofta "
            "leder till störande av ordning och en otrygghet i samhället. För att nå största "
            "möjliga effekt i arbetet med dessa individer måste samverkan ske med andra "
            "myndigheter och organisationer.",
            "commitments": [
                {
                    "commitment_kind": "targeted",
                    "text": "Vi lovar att fördjupa vårt samarbete mellan polis, socialtjänst "
                    "och kriminalvård i syfte att få till stånd en livsstilsförändring för "
                    "målgruppen. Detta ska ske genom att aktivt ta kontakt med tio brottsaktiva "
                    "personer som är bosatta i kommunen. Genom motiverande samtal erbjuds stöd "
                    "och behandling för att ta sig ur kriminalitet och eventuellt missbruk.",
                    "short_text": "Kontakt med tio brottsaktiva personer",
                    # "Kommun, polis och kriminalvård." (socialtjänsten is the kommun's).
                    "police": True,
                    "municipality": True,
                    "partners": ["Kriminalvården"],
                    "kind": "count",
                    "quantity": 10,
                    "unit": "kontaktade personer",
                    "example": {
                        "series": {
                            "count": 7,
                            "places": [""],
                            "description": "Exempel: motiverande samtal med en brottsaktiv "
                            "person tillsammans med socialtjänsten.",
                        },
                    },
                },
            ],
        },
    ],
}


# --- Tanum, January–December 2017 (seed 001) -----------------------------------------------

TANUM_PLEDGE = {
    "municipality": TANUM,
    "police_area": "vastra-fyrbodal",
    "slug": "2017",
    "title": "Medborgarlöften i Tanum",
    # "Medborgarlöftena gäller januari 2017 – december 2017"
    "start_date": D(2017, 1, 1),
    "end_date": D(2017, 12, 31),
    "introduction": """\
En gång i veckan kommer polisens mobila kontor att finnas på plats i Tanum. Inbrott, trafik \
och narkotika är andra områden där polisen lovar insatser under 2017.

Medborgarlöftena är en del i polisens och kommunens samverkan i det brottsförebyggande och \
trygghetsskapande arbetet. Syftet med medborgarlöften är att genom en förtroendeskapande \
dialog med medborgarna få ökad kunskap om medborgarnas förväntningar på polisen och Tanums \
kommun.""",
    "background": """\
Medborgarlöftena utgår från en kartläggning som lokalpolisområde Västra Fyrbodal tillsammans \
med Tanums kommun genomfört under 2016. Kartläggningen har baserats på medborgardialoger, \
lokal trygghetsundersökning, polisens medarbetardialog samt kunskap som polisen och Tanums \
kommun har. Medborgarlöftena ska bidra till ökad trygghet och minskad brottslighet. \
Kartläggningen visade att inbrott, trafikbrott samt narkotikarelaterad brottslighet är de \
tydligaste problemområdena i Tanums kommun. Det visade sig också tydligt att det fanns en \
önskan om ökad polisiär närvaro i kommunen.""",
    # The "Mål" paragraph, one sentence per line.
    "goals": [
        "Målen med aktiviteterna i medborgarlöftet är att stärka det brottsförebyggande "
        "arbetet, för att minska brottsligheten i Tanums kommun och öka tryggheten bland "
        "medborgarna.",
        "Medborgarlöftet ska även bidra till att förtroendet för polisen stärks.",
    ],
    "focus_places": [],
    "partners": [],
    "follow_up_schedule": "Löpande, med en utvärdering innan årets utgång",
    "follow_up_description": """\
Arbetet med medborgarlöftena kommer kontinuerligt att följas upp av Tanums kommun och \
Polismyndigheten och innan årets utgång ska en utvärdering ske för att se om effekt har \
nåtts. Återkoppling och resultat av det arbete som bedrivs för att nå målen sker via polisens \
och kommunens webbplatser, på sociala medier samt via massmedia.""",
    "signatories": [],
    "contacts": [
        {
            "name": "Sara Olsson",
            "role": "kommunpolis",
            "organisation": "Polisen",
            "phone": "010-56 521 92",
            "email": "",
        },
    ],
    # The seed has one list without headings; its lead-in names them "åtgärder".
    "focus_areas": [
        {
            "title": "Åtgärder",
            "description": "Polisen och kommunen ska arbeta för en ökad trygghet i Tanums "
            "kommun genom följande åtgärder:",
            "commitments": [
                {
                    "commitment_kind": "targeted",
                    "text": "Polisen ska utifrån lokal problem- och lägesbild genomföra riktade "
                    "insatser mot narkotika.",
                    "short_text": "Riktade insatser mot narkotika",
                    "police": True,
                    "example": {
                        "status": "done",
                        "entries": [
                            (
                                D(2017, 7, 14),
                                1,
                                "Grebbestad",
                                "Exempel: riktad narkotikainsats under sommarens helgkvällar.",
                            ),
                        ],
                    },
                },
                {
                    "commitment_kind": "presence",
                    "text": "Polisen ska Hotspot-patrullera platser som utifrån lokal problem- "
                    "och lägesbild upplevs som otrygga samt förebygga våld i offentlig miljö.",
                    "short_text": "Hotspot-patrullering av otrygga platser",
                    "police": True,
                    "example": {"status": "done"},
                },
                {
                    "commitment_kind": "traffic",
                    "text": "Polisen ska genomföra kontroller av störande eller olaglig trafik "
                    "samt allmänt trafikbeteende med fokus på de platser i kommunen som i "
                    "medborgardialogerna särskilt utpekats som otrygga ur "
                    "trafiksäkerhetssynpunkt.",
                    "short_text": "Trafikkontroller på utpekade platser",
                    "police": True,
                    "example": {"status": "done"},
                },
                {
                    "commitment_kind": "presence",
                    "text": "Mobila poliskontoret ska finnas på plats i Tanums kommun minst en "
                    "dag i veckan.",
                    "short_text": "Mobila poliskontoret en dag i veckan",
                    "police": True,
                    "kind": "recurring",
                    "quantity": 1,
                    "interval": "week",
                    "unit": "dagar med mobila poliskontoret",
                    "example": {
                        "series": {
                            "count": 40,
                            "weekdays": [2],  # Wednesdays
                            "places": ["Tanumshede", "Grebbestad", "Fjällbacka", "Hamburgsund"],
                            "description": "Exempel: mobila poliskontoret på plats i {place}.",
                        },
                    },
                },
                {
                    "commitment_kind": "dialogue",
                    # "grannssamverkan" is spelled so in the published text.
                    "text": "Kommunen och polisen ska i samverkan stärka arbetet med "
                    "grannssamverkan och tryggare boende och att vid minst ett tillfälle bjuda "
                    "in kommunens invånare till en informationsträff angående grannsamverkan "
                    "och på så sätt uppmuntra att starta nya föreningar.",
                    "short_text": "Informationsträff om grannsamverkan",
                    "police": True,
                    "municipality": True,
                    "kind": "count",
                    "quantity": 1,
                    "unit": "informationsträffar",
                    "example": {
                        "entries": [
                            (
                                D(2017, 3, 22),
                                1,
                                "Tanumshede",
                                "Exempel: informationsträff om grannsamverkan för "
                                "kommunens invånare.",
                            ),
                        ],
                    },
                },
                {
                    "commitment_kind": "cooperation",
                    # No full stop in the published text.
                    "text": "Kommunen ska arbeta brottsförebyggande och stödja polisens arbete "
                    "med kompetens och resurser",
                    "short_text": "Kommunen stödjer polisens arbete",
                    "municipality": True,
                    "example": {"status": "done"},
                },
                {
                    "commitment_kind": "presence",
                    "text": "Kommunen ska tillhandahålla platser där Mobila poliskontoret kan "
                    "bedriva sin verksamhet.",
                    "short_text": "Platser för mobila poliskontoret",
                    "municipality": True,
                    "example": {"status": "done"},
                },
                {
                    "commitment_kind": "environment",
                    "text": "Kommunen ska tillhandahålla en god gatubelysning och renhållning "
                    "inom Tanums kommun.",
                    "short_text": "God gatubelysning och renhållning",
                    "municipality": True,
                    "example": {"status": "done"},
                },
            ],
        },
    ],
}


# --- Ale, no period given (seed 002) -------------------------------------------------------

# Ale's page gives a lägesbild and problem areas from citizen dialogues, but no numbered
# commitments. Its heading "Fortkörning och narkotika" becomes the one focus area; the
# problem areas are not commitments (nothing is promised about them), so they are loaded as
# the focus area's text (`problem_areas`), quoting the page: no commitment is invented.
ALE_PLEDGE = {
    "municipality": ALE,
    "police_area": "kungalv-ale",
    "slug": "2018",
    "title": "Trygg i Ale – medborgarlöfte",
    "start_date": ALE_PERIOD[0],
    "end_date": ALE_PERIOD[1],
    "period_stated": False,
    "introduction": """\
Vi vet att den bästa vägen för att lyckas i det förebyggande arbetet är att samverka med \
andra. Alla kan hjälpa till för att förebygga att brott begås i vårt närområde. Detta \
engagemang är inte bara polisens uppgift. Det är allas vårt ansvar.

Brottsförebyggande insatser där alla kan medverka är till exempel nattvandring, \
trygghetsvandringar eller grannsamverkan.

Ale kommun och Lokalpolisområde Kungälv/Ale bedriver tillsammans med kommunens invånare ett \
långsiktigt samverkansarbete kallat Trygg i Ale. Målet är ökad trygghet, minskad \
brottslighet och stärkt förtroende för polis och kommun.""",
    "background": """\
Med utgångspunkt i den lokala lägesbilden med samlad kunskap från polisen, kommunen och \
invånarna, definierar vi vilka åtgärder som behöver genomföras. Invånarnas kunskap fångas upp \
i trygghetsundersökningar och genom medborgardialoger.

Åtgärdsplan skapas från den lokala lägesbilden. Med denna som grund tar vi fram en gemensam \
åtgärdsplan. Från planen väljs ett eller flera problemområden ut som särskilt angeläget att \
fokusera på under en period. Åtgärderna mot dessa problemområden formuleras som ett \
medborgarlöfte. Medborgarlöfte är ett åtagande som polisen och kommunen gör till dig som bor \
och vistas i Ale i syfte att minska ett problem som skapar otrygghet.

Medborgarlöftet är en del av samverkansöverenskommelsen kallad Trygg i Ale – en långsiktig \
satsning där polisen, kommunen och medborgarna samverkar för att öka tryggheten i Ale kommun. \
Inom ramen för Trygg i Ale har polisen och kommunen tagit fram en gemensam lokal läges- och \
problembild. Den bygger på samlad information från dialoger med medborgare, medarbetare och \
samverkanspartners, statistik från trygghetsmätningar samt polisens brottsstatistik.

Brottsstatistik
Det är tryggt att bo och vistas i Ale kommun. Ale har en förhållandesvis låg \
brottslighet, men varje brott är ett brott för mycket.

Polisområde Storgöteborg har publicerat rapporten ”Uppföljning av brottsligheten 2017”: \
Uppföljning av brottsutvecklingen under perioden 2014-2017 samt brottsligheten under 2017 med \
avseende på några utvalda typer av brott. Redovisningen består av diagram som visar \
utvecklingen kommunvis för respektive typ av brott samt de mest frekventa brottsplatserna \
under 2017.

På SVT:s webbplats (”Anmälda brott där du bor”) går det att välja kommun och brottstyp för \
att titta på antalet anmälningar sedan 1996, med information om hur man läser statistiken.""",
    # Its goal ("Målet är ökad trygghet, …") stays in the introduction, where the text has it.
    "goals": [],
    "focus_places": [],
    "partners": [],
    "follow_up_schedule": "",
    "follow_up_description": "",
    "signatories": [],
    "contacts": [],
    "focus_areas": [
        {
            "title": "Fortkörning och narkotika",
            "description": "I den lokala lägesbilden har medborgarna, polisen och kommunen "
            "beskrivit narkotika och trafikrelaterade brott som några problemområden i Ale "
            "kommun.",
            "commitments": [],
            "problem_areas": [
                {
                    "commitment_kind": "traffic",
                    "text": "I våra medborgardialoger har det bland annat framkommit att "
                    "invånarna i Ale upplever att fortkörning är ett problem i stora delar av "
                    "kommunen, både på större och mindre vägar.",
                    "short_text": "Fortkörning",
                    "police": True,
                    "municipality": True,
                },
                {
                    "commitment_kind": "traffic",
                    "text": "Även störande moped- och A-traktorkörning är ett bekymmer.",
                    "short_text": "Störande moped- och A-traktorkörning",
                    "police": True,
                    "municipality": True,
                },
                {
                    "commitment_kind": "youth",
                    "text": "Utöver detta uttrycker också invånarna en oro över ungas tillgång "
                    "till och användning av narkotika och önskar att arbetet mot narkotika ska "
                    "intensifieras. Polisens och kommunens gemensamma bild är att "
                    "tillgängligheten av narkotika är stor och ungdomarna har en förändrad och "
                    "mer liberal inställning till narkotika idag än tidigare. Problem med "
                    "narkotika finns i hela kommunen.",
                    "short_text": "Narkotika",
                    "police": True,
                    "municipality": True,
                },
            ],
        },
    ],
}


# --- Lysekil, April 2021 – December 2022 (seed 003) ----------------------------------------

# The seed names no responsible party for most items; only what the text says is set:
# "Lysekils kommun ansvarar" (EST), "(Polismyndigheten)", "Polisnärvaro" (the police),
# "kommunal ordningsföreskrift" (the kommun) and "Trygghetsvärdar LBAB" (LysekilsBostäder AB).
LYSEKIL_PLEDGE = {
    "municipality": LYSEKIL,
    "police_area": "vastra-fyrbodal",
    "slug": "2021-2022",
    "title": "Medborgarlöfte i Lysekils kommun",
    # "Medborgarlöftena för perioden april 2021 – december 2022"
    "start_date": D(2021, 4, 1),
    "end_date": D(2022, 12, 31),
    "introduction": """\
Medborgarlöften är en utveckling av samarbetet som finns mellan kommun och polis.

När löftena tas fram ska våra invånare i kommunen involveras, och löftena ska innehålla det \
som invånarna upplever som problem. Det handlar om konkreta aktiviteter som kommun och polis \
tillsammans kommer överens om för att öka tryggheten och minska brottsligheten.""",
    "background": """\
Nedan punktade prioriterade fokusområden identifierades i samband med analys- och \
kartläggningsarbete i det strategiska trygghetsteamet.

Trygga fysiska miljöer och mötesplatser
Fokus på att prioritera trygghetsfrämjande åtgärder i den fysiska miljön och i arbetet med att \
skapa positiva mötesplatser.

Ungdomar, inkludering och positiva fritidsaktiviteter
En stor del av otryggheten i Lysekils kommun bedöms vara sprunget ur målgruppen barn och unga \
och ett begränsat antal individer inom den målgruppen som har ett normbrytande beteende i \
mötet med andra människor.
Barn och unga behöver inkluderas i de sammanhang där de är berörda, vilket innebär att de bör \
inkluderas i det trygghetsfrämjande och brottsförebyggande arbetet.
För att stärka barn och unga i deras utveckling ska positiva fritidsaktiviteter och \
ferieanställningar erbjudas i så stor utsträckning som möjligt.

Brottsaktiva personer och välfärdsbrott
Gemensamt fokus bör riktas mot brottsaktiva personer i Lysekils kommun. Det innefattar \
insatser mot specifika personer, men även specifika brott så som narkotikabrott eller \
tillgreppsbrott. Det innefattar även myndighetsgemensamma tillsynsinsatser utifrån aktuell \
gemensam lägesbild där socialförvaltningen, räddningstjänsten och miljöenheten har viktiga \
uppdrag samtidigt som vaksamheten bör öka inom kommunens förvaltningar kring välfärdsbrott som \
riktas mot kommunen.

Kommunikation
Den utbredda otryggheten i Lysekils kommun behöver bemötas genom en kommunikationsstrategi som \
förenklar för medborgaren att veta vad som görs för att öka tryggheten och minska \
brottsligheten i Lysekils kommun. I den kommunikativa strategin ingår det även att arbeta med \
målgruppsanpassad förebyggande information och att ha en beredskap för att kunna kommunicera \
kring plötsligt inträffade oönskade händelser i syfte att motverka ryktesspridning.

Kartläggning och långsiktig planering
Den nu genomförde kartläggningen visar, mot bakgrund av tidigare års kartläggningar, att \
problembeskrivningen inte har förändrats i någon väsentlig utsträckning. Det talar för att en \
långsiktig strategi med utgångspunkt i kommunens utvecklingsområden behöver formuleras.
Motsvarande behov finns när det gäller strategin kring belysning inom kommunen där behovet av \
en övergripande belysningsstrategi har identifierats.""",
    "goals": [],
    "focus_places": [
        "Norra Kronbergsgatan",
        "Färgaregatan/Södra Kronbergsgatan",
        "Norra hamnen",
    ],
    "partners": [
        "LEVA i Lysekil AB",
        "LysekilsBostäder AB",
        "Wallins Bevakningstjänst i Väst AB",
    ],
    "follow_up_schedule": "",
    "follow_up_description": "",
    "signatories": [],
    "contacts": [],
    "focus_areas": [
        {
            "title": "Samordning av brottsförebyggande och trygghetsfrämjande resurser genom "
            "arbetsmetoden EST (effektiv samordning för trygghet)",
            "description": "Det brottsförebyggande och trygghetsfrämjande arbetet i Lysekils "
            "kommun utgår från samtliga nämnders och förvaltningars grunduppdrag. Styrningen "
            "och ledningen av det gemensamma arbetet för en tryggare och säkrare kommun uppnås "
            "genom tvärsektoriell samordning som uppnås genom en särskild "
            "samverkansorganisation bestående av en styrgrupp, ett operativt trygghetsteam och "
            "ett strategiskt trygghetsteam.",
            "commitments": [
                {
                    "commitment_kind": "cooperation",
                    "text": "Lysekils kommun ansvarar för att sammankalla styrgruppen för det "
                    "brottsförebyggande och trygghetsfrämjande arbetet. Kommundirektören är "
                    "ordförande i styrgruppen som i övrigt består av samtliga förvaltningschefer, "
                    "avdelningschefen för hållbar utveckling samt lokalpolisområdeschefen för "
                    "lokalpolisområde västra Fyrbodal. Styrgruppen beslutar hur det "
                    "brottsförebyggande och trygghetsfrämjande arbetet ska bedrivas.",
                    "short_text": "Styrgruppen för det brottsförebyggande arbetet",
                    "municipality": True,
                    "example": {"status": "in_progress"},
                },
                {
                    "commitment_kind": "cooperation",
                    # "veckovisa måndagsavstämningar": a weekly target.
                    "text": "Lysekils kommun ansvarar för att sammankalla till veckovisa "
                    "måndagsavstämningar i det operativa trygghetsteamet i syfte att skapa en "
                    "gemensam lägesbild utifrån EST. I det operativa trygghetsteamet ingår "
                    "verksamheter från kommunstyrelseförvaltningen, "
                    "samhällsbyggnadsförvaltningen, utbildningsförvaltningen och "
                    "socialförvaltningen samt LEVA i Lysekil AB, LysekilsBostäder AB, "
                    "Polismyndigheten och Wallins Bevakningstjänst i Väst AB. Det operativa "
                    "trygghetsteamet arbetar reaktivt förebyggande där verksamheterna som ingår "
                    "i teamet representeras av enhetschefer eller arbetsledare som själva är "
                    "beslutsföra i syfte att kunna agera snabbt mot en förändrad lägesbild.",
                    "short_text": "Veckovisa måndagsavstämningar i det operativa trygghetsteamet",
                    "municipality": True,
                    "kind": "recurring",
                    "quantity": 1,
                    "interval": "week",
                    "unit": "måndagsavstämningar",
                    "example": {
                        "series": {
                            "count": 80,
                            "weekdays": [0],  # Mondays
                            "places": [""],
                            "description": "Exempel: måndagsavstämning i det operativa "
                            "trygghetsteamet.",
                        },
                    },
                },
                {
                    "commitment_kind": "cooperation",
                    "text": "Lysekils kommun ansvarar för att sammankalla det strategiska "
                    "trygghetsteamet som består av representanter från samtliga förvaltningar "
                    "och nyckelfunktioner så som näringslivsutvecklare och föreningsutvecklare. "
                    "Det strategiska trygghetsteamet ska arbeta förebyggande och främjande på "
                    "kort och lång sikt och utifrån analys, kartläggning och uppföljning "
                    "formulera förslag till beslut för styrgruppen.",
                    "short_text": "Det strategiska trygghetsteamet",
                    "municipality": True,
                    "example": {"status": "in_progress"},
                },
            ],
        },
        {
            "title": "Trygga fysiska miljöer och mötesplatser",
            "description": "",
            "commitments": [
                {
                    "commitment_kind": "environment",
                    "text": "Genomförande av trygghetsfrämjande åtgärder i den fysiska miljön "
                    "kring Norra Kronbergsgatan och dess närområde",
                    "places": ["Norra Kronbergsgatan"],
                    "example": {
                        "status": "in_progress",
                        "entries": [
                            (
                                D(2021, 10, 20),
                                1,
                                "Norra Kronbergsgatan",
                                "Exempel: buskage utglesat och belysningen förstärkt.",
                            ),
                        ],
                    },
                },
                {
                    "commitment_kind": "environment",
                    "text": "Implementering och kunskapshöjande insats kring konceptet "
                    "BoTryggt2030",
                    "example": {"status": "in_progress"},
                },
                {
                    "commitment_kind": "environment",
                    "text": "Under en avgränsad tid införa kameraövervakning kring "
                    "Färgaregatan/Södra Kronbergsgatan",
                    "places": ["Färgaregatan/Södra Kronbergsgatan"],
                },
                {
                    "commitment_kind": "environment",
                    "text": "Aktörsgemensam rutin för effektiv hantering av skadegörelse/klotter",
                },
                {
                    "commitment_kind": "presence",
                    "text": "Fältteam som arbetar uppsökande utifrån aktuell gemensam lägesbild",
                    "example": {"status": "in_progress"},
                },
                {
                    "commitment_kind": "presence",
                    "text": "Ordningsvakter som arbetar trygghetsfrämjande och brottsförebyggande "
                    "i kommunens LOV3-områden utifrån en aktuell gemensam lägesbild",
                },
                {
                    "commitment_kind": "presence",
                    "text": "Hamnvärdar med trygghetsfrämjande uppdrag som verkar i våra "
                    "småbåtshamnar",
                },
                {
                    "commitment_kind": "presence",
                    "text": "Trygghetsvärdar LBAB som verkar i LysekilsBostäder AB:s "
                    "bostadsområden och dess närområden",
                    "partners": ["LysekilsBostäder AB"],
                },
                {
                    "commitment_kind": "presence",
                    "text": "Polisnärvaro utifrån aktuell gemensam lägesbild",
                    "police": True,
                    "example": {"status": "in_progress"},
                },
                {
                    "commitment_kind": "other",
                    "text": "Revidera kommunal ordningsföreskrift kring fyrverkerier/pyroteknik "
                    "inom kommunens geografiska område och fiskeförbudet i Norra hamnen",
                    "municipality": True,
                    "places": ["Norra hamnen"],
                    "kind": "milestone",
                },
            ],
        },
        {
            "title": "Ungdomar, inkludering och positiva fritidsaktiviteter",
            "description": "",
            "commitments": [
                {
                    "commitment_kind": "youth",
                    "text": "Genomföra projektet Människan Bakom Uniformen (MBU)",
                },
                {
                    "commitment_kind": "youth",
                    "text": "Inleda projekt som inkluderar motorburen ungdom",
                },
                {"commitment_kind": "dialogue", "text": "Medborgardialog"},
                {
                    "commitment_kind": "youth",
                    "text": "Feriearbete för unga",
                    "example": {"status": "done"},
                },
                {
                    "commitment_kind": "youth",
                    "text": "Sommarlovsaktiviteter",
                    "example": {
                        "status": "done",
                        "entries": [
                            (
                                D(2021, 7, 5),
                                1,
                                "",
                                "Exempel: sommarlovsaktiviteter för barn och unga i "
                                "samarbete med föreningar.",
                            ),
                        ],
                    },
                },
                {
                    "commitment_kind": "youth",
                    "text": "Riktat föreningsstöd för att framförallt kunna behålla ungdomar "
                    "från familjer med svag ekonomi",
                },
                {
                    "commitment_kind": "other",
                    "text": "Föräldrautbildning till föräldrar från andra länder - ”Förälder i "
                    "Sverige”",
                },
                {
                    "commitment_kind": "cooperation",
                    "text": "Framtagande av digital orosanmälan. Mottaget ska systematisera "
                    "informationen till andra aktörer regelbundet om orosanmälan.",
                    "kind": "milestone",
                },
                {
                    "commitment_kind": "dialogue",
                    "text": "Trygghetsdialog med det lokala näringslivet genom den "
                    "samverkansstruktur som näringslivsutvecklaren verkar i.",
                },
            ],
        },
        {
            "title": "Brottsaktiva personer och välfärdsbrott",
            "description": "",
            "commitments": [
                {
                    "commitment_kind": "targeted",
                    "text": "Myndighetsgemensamma tillsynsinsatser genomförs utifrån aktuell "
                    "gemensam lägesbild",
                },
                {
                    "commitment_kind": "targeted",
                    "text": "Insatser mot brottsaktiva personer",
                    "police": True,  # "(Polismyndigheten)"
                    "example": {"status": "in_progress"},
                },
                {
                    "commitment_kind": "targeted",
                    "text": "Narkotikainsatser genomförs utifrån aktuell lokal lägesbild",
                    "police": True,  # "(Polismyndigheten)"
                    "example": {"status": "in_progress"},
                },
                {
                    "commitment_kind": "other",
                    "text": "Kunskapshöjande insatser inom kommunens verksamheter för att öka "
                    "vaksamheten kring välfärdsbrott som riktas mot kommunen",
                },
            ],
        },
        {
            "title": "Kommunikation",
            "description": "",
            "commitments": [
                {
                    "commitment_kind": "dialogue",
                    "text": "Aktiv kommunikation utifrån ett gemensamt nyhetsschema",
                },
            ],
        },
        {
            "title": "Kartläggning och långsiktig planering",
            "description": "",
            "commitments": [
                {
                    "commitment_kind": "environment",
                    "text": "Belysningsstrategi",
                    "kind": "milestone",
                    "example": {"status": "in_progress"},
                },
                {
                    "commitment_kind": "other",
                    "text": "Trygghetsmätning 2022",
                    "kind": "milestone",
                    "example": {
                        "entries": [
                            (
                                D(2022, 10, 14),
                                1,
                                "",
                                "Exempel: trygghetsmätningen 2022 är genomförd.",
                            ),
                        ],
                    },
                },
            ],
        },
    ],
}


# --- Trollhättan, 2025–2026 (seed 004) -----------------------------------------------------

TROLLHATTAN_PLEDGE = {
    "municipality": TROLLHATTAN,
    "police_area": "ostra-fyrbodal",
    "slug": "2025-2026",
    "title": "Medborgarlöftet för ett tryggare Trollhättan",
    # "ett nytt medborgarlöfte för 2025–2026"
    "start_date": D(2025, 1, 1),
    "end_date": D(2026, 12, 31),
    # The seed spells the chair of the kommunstyrelse both "Pete" (in an image caption) and
    # "Peter" (twice in the text); we use Peter.
    "introduction": """\
Trollhättans Stad och lokalpolisområde Östra Fyrbodal har gemensamt tagit fram ett nytt \
medborgarlöfte för 2025–2026.

– Vi har ett gemensamt ansvar att skapa en trygg stad för alla. Genom medborgarlöftet riktar \
vi in våra resurser på rätt saker – utifrån vad Trollhätteborna själva upplever som viktigt. \
Det handlar både om att förebygga brott och om att bygga förtroende. Det är inte acceptabelt \
att människor känner sig otrygga i stadens centrum eller i kollektivtrafiken. Nu kliver vi \
fram och markerar: trygghet är inte förhandlingsbart, säger Peter Eriksson, kommunstyrelsens \
ordförande i Trollhättan.

– I detta medborgarlöfte riktar vi in oss mot den otrygghet som medborgarna ger uttryck för i \
trygghetsmätningarna. Vårt gemensamma mål är att öka tryggheten i den offentliga miljön, med \
fokus på resecentrum och på platser som människor måste besöka för att kunna resa. Vi kommer \
också fortsätta arbeta med våra ungdomar för att minska risken att de väljer kriminalitet och \
motverka nyrekrytering till organiserad brottslighet. Vi behöver hjälp av resten av samhället \
i arbetet med att skydda våra unga från kriminella krafter. Det kan handla om att reagera, ta \
samtalet med en ungdom som förändrat sitt beteende eller flagga sin oro till myndigheter, \
säger Jens Börretzen, lokalpolisområdeschef.""",
    "background": """\
Löftet bygger på den problembild som invånare och medarbetare lyft fram i dialoger samt \
resultat från lokala trygghetsmätningar.

Fokus ligger särskilt på den centrala stadsmiljön, resecentrum och kollektivtrafiken – platser \
där upplevd otrygghet är som störst, särskilt bland yngre kvinnor.""",
    "goals": [
        "Målet är tydligt: att öka tryggheten i Trollhättan och minska invånarnas oro för brott.",
    ],
    "focus_places": ["Den centrala stadsmiljön", "Resecentrum", "Kollektivtrafiken"],
    "partners": [],
    "follow_up_schedule": "två gånger per år",
    "follow_up_description": "Arbetet kommer att följas upp och redovisas två gånger per år.",
    "signatories": [
        {
            "name": "Jens Börretzen",
            "title": "lokalpolisområdeschef",
            "organisation": "Polisen",
        },
        {
            "name": "Peter Eriksson (M)",
            "title": "kommunstyrelsens ordförande",
            "organisation": "Trollhättans Stad",
        },
    ],
    "contacts": [],
    "focus_areas": [
        {
            "title": "Insatser med fokus på trygghet och förebyggande arbete",
            "description": "Medborgarlöftet innehåller en rad konkreta åtaganden:",
            "commitments": [
                {
                    "commitment_kind": "presence",
                    "text": "Polisens och kommunens närvaro i offentlig miljö ska anpassas "
                    "utifrån en gemensam lägesbild.",
                    "short_text": "Närvaro i offentlig miljö utifrån gemensam lägesbild",
                    "police": True,
                    "municipality": True,
                    "example": {"status": "in_progress"},
                },
                {
                    "commitment_kind": "targeted",
                    "text": "Satsningar på att motverka narkotikabrott i centrala delar av "
                    "staden ska intensifieras.",
                    "short_text": "Intensifierat arbete mot narkotikabrott i centrum",
                    "example": {"status": "in_progress"},
                },
                {
                    "commitment_kind": "presence",
                    "text": "Gemensam närvaro på resecentrum ska bidra till dialog med invånare "
                    "och förbättrad trygghet.",
                    "short_text": "Gemensam närvaro på resecentrum",
                    # "Gemensam": the police and the kommun together.
                    "police": True,
                    "municipality": True,
                    "places": ["Resecentrum"],
                    "example": {
                        "status": "in_progress",
                        "series": {
                            "count": 24,
                            "weekdays": [4, 5],  # Fridays and Saturdays
                            "places": ["Resecentrum"],
                            "description": "Exempel: polis och kommunens trygghetsvärdar på "
                            "plats på resecentrum kvällstid, samtal med resenärer.",
                        },
                    },
                },
                {
                    "commitment_kind": "cooperation",
                    # Published as one bullet with the next sentence on its own line: two
                    # separate commitments.
                    "text": "En tillfällig fokusgrupp ska tillsättas för att analysera "
                    "situationen kring resecentrum.",
                    "short_text": "Fokusgrupp om resecentrum",
                    "places": ["Resecentrum"],
                    "example": {
                        "status": "done",
                        "entries": [
                            (
                                D(2025, 3, 18),
                                1,
                                "Resecentrum",
                                "Exempel: fokusgruppens första möte.",
                            ),
                        ],
                    },
                },
                {
                    "commitment_kind": "targeted",
                    "text": "Riktade insatser i kollektivtrafiken ska genomföras.",
                    "short_text": "Riktade insatser i kollektivtrafiken",
                    "places": ["Kollektivtrafiken"],
                    "example": {"status": "in_progress"},
                },
                {
                    "commitment_kind": "youth",
                    "text": "Det brottsförebyggande arbetet för att skydda unga från att dras in "
                    "i kriminalitet ska förstärkas.",
                    "short_text": "Skydda unga från att dras in i kriminalitet",
                    "example": {"status": "in_progress"},
                },
            ],
        },
    ],
}


PLEDGES = [KUNGALV_PLEDGE, TANUM_PLEDGE, ALE_PLEDGE, LYSEKIL_PLEDGE, TROLLHATTAN_PLEDGE]

# The kommuner of the demo accounts (demo.accounts) whose seed löfte gets an invented "next
# löfte" whenever the kommun has none running, so every demo account has something to log
# on whatever the date (`DemoLoader.ensure_current_example`). Not Ale: its löfte has no
# commitments to copy, and the police account logs on Kungälv's.
NEXT_EXAMPLE_FOR = [KUNGALV, TROLLHATTAN]

# The source file of each seed löfte, by kommun code (for the faithfulness test).
SOURCES = {
    KUNGALV: "kungalv.txt",
    TANUM: "tanum.txt",
    ALE: "ale.txt",
    LYSEKIL: "lysekil.txt",
    TROLLHATTAN: "trollhattan.txt",
}

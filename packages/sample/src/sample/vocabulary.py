"""Word lists the generators draw text from: small, but in each publisher's language, so titles
look like the real ones (English for MIND, Danish for EB-NeRD, Norwegian for Adressa)."""

from __future__ import annotations


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


ENGLISH = _words(
    "the a new how why what this man woman family police court judge state city town county "
    "school student teacher team coach player game season win loses record first last best "
    "worst year week day night home house street car truck storm snow rain fire water report "
    "says said could would will may after before over under into from with about against "
    "president senator governor mayor trump congress vote election plan bill tax money market "
    "stock price deal company workers jobs health doctor hospital study diet food recipe "
    "dinner holiday travel beach flight airport hotel photos video watch shows reveals finds "
    "shocking simple easy ways things you need know should never always people dog cat baby "
    "star actor singer movie show music album fans royal queen prince wedding secret life "
    "death killed dies dead injured crash shooting arrested charged missing found search "
    "rescue old young big small top million billion dollar nfl nba college football "
    "basketball baseball soccer golf"
)

MIND_CATEGORIES = {
    "news": ("newsus", "newsworld", "newspolitics", "newscrime", "newsscienceandtechnology"),
    "sports": ("football_nfl", "basketball_nba", "golf", "soccer", "baseball_mlb"),
    "lifestyle": ("lifestyleroyals", "lifestylebuzz", "lifestylefamily", "shop-holidays"),
    "health": ("weightloss", "medical", "wellness", "nutrition"),
    "finance": ("finance-companies", "markets", "finance-real-estate", "personalfinance"),
    "entertainment": ("celebrity", "entertainment-celebrity", "movienews"),
    "foodanddrink": ("recipes", "foodnews", "restaurantsandnews"),
    "travel": ("travelnews", "traveltrends", "travelarticle"),
    "autos": ("autosnews", "autosenthusiasts", "autosclassics"),
    "weather": ("weathertopstories", "weathernews"),
    "tv": ("tvnews", "tv-celebrity", "tvreviews"),
    "music": ("musicnews", "music-celebrity"),
    "movies": ("movies-celebrity", "movienews"),
    "video": ("news", "viral", "animals"),
    "kids": ("kids",),
    "northamerica": ("newsus",),
    "middleeast": ("middleeast",),
}

FIRST_NAMES = _words(
    "John Mary James Patricia Robert Jennifer Michael Linda William Elizabeth David Barbara "
    "Richard Susan Joseph Jessica Thomas Sarah Charles Karen Nancy Daniel Lisa Matthew Betty "
    "Tom Kim Meghan Harry Elizabeth Donald Nancy Joe Kamala Taylor Kanye Serena Tiger"
)
LAST_NAMES = _words(
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez "
    "Wilson Anderson Taylor Thomas Moore Jackson Martin Lee Thompson White Harris Clark Lewis "
    "Walker Hall Allen Young King Wright Scott Green Baker Adams Nelson Hill Campbell Mitchell"
)
PLACES = _words(
    "Texas California Florida Ohio Chicago Boston Seattle Denver Atlanta Detroit Phoenix Miami "
    "London Paris Mexico Canada China Russia Iran Syria Japan Germany Brazil Australia Alaska "
    "Hawaii Oregon Georgia Virginia Michigan Arizona Nevada Utah Iowa Kansas Maine Vermont"
)
ORGANIZATIONS = _words(
    "Walmart Amazon Apple Google Facebook Microsoft Netflix Disney Boeing Tesla Ford Costco "
    "Target Starbucks McDonald's NASA FBI CIA NATO Congress Senate Pentagon Yale Harvard "
    "Patriots Cowboys Lakers Yankees Warriors Packers Eagles Steelers Chiefs Raiders"
)

DANISH = _words(
    "ny nyt gammel stor lille dansk danske kvinde mand barn børn familie politi politiet "
    "dommer retten sag sagen bil bilen ulykke brand død dræbt anholdt sigtet fængsel "
    "regeringen minister statsminister folketinget valg skat penge løn job arbejde firma "
    "kendt kendte stjerne skuespiller sanger film musik fest bryllup kærlighed hemmelig "
    "fodbold landsholdet superliga træner spiller kamp sejr nederlag mål guld sæson "
    "vejret regn sne sol storm sommer vinter weekend aften nat morgen i går i dag "
    "chok afslører fortæller raser vil kan skal må efter før over under med uden mod "
    "København Aarhus Odense Aalborg Jylland Sjælland Fyn Tyskland Sverige Norge hospital "
    "læge sundhed rejse ferie hus bolig"
)

EBNERD_CATEGORIES = (
    (118, "nyheder", (133, 124, 130, 121)),
    (142, "sport", (196, 271, 252, 143)),
    (414, "underholdning", (432, 433, 434)),
    (140, "krimi", (141, 165)),
    (512, "side9", ()),
    (2, "penge", (230, 235)),
    (457, "forbrug", (458, 459)),
    (498, "nationen", (499,)),
    (561, "biler", (562,)),
    (565, "musik", ()),
    (2975, "horoskoper", ()),
)
EBNERD_ARTICLE_TYPES = (
    "article_default",
    "article_default",
    "article_default",
    "article_timeline",
    "article_standard_video",
    "article_question",
    "article_scroll",
)
EBNERD_TOPICS = (
    "Kriminalitet",
    "Personfarlig kriminalitet",
    "Kendt",
    "Underholdning",
    "Sport",
    "Fodbold",
    "Politik",
    "Erhverv",
    "Økonomi",
    "Livsstil",
    "Sundhed",
    "Transportmiddel",
    "Begivenhed",
    "Ulykke",
    "Samfund",
    "Musik og lyd",
    "Film og tv",
    "Vejr",
)
EBNERD_ENTITIES = (
    ("Mette Frederiksen", "PER"),
    ("Lars Løkke Rasmussen", "PER"),
    ("Christian Eriksen", "PER"),
    ("Kasper Hjulmand", "PER"),
    ("Dronning Margrethe", "PER"),
    ("Kronprins Frederik", "PER"),
    ("Brøndby", "ORG"),
    ("FC København", "ORG"),
    ("Københavns Politi", "ORG"),
    ("Folketinget", "ORG"),
    ("Novo Nordisk", "ORG"),
    ("DSB", "ORG"),
    ("Danmark", "LOC"),
    ("København", "LOC"),
    ("Aarhus", "LOC"),
    ("Odense", "LOC"),
    ("Ukraine", "LOC"),
    ("Rusland", "LOC"),
    ("Tour de France", "EVENT"),
    ("Champions League", "EVENT"),
    ("iPhone", "PROD"),
)

NORWEGIAN = _words(
    "ny nytt gammel stor liten norsk mann kvinne barn familie politiet brann ulykke bil buss "
    "trondheim byen kommune fylket skolen elever lærer sykehus lege helse vær snø regn kulde "
    "storm nyttår nyttårsaften fyrverkeri rosenborg kamp seier tap trener spiller mål "
    "sesongen dømt tiltalt retten saken penger lønn jobb butikk bolig pris priser strøm "
    "slik derfor dette her nå etter før over under med uten mot får vil kan må skal "
    "sjokk avslører forteller kjent artist konsert film festival julen året døde skadet "
    "savnet funnet leter hjelp veien trafikk tog fly hurtigruten fjellet sjøen hytte"
)

ADRESSA_SECTIONS = (
    ("nyheter", "trondheim"),
    ("nyheter", "trondheim"),
    ("nyheter", "trondelag"),
    ("nyheter", "innenriks"),
    ("nyheter", "utenriks"),
    ("sport", "fotball"),
    ("sport", "vintersport"),
    ("sport", "handball"),
    ("kultur", "musikk"),
    ("kultur", "film"),
    ("meninger", "kronikker"),
    ("forbruker", "bolig"),
    ("pluss", "nyheter"),
    ("100sport", "fotball"),
)
ADRESSA_AUTHORS = (
    "norunn bergesen",
    "joakim slettebak wangen",
    "kjetil hope",
    "hilde ørnes",
    "jørgen lie furuholmen",
    "stein lillebo",
    "ola gaare",
    "ingrid skjølsvold",
    "tore kvarme",
    "siri dahle",
    "martin reite",
    "gunnar stene",
)
ADRESSA_PLACES = (
    ("sor-trondelag", "trondheim"),
    ("sor-trondelag", "trondheim"),
    ("sor-trondelag", "trondheim"),
    ("sor-trondelag", "orkanger"),
    ("nord-trondelag", "steinkjer"),
    ("nord-trondelag", "levanger"),
    ("oslo", "oslo"),
    ("hordaland", "bergen"),
    ("more og romsdal", "molde"),
    ("rogaland", "stavanger"),
)
ADRESSA_DEVICES = (
    ("Mobile", "iPhone OS"),
    ("Mobile", "Android"),
    ("Mobile", "iPhone OS"),
    ("Tablet", "iPhone OS"),
    ("Tablet", "Android"),
    ("Desktop", "Windows"),
    ("Desktop", "Macintosh"),
)

"""Word lists for the corpus generator: English news vocabulary, names, places, publishers."""

from __future__ import annotations

import random
from functools import cache


def _words(text: str) -> list[str]:
    return text.split()


#: The most frequent English words, roughly in frequency order (they take the top Zipf ranks).
FUNCTION_WORDS = _words(
    """
the of and to a in that is for on was with he it as at by said from his be have has
are an not this but they were had who which or their its will would been after been
also more than one two about into over up out new first could when there we she her
i you all other some can if no so what last year years these them only most people
new government police country state after before while during under against between
"""
)

#: Common general and news words (the middle of the Zipf curve).
COMMON_WORDS = _words(
    """
minister president officials security military forces week day time city told
percent million report group world national public foreign international
country countries war talks party election leader leaders support part

official statement region economic economy political power money market prices
oil gas energy company companies workers health court law rights human children women
men family home school students university water food aid border troops attack
attacks killed dead wounded injured conflict peace deal agreement sanctions nuclear
program plan plans policy council committee parliament vote votes voters campaign
protest protests protesters crisis spokesman spokeswoman ministry agency news media
press reporters interview comments decision decisions issue issues case cases
investigation trial judge prison arrested charges accused evidence reported according
local central northern southern eastern western capital province district area areas
village villages town towns streets building hospital hospitals doctors patients
virus vaccine pandemic disease outbreak cases tests testing spread infection climate
weather storm flood floods rain drought fire fires emissions carbon coal power plant
plants electricity fuel pipeline exports imports trade tariffs growth inflation rates
bank banks interest debt budget tax taxes spending billion dollars euros pounds
investors shares stock stocks markets index trading traders sales demand supply
production output industry industrial manufacturing jobs unemployment wages labor
union unions strike strikes service services transport airport flights airline
ships ship port ports navy army air force missile missiles weapons arms drone drones
defense defence soldiers fighters militants rebels terrorists terrorist group groups
operation operations strikes raid raids ceasefire truce negotiations diplomats
diplomatic envoy embassy ambassador relations ties cooperation summit meeting meetings
visit visited trip called calls urged warned said says added noted stressed insisted
announced denied confirmed claimed rejected condemned welcomed criticized
criticised blamed accused pledged promised vowed threatened demanded asked expected
continue continued remain remained began started ended held took made gave set
long high low large small major key senior former current next recent early late
several many few less least much further still already even just however although
because since until without within across around among through toward towards
including despite amid following ahead behind near far down off again
today yesterday tomorrow monday tuesday wednesday thursday friday saturday sunday
january february march april may june july august september october november december
morning evening night hours hour days months month weeks decade decades century
future history historic important significant serious possible likely necessary
clear strong free fair open full whole real true right left black white red green
"""
)

#: Rarer topical words (lower in the Zipf curve, still real English).
TOPICAL_WORDS = _words(
    """
sovereignty annexation referendum constitution constitutional amendment legislature
legislation lawmakers senators senate congressional congress parliamentary coalition
opposition incumbent candidate candidates ballot ballots turnout polling pollsters
inauguration impeachment indictment prosecutors prosecution defendant verdict appeal
sentence sentenced acquitted convicted extradition asylum refugees migrants migration
deportation humanitarian famine malnutrition blockade siege shelling bombardment
artillery airstrike airstrikes casualties civilians evacuation evacuated displaced
reconstruction infrastructure corruption bribery embezzlement fraud laundering
surveillance espionage intelligence cyberattack hackers ransomware disinformation
propaganda censorship journalists journalist newspaper broadcaster editorial
uranium enrichment centrifuges inspectors inspection reactor plutonium warheads
ballistic hypersonic interceptor submarine destroyer frigate aircraft carrier
battalion brigade regiment commander commanders general admiral colonel lieutenant
pipeline refinery refineries crude barrels opec shale liquefied tanker tankers
wheat grain grains fertilizer harvest farmers agriculture livestock fisheries
semiconductor semiconductors chips microchips smartphone telecom broadband satellite
satellites rocket launch orbit spacecraft astronauts telescope laboratory scientists
researchers research study studies findings published journal vaccine vaccines
vaccination antibodies variant variants mutation hospitalised hospitalized intensive
earthquake tsunami volcano eruption landslide wildfire wildfires hurricane typhoon
cyclone monsoon heatwave glacier glaciers biodiversity deforestation pollution
emissions renewable renewables solar turbines hydrogen batteries lithium cobalt
mortgage mortgages housing rent tenants landlords homelessness poverty inequality
pension pensions retirement welfare subsidies subsidy austerity deficit surplus
currency devaluation exchange reserves bonds yields treasury recession stagnation
merger acquisition takeover shareholders dividends earnings quarterly profits losses
bankruptcy insolvency layoffs automation artificial intelligence algorithm platform
olympics tournament championship league football soccer cricket tennis marathon
stadium coach striker goalkeeper midfielder transfer fans supporters victory defeat
museum exhibition gallery festival concert orchestra novel novelist author poetry
cathedral mosque temple church pilgrims pilgrimage clergy bishop cleric imam rabbi
tribe tribal ethnic minority minorities indigenous diaspora citizenship nationality
"""
)

#: Multi-word collocations treated as single vocabulary items (phrase queries hit them).
COLLOCATIONS = (
    """
prime minister|foreign minister|foreign ministry|defense ministry|security council
united nations|white house|european union|state department|supreme court
human rights|central bank|interest rates|oil prices|nuclear program|nuclear deal
climate change|middle east|gaza strip|west bank|south china sea|black sea
news conference|press conference|told reporters|armed forces|peace talks
trade war|free trade|world bank|international monetary fund|general assembly
civil war|public health|death toll|state media|social media|last week|next month
""".strip()
    .replace("\n", "|")
    .split("|")
)

#: Proper nouns (capitalised in the text).
PROPER_NOUNS = _words(
    """
Russia Ukraine Iran Iraq Syria Israel Lebanon Yemen Saudi Turkey Egypt Libya Sudan
China Japan Korea India Pakistan Afghanistan Bangladesh Indonesia Vietnam Philippines
Britain France Germany Italy Spain Poland Hungary Greece Sweden Norway Finland Denmark
America Canada Mexico Brazil Argentina Venezuela Colombia Chile Peru Cuba Nigeria
Kenya Ethiopia Somalia Ghana Senegal Mali Niger Algeria Morocco Tunisia Qatar Oman
Moscow Kiev Kyiv Tehran Baghdad Damascus Beirut Ankara Cairo Riyadh Beijing Tokyo
Seoul Delhi Islamabad Kabul Jakarta Manila London Paris Berlin Rome Madrid Warsaw
Brussels Geneva Vienna Washington Ottawa Brasilia Caracas Havana Lagos Nairobi
Putin Macron Biden Trump Obama Merkel Scholz Johnson Sunak Erdogan Xi Modi Khan
Raisi Rouhani Zelensky Lavrov Blinken Guterres Netanyahu Assad Pompeo Kerry Sullivan
Donbass Mariupol Kherson Crimea Kharkiv Odessa Aleppo Idlib Mosul Basra Tabriz Isfahan
Pentagon Kremlin NATO OPEC Hamas Hezbollah Taliban Congress Parliament Senate
"""
)

#: Words planted at controlled document frequencies (the rare-word and phrase queries).
#: ``(text, share of articles that contain it)``; none of them occurs anywhere else.
PLANTED: tuple[tuple[str, float], ...] = (
    ("zephyrine", 0.0002),
    ("quillagate", 0.001),
    ("obsidian accord", 0.0005),
    ("marrowfield", 0.005),
    ("Halvorsen Commission", 0.003),
    ("tesselbrook", 0.01),
    ("lanternfish survey", 0.02),
)

#: Breadcrumbs (the first is the seed sample's).
SECTIONS: tuple[tuple[str, ...], ...] = (
    ("News", "Russia"),
    ("News", "Iran"),
    ("News", "Middle East"),
    ("News", "Asia-Pacific"),
    ("News", "Africa"),
    ("News", "Europe"),
    ("News", "Americas"),
    ("News", "UK"),
    ("News", "US"),
    ("Politics", "Iran"),
    ("Politics", "Europe"),
    ("Economy", "Markets"),
    ("Economy", "Energy"),
    ("World", "Europe"),
    ("World", "Middle East"),
    ("World", "Asia"),
    ("Business", "Companies"),
    ("Science", "Health"),
    ("Science", "Environment"),
    ("Sport", "Football"),
    ("Culture", "Books"),
    ("Opinion", "Columns"),
)

BREADCRUMB_SEPARATORS = (" / ", " / ", " / ", "   /   ", " > ", " › ")

FIRST_NAMES = _words(
    """
Jane John Sarah Michael Anna David Maria James Laura Robert Elena Thomas Fatima Ali
Olga Ivan Hassan Leila Daniel Sophie Peter Hannah Omar Nadia Paul Claire Mark Julia
Ahmed Yusuf Mina Kenji Li Wei Carlos Lucia Andrew Emma Samuel Grace Victor Irina
"""
)

LAST_NAMES = _words(
    """
Doe Roe Smith Whitfield Jones Brown Miller Davis Wilson Taylor Anderson Thomas Moore
Martin Jackson White Harris Clark Lewis Walker Hall Allen Young King Wright Scott
Green Baker Adams Nelson Hill Campbell Mitchell Roberts Carter Phillips Evans Turner
Petrov Ivanova Rahimi Karimi Hosseini Nakamura Chen Wang Garcia Rossi Novak Kowalski
"""
)

DATELINE_CITIES = (
    "TEHRAN",
    "MOSCOW",
    "WASHINGTON",
    "LONDON",
    "PARIS",
    "BEIJING",
    "BERLIN",
    "BAGHDAD",
    "DAMASCUS",
    "BEIRUT",
    "KIEV",
    "GENEVA",
    "NEW YORK",
    "TOKYO",
    "CAIRO",
    "ANKARA",
    "BRUSSELS",
    "NEW DELHI",
)

PHOTO_AGENCIES = ("AFP", "Reuters", "AP", "EPA", "Getty Images", "Anadolu", "IRNA", "Xinhua")

PHOTOGRAPHERS = ("John Smith", "Anna Petrova", "Ali Rahimi", "Maria Rossi", "Kenji Nakamura")

PRESSTV_ADDRESSES = ("www.presstv.ir", "www.presstv.co.uk", "www.presstv.tv", "www.presstv.com")

SHARE_NETWORKS = ("Facebook", "Twitter", "Email", "WhatsApp", "Telegram", "LinkedIn")

NEWS_DOMAINS = (
    "www.example.com",
    "news.example.org",
    "www.example.net",
    "world.example.com",
    "www.example.co.uk",
)

#: A small Russian vocabulary (a percent of the corpus is Cyrillic, as in real collections).
RUSSIAN_WORDS = _words(
    """
и в не на что с по как это он о к из за от для но они года было также его при
президент правительство министр страны россии москвы заявил сообщил время после
сегодня вопрос решение мира войны переговоры санкции экономики рубля нефти газа
безопасности совета заявление представитель ведомства глава области города жителей
"""
)

RUSSIAN_SECTIONS = (("Новости", "Россия"), ("Новости", "Мир"), ("Экономика", "Рынки"))

RUSSIAN_MONTHS_GENITIVE = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)

_ONSETS = _words("b c d f g h j k l m n p r s t v w z b c d l m n p r s t br ch cl dr gr pl st tr")
_VOWELS = _words("a e i o u a e i o a e ea ai ou")
_CODAS = ("", "", "", "", "n", "r", "l", "s", "t", "m", "nd", "rt", "st", "ng")


#: No pseudo-word may start like a planted word (the prefix queries must only find those).
_PLANTED_PREFIXES = tuple(w.lower()[:5] for text, _share in PLANTED for w in text.split())


@cache
def synthetic_words(count: int = 40_000, seed: int = 20_240_517) -> tuple[str, ...]:
    """Return ``count`` distinct pronounceable pseudo-words for the long tail of the curve.

    They are fixed (not tied to the corpus seed) so a rare tail word is the same in every
    corpus. None of them equals a real word in the lists above or a planted word.
    """
    rng = random.Random(seed)
    taken = {w.lower() for w in FUNCTION_WORDS + COMMON_WORDS + TOPICAL_WORDS + PROPER_NOUNS}
    for text, _share in PLANTED:
        taken.update(text.lower().split())
    out: list[str] = []
    seen: set[str] = set()
    while len(out) < count:
        syllables = rng.choice((2, 2, 2, 3, 3))
        word = "".join(
            rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS) for _ in range(syllables)
        )
        if (
            4 <= len(word) <= 11
            and word not in taken
            and word not in seen
            and not word.startswith(_PLANTED_PREFIXES)
        ):
            seen.add(word)
            out.append(word)
    return tuple(out)

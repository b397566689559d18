"""Tests for archive_app.core.decoding (encoding detection and text decoding)."""

from __future__ import annotations

import codecs
import gzip
import io
import random
import re
import zipfile
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archive_app.core.decoding import DecodedText, NotTextError, decode_bytes, normalize_newlines

# ---------------------------------------------------------------------------
# Corpus: realistic news snippets, encoded in the tests themselves.
# ---------------------------------------------------------------------------

#: Western European news in cp1252: smart quotes, dashes, ellipses, accents.
WESTERN: list[str] = [
    # 0: English, politics, smart quotes, en/em dashes, accents, euro sign.
    "“We’re not going to wait for Brussels,” the mayor, Hélène Dubois, told "
    "reporters on Tuesday. The city council voted 31–4 to fund the new tram "
    "line — a project first proposed in 1998 — with €240 million from its own "
    "reserves.\n\nOpponents say the route, which runs past the old café "
    "district, will take years to build. “It’s a vanity project,” said "
    "councillor José Álvarez, who voted against it. “Nobody asked the "
    "shopkeepers.”\n\nConstruction is expected to begin next spring.\n",
    # 1: English, sport, ellipsis and apostrophes.
    "Manchester City’s late equaliser left the home fans stunned… and the "
    "manager fuming. “We were the better side for eighty minutes,” he said "
    "afterwards. “You can’t switch off at a set piece — not at this level.”\n\n"
    "The draw leaves both sides level on 54 points with six games to play. "
    "Saturday’s fixture against Nottingham Forest is now a must-win.\n",
    # 2: short English, exactly two smart quotes (~140 bytes).
    "The ministry declined to comment on Friday, saying only that the "
    "review was ongoing and that a report would follow “in due course”.\n",
    # 3: short English, a single apostrophe.
    "Shares in the retailer fell 4% in early trading after it cut its "
    "full-year forecast, citing weak demand before Christmas. It’s the second "
    "cut.\n",
    # 4: French.
    "« Nous n’avons pas le choix », a déclaré jeudi le ministre de l’Économie, "
    "en présentant un plan d’économies de douze milliards d’euros. Les "
    "syndicats dénoncent déjà une réforme « brutale » et appellent à la grève "
    "le 14 février.\n\nSelon l’Insee, la croissance française ne dépasserait "
    "pas 0,8 % cette année – un niveau jugé « préoccupant » par la Banque de "
    "France. Le gouvernement espère néanmoins réduire le déficit à 4,4 % du "
    "PIB d’ici à 2026.\n",
    # 5: German, low-9 quotes.
    "„Wir müssen jetzt handeln“, sagte die Bürgermeisterin am Mittwoch in "
    "München. Nach den schweren Unwettern der vergangenen Woche seien mehr "
    "als 300 Keller überflutet worden, die Schäden beliefen sich auf "
    "geschätzt 25 Millionen Euro.\n\nDie Feuerwehr war nach eigenen Angaben "
    "über 1.200-mal im Einsatz. Auf der Straße nach Garmisch kam es zu "
    "stundenlangen Staus, weil Geröll die Fahrbahn blockierte.\n",
    # 6: Spanish.
    "El presidente del Gobierno anunció el miércoles una rebaja del IVA de "
    "los alimentos básicos. “¿Quién pagará la factura?”, preguntó la "
    "portavoz de la oposición durante la sesión de control en el Congreso.\n\n"
    "Según el Ministerio de Hacienda, la medida costará unos 1.800 millones "
    "de euros al año. Los niños de familias con menos ingresos serán los "
    "principales beneficiarios, añadió el ministro.\n",
    # 7: Portuguese.
    "O governo de São Paulo anunciou nesta terça-feira a ampliação do "
    "programa de habitação popular. Segundo a secretaria, as obras devem "
    "gerar cerca de 15 mil empregos até o fim do ano.\n\nA oposição "
    "criticou a falta de informação sobre os custos. “Não há transparência "
    "nenhuma”, afirmou um deputado estadual à reportagem.\n",
    # 8: Italian.
    "Il governo italiano ha approvato giovedì il decreto sulla città "
    "metropolitana di Milano. «È una riforma attesa da vent’anni», ha detto "
    "il sindaco, perché permetterà di coordinare trasporti e urbanistica.\n\n"
    "Le opposizioni però parlano di un’occasione persa: il testo non prevede "
    "nuove risorse per le periferie.\n",
    # 9: English, loanwords with diaereses and bullets, trademark, pound.
    "Review: Zoë Barnes’s naïve début novel is a surprise hit\n\n"
    "• Price: £12.99 (hardback)\n"
    "• Publisher: Fenwick & Co™\n\n"
    "Barnes, a former café owner from Leeds, wrote the book in eighteen "
    "months. Her résumé includes a stint as a sommelier — and it shows: "
    "the wine scenes are the best thing here… Verdict: four stars.\n",
    # 10: short English, one em dash only.
    "Police closed the M6 northbound between junctions 19 and 20 on Sunday "
    "night after a lorry fire — drivers were advised to find another route.\n",
    # 11: Norwegian / Nordic.
    "Statsministeren varslet mandag at regjeringen vil øke bevilgningene til "
    "sykehusene i Nord-Norge. «Ventetidene er for lange, og det må vi gjøre "
    "noe med», sa hun på en pressekonferanse i Tromsø.\n\nOpposisjonen mener "
    "økningen er for liten og kommer for sent. Både Høyre og Frp krever at "
    "pengene går til flere sengeplasser på kort sikt.\n",
    # 12: English, quotes within quotes and degree sign.
    "Temperatures reached 41°C in Seville on Thursday, the highest ever "
    "recorded in June. “The old rule of ‘stay indoors at noon’ is not "
    "enough any more,” said Dr María Gómez, a public-health adviser.\n",
    # 13: Dutch short, with ë and an apostrophe.
    "De Tweede Kamer stemde dinsdag in met het plan voor ruim 8000 extra "
    "politieagenten. Volgens de minister is dat “hard nodig” in de regio’s.\n",
]

#: Russian with «» and em dashes, which KOI8-R cannot encode: cp1251 only.
RUSSIAN_CP1251_ONLY: list[str] = [
    "Правительство Москвы в понедельник объявило о запуске новой программы "
    "реконструкции жилых домов, построенных в шестидесятые годы. По словам "
    "заместителя мэра, в течение ближайших пяти лет будет отремонтировано "
    "более двух тысяч зданий. «Мы начнём с районов, где износ коммуникаций "
    "превышает семьдесят процентов», — сказал он журналистам.\n\nЭксперты "
    "отмечают, что стоимость программы пока не раскрыта. Жители нескольких "
    "кварталов уже выразили обеспокоенность сроками переселения.\n",
]

#: Russian news encoded both as cp1251 and as KOI8-R.
RUSSIAN: list[str] = [
    "В Санкт-Петербурге завершился международный экономический форум. "
    "Участники подписали соглашения на общую сумму около четырёх триллионов "
    "рублей, сообщили организаторы.\n\nПо данным пресс-службы, в этом году "
    "форум посетили более двадцати тысяч человек из ста тридцати стран. "
    "Наибольший интерес вызвали сессии, посвящённые искусственному интеллекту "
    "и развитию транспортной инфраструктуры.\n",
    "Курс доллара на открытии торгов Московской биржи снизился на двадцать "
    "копеек. Аналитики связывают это с ростом цен на нефть.\n",
    "Сборная России по хоккею обыграла команду Финляндии со счётом 3:2 в "
    "овертайме. Победную шайбу забросил молодой нападающий, который впервые "
    'вызван в национальную команду. "Это лучший день в моей жизни", - '
    "признался он после матча.\n",
    "Синоптики предупреждают о сильных снегопадах в центральных регионах. "
    "В Москве за сутки может выпасть до половины месячной нормы осадков. "
    "Водителей просят по возможности отказаться от поездок на личном "
    "транспорте.\n",
]

#: Simplified Chinese, encoded as GB18030.
CHINESE_SIMPLIFIED: list[str] = [
    "国家统计局周一发布的数据显示，今年前三季度国内生产总值同比增长百分之五点二，"
    "高于市场预期。分析人士认为，消费和服务业的恢复是拉动经济增长的主要因素。\n\n"
    "与此同时，房地产投资继续下滑，部分城市出台了新的支持政策，包括降低首付比例和"
    "放宽购房限制。专家表示，政策效果仍需进一步观察。\n",
    "受强降雨影响，南方多个省份出现洪涝灾害。当地政府已紧急转移安置群众两万多人，"
    "救援工作正在有序进行。气象部门预计，未来三天降雨将继续，提醒公众注意防范山体"
    "滑坡和城市内涝。\n",
    "上海证券交易所今日收盘，上证指数上涨百分之一点二，成交量明显放大。\n",
    # Contains 镕, which is in GBK/GB18030 but not in GB2312.
    "前国务院总理朱镕基的新书近日在北京出版。该书收录了他在任期间的讲话和文章，"
    "出版社表示首印五万册已经全部售罄。\n",
]

#: Traditional Chinese, encoded as Big5.
CHINESE_TRADITIONAL: list[str] = [
    "行政院週三召開記者會，宣布將撥款新臺幣一百億元，用於改善偏鄉地區的交通與醫療"
    "設施。發言人表示，相關計畫預計明年上半年開始執行。\n\n在野黨議員質疑預算來源"
    "不明，要求政府提出詳細的財務規劃。部分地方首長則對此表示歡迎，認為能縮小城鄉"
    "差距。\n",
    "颱風來襲，中央氣象局發布海上及陸上颱風警報。受颱風外圍環流影響，北部及東北部"
    "地區將有豪雨，民眾應避免前往山區及海邊。多個縣市宣布明天停止上班上課。\n",
    "香港恆生指數今日收市上升三百點，科技股表現強勁，成交額增至一千二百億港元。\n",
]

#: Japanese, encoded both as Shift_JIS and as EUC-JP.
JAPANESE: list[str] = [
    "政府は十五日、来年度予算案の概要を発表した。防衛費と社会保障費の増加により、"
    "一般会計の総額は過去最大となる見通しだ。財務省の担当者は「財政健全化の目標は"
    "維持する」と述べた。\n\n一方、野党側は国債の発行額が増えることを批判しており、"
    "国会での審議は難航が予想される。\n",
    "東京都内の気温は午後に三十五度を超え、今年初めての猛暑日となった。気象庁は熱中症"
    "への警戒を呼びかけている。消防によると、都内で少なくとも二十人が病院に運ばれた。\n",
    "大手自動車メーカーのトヨタは、新型の電気自動車を来年春に発売すると発表した。"
    "バッテリーの性能を向上させ、一回の充電で六百キロメートル走行できるという。\n",
    "日経平均株価は前日比二百円高で取引を終えた。\n",
]

#: Arabic, encoded both as cp1256 and as UTF-8.
ARABIC: list[str] = [
    "أعلنت وزارة الصحة يوم الثلاثاء عن افتتاح مستشفى جديد في العاصمة بسعة خمسمائة "
    "سرير. وقال الوزير في مؤتمر صحفي إن المستشفى سيخدم أكثر من مليون مواطن في "
    "المناطق المجاورة.\n\nوأضاف أن الحكومة تخطط لبناء ثلاثة مستشفيات أخرى خلال "
    "العامين المقبلين، بتكلفة إجمالية تتجاوز مليار دولار.\n",
    "ارتفعت أسعار النفط في التعاملات الآسيوية صباح اليوم، حيث سجل خام برنت أعلى "
    "مستوى له منذ ثلاثة أشهر. ويعزو المحللون هذا الارتفاع إلى المخاوف بشأن "
    "الإمدادات.\n",
    "فاز المنتخب الوطني على نظيره بهدفين دون رد في المباراة الودية.\n",
]

#: Short headlines: too little text for charset-normalizer alone, which gets
#: about one in six of these wrong (KOI8-R read as cp1251/cp1256/Shift_JIS,
#: Big5 and Arabic read as Shift_JIS, kana-only EUC-JP read as Big5).
HEADLINES_RUSSIAN: list[str] = [
    "Сборная России обыграла финнов",
    "Синоптики обещают сильный снег",
    "Курс доллара снизился",
    "Пожар на складе в Подмосковье потушен",
    "Мэр открыл новую станцию метро",
    "Цены на бензин выросли за неделю",
    "Выборы губернатора пройдут в сентябре",
    "Новый мост через реку откроют осенью",
    "Депутаты приняли закон о туризме",
    "В городе отключат горячую воду",
]
HEADLINES_JAPANESE: list[str] = [
    "東京で大雨警報",
    "首相が記者会見を開いた",
    "新しい駅が来月開業します",
    "円安が進み、輸出企業の株価が上昇",
    "台風が九州に接近",
    "電車が遅れています",
    "選挙の結果が発表された",
    "新型ロケットの打ち上げに成功",
    "お知らせ",
    "きょうのてんき",
    "今日は雨",
    "大雪のおそれ",
]
HEADLINES_SIMPLIFIED: list[str] = [
    "国务院召开常务会议",
    "北京今日有小雨",
    "股市大幅上涨",
    "人民币汇率保持稳定",
    "教育部发布高考安排",
    "农业农村部部署秋收工作",
    "春节假期出行人数创新高",
]
HEADLINES_TRADITIONAL: list[str] = [
    "台北今天下大雨",
    "颱風即將登陸",
    "新冠疫苗接種開始",
    "立法院三讀通過預算案",
    "高雄捷運新站啟用",
    "台積電營收創新高",
    "國際書展今天開幕",
]
HEADLINES_ARABIC: list[str] = [
    "ارتفاع أسعار الذهب",
    "افتتاح معرض الكتاب الدولي",
    "الحكومة تعلن خطة جديدة للإسكان",
    "فوز الفريق في المباراة النهائية",
    "انخفاض درجات الحرارة غدا",
]
HEADLINE_CASES: list[tuple[str, str, str]] = [
    *[(text, "cp1251", "cp1251") for text in HEADLINES_RUSSIAN],
    *[(text, "koi8_r", "koi8-r") for text in HEADLINES_RUSSIAN],
    *[(text, "shift_jis", "shift_jis") for text in HEADLINES_JAPANESE],
    *[(text, "euc_jp", "euc-jp") for text in HEADLINES_JAPANESE],
    *[(text, "gb18030", "gb18030") for text in HEADLINES_SIMPLIFIED],
    *[(text, "big5", "big5") for text in HEADLINES_TRADITIONAL],
    *[(text, "cp1256", "cp1256") for text in HEADLINES_ARABIC],
]


#: Every corpus text with its expected legacy encoding (Python codec, reported name).
LEGACY_CASES: list[tuple[str, str, str]] = [
    *[(text, "cp1252", "cp1252") for text in WESTERN],
    *[(text, "cp1251", "cp1251") for text in RUSSIAN + RUSSIAN_CP1251_ONLY],
    *[(text, "koi8_r", "koi8-r") for text in RUSSIAN],
    *[(text, "gb18030", "gb18030") for text in CHINESE_SIMPLIFIED],
    *[(text, "big5", "big5") for text in CHINESE_TRADITIONAL],
    *[(text, "shift_jis", "shift_jis") for text in JAPANESE],
    *[(text, "euc_jp", "euc-jp") for text in JAPANESE],
    *[(text, "cp1256", "cp1256") for text in ARABIC],
]
ALL_TEXTS: list[str] = (
    WESTERN
    + RUSSIAN
    + RUSSIAN_CP1251_ONLY
    + CHINESE_SIMPLIFIED
    + CHINESE_TRADITIONAL
    + JAPANESE
    + ARABIC
)


def _case_id(case: tuple[str, str, str]) -> str:
    """Readable pytest id for a legacy-encoding case."""
    text, codec, _ = case
    return f"{codec}-{text[:12]}"


def _outcome(data: bytes) -> DecodedText | NotTextError:
    """Decode, returning the NotTextError instead of raising it."""
    try:
        return decode_bytes(data)
    except NotTextError as exc:
        return exc


# ---------------------------------------------------------------------------
# Legacy encodings
# ---------------------------------------------------------------------------


def test_corpus_has_short_western_snippets_with_few_smart_quotes() -> None:
    short = [text for text in WESTERN if len(text.encode("cp1252")) <= 160]
    high_byte_counts = [sum(byte >= 0x80 for byte in text.encode("cp1252")) for text in short]
    assert len(WESTERN) >= 10
    assert len(short) >= 4
    assert {1, 2} <= set(high_byte_counts)


@pytest.mark.parametrize("case", LEGACY_CASES, ids=_case_id)
def test_legacy_encoding_is_detected_exactly(case: tuple[str, str, str]) -> None:
    text, codec, reported = case
    data = text.encode(codec)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # make sure the legacy path is what is tested

    assert decode_bytes(data) == DecodedText(text, reported, ())


@pytest.mark.parametrize("case", HEADLINE_CASES, ids=_case_id)
def test_short_headline_encoding_is_detected_exactly(case: tuple[str, str, str]) -> None:
    text, codec, reported = case

    assert decode_bytes(text.encode(codec)) == DecodedText(text, reported, ())


def test_gb2312_text_is_reported_as_gb18030() -> None:
    text = CHINESE_SIMPLIFIED[0]
    data = text.encode("gb2312")
    assert data == text.encode("gb18030")

    assert decode_bytes(data) == DecodedText(text, "gb18030", ())


def test_gbk_only_character_is_decoded_as_gb18030() -> None:
    text = CHINESE_SIMPLIFIED[3]
    with pytest.raises(UnicodeEncodeError):
        text.encode("gb2312")  # 镕 is outside GB2312

    assert decode_bytes(text.encode("gbk")) == DecodedText(text, "gb18030", ())


def test_legacy_text_with_crlf_is_normalised() -> None:
    text = JAPANESE[0]
    data = text.replace("\n", "\r\n").encode("shift_jis")

    assert decode_bytes(data) == DecodedText(text, "shift_jis", ())


def test_cp1252_with_undefined_byte_is_replaced_with_warning() -> None:
    data = WESTERN[0].encode("cp1252") + b"Page 2\x81\n"

    assert decode_bytes(data) == DecodedText(
        WESTERN[0] + "Page 2\ufffd\n",
        "cp1252",
        ("1 undecodable byte replaced with U+FFFD (encoding guessed as cp1252)",),
    )


def test_undeterminable_high_bytes_fall_back_to_cp1252_with_warning() -> None:
    rng = random.Random(7)
    data = bytes(rng.randrange(0x80, 0x100) for _ in range(4096))

    result = decode_bytes(data)

    assert result.encoding == "cp1252"
    assert result.text == data.decode("cp1252", errors="replace")
    replaced = result.text.count("\ufffd")
    assert replaced > 0
    assert result.warnings == (
        f"{replaced} undecodable bytes replaced with U+FFFD (encoding guessed as cp1252)",
    )


# ---------------------------------------------------------------------------
# UTF-8 and byte-order marks
# ---------------------------------------------------------------------------


def test_empty_file_is_empty_utf8_text() -> None:
    assert decode_bytes(b"") == DecodedText("", "utf-8", ())


def test_pure_ascii_is_reported_as_utf8() -> None:
    data = b"Council approves budget\n\nThe vote was 9-2.\n"

    assert decode_bytes(data) == DecodedText(data.decode("ascii"), "utf-8", ())


@pytest.mark.parametrize("text", ALL_TEXTS, ids=lambda text: text[:12])
def test_utf8_corpus_text_is_utf8(text: str) -> None:
    assert decode_bytes(text.encode("utf-8")) == DecodedText(text, "utf-8", ())


@pytest.mark.parametrize(
    ("bom", "codec", "reported"),
    [
        (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
        (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
    ],
    ids=["utf-8-sig", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"],
)
@pytest.mark.parametrize("text", [WESTERN[0], RUSSIAN[0], JAPANESE[0]], ids=["en", "ru", "ja"])
def test_bom_selects_unicode_encoding(bom: bytes, codec: str, reported: str, text: str) -> None:
    data = bom + text.replace("\n", "\r\n").encode(codec)

    result = decode_bytes(data)

    assert result == DecodedText(text, reported, ())
    assert data.decode(reported).replace("\r\n", "\n") == text  # the name is usable


def test_utf32_le_bom_wins_over_utf16_le_bom() -> None:
    data = codecs.BOM_UTF32_LE + "Hi".encode("utf-32-le")

    assert decode_bytes(data) == DecodedText("Hi", "utf-32", ())


def test_invalid_bytes_after_bom_are_replaced_and_counted() -> None:
    data = codecs.BOM_UTF8 + b"Caf\xc3\xa9 \xff\xfe au lait"

    assert decode_bytes(data) == DecodedText(
        "Café \ufffd\ufffd au lait",
        "utf-8-sig",
        (
            "2 undecodable byte sequences replaced with U+FFFD "
            "(invalid utf-8-sig despite the byte-order mark)",
        ),
    )


def test_mostly_utf8_with_stray_cp1252_byte_is_repaired() -> None:
    good = "“Elections are won in the middle,” she said — again.\n" * 3
    data = good.encode("utf-8") + b"It\x92s over.\n"

    assert decode_bytes(data) == DecodedText(
        good + "It’s over.\n",
        "utf-8",
        ("1 byte that was not valid UTF-8 decoded as cp1252",),
    )


# ---------------------------------------------------------------------------
# UTF-16 / UTF-32 without BOM
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "codec"),
    [
        (WESTERN[0], "utf-16-le"),
        (WESTERN[4], "utf-16-be"),
        (RUSSIAN[0], "utf-16-le"),
        (RUSSIAN[0], "utf-16-be"),
        (ARABIC[0], "utf-16-le"),
        (CHINESE_SIMPLIFIED[0], "utf-16-le"),
        (CHINESE_TRADITIONAL[0], "utf-16-be"),
        (JAPANESE[1], "utf-16-be"),
        (WESTERN[1], "utf-32-le"),
        (RUSSIAN[1], "utf-32-be"),
    ],
    ids=lambda value: value if value.startswith("utf") else value[:12],
)
def test_wide_unicode_without_bom(text: str, codec: str) -> None:
    assert decode_bytes(text.encode(codec)) == DecodedText(text, codec, ())


def test_truncated_utf16_without_bom_keeps_text_with_warning() -> None:
    data = WESTERN[2].encode("utf-16-le") + b"x"

    assert decode_bytes(data) == DecodedText(
        WESTERN[2] + "\ufffd",
        "utf-16-le",
        ("1 undecodable byte sequence replaced with U+FFFD (invalid utf-16-le)",),
    )


# ---------------------------------------------------------------------------
# Newlines
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a\r\nb\r\nc", "a\nb\nc"),
        ("a\rb\rc\r", "a\nb\nc\n"),
        ("a\n\r\nb\r\r\nc", "a\n\nb\n\nc"),
        ("no newline at all", "no newline at all"),
        ("", ""),
    ],
)
def test_normalize_newlines(raw: str, expected: str) -> None:
    assert normalize_newlines(raw) == expected


@pytest.mark.parametrize("codec", ["utf-8", "cp1252"])
def test_crlf_and_cr_are_normalised(codec: str) -> None:
    data = "Headline\r\n\r\nFirst paragraph.\rSecond — paragraph.\r\n".encode(codec)

    result = decode_bytes(data)

    assert result == DecodedText("Headline\n\nFirst paragraph.\nSecond — paragraph.\n", codec, ())


# ---------------------------------------------------------------------------
# NUL bytes
# ---------------------------------------------------------------------------


def test_few_nul_bytes_in_utf8_text_are_removed_with_warning() -> None:
    text = ARABIC[0] + WESTERN[1]
    raw = text.encode("utf-8")
    data = raw[:40] + b"\0" + raw[40:300] + b"\0\0" + raw[300:]

    assert decode_bytes(data) == DecodedText(text, "utf-8", ("3 NUL bytes removed",))


def test_single_nul_byte_in_cp1252_text_is_removed_with_warning() -> None:
    raw = WESTERN[5].encode("cp1252")
    data = raw[:100] + b"\0" + raw[100:]

    assert decode_bytes(data) == DecodedText(WESTERN[5], "cp1252", ("1 NUL byte removed",))


def test_trailing_nul_padding_is_removed_with_warning() -> None:
    data = WESTERN[3].encode("utf-8") + bytes(8192)

    assert decode_bytes(data) == DecodedText(WESTERN[3], "utf-8", ("8192 NUL bytes removed",))


def test_many_nul_bytes_mean_binary() -> None:
    data = b"".join(b"record %04d ok\0" % i for i in range(200))  # 1 NUL in 16 bytes

    with pytest.raises(NotTextError, match=r"^not a text file: 6\.\d% NUL bytes$"):
        decode_bytes(data)


def test_only_nul_bytes_mean_binary() -> None:
    with pytest.raises(NotTextError, match=r"^not a text file: contains only NUL bytes$"):
        decode_bytes(bytes(4096))


# ---------------------------------------------------------------------------
# Binary files
# ---------------------------------------------------------------------------


def _png() -> bytes:
    """A minimal real 1x1 PNG image."""
    ihdr = b"\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
    return (
        b"\x89PNG\r\n\x1a\n"
        + b"\x00\x00\x00\x0dIHDR"
        + ihdr
        + zlib.crc32(b"IHDR" + ihdr).to_bytes(4, "big")
    )


def _zip() -> bytes:
    """A small real ZIP archive laid out like a .docx file."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_png(), "not a text file: looks like a PNG image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01", "not a text file: looks like a JPEG image"),
        (b"GIF89a\x01\x00\x01\x00\x80\x00\x00", "not a text file: looks like a GIF image"),
        (
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
            "not a text file: looks like a PDF document",
        ),
        (_zip(), "not a text file: looks like a ZIP archive (or a .docx/.odt/.epub document)"),
        (gzip.compress(b"hello " * 100), "not a text file: looks like a gzip archive"),
        (b"\x7fELF\x02\x01\x01\x00" + bytes(56), "not a text file: looks like an ELF executable"),
        (
            b"SQLite format 3\x00\x10\x00\x01\x01" + bytes(80),
            "not a text file: looks like an SQLite database",
        ),
    ],
    ids=["png", "jpeg", "gif", "pdf", "zip", "gzip", "elf", "sqlite"],
)
def test_binary_signatures_are_rejected_with_their_kind(data: bytes, message: str) -> None:
    with pytest.raises(NotTextError) as excinfo:
        decode_bytes(data)

    assert str(excinfo.value) == message


@pytest.mark.parametrize("size", [512, 4096, 65536, 1 << 20])
def test_random_binary_is_rejected(size: int) -> None:
    data = random.Random(20240611 + size).randbytes(size)

    with pytest.raises(NotTextError, match=r"^not a text file: \d+(\.\d)?% control bytes$"):
        decode_bytes(data)


def test_not_text_error_is_a_value_error() -> None:
    assert issubclass(NotTextError, ValueError)


# ---------------------------------------------------------------------------
# Large inputs
# ---------------------------------------------------------------------------


def test_20_mb_utf8_file() -> None:
    paragraph = "“Prices rose 3% — again,” said Zoë. 北京 Москва القاهرة\r\n"
    text = paragraph * (20_000_000 // len(paragraph.encode("utf-8")) + 1)
    data = text.encode("utf-8")
    assert len(data) >= 20_000_000

    result = decode_bytes(data)

    assert result.encoding == "utf-8"
    assert result.warnings == ()
    assert result.text == text.replace("\r\n", "\n")


@pytest.mark.parametrize(("text", "codec"), [(WESTERN[0], "cp1252"), (RUSSIAN[0], "koi8_r")])
def test_20_mb_legacy_file(text: str, codec: str) -> None:
    data = text.encode(codec) * (20_000_000 // len(text.encode(codec)) + 1)

    result = decode_bytes(data)

    assert result.encoding == codec.replace("_", "-")
    assert result.text == data.decode(codec)


# ---------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------

_TEXT_BYTES = st.one_of(
    st.binary(max_size=4096),
    st.text(max_size=500).map(lambda text: text.encode("utf-8")),
    st.text(max_size=500).map(lambda text: text.encode("utf-16-le", errors="surrogatepass")),
    st.text(max_size=500).map(lambda text: text.encode("cp1252", errors="ignore")),
    st.text(max_size=500).map(lambda text: text.encode("gb18030", errors="ignore")),
)


@settings(max_examples=400, deadline=None)
@given(_TEXT_BYTES)
def test_any_bytes_give_text_without_cr_or_not_text_error(data: bytes) -> None:
    outcome = _outcome(data)

    if isinstance(outcome, NotTextError):
        message = str(outcome)
        assert message.startswith("not a text file: ")
        assert "\n" not in message
    else:
        assert isinstance(outcome, DecodedText)
        assert "\r" not in outcome.text
        assert isinstance(outcome.encoding, str)
        assert all(isinstance(warning, str) for warning in outcome.warnings)
        if not outcome.warnings:  # the reported codec reproduces the text
            assert normalize_newlines(data.decode(outcome.encoding)) == outcome.text


_PRINTABLE = st.text(
    alphabet=st.one_of(
        st.characters(exclude_categories=("Cc", "Cs")),
        st.sampled_from("\t\n\r"),
    ),
    min_size=1,
    max_size=300,
).filter(lambda text: not text.startswith("\ufeff"))


@settings(max_examples=300, deadline=None)
@given(_PRINTABLE)
def test_printable_utf8_text_round_trips(text: str) -> None:
    outcome = _outcome(text.encode("utf-8"))

    if isinstance(outcome, NotTextError):  # only a binary signature may reject it
        assert re.match(r"^not a text file: looks like ", str(outcome))
    else:
        assert outcome == DecodedText(normalize_newlines(text), "utf-8", ())


# ---------------------------------------------------------------------------
# Every encoding Python knows: other scripts and code pages (texts written here)
# ---------------------------------------------------------------------------

from archive_app.core.decoding import Decoding, decode_as, plausible_decodings  # noqa: E402

HEBREW = (
    "הממשלה אישרה הלילה את תקציב המדינה לשנה הבאה. שר האוצר אמר כי הגירעון "
    "יצטמצם, אך האופוזיציה טוענת שהתוכנית פוגעת במעמד הביניים ובשירותי הבריאות.\n"
)
GREEK = (
    "Η κυβέρνηση ανακοίνωσε σήμερα νέα μέτρα για τη στήριξη των νοικοκυριών. "
    "Σύμφωνα με τον υπουργό Οικονομικών, το κόστος θα ξεπεράσει τα δύο δισεκατομμύρια ευρώ.\n"
)
KOREAN = (
    "정부는 오늘 내년도 예산안을 발표했다. 경제부총리는 일자리와 복지 예산을 크게 늘리겠다고 "
    "밝혔지만, 야당은 재정 건전성이 나빠질 것이라고 비판했다.\n"
)
THAI = (
    "รัฐบาลประกาศมาตรการใหม่เพื่อช่วยเหลือเกษตรกรที่ได้รับผลกระทบจากน้ำท่วม "
    "โดยจะจ่ายเงินชดเชยให้แก่ครัวเรือนที่เสียหายภายในเดือนหน้า\n"
)
POLISH = (
    "Rząd przyjął we wtorek projekt ustawy o ochronie środowiska. Minister zapowiedział, "
    "że nowe przepisy wejdą w życie na początku przyszłego roku, a gminy dostaną więcej "
    "pieniędzy na oczyszczalnie ścieków.\n"
)
CZECH = (
    "Vláda ve středu schválila návrh rozpočtu na příští rok. Ministr financí řekl, že "
    "schodek se sníží, ale opozice tvrdí, že škrty dopadnou hlavně na důchodce a rodiny "
    "s dětmi.\n"
)
TURKISH = (
    "Hükümet bugün yeni ekonomik paketi açıkladı. Bakan, enflasyonun önümüzdeki yıl "
    "düşeceğini söyledi; muhalefet ise işsizliğin arttığını ve çiftçilerin zor durumda "
    "olduğunu belirtti.\n"
)
RUSSIAN_NEWS = (
    "Правительство утвердило план развития транспортной инфраструктуры до 2030 года. "
    "По словам министра, в регионах построят новые дороги и мосты, а также обновят "
    "подвижной состав пригородных поездов.\n"
)
JAPANESE_NEWS = (
    "政府は今日、新しい経済対策を発表しました。首相は記者会見で、物価の上昇に苦しむ家庭を"
    "支援するため、電気代とガス代の補助を続けると述べました。\n"
)
CHINESE_NEWS = (
    "国家统计局今天公布的数据显示，今年前三季度国内生产总值同比增长百分之五，"
    "消费对经济增长的贡献率进一步提高。\n"
)
TAIWAN_NEWS = "行政院今天通過明年度總預算案，將增加國防與社會福利的經費，並提高基層公務員的薪資。\n"

#: (text, Python codec) pairs the old eight-codec decoder got wrong or could not name.
OTHER_SCRIPTS: list[tuple[str, str]] = [
    (HEBREW, "cp1255"),
    (HEBREW, "iso8859_8"),
    (HEBREW, "cp862"),
    (GREEK, "cp1253"),
    (GREEK, "iso8859_7"),
    (GREEK, "cp737"),
    (KOREAN, "euc_kr"),
    (THAI, "cp874"),
    (POLISH, "cp1250"),
    (POLISH, "iso8859_2"),
    (CZECH, "cp1250"),
    (CZECH, "iso8859_2"),
    (CZECH, "cp852"),
    (TURKISH, "cp1254"),
    (RUSSIAN_NEWS, "cp866"),
    (RUSSIAN_NEWS, "mac_cyrillic"),
    (RUSSIAN_NEWS, "iso8859_5"),
    (RUSSIAN_NEWS, "koi8_r"),
    (JAPANESE_NEWS, "shift_jis"),
    (JAPANESE_NEWS, "euc_jp"),
    (JAPANESE_NEWS, "iso2022_jp"),
    (CHINESE_NEWS, "gb18030"),
    (CHINESE_NEWS, "hz"),
    (TAIWAN_NEWS, "big5"),
]


@pytest.mark.parametrize(("text", "codec"), OTHER_SCRIPTS, ids=lambda v: str(v)[:10])
def test_other_scripts_and_code_pages_decode_right(text: str, codec: str) -> None:
    data = text.encode(codec)

    result = decode_bytes(data)

    assert result.text == text
    # Any codec giving the same text is right (iso8859-9 for cp1254, cp949 for euc_kr...).
    assert normalize_newlines(data.decode(result.encoding)) == text
    assert not result.doubtful
    assert result.warnings == ()


@pytest.mark.parametrize(("text", "codec"), OTHER_SCRIPTS, ids=lambda v: str(v)[:10])
def test_plausible_decodings_list_the_true_encoding_first(text: str, codec: str) -> None:
    found = plausible_decodings(text.encode(codec))

    assert found
    assert all(isinstance(entry, Decoding) for entry in found)
    assert found[0].text == text
    assert len({entry.text for entry in found}) == len(found)  # different texts only
    assert [entry.confidence for entry in found] == sorted(
        (entry.confidence for entry in found), reverse=True
    )
    assert all(0.0 <= entry.confidence <= 1.0 for entry in found)
    assert all(codecs.lookup(entry.encoding).name == entry.encoding for entry in found)


def test_plausible_decodings_offer_runners_up_with_their_full_text() -> None:
    data = (RUSSIAN_NEWS * 3).encode("cp1251")

    found = plausible_decodings(data, limit=4)

    assert 2 <= len(found) <= 4
    assert found[0] == Decoding("cp1251", found[0].confidence, RUSSIAN_NEWS * 3)
    assert found[0].confidence > 0.5
    for entry in found[1:]:
        assert entry.text == normalize_newlines(data.decode(entry.encoding, errors="replace"))


def test_confident_decoding_has_no_alternatives() -> None:
    result = decode_bytes(GREEK.encode("cp1253"))

    assert result.confidence >= 0.5
    assert result.alternatives == ()
    assert not result.doubtful


def test_ambiguous_bytes_get_a_could_also_be_warning() -> None:
    # One short word: its cp1251 bytes read as Hebrew in cp1255 just as well.
    data = "Шалом".encode("cp1251")

    result = decode_bytes(data)

    assert result.text == "Шалом"
    assert result.warnings == ("decoded as cp1251; could also be cp1255",)
    assert result.doubtful
    assert result.confidence < 0.5
    assert result.alternatives
    assert all(codecs.lookup(name).name == name for name in result.alternatives)
    expected = f"decoded as {codecs.lookup(result.encoding).name}; could also be "
    assert result.warnings == (expected + ", ".join(result.alternatives),)
    for name in result.alternatives:
        assert data.decode(name) != data.decode(result.encoding)


def test_utf8_and_bom_results_are_fully_confident() -> None:
    for data in ("Привет, мир".encode(), codecs.BOM_UTF8 + b"abc", b"plain ascii"):
        result = decode_bytes(data)
        assert result.confidence == 1.0
        assert not result.doubtful


def test_decode_as_uses_the_chosen_codec() -> None:
    data = HEBREW.replace("\n", "\r\n").encode("cp1255")

    result = decode_as(data, "Windows-1255")

    assert result == DecodedText(HEBREW, "cp1255", ())
    assert decode_as(data, "cp1251").text == normalize_newlines(data.decode("cp1251"))


def test_decode_as_replaces_undecodable_bytes_with_a_counted_warning() -> None:
    data = "Καλημέρα".encode("iso8859_7") + b"\xae\xff"  # undefined in ISO-8859-7

    result = decode_as(data, "iso-8859-7")

    assert result.encoding == "iso8859-7"
    assert result.text == "Καλημέρα\ufffd\ufffd"
    assert result.warnings == ("2 undecodable bytes replaced with U+FFFD (decoded as iso8859-7)",)


def test_decode_as_unknown_codec_raises_lookup_error() -> None:
    with pytest.raises(LookupError, match="unknown encoding 'klingon-8'"):
        decode_as(b"abc", "klingon-8")
    with pytest.raises(LookupError, match="not a text encoding"):
        decode_as(b"abc", "zlib_codec")


def test_iso2022_kr_with_shift_bytes_is_text_not_binary() -> None:
    data = KOREAN.encode("iso2022_kr")

    result = decode_bytes(data)

    assert result == DecodedText(KOREAN, "iso2022_kr", ())

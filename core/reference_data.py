"""Reference rows loaded by data migrations: the Huzhou hierarchy at every level (domain.md §9).

``HUZHOU_BODIES`` keeps its five columns (migration 0003 reads it); the level, the review unit
and whether a row is a decision body (决策机关) follow from the hierarchy (``body_attributes``)
and are set by migration 0008."""

# The five districts and counties: (code, government, short name, justice bureau)
DISTRICTS = [
    ("wuxing", "吴兴区人民政府", "吴兴区", "吴兴区司法局"),
    ("nanxun", "南浔区人民政府", "南浔区", "南浔区司法局"),
    ("deqing", "德清县人民政府", "德清县", "德清县司法局"),
    ("changxing", "长兴县人民政府", "长兴县", "长兴县司法局"),
    ("anji", "安吉县人民政府", "安吉县", "安吉县司法局"),
]

# Townships and streets, at least three per district or county: (code, name, short name, 司法所 short name)
TOWNSHIPS = [
    ("wuxing-feiying", "吴兴区飞英街道办事处", "飞英街道", "飞英司法所"),
    ("wuxing-zhili", "吴兴区织里镇人民政府", "织里镇", "织里司法所"),
    ("wuxing-balidian", "吴兴区八里店镇人民政府", "八里店镇", "八里店司法所"),
    ("nanxun-lianshi", "南浔区练市镇人民政府", "练市镇", "练市司法所"),
    ("nanxun-nanxun", "南浔区南浔镇人民政府", "南浔镇", "南浔司法所"),
    ("nanxun-shuanglin", "南浔区双林镇人民政府", "双林镇", "双林司法所"),
    ("deqing-wukang", "德清县武康街道办事处", "武康街道", "武康司法所"),
    ("deqing-xinshi", "德清县新市镇人民政府", "新市镇", "新市司法所"),
    ("deqing-qianyuan", "德清县乾元镇人民政府", "乾元镇", "乾元司法所"),
    ("changxing-hongqiao", "长兴县洪桥镇人民政府", "洪桥镇", "洪桥司法所"),
    ("changxing-zhicheng", "长兴县雉城街道办事处", "雉城街道", "雉城司法所"),
    ("changxing-heping", "长兴县和平镇人民政府", "和平镇", "和平司法所"),
    ("anji-tianhuangping", "安吉县天荒坪镇人民政府", "天荒坪镇", "天荒坪司法所"),
    ("anji-dipu", "安吉县递铺街道办事处", "递铺街道", "递铺司法所"),
    ("anji-xiaofeng", "安吉县孝丰镇人民政府", "孝丰镇", "孝丰司法所"),
]

CITY_DEPARTMENTS = [
    ("hz-office", "湖州市人民政府办公室", "市政府办"),
    ("hz-justice", "湖州市司法局", "市司法局"),
    ("hz-drc", "湖州市发展和改革委员会", "市发改委"),
    ("hz-nrp", "湖州市自然资源和规划局", "市自然资源和规划局"),
    ("hz-eco", "湖州市生态环境局", "市生态环境局"),
    ("hz-amr", "湖州市市场监督管理局", "市市场监管局"),
    ("hz-transport", "湖州市交通运输局", "市交通运输局"),
    ("hz-education", "湖州市教育局", "市教育局"),
    ("hz-health", "湖州市卫生健康委员会", "市卫生健康委"),
    ("hz-housing", "湖州市住房和城乡建设局", "市住建局"),
    ("hz-civil", "湖州市民政局", "市民政局"),
    ("hz-water", "湖州市水利局", "市水利局"),
]


def district_of(township_code: str) -> str:
    return township_code.split("-")[0]


def justice_bureau_code(district_code: str) -> str:
    return f"{district_code}-justice"


def justice_office_code(township_code: str) -> str:
    return f"{township_code}-sfs"


def _bodies() -> list[tuple[str, str, str, str, str | None]]:
    rows = [("huzhou", "湖州市人民政府", "市政府", "city", None)]
    rows += [(code, name, short, "district", "huzhou") for code, name, short, _bureau in DISTRICTS]
    rows += [(code, name, short, "township", district_of(code)) for code, name, short, _office in TOWNSHIPS]
    rows += [(code, name, short, "department", "huzhou") for code, name, short in CITY_DEPARTMENTS]
    rows += [(justice_bureau_code(code), bureau, bureau, "department", code) for code, _n, _s, bureau in DISTRICTS]
    bureaus = {code: bureau for code, _n, _s, bureau in DISTRICTS}
    rows += [(justice_office_code(code), f"{bureaus[district_of(code)]}{office}", office, "justice_office",
              justice_bureau_code(district_of(code)))
             for code, _name, _short, office in TOWNSHIPS]
    return rows


# (code, name, short_name, kind, parent code), parents first
HUZHOU_BODIES = _bodies()


def body_attributes(code: str, kind: str) -> dict:
    """Level, review unit (code) and decision-body flag of a reference row: 市司法局 reviews for the
    city government and city departments, each district's or county's 司法局 for its government and
    departments, the township's 司法所 for the township (domain.md §9, seed)."""
    if kind == "city":
        return {"level": "city", "review_unit": "hz-justice", "is_decision_body": True}
    if kind == "district":
        return {"level": "county", "review_unit": justice_bureau_code(code), "is_decision_body": True}
    if kind == "township":
        return {"level": "township", "review_unit": justice_office_code(code), "is_decision_body": True}
    if kind == "justice_office":
        return {"level": "township", "review_unit": None, "is_decision_body": False}
    if code.endswith("-justice") and code != "hz-justice":
        return {"level": "county", "review_unit": code, "is_decision_body": False}
    return {"level": "city", "review_unit": "hz-justice", "is_decision_body": False}

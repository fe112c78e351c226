"""Reference rows loaded by data migrations: the Huzhou hierarchy."""

# (code, name, short_name, kind, parent code)
HUZHOU_BODIES = [
    ("huzhou", "湖州市人民政府", "市政府", "city", None),
    ("wuxing", "吴兴区人民政府", "吴兴区", "district", "huzhou"),
    ("nanxun", "南浔区人民政府", "南浔区", "district", "huzhou"),
    ("deqing", "德清县人民政府", "德清县", "district", "huzhou"),
    ("changxing", "长兴县人民政府", "长兴县", "district", "huzhou"),
    ("anji", "安吉县人民政府", "安吉县", "district", "huzhou"),
    ("wuxing-feiying", "吴兴区飞英街道办事处", "飞英街道", "township", "wuxing"),
    ("nanxun-lianshi", "南浔区练市镇人民政府", "练市镇", "township", "nanxun"),
    ("deqing-wukang", "德清县武康街道办事处", "武康街道", "township", "deqing"),
    ("changxing-hongqiao", "长兴县洪桥镇人民政府", "洪桥镇", "township", "changxing"),
    ("anji-tianhuangping", "安吉县天荒坪镇人民政府", "天荒坪镇", "township", "anji"),
    ("hz-office", "湖州市人民政府办公室", "市政府办", "department", "huzhou"),
    ("hz-justice", "湖州市司法局", "市司法局", "department", "huzhou"),
    ("hz-drc", "湖州市发展和改革委员会", "市发改委", "department", "huzhou"),
    ("hz-nrp", "湖州市自然资源和规划局", "市自然资源和规划局", "department", "huzhou"),
    ("hz-eco", "湖州市生态环境局", "市生态环境局", "department", "huzhou"),
    ("hz-amr", "湖州市市场监督管理局", "市市场监管局", "department", "huzhou"),
    ("hz-transport", "湖州市交通运输局", "市交通运输局", "department", "huzhou"),
    ("hz-education", "湖州市教育局", "市教育局", "department", "huzhou"),
    ("hz-health", "湖州市卫生健康委员会", "市卫生健康委", "department", "huzhou"),
    ("hz-housing", "湖州市住房和城乡建设局", "市住建局", "department", "huzhou"),
    ("hz-civil", "湖州市民政局", "市民政局", "department", "huzhou"),
    ("hz-water", "湖州市水利局", "市水利局", "department", "huzhou"),
]

#!/usr/bin/env python3
"""Make converted-report fixtures with the real converters.

Writes made-up 《政府信息公开工作年度报告》 as Word .docx files (python-docx), in the
official 2019 and 2021 forms, then converts every one of them with the tools that
make the files county offices receive in the wild:

    LibreOffice   soffice --convert-to pdf | doc | html | docx | txt
    poppler       pdftotext -layout | -raw   (of the LibreOffice PDFs)
    pandoc        -f docx -t gfm | markdown | html

and packs each converter path as one ZIP archive in tests/fixtures/converted/,
with the expected values as expected.json inside each archive (see README.md
in this folder).

    python3 tests/convert/make_fixtures.py [--count N] [--out tests/fixtures/converted] [--only txt-lo,...]

This program is written independently of the Rust project's own generator:
it shares no code and no assumptions with it beyond the public form and
shared/FORMAT.md.  All randomness comes from seeded random.Random objects, one
per report (so --count only adds or removes reports at the end), and every
archive entry carries a fixed timestamp.  What the converters write themselves
(the PDF's CreationDate and /ID, dates inside .doc) still differs between runs.
"""

import argparse
import datetime
import html
import html.parser
import io
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from decimal import Decimal

try:
    import docx  # python-docx
except ImportError:  # pyenv/venv python without python3-docx: use Debian's python
    if __name__ == "__main__" and os.path.exists("/usr/bin/python3") \
            and os.path.realpath(sys.executable) != os.path.realpath("/usr/bin/python3") \
            and not os.environ.get("MAKE_FIXTURES_REEXEC"):
        os.environ["MAKE_FIXTURES_REEXEC"] = "1"
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    sys.exit("make_fixtures.py needs python-docx (apt-get install python3-docx)")

from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_ALIGN_VERTICAL, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Pt

SEED = 20240917
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
ZIP_DATE = (2025, 1, 1, 0, 0, 0)
DOC_DATE = datetime.datetime(2025, 1, 10, 9, 30, 0)
LO_PROFILE = "file:///tmp/lo-profile-fixtures"
KEEP_PDF = 100
KEEP_DOC = 100

# --------------------------------------------------------------------------
# Names

COUNTIES = ["民权县", "兴国县", "宁都县", "于都县", "会昌县", "寻乌县", "石城县", "崇义县",
            "上犹县", "大余县", "信丰县", "定南县", "睢县", "宁陵县", "柘城县"]

TOWNS = ["城关镇", "人和镇", "龙塘镇", "双塔镇", "良村镇", "落水镇", "花园乡", "白云乡", "程庄镇",
         "王桥乡", "孙六镇", "北关镇", "野岗乡", "胡集乡", "褚庙乡", "老颜集乡", "伯党乡", "庄子镇",
         "龙口镇", "东江镇", "古龙岗镇", "高兴镇", "枫边乡", "杰村乡", "社富乡", "埠头乡", "茶园乡",
         "兴江乡", "鼎龙乡", "长冈乡", "永丰乡", "梅窖镇", "江背镇", "樟木乡", "隆坪乡", "崇贤乡",
         "城岗乡", "南坑乡", "思顺乡", "黄坑乡", "大坪乡", "石上镇", "东山坝镇", "长胜镇", "黄陂镇",
         "青塘镇", "赖村镇", "洛口镇", "固村镇", "田埠乡", "湛田乡", "对坊乡", "安福乡", "钓峰乡",
         "黄石镇", "固厚乡", "小布镇", "会同乡", "东韶乡", "肖田乡"]

STREETS = ["城关街道", "梅江街道", "潋江街道", "贡江街道", "文峰街道", "东城街道", "西城街道", "南关街道"]

DEPARTMENTS = ["教育局", "自然资源局", "财政局", "民政局", "市场监督管理局", "卫生健康委员会",
               "住房和城乡建设局", "农业农村局", "交通运输局", "人力资源和社会保障局"]

# --------------------------------------------------------------------------
# Table 3 of the form: rows (key, part) where part says how the label cells
# are laid out: "top" spans the three label columns, "bc" sits under
# 三、本年度办理结果 and spans the two inner columns, a group has a vertically
# merged group label beside numbered sub-rows.

T3_COLS = ["natural_person", "commercial_enterprise", "research_institution", "social_welfare_org",
           "legal_service_org", "other_org", "total"]

GROUPS = {
    "三": ("不予公开", [
        ("denied_state_secret", "属于国家秘密"),
        ("denied_prohibited_by_law", "其他法律行政法规禁止公开"),
        ("denied_three_safety_one_stability", "危及{q}三安全一稳定{p}"),
        ("denied_third_party_rights", "保护第三方合法权益"),
        ("denied_internal_affairs", "属于三类内部事务信息"),
        ("denied_process_info", "属于四类过程性信息"),
        ("denied_law_enforcement_file", "属于行政执法案卷"),
        ("denied_administrative_query", "属于行政查询事项")]),
    "四": ("无法提供", [
        ("unable_not_held", "本机关不掌握相关政府信息"),
        ("unable_needs_creation", "没有现成信息需要另行制作"),
        ("unable_unclear_after_correction", "补正后申请内容仍不明确")]),
    "五": ("不予处理", [
        ("not_processed_petition_complaint", "信访举报投诉类申请"),
        ("not_processed_duplicate", "重复申请"),
        ("not_processed_publication", "要求提供公开出版物"),
        ("not_processed_excessive", "无正当理由大量反复申请"),
        ("not_processed_confirm_existing", "要求行政机关确认或重新出具已获取信息")]),
    "六": ("其他处理", [
        ("other_no_correction", "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
        ("other_unpaid_fee", "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
        ("other_other", "其他")]),
}


def t3_keys(single_other):
    keys = ["new_requests", "carried_over", "granted", "partially_granted"]
    for g in "三四五":
        keys += [k for k, _ in GROUPS[g][1]]
    keys += ["other_processing"] if single_other else [k for k, _ in GROUPS["六"][1]]
    return keys + ["total_processed", "carried_forward"]


def outcome_keys(single_other):
    return t3_keys(single_other)[2:-2]


T4_KEYS = ["review", "lawsuit_direct", "lawsuit_after_review"]

T2_2021 = [("regulations", 3), ("normative_documents", 3), ("licensing", 1), ("punishment", 1),
           ("enforcement", 1), ("fees", 1)]
T2_2019 = [("regulations", 3), ("normative_documents", 3), ("licensing", 3), ("other_services", 3),
           ("punishment", 3), ("enforcement", 3), ("fees", 2), ("procurement", 2)]
T2_MEASURES = {
    "2021": {"regulations": ["issued", "repealed", "in_force"], "normative_documents": ["issued", "repealed", "in_force"],
             "licensing": ["decisions"], "punishment": ["decisions"], "enforcement": ["decisions"],
             "fees": ["amount_10k_yuan"]},
    "2019": {"regulations": ["made", "published", "total_published"],
             "normative_documents": ["made", "published", "total_published"],
             "licensing": ["previous_count", "change", "decisions"],
             "other_services": ["previous_count", "change", "decisions"],
             "punishment": ["previous_count", "change", "decisions"],
             "enforcement": ["previous_count", "change", "decisions"],
             "fees": ["previous_count", "change"], "procurement": ["projects", "amount_10k_yuan"]},
}

# --------------------------------------------------------------------------
# Simplified -> traditional, one character at a time (made once with
# `opencc -c s2t` over every character this program writes; characters that
# are the same in both scripts are left out).

TRAD_PAIRS = (
    "万萬与與专專业業东東严嚴丰豐为為举舉义義乌烏乡鄉书書云雲产產从從众眾优優会會体體党黨关關兴興养養内內冈岡农農决決况況准準"
    "减減则則别別办辦务務动動区區华華单單卫衛厅廳县縣参參双雙发發变變台臺号號后後员員园園围圍国國图圖场場坚堅坝壩处處复復够夠"
    "头頭孙孫宁寧实實审審宽寬对對寻尋导導将將尽盡层層属屬岗崗并並广廣庄莊应應庙廟废廢开開强強归歸当當录錄彻徹态態总總户戶执執"
    "护護报報挥揮据據数數断斷无無时時显顯机機权權条條杰傑构構枫楓标標栏欄档檔桥橋检檢没沒泄洩潋瀲点點犹猶环環现現电電畅暢监監"
    "确確称稱稳穩简簡类類紧緊纠糾级級纳納组組织織经經结結绕繞继繼绩績续續维維编編缴繳网網罚罰职職胜勝范範获獲营營补補规規视視"
    "计計认認训訓议議记記许許讼訟设設访訪识識诉訴询詢说說请請读讀调調负負贡貢财財责責贤賢质質购購贯貫费費资資赖賴转轉载載较較"
    "输輸边邊过過运運这這进進采採针針钓釣链鏈错錯镇鎮长長门門问問阅閱际際页頁项項顺順预預领領频頻题題颜顏额額风風黄黃龙龍"
)
TRAD = {}


def to_trad(s):
    return "".join(TRAD.get(c, c) for c in s)


# --------------------------------------------------------------------------
# The report: all random choices in one dict ("spec"), made before any
# document is written.

def pick_weighted(rng, pairs):
    total = sum(w for _, w in pairs)
    x = rng.random() * total
    for v, w in pairs:
        x -= w
        if x < 0:
            return v
    return pairs[-1][0]


def draw_table3(rng, scale, single_other):
    oks = outcome_keys(single_other)
    w = {"granted": 10, "partially_granted": 2, "denied_state_secret": 0.05, "denied_prohibited_by_law": 0.2,
         "denied_three_safety_one_stability": 0.2, "denied_third_party_rights": 0.4, "denied_internal_affairs": 0.5,
         "denied_process_info": 0.5, "denied_law_enforcement_file": 0.2, "denied_administrative_query": 0.4,
         "unable_not_held": 4, "unable_needs_creation": 1, "unable_unclear_after_correction": 0.6,
         "not_processed_petition_complaint": 1, "not_processed_duplicate": 0.8, "not_processed_publication": 0.3,
         "not_processed_excessive": 0.2, "not_processed_confirm_existing": 0.3, "other_no_correction": 0.6,
         "other_unpaid_fee": 0.05, "other_other": 0.8, "other_processing": 1.3}
    # how many processed requests per applicant column
    if scale == "zero":
        per_col = [0] * 6
    else:
        lo, hi = {"small": (1, 15), "medium": (12, 160), "large": (150, 4200)}[scale]
        npers = rng.randint(lo, hi)
        org_p = [0.35, 0.06, 0.1, 0.18, 0.25] if scale != "small" else [0.15, 0.02, 0.04, 0.08, 0.1]
        per_col = [npers] + [rng.randint(1, max(1, hi // 8)) if rng.random() < p else 0 for p in org_p]
    # the doc's own set of outcome weights (not every unit uses every row)
    dw = {k: (w[k] * rng.uniform(0.3, 1.7) if (k == "granted" or rng.random() < 0.55) else 0) for k in oks}
    t3 = {k: [0] * 7 for k in t3_keys(single_other)}
    for j, n in enumerate(per_col):
        if n:
            for k in rng.choices(oks, weights=[dw[k] for k in oks], k=n):
                t3[k][j] += 1
        proc = sum(t3[k][j] for k in oks)
        while True:
            if scale == "large":
                co = rng.randint(0, max(0, proc // 12)) if rng.random() < 0.7 else 0
                cf = rng.randint(0, max(0, proc // 12)) if rng.random() < 0.7 else 0
            else:
                co = rng.choice([0] * 7 + [1, 1, 2, 3]) if (proc or rng.random() < 0.1) else 0
                cf = rng.choice([0] * 6 + [1, 1, 2]) if proc else 0
            new = proc + cf - co
            if new >= 0:
                break
        t3["total_processed"][j] = proc
        t3["carried_over"][j] = co
        t3["carried_forward"][j] = cf
        t3["new_requests"][j] = new
    for k in t3:
        t3[k][6] = sum(t3[k][:6])
    return t3


def draw_table4(rng, scale):
    p = {"zero": 0.0, "small": 0.12, "medium": 0.4, "large": 0.8}[scale]
    t4 = {}
    for k in T4_KEYS:
        if rng.random() < p:
            top = 3 if scale != "large" else 12
            v = [rng.choice([0, 0, 1, 2, top]) for _ in range(4)]
            v = [rng.randint(0, x) for x in v]
        else:
            v = [0, 0, 0, 0]
        t4[k] = v + [sum(v)]
    return t4


def draw_decimal(rng, big):
    if rng.random() < 0.45:
        return "0"
    places = rng.choice([0, 1, 2, 2, 2, 3, 4])
    units = rng.randint(0, 80 if big else 12) * 10 ** places + rng.randint(1, 10 ** places if places else 9)
    d = Decimal(units).scaleb(-places)
    return str(d)


def norm_decimal(s):
    d = Decimal(s)
    if d == d.to_integral():
        return str(d.quantize(Decimal(1)))
    return format(d.normalize(), "f")


def draw_table2(rng, form, kind, scale):
    big = scale in ("large", "medium") or kind == "department"
    t2 = {}
    if form == "2021":
        for key in ("regulations", "normative_documents"):
            if key == "regulations" and kind != "department" and rng.random() < 0.9:
                t2[key] = [0, 0, 0]
                continue
            issued = rng.choice([0, 0, 1, 2, 3, 5, 8]) if big else rng.choice([0, 0, 0, 1, 2])
            repealed = rng.choice([0, 0, 0, 1, 2])
            in_force = issued + rng.randint(0, 40 if big else 6)
            t2[key] = [issued, repealed, in_force]
        t2["licensing"] = [rng.choice([0, 0, rng.randint(1, 30), rng.randint(30, 3000) if big else rng.randint(1, 90)])]
        t2["punishment"] = [rng.choice([0, 0, rng.randint(1, 20), rng.randint(10, 900) if big else rng.randint(1, 40)])]
        t2["enforcement"] = [rng.choice([0, 0, 0, rng.randint(1, 12)])]
        t2["fees"] = [draw_decimal(rng, big)]
    else:
        for key in ("regulations", "normative_documents"):
            if key == "regulations" and kind != "department" and rng.random() < 0.9:
                t2[key] = [0, 0, 0]
                continue
            made = rng.choice([0, 0, 1, 2, 3, 6])
            published = rng.randint(max(0, made - 2), made)
            t2[key] = [made, published, published + rng.randint(0, 30)]
        for key in ("licensing", "other_services", "punishment", "enforcement"):
            if rng.random() < 0.35:
                t2[key] = [0, 0, 0]
                continue
            prev = rng.randint(0, 60)
            change = rng.randint(-min(prev, 6), 6) if rng.random() < 0.6 else 0
            t2[key] = [prev, change, rng.randint(0, 400 if big else 40)]
        prev = rng.choice([0, 0, 1, 2, 3, 5])
        t2["fees"] = [prev, rng.randint(-min(prev, 1), 1) if rng.random() < 0.3 else 0]
        n = rng.choice([0, 0, 1, 2, 4, 7, 12])
        t2["procurement"] = [n, draw_decimal(rng, big) if n else "0"]
    return t2


def min_cell_cm(chars, pt):
    return 0.5 + chars * 0.64 * pt / 28.35


def make_spec(i, seed):
    rng = random.Random(seed * 7919 + i)
    s = {"index": i}
    year = pick_weighted(rng, [(2019, 1), (2020, 1.3), (2021, 1), (2022, 1), (2023, 1.3), (2024, 2), (2025, 1)])
    form = "2019" if year <= 2020 else "2021"
    s["year"], s["form"] = year, form
    s["single_other"] = form == "2019" or rng.random() < 0.15
    kind = pick_weighted(rng, [("town", 0.72), ("street", 0.12), ("department", 0.16)])
    s["kind"] = kind
    county = rng.choice(COUNTIES)
    s["traditional"] = rng.random() < (0.35 if county == "兴国县" else 0.04)
    if kind == "town":
        unit = rng.choice(TOWNS)
        suffix = rng.choice(["人民政府"] * 6 + [""])
    elif kind == "street":
        unit = rng.choice(STREETS)
        suffix = rng.choice(["办事处"] * 3 + [""])
    else:
        unit = rng.choice(DEPARTMENTS)
        suffix = ""
    s["county"], s["unit"], s["unit_suffix"] = county, unit, suffix
    # title shape
    s["title_shape"] = pick_weighted(rng, [("plain", 4), ("guanyu", 1.5), ("spaced", 1), ("no_county", 1.3),
                                           ("split", 1.2), ("year_first", 0.6)])
    if kind == "department" and s["title_shape"] == "no_county":
        s["title_shape"] = "plain"  # a bare 教育局 names no county at all
    s["nian_du"] = rng.random() < 0.35  # 2024年度 vs 2024年
    scale = pick_weighted(rng, [("zero", 0.22), ("small", 0.48), ("medium", 0.18), ("large", 0.12)])
    if kind == "department" and scale == "zero":
        scale = "small"
    s["scale"] = scale
    s["table3"] = draw_table3(rng, scale, s["single_other"])
    s["table4"] = draw_table4(rng, scale)
    s["table2"] = draw_table2(rng, form, kind, scale)
    # subtotals (~10%)
    s["subtotal_rows"] = s["subtotal_col"] = False
    if rng.random() < 0.10:
        s["subtotal_rows"], s["subtotal_col"] = rng.choice([(True, False), (False, True), (True, True)])
    s["subtotal_col_in_group"] = rng.random() < 0.5
    # blanks
    s["blank_style"] = rng.choice([None] * 7 + ["empty", "-", "—", "/", "无"] * 1)
    s["blank_scope"] = rng.choice(["all", "all", "zero_rows", "some"]) if s["blank_style"] else None
    s["thousands"] = any(v >= 1000 for v in s["table3"]["total_processed"]) and rng.random() < 0.6
    # label spelling
    s["bracket"] = rng.choice(["full", "full", "half"])
    s["numdot"] = rng.choice([".", ".", "、", "．"])
    s["quote"] = rng.choice(["curly", "curly", "straight"])
    s["label_space"] = rng.random() < 0.3  # "(一) 予以公开" / "1. 属于…"
    s["inner_spaces"] = rng.random() < 0.12  # "总 计", "结果 维持"
    s["corner_half"] = rng.random() < 0.3
    s["a_covers_total"] = rng.random() < 0.7  # 三、本年度办理结果 merged down to (七) 总计
    s["t3_total_in_header"] = rng.random() < 0.8  # 总计 in header row 1 (申请人情况 over six)
    s["t4_header_breaks"] = rng.choice(["none", "br", "space"])
    # widths
    s["label_width"] = pick_weighted(rng, [("narrow", 0.36), ("medium", 0.34), ("wide", 0.30)])
    s["landscape"] = rng.random() < (0.55 if s["label_width"] == "wide" else 0.05)
    s["table_font_pt"] = rng.choice([10.5, 10.5, 9, 12]) if s["label_width"] != "wide" else rng.choice([9, 10.5])
    s["label_valign"] = rng.choice(["center", "center", "top"])
    s["value_valign"] = pick_weighted(rng, [("center", 0.5), ("top", 0.35), ("bottom", 0.15)])
    s["label_align"] = rng.choice(["left", "left", "center"])
    s["width_jitter"] = [rng.uniform(0.85, 1.2) for _ in range(12)]
    s["value_cm"] = rng.uniform(0.95, 1.9) if s["label_width"] != "wide" else rng.uniform(0.95, 1.5)
    # A number never wraps inside its cell: LibreOffice breaks "1943" into
    # "194" / "3" when the column is too narrow for it (the digits come out in
    # DejaVu Serif, the stand-in for Times New Roman, 0.64 em wide).
    widest = max(len(f"{v:,}" if s["thousands"] and v >= 1000 else str(v)) for vs in s["table3"].values() for v in vs)
    s["value_cm"] = max(s["value_cm"], min_cell_cm(widest, s["table_font_pt"]) + (0.2 if s["subtotal_col"] else 0))
    # pages
    s["header_repeat"] = rng.random() < 0.4
    s["cant_split"] = rng.random() < 0.3
    s["footer"] = pick_weighted(rng, [(None, 0.3), ("dash", 0.4), ("di_ye", 0.2), ("di_ye_gong", 0.1)])
    s["long_prose"] = rng.random() < 0.35
    s["break_before_t3"] = rng.random() < (0.6 if s["label_width"] == "wide" else 0.15)
    s["table2_layout"] = rng.choice(["combined", "combined", "separate", "separate_para"])
    s["table2_kind"] = rng.choice(["full", "full", "dot"])  # 第二十条第（一）项 brackets
    # fonts
    s["body_font"] = rng.choice(["仿宋_GB2312", "仿宋_GB2312", "仿宋", "Noto Serif CJK SC", "宋体"])
    s["title_font"] = rng.choice(["方正小标宋简体", "方正小标宋_GBK", "黑体", "Noto Serif CJK SC", "宋体"])
    s["table_font"] = rng.choice(["仿宋_GB2312", "宋体", "宋体", "Noto Serif CJK SC"])
    s["body_pt"] = rng.choice([16, 16, 14, 12])
    s["narrative"] = rng.random() < 0.6
    s["narrative_verb"] = rng.choice(["共收到", "共接到", "共收到", "共新收"])
    s["prose_seed"] = rng.randrange(1 << 30)
    return s


# --------------------------------------------------------------------------
# Labels, with the document's spelling variants

CN_NUM = "一二三四五六七八九十"


def br(s, n):
    return f"（{n}）" if s["bracket"] == "full" else f"({n})"


def sp(s):
    return " " if s["label_space"] else ""


def spaced(s, word):
    """"总计" -> "总 计" in documents that put spaces inside labels."""
    if s["inner_spaces"] and len(word) in (2, 4):
        h = len(word) // 2
        return word[:h] + " " + word[h:]
    return word


def quote(s, text):
    q, p = ("“", "”") if s["quote"] == "curly" else ('"', '"')
    return text.replace("{q}", q).replace("{p}", p)


def partial_label(s):
    inner = "区分处理的，只计这一情形，不计其他情形"
    if s["bracket"] == "half":
        inner = "(" + inner.replace("，", ",") + ")"
    else:
        inner = "（" + inner + "）"
    return br(s, "二") + sp(s) + spaced(s, "部分公开") + inner


def corner_note(s):
    t = "本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和"
    if s["corner_half"]:
        return "(" + t.replace("：", ":").replace("，", ",") + ")"
    return "（" + t + "）"


def sub_label(s, n, text):
    return f"{n}{s['numdot']}{sp(s)}{quote(s, text)}"


def group_label(s, g):
    return br(s, g) + sp(s) + spaced(s, GROUPS[g][0])


def t20(s, n):
    return f"第二十条第（{n}）项" if s["table2_kind"] == "full" else f"第二十条第({n})项"


# --------------------------------------------------------------------------
# Display of numbers

def blanked(s, v, row_all_zero, rng):
    """The text of a cell holding v (an int or a decimal string)."""
    zero = (v == 0) if isinstance(v, int) else Decimal(v) == 0
    if zero and s["blank_style"]:
        scope = s["blank_scope"]
        if scope == "all" or (scope == "zero_rows" and row_all_zero) or (scope == "some" and rng.random() < 0.5):
            return "" if s["blank_style"] == "empty" else s["blank_style"]
    if isinstance(v, int):
        if s["thousands"] and abs(v) >= 1000:
            return f"{v:,}"
        return str(v)
    return v


# --------------------------------------------------------------------------
# Prose

PROSE = {
    "intro": [
        "{year}年，{we}在{county}委、县政府的坚强领导下，深入贯彻落实《中华人民共和国政府信息公开条例》（以下简称《条例》），"
        "紧紧围绕中心工作，持续深化政务公开，不断提升政府工作透明度。现将{year}年度政府信息公开工作情况报告如下。",
        "本报告根据《中华人民共和国政府信息公开条例》要求，由{full}编制。全文包括总体情况、主动公开政府信息情况、"
        "收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项。",
        "{year}年，{we}坚持以人民为中心的发展思想，严格落实上级关于政务公开工作的部署要求，把政府信息公开作为转变作风、"
        "服务群众的重要抓手，公开的深度和广度进一步拓展。",
    ],
    "active": [
        "{we}通过政府门户网站、政务新媒体、村务公开栏等渠道主动公开各类政府信息{n1}条，其中机构职能、政策文件、财政预决算、"
        "乡村振兴、安全生产等重点领域信息{n2}条，切实保障了群众的知情权、参与权和监督权。",
        "坚持“以公开为常态、不公开为例外”，及时公开涉及群众切身利益的惠民政策、项目资金和民生实事，全年更新政务公开专栏{n3}次。",
        "围绕优化营商环境、社会救助、教育卫生、生态环境等领域，编制并动态调整主动公开基本目录，做到应公开尽公开。",
    ],
    "request": [
        "{we}严格按照《条例》规定的时限和程序办理依申请公开事项，畅通受理渠道，规范答复文书，所有申请均在法定期限内答复。",
        "进一步完善依申请公开登记、审核、办理、答复、归档的工作流程，办理过程全程留痕。",
        "对申请内容不明确的，及时一次性告知申请人补正；对不属于本机关公开范围的，告知申请人并说明理由。",
    ],
    "manage": [
        "严格落实信息发布审查制度，坚持“先审查、后公开”和“一事一审”原则，全年未发生泄密事件。",
        "加强政府信息管理，对现行有效的规范性文件进行清理，并在门户网站集中公开。",
        "落实专人负责网站信息更新维护，定期开展错别字、死链接自查，确保信息准确、及时、规范。",
    ],
    "platform": [
        "充分发挥政府网站信息公开第一平台作用，持续优化政府信息公开专栏栏目设置，提高信息检索的便捷性。",
        "用好政务微信公众号、政务服务大厅电子显示屏等载体，拓宽信息公开渠道，方便群众及时获取政府信息。",
        "在便民服务中心设立政府信息公开查阅点，为群众现场查阅提供便利。",
    ],
    "supervise": [
        "成立由主要负责同志任组长的政务公开工作领导小组，明确分管领导和工作人员，形成一级抓一级、层层抓落实的工作格局。",
        "将政务公开工作纳入年度绩效考核，定期组织业务培训{n4}次，不断提高工作人员业务能力。",
        "主动接受社会监督，全年未收到有关政府信息公开工作的投诉举报，未发生因政府信息公开引起的责任追究。",
    ],
    "problems": [
        "{year}年，{we}政府信息公开工作取得了一定成效，但仍存在一些不足：一是部分信息公开不够及时；二是公开内容解读不够深入，"
        "图文解读、视频解读等形式运用较少；三是工作人员业务能力有待进一步提高。",
        "针对上述问题，下一步{we}将从以下方面加以改进：一是强化时效意识，做到信息及时发布、及时更新；二是丰富政策解读形式，"
        "提升解读质量；三是加强业务培训，提升工作人员专业素养。",
        "{we}将继续认真贯彻落实《条例》，健全完善工作机制，推动政务公开工作提质增效。",
    ],
    "other": [
        "{year}年度，{we}未收取信息处理费。",
        "本年度{we}无其他需要报告的事项。",
        "按照《政府信息公开信息处理费管理办法》规定，{year}年度{we}发出收费通知的件数和总金额以及实际收取的总金额均为0。",
        "{we}全面落实政务公开年度工作要点，各项工作任务均已按期完成。",
    ],
}

SUBHEADS = [("一", "主动公开情况", "active"), ("二", "依申请公开情况", "request"),
            ("三", "政府信息管理情况", "manage"), ("四", "政府信息公开平台建设情况", "platform"),
            ("五", "监督保障情况", "supervise")]


def we(s):
    return {"town": "我镇" if s["unit"].endswith("镇") else "我乡", "street": "我街道", "department": "我局"}[s["kind"]] \
        if not s["unit"].endswith("委员会") else "我委"


def full_name(s):
    return s["county"] + s["unit"] + s["unit_suffix"]


def title_lines(s):
    y = s["year"]
    nian = f"{y}年度" if s["nian_du"] else f"{y}年"
    full = full_name(s)
    shape = s["title_shape"]
    if shape == "plain":
        return [f"{full}{nian}政府信息公开工作年度报告"]
    if shape == "guanyu":
        return [f"{full}关于{y}年度政府信息公开工作年度报告"]
    if shape == "spaced":
        return [f"{full} {y} 年政府信息公开工作年度报告"]
    if shape == "no_county":
        return [f"{s['unit']}{s['unit_suffix']}{nian}政府信息公开工作年度报告"]
    if shape == "split":
        return [f"{y}年{full}政府信息公开", "工作年度报告"]
    return [f"{y}年{full}政府信息公开工作年度报告"]  # year_first


def prose_section(s, rng, pool, count):
    out = []
    items = list(PROSE[pool])
    rng.shuffle(items)
    while len(items) < count:
        items += items
    for t in items[:count]:
        out.append(t.format(year=s["year"], we=we(s), county=s["county"],
                            full=full_name(s), n1=rng.randint(30, 900), n2=rng.randint(10, 300),
                            n3=rng.randint(12, 120), n4=rng.randint(1, 6)))
    return out


# --------------------------------------------------------------------------
# Word writing

VALIGN = {"center": WD_ALIGN_VERTICAL.CENTER, "top": WD_ALIGN_VERTICAL.TOP, "bottom": WD_ALIGN_VERTICAL.BOTTOM}


def set_east_asian(run, font):
    rpr = run._element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    rfonts.set(qn("w:eastAsia"), font)
    rfonts.set(qn("w:ascii"), "Times New Roman")
    rfonts.set(qn("w:hAnsi"), "Times New Roman")


def setup_document(s):
    d = docx.Document()
    # default fonts: explicit, no theme fonts (the theme would override eastAsia)
    rpr = d.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    rfonts = rpr.find(qn("w:rFonts"))
    for a in list(rfonts.attrib):
        del rfonts.attrib[a]
    rfonts.set(qn("w:ascii"), "Times New Roman")
    rfonts.set(qn("w:hAnsi"), "Times New Roman")
    rfonts.set(qn("w:cs"), "Times New Roman")
    rfonts.set(qn("w:eastAsia"), s["body_font"])
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")
    normal = d.styles["Normal"]
    normal.font.size = Pt(s["table_font_pt"])
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)
    sec = d.sections[0]
    w, h = Cm(21.0), Cm(29.7)
    if s["landscape"]:
        sec.orientation = WD_ORIENT.LANDSCAPE
        w, h = h, w
    sec.page_width, sec.page_height = w, h
    if s["landscape"]:
        sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin = Cm(2.2), Cm(2.2), Cm(2.5), Cm(2.5)
    elif s["label_width"] == "wide":
        sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin = Cm(2.5), Cm(2.5), Cm(1.8), Cm(1.8)
    else:
        sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin = Cm(3.7), Cm(3.5), Cm(2.8), Cm(2.6)
    cp = d.core_properties
    cp.author = "办公室"
    cp.last_modified_by = "办公室"
    cp.created = DOC_DATE
    cp.modified = DOC_DATE
    cp.last_printed = DOC_DATE
    cp.revision = 1
    cp.title = ""
    cp.comments = ""
    return d


def add_footer(d, s):
    if not s["footer"]:
        return
    sec = d.sections[0]
    p = sec.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER

    def field(instr):
        for kind in ("begin", None, "separate", "1", "end"):
            r = p.add_run()
            r.font.size = Pt(10.5)
            if kind is None:
                it = OxmlElement("w:instrText")
                it.set(qn("xml:space"), "preserve")
                it.text = f" {instr} "
                r._r.append(it)
            elif kind == "1":
                r.text = "1"
            else:
                fc = OxmlElement("w:fldChar")
                fc.set(qn("w:fldCharType"), kind)
                r._r.append(fc)

    def text(t):
        r = p.add_run(t)
        r.font.size = Pt(10.5)
        set_east_asian(r, "宋体")

    if s["footer"] == "dash":
        text("- ")
        field("PAGE")
        text(" -")
    elif s["footer"] == "di_ye":
        text("第 ")
        field("PAGE")
        text(" 页")
    else:
        text("第 ")
        field("PAGE")
        text(" 页 共 ")
        field("NUMPAGES")
        text(" 页")


def para(d, s, text, kind="body"):
    tx = to_trad(text) if s["traditional"] else text
    p = d.add_paragraph()
    pf = p.paragraph_format
    if kind == "title":
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        pf.space_after = Pt(6)
        r = p.add_run(tx)
        r.font.size = Pt(20 if len(tx) > 24 else 22)
        set_east_asian(r, s["title_font"])
    elif kind in ("h1", "h2"):
        pf.first_line_indent = Pt(s["body_pt"] * 2)
        pf.line_spacing = Pt(s["body_pt"] * 1.75)
        r = p.add_run(tx)
        r.font.size = Pt(s["body_pt"])
        set_east_asian(r, "黑体" if kind == "h1" else "楷体_GB2312")
    elif kind == "caption":
        p.alignment = WD_ALIGN_PARAGRAPH.LEFT
        r = p.add_run(tx)
        r.font.size = Pt(s["table_font_pt"] + 1)
        r.bold = True
        set_east_asian(r, s["table_font"])
    else:
        pf.first_line_indent = Pt(s["body_pt"] * 2)
        pf.line_spacing = Pt(s["body_pt"] * 1.75)
        r = p.add_run(tx)
        r.font.size = Pt(s["body_pt"])
        set_east_asian(r, s["body_font"])
    return p


class Grid:
    """A table being built: merges first, then text, then widths."""

    def __init__(self, d, s, nrows, widths_cm):
        self.s = s
        self.t = d.add_table(rows=nrows, cols=len(widths_cm))
        self.t.style = "Table Grid"
        self.t.alignment = WD_TABLE_ALIGNMENT.CENTER
        self.t.autofit = False
        self.widths = [Cm(w) for w in widths_cm]
        for i, col in enumerate(self.t.columns):
            col.width = self.widths[i]
        every = self.t._cells
        n = len(widths_cm)
        self.cells = [[every[r * n + c] for c in range(n)] for r in range(nrows)]

    def merge(self, r0, c0, r1, c1):
        if (r0, c0) != (r1, c1):
            self.cells[r0][c0].merge(self.cells[r1][c1])
            self._lookup = None

    def cell(self, r, c):
        # table.cell() walks the whole table on every call: look up once per layout
        if getattr(self, "_lookup", None) is None:
            self._lookup = self.t._cells
        return self._lookup[r * len(self.widths) + c]

    def put(self, r, c, text, align="center", valign="center", bold=False):
        s = self.s
        cell = self.cell(r, c)
        cell.vertical_alignment = VALIGN[valign]
        ps = cell.paragraphs
        for extra in ps[1:]:
            extra._element.getparent().remove(extra._element)
        p = ps[0]
        p.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "left": WD_ALIGN_PARAGRAPH.LEFT,
                       "right": WD_ALIGN_PARAGRAPH.RIGHT}[align]
        p.paragraph_format.first_line_indent = Pt(0)
        p.paragraph_format.line_spacing = 1.0
        if text:
            tx = to_trad(text) if s["traditional"] else text
            parts = tx.split("\n")
            r = p.add_run(parts[0])
            for extra in parts[1:]:
                r.add_break()
                r.add_text(extra)
            for run in p.runs:
                run.font.size = Pt(s["table_font_pt"])
                run.bold = bold
                set_east_asian(run, s["table_font"])

    def finish(self, header_rows=0):
        s = self.s
        grid = [int(w) for w in self.widths]
        total = sum(grid)
        tblPr = self.t._tbl.tblPr
        tblW = tblPr.find(qn("w:tblW"))
        if tblW is None:
            tblW = OxmlElement("w:tblW")
            tblPr.append(tblW)
        tblW.set(qn("w:type"), "dxa")
        tblW.set(qn("w:w"), str(total // 635))
        for ri, tr in enumerate(self.t._tbl.tr_lst):
            col = 0
            for tc in tr.tc_lst:
                span = tc.grid_span
                tc.width = Emu(sum(grid[col:col + span]))
                col += span
            if ri < header_rows and s["header_repeat"]:
                trPr = tr.get_or_add_trPr()
                trPr.append(OxmlElement("w:tblHeader"))
            if s["cant_split"]:
                trPr = tr.get_or_add_trPr()
                trPr.insert(0, OxmlElement("w:cantSplit"))
        return self.t


def t3_widths(s):
    j = s["width_jitter"]
    lw = s["label_width"]
    if lw == "narrow":
        a, b, c = 0.9 * j[0], 1.5 * j[1], 1.6 * j[2]
    elif lw == "medium":
        a, b, c = 1.3 * j[0], 2.1 * j[1], 4.0 * j[2]
    else:
        fs = s["table_font_pt"] / 10.5
        a, b, c = (3.6 * fs, 3.0 * fs, 7.6 * fs) if s["landscape"] else (1.3, 2.5 * fs, 6.6 * fs)
    v = s["value_cm"]
    vals = [v * (1.05 if k == 0 else 1.0) for k in range(6)]
    if s["subtotal_col"]:
        vals.append(v)
    vals.append(v * 1.1)
    return [round(x, 2) for x in [a, b, c] + vals]


def t3_layout_rows(s):
    """[(key or ('sub', group), kind, group, label)] in table order."""
    rows = [("new_requests", "top", None, "一、本年新收政府信息公开申请数量"),
            ("carried_over", "top", None, "二、上年结转政府信息公开申请数量"),
            ("granted", "bc", None, br(s, "一") + sp(s) + spaced(s, "予以公开")),
            ("partially_granted", "bc", None, partial_label(s))]
    for g in "三四五六":
        if g == "六" and s["single_other"]:
            rows.append(("other_processing", "bc", None, group_label(s, "六")))
            continue
        for n, (k, text) in enumerate(GROUPS[g][1], 1):
            rows.append((k, "sub", g, sub_label(s, n, text)))
        if s["subtotal_rows"]:
            rows.append((("sub", g), "sub", g, "小计"))
    rows.append(("total_processed", "bc" if s["a_covers_total"] else "top", None,
                 br(s, "七") + sp(s) + spaced(s, "总计")))
    rows.append(("carried_forward", "top", None, "四、结转下年度继续办理"))
    return rows


def t3_values(s, key):
    """The 7 (or 8 with the subtotal column) numbers shown in a row."""
    t3 = s["table3"]
    if isinstance(key, tuple):
        g = key[1]
        members = [k for k, _ in GROUPS[g][1]]
        v = [sum(t3[k][j] for k in members) for j in range(7)]
    else:
        v = list(t3[key])
    if s["subtotal_col"]:
        v = v[:6] + [sum(v[1:6])] + [v[6]]
    return v


def write_table3(d, s, rng):
    widths = t3_widths(s)
    ncol = len(widths)
    rows = t3_layout_rows(s)
    H = 3
    g = Grid(d, s, H + len(rows), widths)
    sub = s["subtotal_col"]
    tot = ncol - 1
    # header
    g.merge(0, 0, 2, 2)
    if s["t3_total_in_header"]:
        g.merge(0, 3, 0, tot - 1)
        g.merge(0, tot, 2, tot)
    else:
        g.merge(0, 3, 0, tot)
        g.merge(1, tot, 2, tot)
    g.merge(1, 3, 2, 3)
    if sub and not s["subtotal_col_in_group"]:
        g.merge(1, 4, 1, 8)
        g.merge(1, 9, 2, 9)
    else:
        g.merge(1, 4, 1, 9 if sub else 8)
    # label cells
    first_outcome = next(i for i, r in enumerate(rows) if r[1] != "top") + H
    last_a = max(i for i, r in enumerate(rows) if r[1] != "top") + H
    group_spans = {}
    for i, (key, kind, grp, label) in enumerate(rows):
        r = H + i
        if kind == "top":
            g.merge(r, 0, r, 2)
        elif kind == "bc":
            g.merge(r, 1, r, 2)
        else:
            group_spans.setdefault(grp, [r, r])[1] = r
    g.merge(first_outcome, 0, last_a, 0)
    for grp, (r0, r1) in group_spans.items():
        g.merge(r0, 1, r1, 1)
    # text
    lv = s["label_valign"]
    la = s["label_align"]
    g.put(0, 0, corner_note(s), align="left" if la == "left" else "center", valign=lv)
    g.put(0, 3, "申请人情况")
    g.put(0 if s["t3_total_in_header"] else 1, tot, spaced(s, "总计"))
    g.put(1, 3, "自然人")
    g.put(1, 4, "法人或其他组织")
    heads = ["商业企业", "科研机构", "社会公益组织", "法律服务机构", spaced(s, "其他")]
    for k, h in enumerate(heads):
        g.put(2, 4 + k, h)
    if sub:
        g.put(2 if s["subtotal_col_in_group"] else 1, 9, "小计")
    g.put(first_outcome, 0, "三、本年度办理结果", align="center", valign=lv)
    for grp, (r0, _) in group_spans.items():
        g.put(r0, 1, group_label(s, grp), align=la, valign=lv)
    zero_rows = {}
    for i, (key, kind, grp, label) in enumerate(rows):
        r = H + i
        col = {"top": 0, "bc": 1, "sub": 2}[kind]
        g.put(r, col, label, align=la, valign=lv)
        vals = t3_values(s, key)
        allz = not any(vals)
        for j, v in enumerate(vals):
            g.put(r, 3 + j, blanked(s, v, allz, rng), valign=s["value_valign"])
    return g.finish(header_rows=H)


def t4_head(s, word):
    if s["t4_header_breaks"] == "br":
        return word[:2] + "\n" + word[2:] if len(word) == 4 else word
    if s["t4_header_breaks"] == "space":
        return word[:2] + " " + word[2:] if len(word) == 4 else word
    return word


def write_table4(d, s, rng):
    widest = max(len(str(v)) for vs in s["table4"].values() for v in vs)
    w = max(1.0 if not s["landscape"] else 1.45, min_cell_cm(widest, s["table_font_pt"]))
    widths = [w] * 15
    g = Grid(d, s, 4, widths)
    g.merge(0, 0, 0, 4)
    g.merge(0, 5, 0, 14)
    for c in range(5):
        g.merge(1, c, 2, c)
    g.merge(1, 5, 1, 9)
    g.merge(1, 10, 1, 14)
    g.put(0, 0, "行政复议")
    g.put(0, 5, "行政诉讼")
    g.put(1, 5, "未经复议直接起诉")
    g.put(1, 10, "复议后起诉")
    words = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    for c, word in enumerate(words):
        g.put(1, c, t4_head(s, word))
        g.put(2, 5 + c, t4_head(s, word))
        g.put(2, 10 + c, t4_head(s, word))
    vals = sum((s["table4"][k] for k in T4_KEYS), [])
    allz = not any(vals)
    for c, v in enumerate(vals):
        g.put(3, c, blanked(s, v, allz, rng), valign=s["value_valign"])
    return g.finish(header_rows=3)


def t2_sections(s):
    """The sections of table 2: (section number, header cells, [(label, key)])."""
    if s["form"] == "2021":
        return [("一", ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
                 [("规章", "regulations"), ("行政规范性文件", "normative_documents")]),
                ("五", ["信息内容", "本年处理决定数量"], [("行政许可", "licensing")]),
                ("六", ["信息内容", "本年处理决定数量"], [("行政处罚", "punishment"), ("行政强制", "enforcement")]),
                ("八", ["信息内容", "本年收费金额（单位：万元）"], [("行政事业性收费", "fees")])]
    return [("一", ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"],
             [("规章", "regulations"), ("规范性文件", "normative_documents")]),
            ("五", ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
             [("行政许可", "licensing"), ("其他对外管理服务事项", "other_services")]),
            ("六", ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
             [("行政处罚", "punishment"), ("行政强制", "enforcement")]),
            ("八", ["信息内容", "上一年项目数量", "本年增/减"], [("行政事业性收费", "fees")]),
            ("九", ["信息内容", "采购项目数量", "采购总金额"], [("政府集中采购", "procurement")])]


def write_table2(d, s, rng):
    secs = t2_sections(s)
    t2 = s["table2"]
    lw = 4.2 if s["label_width"] != "narrow" else 2.6
    vw = 3.2 if not s["landscape"] else 4.5
    allz = not any((Decimal(str(v)) != 0) for vs in t2.values() for v in vs)

    def cells_of(key):
        return [blanked(s, v, allz, rng) for v in t2[key]]

    if s["table2_layout"] == "combined":
        nrows = sum(2 + len(items) for _, _, items in secs)
        g = Grid(d, s, nrows, [lw, vw, vw, vw])
        r = 0
        plan = []
        for n, heads, items in secs:
            g.merge(r, 0, r, 3)
            plan.append((r, 0, t20(s, n), "left"))
            r += 1
            # header cells: the last one spans the rest of the row
            for c, h in enumerate(heads):
                last = c == len(heads) - 1
                if last and c < 3:
                    g.merge(r, c, r, 3)
                plan.append((r, c, h, "center"))
            r += 1
            for label, key in items:
                vals = cells_of(key)
                plan.append((r, 0, label, "center"))
                for c, v in enumerate(vals):
                    last = c == len(vals) - 1
                    if last and c + 1 < 3:
                        g.merge(r, c + 1, r, 3)
                    plan.append((r, c + 1, v, "center"))
                r += 1
        for (rr, c, text, al) in plan:
            g.put(rr, c, text, align=al)
        g.finish()
        return
    for n, heads, items in secs:
        inside = s["table2_layout"] == "separate"
        if not inside:
            para(d, s, t20(s, n), "caption")
        ncol = len(heads)
        widths = [lw] + [vw * (3 if ncol == 2 else 1) / (1 if ncol != 2 else 1.5)] * (ncol - 1)
        g = Grid(d, s, (1 if inside else 0) + 1 + len(items), widths)
        r = 0
        if inside:
            g.merge(0, 0, 0, ncol - 1)
            g.put(0, 0, t20(s, n), align="left")
            r = 1
        for c, h in enumerate(heads):
            g.put(r, c, h)
        r += 1
        for label, key in items:
            g.put(r, 0, label)
            for c, v in enumerate(cells_of(key)):
                g.put(r, c + 1, v)
            r += 1
        g.finish()
        d.add_paragraph()


def write_docx(s, path):
    rng = random.Random(s["prose_seed"])
    d = setup_document(s)
    add_footer(d, s)
    for line in title_lines(s):
        para(d, s, line, "title")
    if s["title_shape"] == "no_county" and rng.random() < 0.5:
        para(d, s, f"（{s['year']}年12月31日）", "title").runs[0].font.size = Pt(14)
    for t in prose_section(s, rng, "intro", rng.randint(1, 2)):
        para(d, s, t)
    para(d, s, "一、总体情况", "h1")
    n_sub = 5 if s["long_prose"] else rng.randint(2, 4)
    for n, (num, head, pool) in enumerate(SUBHEADS[:n_sub]):
        para(d, s, f"（{num}）{head}", "h2")
        count = rng.randint(2, 3) if s["long_prose"] else rng.randint(1, 2)
        texts = prose_section(s, rng, pool, count)
        if pool == "request" and s["narrative"]:
            n_req = s["table3"]["new_requests"][6]
            sent = f"{s['year']}年{we(s)}{s['narrative_verb']}政府信息公开申请{n_req}件" if rng.random() < 0.5 else \
                f"全年{s['narrative_verb']}政府信息公开申请 {n_req} 件"
            texts[0] = sent + "，" + ("均已按时办结。" if n_req else "无逾期未答复情况。") + texts[0]
        for t in texts:
            para(d, s, t)
    if s["narrative"] and n_sub < 2:
        raise AssertionError("narrative needs the 依申请公开 subsection")
    para(d, s, "二、主动公开政府信息情况", "h1")
    write_table2(d, s, rng)
    h = para(d, s, "三、收到和处理政府信息公开申请情况", "h1")
    if s["break_before_t3"]:
        h.paragraph_format.page_break_before = True
    write_table3(d, s, rng)
    para(d, s, "四、政府信息公开行政复议、行政诉讼情况", "h1")
    write_table4(d, s, rng)
    para(d, s, "五、存在的主要问题及改进情况", "h1")
    for t in prose_section(s, rng, "problems", rng.randint(2, 3)):
        para(d, s, t)
    para(d, s, "六、其他需要报告的事项", "h1")
    for t in prose_section(s, rng, "other", rng.randint(1, 3)):
        para(d, s, t)
    buf = io.BytesIO()
    d.save(buf)
    repack_docx(buf.getvalue(), path)


# Parts of python-docx's default template that no report uses; dropping them
# keeps the committed .docx files small (Word and LibreOffice don't miss them).
DROP_PARTS = ("word/stylesWithEffects.xml", "docProps/thumbnail.jpeg", "customXml/")
KEEP_STYLES = {"Normal", "DefaultParagraphFont", "TableNormal", "NoList", "TableGrid", "Header", "HeaderChar",
               "Footer", "FooterChar"}


def repack_docx(data, path):
    """Re-pack python-docx's output: fixed entry dates (python-docx stamps the
    current time), without the unused template parts and styles."""
    from lxml import etree
    src = zipfile.ZipFile(io.BytesIO(data))
    W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for info in src.infolist():
            name = info.filename
            if name.startswith(DROP_PARTS):
                continue
            blob = src.read(name)
            if name.endswith(".rels") or name == "[Content_Types].xml":
                root = etree.fromstring(blob)
                for el in list(root):
                    target = (el.get("Target") or el.get("PartName") or "").lstrip("/")
                    if any(target.startswith(p) or ("word/" + target).startswith(p) or
                           target.startswith("../" + p) for p in DROP_PARTS):
                        root.remove(el)
                blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            elif name == "word/styles.xml":
                root = etree.fromstring(blob)
                for el in list(root):
                    if el.tag == f"{{{W}}}latentStyles":
                        root.remove(el)
                    elif el.tag == f"{{{W}}}style" and el.get(f"{{{W}}}styleId") not in KEEP_STYLES:
                        root.remove(el)
                blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            zi = zipfile.ZipInfo(name, ZIP_DATE)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            out.writestr(zi, blob)


# --------------------------------------------------------------------------
# Expected values

def base_name(s):
    kind = {"town": "t", "street": "s", "department": "d"}[s["kind"]]
    return f"r{s['index']:03d}-{s['year']}-{s['form']}{kind}"


def entry_dir(s):
    return f"{s['county']}/{s['year']}/" if s["title_shape"] == "no_county" else ""


def expected_for(s, measured, source):
    t2 = {}
    for key, vals in s["table2"].items():
        t2[key] = [norm_decimal(v) if isinstance(v, str) else v for v in vals]
    e = {
        "source": source,
        "county": s["county"],
        "unit": s["unit"],
        "year": s["year"],
        "format": s["form"],
        "single_other": s["single_other"],
        "table2": t2,
        "table3": {k: list(v) for k, v in s["table3"].items()},
        "table4": {k: list(v) for k, v in s["table4"].items()},
        "narrative_requests": s["table3"]["new_requests"][6] if s["narrative"] else None,
        "subtotals": bool(s["subtotal_rows"] or s["subtotal_col"]),
    }
    if s["title_shape"] == "no_county":
        e["county_from_folder"] = s["county"]
    e["layout"] = {
        "title_shape": s["title_shape"],
        "title_lines": title_lines(s) if not s["traditional"] else [to_trad(t) for t in title_lines(s)],
        "traditional": s["traditional"],
        "label_width": s["label_width"],
        "label_column_cm": t3_widths(s)[:3],
        "value_column_cm": round(s["value_cm"], 2),
        "table_font_pt": s["table_font_pt"],
        "landscape": s["landscape"],
        "label_valign": s["label_valign"],
        "value_valign": s["value_valign"],
        "blank_style": s["blank_style"],
        "blank_scope": s["blank_scope"],
        "blank_text": None if not s["blank_style"] else
        ("" if s["blank_style"] == "empty" else (to_trad(s["blank_style"]) if s["traditional"] else s["blank_style"])),
        "thousands_separators": s["thousands"],
        "subtotal_rows": s["subtotal_rows"],
        "subtotal_column": s["subtotal_col"],
        "header_repeat": s["header_repeat"],
        "cant_split_rows": s["cant_split"],
        "footer": s["footer"],
        "table2_layout": s["table2_layout"],
        "brackets": s["bracket"],
        "number_dot": s["numdot"],
        "quotes": s["quote"],
        "label_space": s["label_space"],
        "inner_spaces": s["inner_spaces"],
        "results_label_covers_total": s["a_covers_total"],
        "scale": s["scale"],
    }
    e["layout"].update(measured)
    return e


# --------------------------------------------------------------------------
# Converters

def run(cmd, **kw):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)
    if r.returncode != 0:
        sys.stderr.write(r.stderr.decode("utf-8", "replace"))
        raise SystemExit(f"failed: {' '.join(cmd[:6])} … (exit {r.returncode})")
    return r.stdout.decode("utf-8", "replace")


# Chinese office fonts are not free: let fontconfig stand Noto CJK SC in for
# them (serif for the 宋/仿宋/楷 families, sans for 黑体), as a Linux desktop
# with Noto installed would, instead of its first CJK match (Noto … JP).
FONT_ALIASES = [("仿宋_GB2312", "Noto Serif CJK SC"), ("仿宋", "Noto Serif CJK SC"), ("宋体", "Noto Serif CJK SC"),
                ("楷体_GB2312", "Noto Serif CJK SC"), ("方正小标宋简体", "Noto Serif CJK SC"),
                ("方正小标宋_GBK", "Noto Serif CJK SC"), ("黑体", "Noto Sans CJK SC")]


def fontconfig_env(work):
    conf = os.path.join(work, "fonts.conf")
    with open(conf, "w", encoding="utf-8") as f:
        f.write('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
                "  <include ignore_missing=\"yes\">/etc/fonts/fonts.conf</include>\n")
        for fam, sub in FONT_ALIASES:
            f.write(f"  <alias binding=\"same\"><family>{fam}</family><prefer><family>{sub}</family></prefer></alias>\n")
        f.write("</fontconfig>\n")
    env = dict(os.environ)
    env["FONTCONFIG_FILE"] = conf
    return env


SOFFICE_ENV = None


def soffice(files, target, outdir, batch=40):
    os.makedirs(outdir, exist_ok=True)
    for k in range(0, len(files), batch):
        run(["soffice", f"-env:UserInstallation={LO_PROFILE}", "--headless", "--norestore",
             "--convert-to", target, "--outdir", outdir] + files[k:k + batch], env=SOFFICE_ENV)


def tool_versions():
    v = {}
    v["soffice"] = run(["soffice", f"-env:UserInstallation={LO_PROFILE}", "--headless", "--version"]).strip().splitlines()[0]
    r = subprocess.run(["pdftotext", "-v"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    v["pdftotext"] = r.stdout.decode().strip().splitlines()[0]
    v["pandoc"] = run(["pandoc", "--version"]).splitlines()[0]
    v["python-docx"] = getattr(docx, "__version__", "?")
    try:
        import importlib.metadata as md
        v["python-docx"] = md.version("python-docx")
    except Exception:
        pass
    return v


# --------------------------------------------------------------------------
# Checks of our own output (independent of the Rust reader)

NUM_RE = re.compile(r"(?<![\d,.])\d{1,3}(?:,\d{3})+(?![\d,])|(?<![\d,.])\d+(?:\.\d+)?(?![\d.])")


def shown_numbers(s):
    """Every number written in the tables, as text, with how often."""
    out = []
    for key in [r[0] for r in t3_layout_rows(s)]:
        out += [v for v in t3_values(s, key)]
    out += sum((s["table4"][k] for k in T4_KEYS), [])
    for vals in s["table2"].values():
        out += vals
    res = []
    for v in out:
        if isinstance(v, int):
            if v != 0:
                res.append(f"{v:,}" if s["thousands"] and abs(v) >= 1000 else str(v))
        elif Decimal(v) != 0:
            res.append(v)
    return res


def squash(t):
    return re.sub(r"\s+", "", t)


def check_pdftext(s, text, name):
    """The PDF's text layer has the labels and every non-zero number."""
    sq = squash(text)
    tr = to_trad if s["traditional"] else (lambda x: x)
    for label in ["申请人情况", "法人或其他组织", "行政复议", "行政诉讼", "信息内容", "主动公开政府信息情况"]:
        if tr(label) not in sq:
            raise AssertionError(f"{name}: pdftotext lost the label {label}")
    tokens = {}
    for m in re.finditer(r"-?\d[\d,]*(?:\.\d+)?", text):
        tokens[m.group(0)] = tokens.get(m.group(0), 0) + 1
        tokens[m.group(0).lstrip("-")] = tokens.get(m.group(0).lstrip("-"), 0) + 1
    for v in set(shown_numbers(s)):
        if tokens.get(v.lstrip("-"), 0) == 0:
            raise AssertionError(f"{name}: number {v} not in pdftotext output")


class TableCells(html.parser.HTMLParser):
    """Crude: the text of every <td>/<th>, table by table."""

    def __init__(self):
        super().__init__()
        self.tables, self.cell, self.depth = [], None, 0

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag in ("td", "th") and self.tables:
            self.cell = []
        elif tag == "br" and self.cell is not None:
            self.cell.append(" ")

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.tables[-1].append("".join(self.cell).strip())
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def cell_number(text):
    t = text.replace(",", "").strip()
    if re.fullmatch(r"-?\d+(\.\d+)?", t):
        return Decimal(t)
    return None


def check_html_sums(s, text, name):
    """Parse the HTML tables back crudely: table 3's numbers add up to what we wrote."""
    p = TableCells()
    p.feed(text)
    tr = to_trad if s["traditional"] else (lambda x: x)
    t3 = [t for t in p.tables if any(tr("申请人情况") in c for c in t)]
    t4 = [t for t in p.tables if any(tr("行政复议") in c for c in t)]
    if len(t3) != 1 or len(t4) != 1:
        raise AssertionError(f"{name}: found {len(t3)} table-3 and {len(t4)} table-4 tables")
    got3 = sum(n for c in t3[0] if (n := cell_number(c)) is not None)
    want3 = sum(sum(t3_values(s, r[0])) for r in t3_layout_rows(s))
    got4 = sum(n for c in t4[0] if (n := cell_number(c)) is not None)
    want4 = sum(sum(v) for v in s["table4"].values())
    if got3 != want3 or got4 != want4:
        raise AssertionError(f"{name}: html sums table3 {got3} want {want3}, table4 {got4} want {want4}")


def check_gfm_sums(s, text, name):
    """The same for pandoc's GitHub tables: split the pipe rows into cells."""
    tables, cur = [], None
    for line in text.splitlines():
        if line.startswith("|"):
            if cur is None:
                cur = []
                tables.append(cur)
            cur += [c.strip() for c in line.strip().strip("|").split("|")]
        else:
            cur = None
    tr = to_trad if s["traditional"] else (lambda x: x)
    t3 = [t for t in tables if any(tr("申请人情况") in c for c in t)]
    if len(t3) != 1:
        raise AssertionError(f"{name}: found {len(t3)} table-3 pipe tables")
    got = sum(n for c in t3[0] if (n := cell_number(c)) is not None)
    want = sum(sum(t3_values(s, r[0])) for r in t3_layout_rows(s))
    if got != want:
        raise AssertionError(f"{name}: gfm table 3 sums to {got}, want {want}")


def measure_pages(s, raw_text):
    """Which pages table 3 is on, from pdftotext -raw of the PDF."""
    pages = raw_text.split("\f")
    tr = to_trad if s["traditional"] else (lambda x: x)
    first = last = None
    for i, pg in enumerate(pages):
        sq = squash(pg)
        if first is None and tr("申请人情况") in sq:
            first = i + 1
        if tr("结转下年度") in sq:
            last = i + 1
    n = len([p for p in pages if p.strip()])
    return {"pdf_pages": n, "table3_pages": [first, last], "page_cross": bool(first and last and last > first)}


# --------------------------------------------------------------------------
# Choosing the spread for the lean archives

def features(s, m):
    f = {f"width:{s['label_width']}", f"form:{s['form']}", f"valign:{s['value_valign']}", f"kind:{s['kind']}",
         f"title:{s['title_shape']}", f"t2:{s['table2_layout']}", f"scale:{s['scale']}"}
    if m["page_cross"]:
        f.add("page_cross")
        f.add(f"page_cross:{'repeat' if s['header_repeat'] else 'norepeat'}")
        f.add(f"page_cross:{s['label_width']}")
    else:
        f.add("one_page_t3")
    if s["landscape"]:
        f.add("landscape")
    if s["blank_style"]:
        f.add(f"blank:{s['blank_style']}")
    if s["single_other"] and s["form"] == "2021":
        f.add("single_other_2021")
    if s["subtotal_rows"]:
        f.add("subtotal_rows")
    if s["subtotal_col"]:
        f.add("subtotal_col")
    if s["traditional"]:
        f.add("traditional")
    if s["thousands"]:
        f.add("thousands")
    if s["footer"]:
        f.add(f"footer:{s['footer']}")
    if s["inner_spaces"]:
        f.add("inner_spaces")
    if s["bracket"] == "half":
        f.add("half_brackets")
    return f


def spread(specs, measured, k):
    feats = [features(s, m) for s, m in zip(specs, measured)]
    want = {}
    for f in feats:
        for x in f:
            want[x] = 3
    chosen = []
    while len(chosen) < k:
        best, score = None, 0
        for i, f in enumerate(feats):
            if i in chosen:
                continue
            sc = sum(1 for x in f if want[x] > 0)
            if sc > score:
                best, score = i, sc
        if best is None:
            break
        chosen.append(best)
        for x in feats[best]:
            want[x] -= 1
    rest = [i for i in range(len(specs)) if i not in chosen]
    step = max(1, len(rest) // max(1, k - len(chosen))) if k > len(chosen) else 0
    chosen += rest[::step][: k - len(chosen)] if step else []
    return sorted(chosen)


# --------------------------------------------------------------------------
# Packing

def restamp_zip(path):
    with zipfile.ZipFile(path) as z:
        items = [(i, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w") as out:
        for info, blob in items:
            info.date_time = ZIP_DATE
            out.writestr(info, blob, compress_type=info.compress_type)


def dumps(doc):
    """JSON with one line per list of numbers."""
    text = json.dumps(doc, ensure_ascii=False, indent=1)
    text = re.sub(r"\[\s+([^\[\]{}]*?)\s+\]", lambda m: "[" + re.sub(r",\s+", ", ", m.group(1)) + "]", text)
    return text + "\n"


def pack(path, entries):
    """entries: [(name, bytes)] -> a deflated zip with fixed dates, in name order."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for name, data in sorted(entries):
            zi = zipfile.ZipInfo(name, ZIP_DATE)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            z.writestr(zi, data)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--count", type=int, default=120)
    ap.add_argument("--out", default=os.path.join(REPO, "tests", "fixtures", "converted"))
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--work", help="keep the intermediate files in this folder")
    ap.add_argument("--only", help="write only these archives (comma-separated names without .zip): "
                    "a new converter path added without rewriting the others (PDFs carry their making time)")
    args = ap.parse_args()
    init_trad()
    specs = [make_spec(i, args.seed) for i in range(1, args.count + 1)]
    work = args.work or tempfile.mkdtemp(prefix="convert-fixtures-")
    if os.path.exists(work):
        shutil.rmtree(work)
    dirs = {k: os.path.join(work, k) for k in
            ["docx", "pdf", "doc", "html-lo", "docx-lo", "txt-lo", "layout", "raw", "gfm", "markdown", "html-pandoc"]}
    for p in dirs.values():
        os.makedirs(p, exist_ok=True)
    global SOFFICE_ENV
    SOFFICE_ENV = fontconfig_env(work)
    versions = tool_versions()
    print("tools:", json.dumps(versions, ensure_ascii=False))
    names = [base_name(s) for s in specs]
    for s, n in zip(specs, names):
        write_docx(s, os.path.join(dirs["docx"], n + ".docx"))
    srcs = [os.path.join(dirs["docx"], n + ".docx") for n in names]
    print(f"wrote {len(srcs)} .docx; converting with LibreOffice …", flush=True)
    soffice(srcs, "pdf", dirs["pdf"])
    soffice(srcs, "html", dirs["html-lo"])
    soffice(srcs, 'docx:MS Word 2007 XML', dirs["docx-lo"])
    soffice(srcs, 'txt:Text (encoded):UTF8', dirs["txt-lo"])
    for n in names:  # LibreOffice stamps its zip entries with the time: only those dates are reset
        restamp_zip(os.path.join(dirs["docx-lo"], n + ".docx"))
    for n in names:
        pdf = os.path.join(dirs["pdf"], n + ".pdf")
        run(["pdftotext", "-layout", "-enc", "UTF-8", pdf, os.path.join(dirs["layout"], n + ".txt")])
        run(["pdftotext", "-raw", "-enc", "UTF-8", pdf, os.path.join(dirs["raw"], n + ".txt")])
    for i, n in enumerate(names):
        src = os.path.join(dirs["docx"], n + ".docx")
        run(["pandoc", "-f", "docx", "-t", "gfm", "-o", os.path.join(dirs["gfm"], n + ".md"), src])
        run(["pandoc", "-f", "docx", "-t", "markdown", "-o", os.path.join(dirs["markdown"], n + ".md"), src])
        standalone = ["-s", "--metadata", f"pagetitle={n}"] if i % 3 == 0 else []
        run(["pandoc", "-f", "docx", "-t", "html"] + standalone + ["-o", os.path.join(dirs["html-pandoc"], n + ".html"), src])

    def read(d, n, ext):
        with open(os.path.join(dirs[d], n + ext), "rb") as f:
            return f.read()

    measured, failures = [], []
    for s, n in zip(specs, names):
        m = measure_pages(s, read("raw", n, ".txt").decode("utf-8"))
        m["pandoc_html_standalone"] = (s["index"] - 1) % 3 == 0
        measured.append(m)
        for check, d, ext, what in [(check_pdftext, "layout", ".txt", "pdftotext -layout"),
                                    (check_pdftext, "raw", ".txt", "pdftotext -raw"),
                                    (check_html_sums, "html-pandoc", ".html", "pandoc html"),
                                    (check_html_sums, "html-lo", ".html", "LibreOffice html"),
                                    (check_gfm_sums, "gfm", ".md", "pandoc gfm")]:
            try:
                check(s, read(d, n, ext).decode("utf-8", "replace"), f"{n}{ext} ({what})")
            except AssertionError as err:
                failures.append(str(err))
    if failures:
        print("\n".join(failures), file=sys.stderr)
        raise SystemExit(f"{len(failures)} checks failed; the intermediate files are in {work}")
    print("checks passed: pdftotext text layers and numbers, html and gfm table sums", flush=True)

    keep_pdf = spread(specs, measured, KEEP_PDF)
    keep_doc = spread(specs, measured, KEEP_DOC)
    soffice([srcs[i] for i in keep_doc], "doc", dirs["doc"])

    lo = versions["soffice"]
    paths = {
        "docx-word": ("docx", ".docx", None, f"python-docx {versions['python-docx']} (tests/convert/make_fixtures.py)"),
        "pdf-lo": ("pdf", ".pdf", keep_pdf, f"{lo}: soffice --headless --convert-to pdf"),
        "pdftotext-layout": ("layout", ".txt", None, f"{lo} PDF, then {versions['pdftotext']}: pdftotext -layout"),
        "pdftotext-raw": ("raw", ".txt", None, f"{lo} PDF, then {versions['pdftotext']}: pdftotext -raw"),
        "doc-lo": ("doc", ".doc", keep_doc, f"{lo}: soffice --convert-to doc (Word 97-2003)"),
        "html-lo": ("html-lo", ".html", None, f"{lo}: soffice --convert-to html"),
        "docx-lo": ("docx-lo", ".docx", None, f'{lo}: soffice --convert-to docx:"MS Word 2007 XML"'),
        "txt-lo": ("txt-lo", ".txt", None, f'{lo}: soffice --convert-to "txt:Text (encoded):UTF8"'),
        "gfm-pandoc": ("gfm", ".md", None, f"{versions['pandoc']}: pandoc -f docx -t gfm"),
        "markdown-pandoc": ("markdown", ".md", None, f"{versions['pandoc']}: pandoc -f docx -t markdown"),
        "html-pandoc": ("html-pandoc", ".html", None, f"{versions['pandoc']}: pandoc -f docx -t html (-s for every third)"),
    }
    os.makedirs(args.out, exist_ok=True)
    sizes = {}
    only = set(args.only.split(",")) if args.only else set(paths)
    for arch, (d, ext, keep, how) in paths.items():
        if arch not in only:
            continue
        idx = keep if keep is not None else range(len(specs))
        entries, exp = [], {}
        for i in idx:
            s, n = specs[i], names[i]
            name = entry_dir(s) + n + ext
            entries.append((name, read(d, n, ext)))
            src = f"tests/convert/make_fixtures.py seed {args.seed} report {s['index']}: .docx by python-docx" + \
                ("" if arch == "docx-word" else f" -> {how}")
            exp[name] = expected_for(s, measured[i], src)
        zpath = os.path.join(args.out, arch + ".zip")
        doc = {"archive": arch + ".zip", "made_by": how, "tools": versions, "seed": args.seed,
               "count": len(entries), "table2_measures": T2_MEASURES, "entries": exp}
        entries.append(("expected.json", dumps(doc).encode("utf-8")))
        pack(zpath, entries)
        sizes[arch] = (len(entries) - 1, os.path.getsize(zpath))
    total = 0
    for arch, (n, size) in sizes.items():
        total += size
        print(f"{arch + '.zip':24} {n:4} entries {size / 1024:9.1f} KiB")
    print(f"{'total':24} {'':13} {total / 1024:9.1f} KiB")
    if not args.work:
        shutil.rmtree(work)


def init_trad():
    for k in range(0, len(TRAD_PAIRS), 2):
        TRAD[TRAD_PAIRS[k]] = TRAD_PAIRS[k + 1]


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Write the benchmark corpus: N annual reports in a realistic mix of layouts.

Called by bench/run.sh as

    make_corpus.py N OUT_DIR GENERATOR SEED JOBS

and deterministic for given arguments (and generator version).

The mix, for N = 100,000:

- 98.2 % from county-rollup-gen, in counties of 50 units reporting for
  2019-2024 (2019 and 2020 in the 2019 form), the units spread over LAYOUTS
  below: 90 % of them text (tab rows, one cell per line, pdftotext -layout,
  pdftotext -raw, Markdown), 5 % whole web pages (a quarter of them GBK),
  5 % Word files; the text files of every 20th county are re-encoded as
  GB18030, as offices on older Windows machines save them;
- 0.2 % of N copies of each of the seven web-page fixtures of
  tests/fixtures/html (real-shaped CMS pages with navigation and sidebars, a
  Word-saved GBK page, paragraphs per cell, ...) and of each of the two Word
  fixtures of tests/fixtures/docx, each copy renamed to a unit and county of
  its own, in the title and everywhere else in the document.

No two reports share a (county, unit, year) key: duplicates make
county-rollup read files a second time, which is not the common case the
benchmark is meant to time.
"""

import io
import os
import subprocess
import sys
import zipfile
from concurrent.futures import ThreadPoolExecutor

YEARS = [2019, 2020, 2021, 2022, 2023, 2024]
UNITS_PER_COUNTY = 50
GBK_EVERY = 20  # every 20th text county is saved as GB18030
FIXTURE_SHARE = 0.002  # copies of each fixture, as a share of N
# Unit i of a county gets LAYOUTS[i % 20]: 18 text, 1 web page, 1 Word file.
LAYOUTS = (
    "tab,onecell,spaces,raw,markdown,html,tab,spaces,markdown,raw,"
    "tab,onecell,spaces,raw,markdown,docx,tab,spaces,markdown,onecell"
)
FIXTURE_COUNTIES = 12

# Characters for made-up place names: none of them is a mark the title reader
# looks for (县 区 旗 市 省 州 盟 镇 乡 街道 政府 局 委 办 厅 院 会 中心 年 报).
FIRST = "安宝昌长大定丰福广和华怀嘉建江金景静康乐临龙隆梅南宁平青清庆"
SECOND = "安昌城川德丰阜谷河湖化济江津康林陵宁平山水台泰田阳源远兴岭溪"

HTML_FIXTURES = [
    # (file, the unit it names; the year is in the file name)
    ("site-page-2024.html", "王庄寨镇"),
    ("site-page-short-crumb-2024.html", "王庄寨镇"),
    ("site-page-sidebar-2024.html", "王庄寨镇"),
    ("table2-colspan-2024.html", "王庄寨镇"),
    ("table4-leading-blank-2024.html", "王庄寨镇"),
    ("paragraphs-2024.html", "白云寺镇"),
    ("word-gbk-2023.html", "孙六镇"),
]
DOCX_FIXTURES = [
    ("word-2024.docx", "龙塘镇"),
    ("word-2019-form-2020.docx", "花园乡"),
]
FIXTURE_COUNTY = "民权县"


def place_names(k, suffix, offset=0):
    """k distinct names like 安昌县, then three characters when two run out."""
    out = []
    i = offset
    n2 = len(FIRST) * len(SECOND)
    while len(out) < k:
        if i < n2:
            s = FIRST[i // len(SECOND)] + SECOND[i % len(SECOND)]
        else:
            j = i - n2
            s = (
                FIRST[j // (len(SECOND) * len(SECOND)) % len(FIRST)]
                + SECOND[j // len(SECOND) % len(SECOND)]
                + SECOND[j % len(SECOND)]
            )
        out.append(s + suffix)
        i += 1
    return out


def run_gen(gen, out, seed, counties, count, years):
    subprocess.run(
        [
            gen,
            "--seed", str(seed),
            "--out", out,
            "--count", str(count),
            "--years", ",".join(map(str, years)),
            "--counties", ",".join(counties),
            "--layouts", LAYOUTS,
        ],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def to_gb18030(folder):
    for dirpath, _, files in os.walk(folder):
        for f in files:
            if not f.endswith((".txt", ".md")):
                continue
            p = os.path.join(dirpath, f)
            with open(p, "rb") as fh:
                text = fh.read().decode("utf-8")
            with open(p, "wb") as fh:
                fh.write(text.encode("gb18030"))


def decode(b):
    try:
        return b.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return b.decode("gb18030"), "gb18030"


def main():
    n, out, gen, seed, jobs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
    n = int(n)
    fixtures = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures")
    per_fixture = max(1, round(n * FIXTURE_SHARE))
    n_fixture = per_fixture * (len(HTML_FIXTURES) + len(DOCX_FIXTURES))
    if n_fixture * 4 > n:
        per_fixture, n_fixture = 0, 0
    n_gen = n - n_fixture
    per_county = UNITS_PER_COUNTY * len(YEARS)
    full, rest = divmod(n_gen, per_county)
    names = place_names(full + 1 + FIXTURE_COUNTIES, "县")
    text_counties = names[:full]
    fixture_counties = names[full + 1 :]

    # Generated reports: one generator run per batch of counties, JOBS at a time.
    batches = [text_counties[i : i + 10] for i in range(0, full, 10)]
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        work = [pool.submit(run_gen, gen, out, seed, b, UNITS_PER_COUNTY, YEARS) for b in batches]
        if rest:
            # The remainder: one more county with `rest` units in the last year.
            work.append(pool.submit(run_gen, gen, out, seed, [names[full]], rest, YEARS[-1:]))
        for w in work:
            w.result()
        gbk = [os.path.join(out, c) for i, c in enumerate(text_counties) if i % GBK_EVERY == GBK_EVERY - 1]
        for w in [pool.submit(to_gb18030, d) for d in gbk]:
            w.result()

    # Fixture copies: each copy gets a unit name of its own (three characters
    # + 镇, unlike the generator's) and copy k goes to county k % FIXTURE_COUNTIES.
    units = iter(place_names(n_fixture, "镇", offset=len(FIRST) * len(SECOND)))
    for k in range(per_fixture):
        county = fixture_counties[k % FIXTURE_COUNTIES]
        for name, old_unit in HTML_FIXTURES:
            unit = next(units)
            with open(os.path.join(fixtures, "html", name), "rb") as fh:
                text, enc = decode(fh.read())
            year = name.rsplit("-", 1)[1].split(".")[0]
            text = text.replace(old_unit, unit).replace(FIXTURE_COUNTY, county)
            d = os.path.join(out, county, year)
            os.makedirs(d, exist_ok=True)
            with open(os.path.join(d, unit + ".html"), "wb") as fh:
                fh.write(text.encode(enc))
        for name, old_unit in DOCX_FIXTURES:
            unit = next(units)
            src = zipfile.ZipFile(os.path.join(fixtures, "docx", name))
            year = name.rsplit("-", 1)[1].split(".")[0]
            buf = io.BytesIO()
            with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
                for item in src.infolist():
                    data = src.read(item.filename)
                    if item.filename.endswith(".xml"):
                        data = (
                            data.decode("utf-8")
                            .replace(old_unit, unit)
                            .replace(FIXTURE_COUNTY, county)
                            .encode("utf-8")
                        )
                    dst.writestr(item, data)
            d = os.path.join(out, county, year)
            os.makedirs(d, exist_ok=True)
            with open(os.path.join(d, unit + ".docx"), "wb") as fh:
                fh.write(buf.getvalue())

    kinds = {}
    for _, _, files in os.walk(out):
        for f in files:
            ext = f.rsplit(".", 1)[-1]
            kinds[ext] = kinds.get(ext, 0) + 1
    print(
        f"{n} reports: {n_gen} generated ({full} counties x {per_county}"
        + (f" + {rest} in one more" if rest else "")
        + f"; text of every {GBK_EVERY}th county GB18030) and {n_fixture} copies of"
        + f" the {len(HTML_FIXTURES)} web-page and {len(DOCX_FIXTURES)} Word fixtures; by extension: "
        + ", ".join(f"{kinds[k]} .{k}" for k in sorted(kinds, key=lambda k: -kinds[k]))
    )


if __name__ == "__main__":
    main()

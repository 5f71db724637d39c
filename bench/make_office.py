#!/usr/bin/env python3
"""Write the office-mix corpus: what a county office receives, by format.

Called by bench/run.sh as

    make_office.py N OUT_DIR GENERATOR SEED

N reports from county-rollup-gen, in counties of 25 units reporting for 2023
and 2024, converted the way they reach the office: a third published as PDF
and a sixth as .doc (both made by LibreOffice from the generator's Word
files, `soffice --headless --convert-to`), a sixth left as .docx, a sixth as
whole web pages, a sixth as text (the five text layouts). Without soffice
the PDFs and .doc files cannot be made: the script says so and exits 3, and
run.sh leaves the office mix out.

Deterministic for given arguments, but for what LibreOffice writes itself
(a PDF's CreationDate and /ID).
"""

import os
import shutil
import subprocess
import sys
import tempfile

UNITS = 25
YEARS = "2023,2024"
# Unit i of a county gets KINDS[i % 6]: pdf, pdf, doc, docx, html, text.
KINDS = ["pdf", "pdf", "doc", "docx", "html", "text"]


def main():
    n, out, gen, seed = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        print("soffice (LibreOffice) not found: the office mix needs it for its PDFs and .doc files", file=sys.stderr)
        sys.exit(3)
    counties = [f"办公{c}县" for c in "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥"]
    per_county = UNITS * 2
    need = max(1, -(-n // per_county))
    if need > len(counties):
        sys.exit(f"at most {len(counties) * per_county} reports in the office mix")
    counties = counties[:need]
    os.makedirs(out, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        word = os.path.join(tmp, "word")
        text = os.path.join(tmp, "text")
        html = os.path.join(tmp, "html")
        common = ["--seed", seed, "--count", str(UNITS), "--years", YEARS, "--counties", ",".join(counties)]
        for d, layouts in [(word, "docx"), (text, "tab,onecell,spaces,raw,markdown"), (html, "html")]:
            subprocess.run([gen, "--out", d, "--layouts", layouts] + common, check=True, stdout=subprocess.DEVNULL)
        to_convert = {"pdf": [], "doc": []}
        count = 0
        for county in counties:
            for year in YEARS.split(","):
                units = sorted(os.listdir(os.path.join(word, county, year)))
                for i, name in enumerate(units):
                    if count >= n:
                        break
                    count += 1
                    unit = os.path.splitext(name)[0]
                    kind = KINDS[i % len(KINDS)]
                    dest = os.path.join(out, county, year)
                    os.makedirs(dest, exist_ok=True)
                    if kind in ("pdf", "doc"):
                        to_convert[kind].append((os.path.join(word, county, year, name), dest))
                    elif kind == "docx":
                        shutil.copy(os.path.join(word, county, year, name), dest)
                    else:
                        src = os.path.join(text if kind == "text" else html, county, year)
                        match = [f for f in os.listdir(src) if os.path.splitext(f)[0] == unit]
                        shutil.copy(os.path.join(src, match[0]), dest)
        made = {}
        for kind, items in to_convert.items():
            # One LibreOffice process per output folder and kind (it converts
            # a list of files in one start).
            by_dest = {}
            for src, dest in items:
                by_dest.setdefault(dest, []).append(src)
            for dest, srcs in by_dest.items():
                subprocess.run(
                    [soffice, "--headless", "--convert-to", kind, "--outdir", dest] + srcs,
                    check=True,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            made[kind] = len(items)
    kinds = {}
    for dirpath, _, files in os.walk(out):
        for f in files:
            ext = os.path.splitext(f)[1].lstrip(".")
            kinds[ext] = kinds.get(ext, 0) + 1
    print(", ".join(f"{v} .{k}" for k, v in sorted(kinds.items(), key=lambda kv: -kv[1])))


if __name__ == "__main__":
    main()

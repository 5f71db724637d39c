#!/bin/sh
# Writes tests/fixtures/converted/pdf-lo-overflow.zip: one Word file of the
# project's generator (the office mix's 办公庚县/2023/城关镇, bench/make_office.py
# with seed 1) and the PDF LibreOffice prints from it. A page break cuts
# table 4's header row there, and LibreOffice lets the header's last
# characters run over into the value row below (`结果` / break / `维` /
# `持 0`). The test reads the PDF and the Word file and wants the same numbers.
#
#   apt-get install -y libreoffice-writer fonts-noto-cjk
#   sh tests/convert/make_overflow_pdf.sh      (from the repository root)
#
# CI does not run this; it reads the committed archive.
set -eu
repo="$(pwd)"
out="$repo/tests/fixtures/converted/pdf-lo-overflow.zip"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cargo build -q -p county-rollup-gen
# The office mix's first seven counties: the generator's reports of a county
# depend on the counties before it.
"$repo/target/debug/county-rollup-gen" --out "$tmp/word" --layouts docx --seed 1 --count 25 --years 2023,2024 \
  --counties 办公甲县,办公乙县,办公丙县,办公丁县,办公戊县,办公己县,办公庚县 >/dev/null
mkdir -p "$tmp/zip"
cp "$tmp/word/办公庚县/2023/城关镇.docx" "$tmp/zip/城关镇.docx"
soffice -env:UserInstallation="file://$tmp/lo-profile" --headless --convert-to pdf --outdir "$tmp/zip" "$tmp/zip/城关镇.docx" >/dev/null 2>&1
soffice --version | head -1 > "$tmp/zip/made_by.txt"
rm -f "$out"
(cd "$tmp/zip" && zip -q -X "$out" 城关镇.docx 城关镇.pdf made_by.txt)
echo "wrote $out"

#!/bin/sh
# Writes tests/fixtures/converted/pdf-lo-gen.zip: Word files written by the
# project's generator (county-rollup-gen, ruled tables, tracked changes left
# in), printed to PDF by LibreOffice as a unit would publish them, with the
# CSV files county-rollup --no-bom must write for them (truth/).
#
# The generator's Word files are what these PDFs are compared against; the
# PDFs themselves are made by LibreOffice, which this project does not
# control: pages cut rows in two, headings repeat after a break, deleted
# numbers print struck through.
#
#   apt-get install -y libreoffice-writer fonts-noto-cjk
#   sh tests/convert/make_gen_pdfs.sh      (from the repository root)
#
# CI does not run this; it reads the committed archive.
set -eu
repo="$(pwd)"
out="$repo/tests/fixtures/converted/pdf-lo-gen.zip"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cargo build -q -p county-rollup-gen
"$repo/target/debug/county-rollup-gen" --out "$tmp/word" --truth "$tmp/pdf/truth" --layouts docx \
  --seed 11 --count 6 --years 2023,2024 --counties 生成甲县,生成乙县 >/dev/null
find "$tmp/word" -name '*.docx' | sort | while read -r f; do
  rel="${f#"$tmp/word/"}"
  dir="$tmp/pdf/$(dirname "$rel")"
  mkdir -p "$dir"
  soffice -env:UserInstallation="file://$tmp/lo-profile" --headless --convert-to pdf --outdir "$dir" "$f" >/dev/null 2>&1
done
soffice --version | head -1 > "$tmp/pdf/made_by.txt"
rm -f "$out"
(cd "$tmp/pdf" && find . -type f | sort | sed 's|^\./||' | zip -q -X "$out" -@)
echo "wrote $out: $(unzip -l "$out" | grep -c '\.pdf$') PDFs"

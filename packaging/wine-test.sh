#!/usr/bin/env bash
# make wine-test: the Windows build run under Wine on the sample county in
# data/, its outputs compared byte for byte with the Linux build's.
#
#   packaging/wine-test.sh [EXE] [LINUX_BINARY]
#
# Needs wine (apt-get install wine wine64); not part of make test or CI.
# The PDF and .doc fixtures of tests/fixtures are compared the same way.
# The data folder is copied to a path with Chinese and a space
# (D:\2024年 报告\民权县\2024\人和镇.txt) and the program to another
# (D:\程序 目录\county-rollup.exe, beside 汇总.bat). Checked:
#   1. the same flags give the same bytes in every output file, with the BOM
#      and Chinese, and with --no-bom --lang en -j 1; the workbook
#      (SOURCE_DATE_EPOCH fixes its date) the same bytes but one: the zip
#      crate writes the system it runs on into each central directory entry
#      ("version made by": 0 MS-DOS on Windows, 3 Unix), which
#      rust_xlsxwriter cannot set; packaging/wine/same-but-made-by.py checks
#      that this byte is the only difference;
#   2. files.csv names the files with / (民权县/2024/人和镇.txt), not \;
#   3. the summary on stderr is UTF-8 Chinese;
#   4. a folder dropped on the .exe (its one argument) is rolled up into
#      D:\2024年 报告_汇总\ with the workbook, and --pause returns at once
#      with stdin closed; the same outputs as the Linux build with --xlsx;
#   5. the same through 汇总.bat (wine cmd /c 汇总.bat FOLDER);
#   6. started with nothing (a double click), it says how and exits 2; a
#      file or two folders dropped: exit 2, and the window waits.
set -euo pipefail
cd "$(dirname "$0")/.."
exe=${1:-target/x86_64-pc-windows-gnu/dist/county-rollup.exe}
linux=${2:-target/release/county-rollup}
for f in "$exe" "$linux"; do
    [ -x "$f" ] || [ -f "$f" ] || { echo "wine-test: $f not built (make windows build)" >&2; exit 2; }
done
command -v wine >/dev/null || { echo "wine-test: needs wine (apt-get install wine wine64)" >&2; exit 2; }

export LC_ALL=C.UTF-8 WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
export SOURCE_DATE_EPOCH=1735689600
work=$(mktemp -d /tmp/county-rollup-wine.XXXXXX)
export WINEPREFIX=$work/prefix
cleanup() {
    wineserver -k >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

echo "wine-test: $(wine --version), prefix $WINEPREFIX"
t0=$(date +%s)
wineboot -i >/dev/null 2>&1
echo "wine-test: prefix made in $(($(date +%s) - t0)) s"
ln -sfn "$work/d" "$WINEPREFIX/dosdevices/d:"
# Wine 8.0 (Debian 12) has no bcryptprimitives.dll, which Rust's std imports
# (ProcessPrng; every Windows 10 and 11 has it): a stand-in for the prefix only.
sys32=$WINEPREFIX/drive_c/windows/system32
if [ ! -e "$sys32/bcryptprimitives.dll" ]; then
    x86_64-w64-mingw32-gcc -shared -O2 -s -o "$sys32/bcryptprimitives.dll" packaging/wine/bcryptprimitives.c -ladvapi32
    echo "wine-test: this Wine lacks bcryptprimitives.dll: packaging/wine/bcryptprimitives.c stands in"
fi
version=$(wine "$exe" --version 2>&1 | tr -d '\r') || { echo "wine-test: the .exe does not start under Wine: $version" >&2; exit 1; }
echo "wine-test: $version runs under Wine"

mkdir -p "$work/d/2024年 报告" "$work/d/程序 目录"
cp -r data/. "$work/d/2024年 报告/"
cp "$exe" "$work/d/程序 目录/county-rollup.exe"
cp packaging/windows/汇总.bat "$work/d/程序 目录/"
data='D:\2024年 报告'
prog='D:\程序 目录\county-rollup.exe'

fails=0
fail() {
    echo "FAIL: $*" >&2
    fails=$((fails + 1))
}

# Every file of two output folders, byte for byte, those in subfolders
# (退回修改/, the send-back notices) included.
same_outputs() {
    local what=$1 a=$2 b=$3 names f same=()
    [ -d "$b" ] || { fail "$what: no output folder $b"; return; }
    names=$( (cd "$a" && find . -type f | sed 's|^\./||') | sort)
    [ "$names" = "$( (cd "$b" && find . -type f | sed 's|^\./||') | sort)" ] ||
        fail "$what: different files: $(cd "$a" && find . -type f) / $(cd "$b" && find . -type f)"
    while IFS= read -r f; do
        if cmp -s "$a/$f" "$b/$f"; then
            same+=("$f")
        elif [ "${f##*.}" = xlsx ] && note=$(python3 packaging/wine/same-but-made-by.py "$a/$f" "$b/$f"); then
            echo "wine-test: $what: $f: $note"
        else
            fail "$what: $f differs"
            cmp "$a/$f" "$b/$f" | head -1 >&2 || true
        fi
    done <<<"$names"
    echo "wine-test: $what: byte-identical: ${same[*]}"
}

# 1. The same flags on both systems (on the folder D:\$in, default data/'s copy).
run_both() {
    local name=$1 in=${in:-2024年 报告}
    shift
    set +e
    "$linux" "$work/d/$in" --out "$work/d/linux-$name" "$@" 2>"$work/linux-$name.err"
    local lcode=$?
    wine "$prog" "D:\\$in" --out "D:\\wine-$name" "$@" </dev/null 2>"$work/wine-$name.err" >/dev/null
    local wcode=$?
    set -e
    [ "$lcode" = "$wcode" ] || fail "$name: exit status $lcode on Linux, $wcode under Wine"
    echo "wine-test: $name: exit status $lcode on Linux, $wcode under Wine"
    same_outputs "$name ($*)" "$work/d/linux-$name" "$work/d/wine-$name"
}
run_both zh --xlsx
run_both en --xlsx --no-bom --lang en -j 1

# 1b. The readers data/ has no sample of: the PDF fixtures (text layer, rotated
# pages, encrypted, scanned) and the Word 97 .doc ones, read the same on both
# (the PDF reader's time limit is the thread's CPU time on each system).
mkdir -p "$work/d/样例 pdf doc/民权县"
cp tests/fixtures/pdf/*.pdf tests/fixtures/doc/*.doc "$work/d/样例 pdf doc/民权县/"
in="样例 pdf doc" run_both fixtures --xlsx
echo "wine-test: fixtures under Wine: $(ls "$work/d/样例 pdf doc/民权县" | wc -l) PDF and .doc files:" \
    "$(tail -n +2 "$work/d/wine-fixtures/files.csv" | cut -d, -f2 | sort | uniq -c | tr '\n' ' ')"

# 2. The file column.
files=$work/d/wine-zh/files.csv
grep -q '^民权县/2024/人和镇.txt,parsed,民权县,2024,人和镇,' "$files" || fail "files.csv lacks 民权县/2024/人和镇.txt: $(head -3 "$files")"
if cut -d, -f1 "$files" | grep -q '\\'; then fail "a backslash in files.csv's file column"; fi
echo "wine-test: files.csv under Wine: $(grep -c '^民权县/' "$files") files named 民权县/…, no backslash"

# 3. The summary in Chinese, as UTF-8, the output folder named as Windows does.
err=$(tr -d '\r' <"$work/wine-zh.err")
grep -q '个文件：汇总' <<<"$err" || fail "no Chinese summary under Wine: $err"
grep -q 'D:\\wine-zh' <<<"$err" || fail "the summary does not name D:\\wine-zh: $err"
echo "wine-test: summary under Wine: $(head -1 <<<"$err")"

# 4. Dropped on the .exe: one argument, the folder.
beside="$work/d/2024年 报告_汇总"
set +e
timeout 120 wine "$prog" "$data" </dev/null 2>"$work/drop.err" >/dev/null
code=$?
set -e
"$linux" "$work/d/2024年 报告" --out "$work/d/linux-drop" --xlsx 2>/dev/null || true
[ -f "$beside/county_rollup.xlsx" ] || fail "dropped on the .exe: no $beside/county_rollup.xlsx (exit $code)"
grep -q '按回车键关闭窗口' "$work/drop.err" || fail "dropped on the .exe: no pause: $(cat "$work/drop.err")"
[ -d "$beside" ] && same_outputs "dropped on the .exe (exit $code)" "$work/d/linux-drop" "$beside"

# 5. Dropped on 汇总.bat: cmd.exe runs it with the folder, quoted (it has a space).
rm -rf "$beside"
set +e
(cd "$work/d/程序 目录" && timeout 120 wine cmd /c 汇总.bat "$data" </dev/null 2>"$work/bat.err" >"$work/bat.out")
code=$?
set -e
[ -f "$beside/county_rollup.xlsx" ] || fail "dropped on 汇总.bat: no workbook (exit $code): $(cat "$work/bat.err" "$work/bat.out")"
grep -q '按回车键关闭窗口' "$work/bat.err" || fail "汇总.bat: no pause: $(cat "$work/bat.err")"
[ -d "$beside" ] && same_outputs "dropped on 汇总.bat (exit $code)" "$work/d/linux-drop" "$beside"

# 4b. A file, or two folders, dropped on the .exe: the window waits on the error.
set +e
timeout 60 wine "$prog" "$data\\民权县\\2024\\人和镇.txt" </dev/null 2>"$work/file.err" >/dev/null
code=$?
timeout 60 wine "$prog" "$data" 'D:\程序 目录' </dev/null 2>"$work/two.err" >/dev/null
code2=$?
set -e
[ "$code" = 2 ] && grep -q '按回车键关闭窗口' "$work/file.err" || fail "a file dropped: exit $code, $(cat "$work/file.err")"
[ "$code2" = 2 ] && grep -q '一次只拖入一个' "$work/two.err" && grep -q '按回车键关闭窗口' "$work/two.err" ||
    fail "two folders dropped: exit $code2, $(cat "$work/two.err")"
echo "wine-test: a file dropped: exit $code, \"$(head -1 "$work/file.err" | tr -d '\r')\"; two folders: exit $code2, waits"

# 6. A double click: no argument.
set +e
timeout 60 wine "$prog" </dev/null 2>"$work/none.err" >/dev/null
code=$?
set -e
[ "$code" = 2 ] && grep -q '拖到' "$work/none.err" || fail "no argument: exit $code, $(cat "$work/none.err")"
echo "wine-test: started with nothing: exit $code, \"$(head -1 "$work/none.err" | tr -d '\r')\""

if [ "$fails" -gt 0 ]; then
    echo "wine-test: $fails failed" >&2
    exit 1
fi
echo "wine-test: all passed"

#!/usr/bin/env python3
"""Pack a folder into a zip for Windows: `zip.py DIR OUT.zip`.

Names are stored the way a Chinese Windows writes them (GBK/CP936, the
UTF-8 flag off), so Explorer's own "extract all" and old archivers show
汇总.bat and 使用说明.txt right; each entry also carries the Info-ZIP
Unicode Path field (0x7075) with the UTF-8 name, which 7-Zip, WinRAR,
Bandizip and unzip on Linux prefer. Entries are sorted and dated
SOURCE_DATE_EPOCH (or 1980-01-01), so the same files give the same zip.
"""
import os
import struct
import sys
import time
import zipfile
import zlib


class GbkInfo(zipfile.ZipInfo):
    def _encodeFilenameFlags(self):
        try:
            return self.filename.encode("ascii"), self.flag_bits
        except UnicodeEncodeError:
            return self.filename.encode("gbk"), self.flag_bits & ~0x800


def main(src, out):
    src = os.path.abspath(src)
    top = os.path.basename(src)
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "315532800"))
    date = time.gmtime(max(epoch, 315532800))[:6]
    names = []
    for root, dirs, files in os.walk(src):
        dirs.sort()
        for f in sorted(files):
            names.append(os.path.relpath(os.path.join(root, f), src))
    tmp = out + ".tmp"
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
        for rel in names:
            name = top + "/" + rel.replace(os.sep, "/")
            info = GbkInfo(name, date)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0  # MS-DOS: no Unix modes (Windows ignores them)
            main_name = info._encodeFilenameFlags()[0]
            if main_name != name.encode("ascii", "replace"):
                utf8 = name.encode("utf-8")
                body = struct.pack("<BI", 1, zlib.crc32(main_name)) + utf8
                info.extra = struct.pack("<HH", 0x7075, len(body)) + body
            with open(os.path.join(src, rel), "rb") as f:
                z.writestr(info, f.read())
    os.replace(tmp, out)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: zip.py DIR OUT.zip")
    main(sys.argv[1], sys.argv[2])

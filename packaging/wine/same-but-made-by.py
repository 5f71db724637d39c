#!/usr/bin/env python3
"""same-but-made-by.py A.zip B.zip: exit 0 when the two zip files (workbooks)
are byte for byte the same except for the "version made by" system byte of
the central directory entries, which the zip crate sets from the system the
program runs on (0 MS-DOS on Windows, 3 Unix elsewhere) and rust_xlsxwriter
gives no way to set. Every part's bytes, CRC, order, date and offset are
compared as they are. Prints how many entries had that byte differ."""
import struct
import sys

a, b = (open(p, "rb").read() for p in sys.argv[1:3])
if len(a) != len(b):
    sys.exit(f"different sizes: {len(a)} and {len(b)}")
eocd = a.rfind(b"PK\x05\x06")
if eocd < 0 or a[eocd:] != b[eocd:]:
    sys.exit("different end of central directory")
entries, size, start = struct.unpack_from("<HII", a, eocd + 10)
a, b = bytearray(a), bytearray(b)
sa, sb = a[start + 5], b[start + 5]
at = start
differ = 0
for _ in range(entries):
    if a[at : at + 4] != b"PK\x01\x02":
        sys.exit(f"no central directory entry at {at}")
    differ += a[at + 5] != b[at + 5]
    b[at + 5] = a[at + 5]  # version made by, high byte: the system
    n, m, k = struct.unpack_from("<HHH", a, at + 28)
    at += 46 + n + m + k
if a != b:
    first = next(i for i in range(len(a)) if a[i] != b[i])
    sys.exit(f"differ at byte {first} beyond the made-by system byte")
print(f"the same bytes but the made-by system byte ({sa} and {sb}) of {differ} of {entries} entries")

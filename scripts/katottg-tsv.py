#!/usr/bin/env python3
"""Writes KATOTTG's kodifikator.xlsx (Ukraine's codifier of administrative units) as TSV.

    scripts/katottg-tsv.py kodifikator.xlsx > katottg.tsv

Standard library only (zipfile + xml): the workbook is one sheet of text cells, so a
spreadsheet library would be a dependency for forty lines. Each data row of the sheet
becomes one line of seven tab-separated columns: the codes of levels one to four, the
additional level (city districts), the category letter (O oblast, K city with special status,
P raion, H hromada, M city, X settlement, C village, B city district) and the official
Ukrainian name. The title and header rows above the first code are left out.
"""
import sys
import xml.etree.ElementTree as ET
import zipfile

NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def column(ref):
    """The zero-based column of a cell reference such as "C12"."""
    n = 0
    for ch in ref:
        if not ch.isalpha():
            break
        n = n * 26 + ord(ch.upper()) - 64
    return n - 1


def main(path):
    book = zipfile.ZipFile(path)
    shared = ["".join(t.text or "" for t in si.iter(NS + "t")) for si in ET.parse(book.open("xl/sharedStrings.xml")).getroot().iter(NS + "si")]
    out = sys.stdout
    for _, row in ET.iterparse(book.open("xl/worksheets/sheet1.xml")):
        if row.tag != NS + "row":
            continue
        cells = {}
        for c in row.iter(NS + "c"):
            v, kind = c.find(NS + "v"), c.get("t")
            if kind == "inlineStr":
                text = "".join(t.text or "" for t in c.iter(NS + "t"))
            elif v is None:
                text = ""
            elif kind == "s":
                text = shared[int(v.text)]
            else:
                text = v.text or ""
            cells[column(c.get("r"))] = " ".join(text.split())
        row.clear()
        if cells.get(0, "").startswith("UA"):
            out.write("\t".join(cells.get(i, "") for i in range(7)) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])

"""Reads an XLSX back without openpyxl: the workbook's sheet names and each sheet's rows
as lists of values (inline strings, shared strings and numbers)."""

import io
import re
import xml.etree.ElementTree as ET
import zipfile

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _column_index(ref):
    letters = re.match(r"[A-Z]+", ref).group(0)
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


def read_xlsx(data):
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = archive.namelist()
    shared = []
    if "xl/sharedStrings.xml" in names:
        root = ET.fromstring(archive.read("xl/sharedStrings.xml"))
        shared = [
            "".join(t.text or "" for t in si.iter(f"{{{NS['m']}}}t"))
            for si in root.findall("m:si", NS)
        ]
    rels = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target") for rel in rels}
    workbook = ET.fromstring(archive.read("xl/workbook.xml"))
    sheets = {}
    formulas = 0
    for sheet in workbook.find("m:sheets", NS):
        root = ET.fromstring(archive.read("xl/" + targets[sheet.get(REL)]))
        rows = []
        for row in root.iter(f"{{{NS['m']}}}row"):
            # Blank rows are not written at all: keep them as empty lists.
            rows.extend([] for _ in range(int(row.get("r")) - 1 - len(rows)))
            values = []
            for cell in row.findall("m:c", NS):
                if cell.find("m:f", NS) is not None:
                    formulas += 1
                kind = cell.get("t")
                if kind == "inlineStr":
                    value = "".join(t.text or "" for t in cell.iter(f"{{{NS['m']}}}t"))
                elif kind == "s":
                    value = shared[int(cell.find("m:v", NS).text)]
                else:
                    raw = cell.find("m:v", NS)
                    value = None if raw is None else float(raw.text)
                    if value is not None and value.is_integer() and "." not in raw.text:
                        value = int(value)
                index = _column_index(cell.get("r"))
                values.extend([None] * (index - len(values)))
                values.append(value)
            rows.append(values)
        sheets[sheet.get("name")] = rows
    return sheets, formulas


def table_after(rows, title):
    """The header and data rows of the table titled `title` in a list of rows."""
    start = next(i for i, row in enumerate(rows) if row and row[0] == title)
    i = start + 1
    while rows[i] and len([v for v in rows[i] if v not in (None, "")]) == 1:
        i += 1  # skip a note line
    header = rows[i]
    data = []
    for row in rows[i + 1 :]:
        if not row or all(v in (None, "") for v in row):
            break
        data.append(row)
    return header, data


def excel_date(serial):
    """An Excel date serial number as a date."""
    import datetime

    return datetime.date(1899, 12, 30) + datetime.timedelta(days=int(serial))


def sheet_layout(data, name):
    """How a sheet behaves: the frozen pane's top-left cell, the autofilter's range, the
    column widths and the number formats its cells use."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    rels = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target") for rel in rels}
    workbook = ET.fromstring(archive.read("xl/workbook.xml"))
    sheet = next(s for s in workbook.find("m:sheets", NS) if s.get("name") == name)
    root = ET.fromstring(archive.read("xl/" + targets[sheet.get(REL)]))
    styles = ET.fromstring(archive.read("xl/styles.xml"))
    custom = {
        fmt.get("numFmtId"): fmt.get("formatCode") for fmt in styles.iter(f"{{{NS['m']}}}numFmt")
    }
    xfs = styles.find("m:cellXfs", NS).findall("m:xf", NS)
    formats = set()
    for cell in root.iter(f"{{{NS['m']}}}c"):
        style = int(cell.get("s", 0))
        formats.add(custom.get(xfs[style].get("numFmtId"), xfs[style].get("numFmtId")))
    pane = root.find(".//m:pane", NS)
    autofilter = root.find("m:autoFilter", NS)
    return {
        "frozen": pane.get("topLeftCell") if pane is not None else None,
        "autofilter": autofilter.get("ref") if autofilter is not None else None,
        "widths": [float(col.get("width")) for col in root.iter(f"{{{NS['m']}}}col")],
        "formats": formats,
    }

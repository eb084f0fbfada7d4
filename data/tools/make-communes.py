#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
# Copyright (c) 2026 The trucban Authors
"""
Build data/quangninh/province.json, the province as it is since 1 July 2025
(54 commune-level units), from the 13-district dataset in
data/quangninh-2024/province.json and the reference list of the 54 units in
data/reference/quangninh-2025-communes.tsv (NQ 1679/NQ-UBTVQH15 and
Công văn 1027/CTK-CSCL; sources in the .md beside it).

Every hospital, school, unit, station, hotspot and camera keeps its id and
moves from its district to one commune. The rules, first match wins:

  1. "name":   the item's name contains the short name of a 2025 unit of
               the same former district, or of one that took an old unit
               of that name from it ("Trường THPT Bãi Cháy" goes to
               Phường Bãi Cháy). The former district's own name is not
               evidence ("Chợ Hạ Long I" says nothing about Phường Hạ
               Long), nor is a unit name inside a longer word.
  2. "former": the name contains the name of an old phường, xã or thị
               trấn of the same district that NQ 1679 merged into a 2025
               unit ("THCS Hồng Hải" goes to Phường Hạ Long). An old unit
               split between two new ones goes to the one that kept its
               name, else to the one that took "the rest" of it.
  3. "facility": a response unit named after a hospital or health centre
               of the dataset goes where that facility went.
  4. "landmark": a landmark of LANDMARKS below, placed in an old unit from
               general knowledge, not from the reference: review these.
  5. "only":   the whole former district became one unit (Vân Đồn, Cô
               Tô).
  6. "seat":   otherwise the unit holding the former district's seat
               (SEATS below). These are the doubtful cases.

The output is deterministic: the same inputs give the same bytes. Run it
from the top of the tree:

    python3 data/tools/make-communes.py

It also writes data/quangninh/rehome.tsv, one line per item: id, kind,
former district, commune code and name, rule, and the evidence.
"""

import csv
import json
import re
import sys
import unicodedata

OLD = "data/quangninh-2024/province.json"
REF = "data/reference/quangninh-2025-communes.tsv"
OUT = "data/quangninh/province.json"
REPORT = "data/quangninh/rehome.tsv"

# The reference's former_district column, to the 2024 dataset's codes.
DISTRICTS = {
    "TP Hạ Long": "HL", "TP Cẩm Phả": "CP", "TP Uông Bí": "UB",
    "TP Móng Cái": "MC", "TP Đông Triều": "DT", "TX Quảng Yên": "QY",
    "H. Vân Đồn": "VD", "H. Tiên Yên": "TY", "H. Bình Liêu": "BL",
    "H. Đầm Hà": "DH", "H. Hải Hà": "HH", "H. Ba Chẽ": "BC",
    "H. Cô Tô": "CT",
}

# The two units the reference marks "mixed" get the group of the old unit
# whose code they carry: 06799 is the old xã Hải Hòa of Cẩm Phả (the
# reference's note); 06985 lies among the codes of the old Ba Chẽ communes
# (06970 TT Ba Chẽ to 06991), so it is Ba Chẽ's (an inference).
MIXED = {"06799": "CP", "06985": "BC"}

# Where a district's items go when nothing in their name says: the 2025
# unit that holds the former district's seat (thị trấn or central
# phường). Hạ Long's city offices were in Hồng Gai (the reference's notes).
SEATS = {
    "HL": "06685",    # Phường Hồng Gai
    "CP": "06793",    # Phường Cẩm Phả (Cẩm Trung, Cẩm Thành...)
    "UB": "06811",    # Phường Uông Bí (Quang Trung...)
    "MC": "06709",    # Phường Móng Cái 2 (Ka Long)
    "DT": "07093",    # Phường Đông Triều (Đức Chính...)
    "QY": "07132",    # Phường Quảng Yên
    "VD": "06994",    # Đặc khu Vân Đồn (the whole district)
    "TY": "06862",    # Xã Tiên Yên (TT Tiên Yên)
    "BL": "06838",    # Xã Bình Liêu (TT Bình Liêu)
    "DH": "06895",    # Xã Đầm Hà (TT Đầm Hà)
    "HH": "06922",    # Xã Quảng Hà (TT Quảng Hà)
    "BC": "06970",    # Xã Ba Chẽ (TT Ba Chẽ)
    "CT": "07192",    # Đặc khu Cô Tô (the whole district)
}

# Landmarks in item names, with the old unit they lie in (district, name).
# General knowledge, not from the reference: each use is marked
# "landmark" in rehome.tsv for review.
LANDMARKS = [
    ("HL", "Quảng trường 30/10", "Hồng Hải"),
    ("HL", "Cung Quy hoạch", "Hồng Hải"),
    ("HL", "Trung tâm Hội nghị tỉnh", "Hồng Hải"),
    ("HL", "Bảo tàng – Thư viện tỉnh", "Hồng Hải"),
    ("HL", "Cột 3", "Hồng Hải"),
    ("HL", "Cột 5", "Hồng Hải"),
    ("HL", "Cột 8", "Hồng Hà"),
    ("HL", "Sun World Hạ Long", "Bãi Cháy"),
    ("HL", "Cảng tàu khách quốc tế Hạ Long", "Bãi Cháy"),
    ("HL", "Chợ đêm Hạ Long", "Bãi Cháy"),
    ("HL", "Vườn Đào", "Bãi Cháy"),
    ("HL", "Cái Dăm", "Bãi Cháy"),
    ("HL", "Chợ Hạ Long I", "Bạch Đằng"),
    ("HL", "Cột Đồng Hồ", "Bạch Đằng"),
    ("HL", "Bến Đoan", "Bạch Đằng"),
    ("HL", "Núi Bài Thơ", "Bạch Đằng"),
    ("HL", "Chùa Long Tiên", "Bạch Đằng"),
    ("HL", "Loong Toòng", "Bạch Đằng"),
    ("HL", "Bệnh viện Đa khoa tỉnh", "Bạch Đằng"),
    ("HL", "Chợ Trới", "Hoành Bồ"),
    ("HL", "Nhiệt điện Quảng Ninh", "Hà Khánh"),
    ("HL", "Nhiệt điện Thăng Long", "Lê Lợi"),
    ("HL", "Xi măng Thăng Long", "Lê Lợi"),
    ("HL", "Núi Béo", "Hà Tu"),
    ("CP", "Nhiệt điện Cẩm Phả", "Cẩm Thịnh"),
    ("CP", "Cọc Sáu", "Cẩm Phú"),
    ("CP", "Đèo Nai", "Cẩm Phú"),
    ("CP", "Khe Chàm", "Mông Dương"),
    ("UB", "Yên Tử", "Thượng Yên Công"),
    ("UB", "Chùa Ba Vàng", "Quang Trung"),
    ("MC", "Bắc Luân", "Ka Long"),
    ("MC", "Mũi Sa Vĩ", "Trà Cổ"),
    ("DT", "Nhà Trần", "An Sinh"),
    ("DT", "Chùa Quỳnh Lâm", "Tràng An"),
    ("QY", "Bãi cọc Bạch Đằng", "Yên Giang"),
    ("QY", "Chợ Rừng", "Quảng Yên"),
    ("QY", "Yên Lập", "Minh Thành"),
]

KINDS = {"phuong": "Phường ", "xa": "Xã ", "dac_khu": "Đặc khu "}
TYPE_WORDS = {"phường": "phường", "xã": "xã", "TT": "thị trấn"}

ITEM_KEYS = ["hospitals", "schools", "units", "stations", "hotspots",
    "cameras"]


def fold(s):
    """Lower case, no diacritics, đ as d: for matching only."""
    s = s.replace("Đ", "D").replace("đ", "d")
    s = unicodedata.normalize("NFD", s)
    s = "".join(c for c in s if unicodedata.category(c) != "Mn")
    return s.lower()


def words(s):
    """s lower-cased, NFC, as a string of words between spaces."""
    s = unicodedata.normalize("NFC", s).lower()
    return " " + " ".join(re.findall(r"\w+", s)) + " "


def contains_word(haystack, needle):
    """
    needle occurs in haystack as whole words, diacritics and all (but
    not case): folded, "tuần tra cơ động" would contain "Trà Cổ".
    """
    return words(needle) in words(haystack)


def parse_components(text, district, notes):
    """
    The components column as (type, name, district, share): share is
    "all", "part" or "rest". "(unchanged; not merged)" gives [].
    """
    out = []
    if text.startswith("("):
        return out
    for chunk in text.split(" + "):
        share = "all"
        for pfx, sh in (("parts of ", "part"), ("part of ", "part"),
            ("rest of ", "rest")):
            if chunk.startswith(pfx):
                chunk, share = chunk[len(pfx):], sh
        d = district
        m = re.search(r"\s*\(([^)]*)\)$", chunk)
        if m:
            key = m.group(1).split(",")[0].strip()
            d = DISTRICTS[key]
            chunk = chunk[:m.start()]
        kind = None
        for word in chunk.split(", "):
            word = word.strip()
            for t in TYPE_WORDS:
                if word.startswith(t + " "):
                    kind, word = TYPE_WORDS[t], word[len(t) + 1:]
            if kind is None:
                sys.exit("%s: no type before %s" % (text, word))
            wd = d
            if word == "Vô Ngại" and "Bình Liêu" in notes:
                wd = "BL"
            out.append((kind, word, wd, share))
    return out


def abbreviations(shorts):
    """
    ASCII codes of at most 4 characters, unique in the province: the
    initials of the short name ("Bãi Cháy" BC, "Móng Cái 1" MC1). Units
    that share their initials all take the first of these levels that
    tells them apart from each other and from every other unit:
      1. initials and the last word's second letter    (Hạ Long HLo)
      2. the first word's first two letters, then the other initials
      3. initials and the last word's second and third letters.
    """
    def words(s):
        return fold(s).split()

    def initials(s):
        return "".join(w[0].upper() if w[0].isalpha() else w
            for w in words(s))

    def level(s, n):
        w = words(s)
        i = initials(s)
        if n == 1:
            return i + w[-1][1:2]
        if n == 2:
            return w[0][0].upper() + w[0][1:2] + i[1:]
        return i + w[-1][1:3]

    abbr = {}
    groups = {}
    for code, s in shorts.items():
        groups.setdefault(initials(s), []).append(code)
    for ini, codes in groups.items():
        if len(codes) == 1:
            abbr[codes[0]] = ini
    for ini, codes in sorted(groups.items()):
        if len(codes) == 1:
            continue
        for n in (1, 2, 3):
            cand = {c: level(shorts[c], n) for c in codes}
            vals = list(cand.values())
            if len(set(vals)) == len(vals) and not any(v in
                abbr.values() for v in vals):
                abbr.update(cand)
                break
        else:
            sys.exit("no abbreviation for %s" % codes)
    for v in abbr.values():
        if len(v) > 4 or not re.fullmatch(r"[A-Za-z0-9]+", v):
            sys.exit("bad abbreviation %s" % v)
    return abbr


def main():
    old = json.load(open(OLD, encoding="utf-8"))
    rows = list(csv.DictReader(open(REF, encoding="utf-8"),
        delimiter="\t"))
    if len(rows) != 54:
        sys.exit("%s: %d rows, want 54" % (REF, len(rows)))

    old_areas = {a["code"]: a for a in old["areas"]}
    units = {}
    comps = {}        # code -> components
    for r in rows:
        fd = r["former_district"]
        group = MIXED.get(r["code"]) or DISTRICTS[fd]
        short = r["name"][len(KINDS[r["type"]]):]
        units[r["code"]] = {"row": r, "group": group, "short": short}
        comps[r["code"]] = parse_components(r["components"],
            DISTRICTS.get(fd, group), r["notes"])
    abbr = abbreviations({c: u["short"] for c, u in units.items()})

    # Old unit (district, folded name) -> [(new code, share)].
    former = {}
    for code, cs in comps.items():
        for kind, name, d, share in cs:
            former.setdefault((d, fold(name)), []).append(
                (code, share, name))
    # Cái Chiên was not merged: it is its own former unit.
    former[("HH", fold("Cái Chiên"))] = [("06967", "all", "Cái Chiên")]

    def former_target(d, name):
        t = former.get((d, fold(name)))
        if t is None:
            return None
        if len(t) == 1:
            return t[0][0]
        for code, share, _ in t:
            if fold(units[code]["short"]) == fold(name):
                return code
        for code, share, _ in t:
            if share == "rest":
                return code
        return sorted(t)[0][0]

    def district_units(d):
        return [c for c, u in units.items() if any(x[2] == d for x in
            comps[c]) or u["group"] == d]

    placed = {}        # item id -> (code, rule, evidence)

    def rehome(item, d):
        name = item["name"]
        cands = []
        for c in district_units(d):
            s = units[c]["short"]
            if fold(s) == fold(old_areas[d]["name"]):
                continue
            if units[c]["group"] != d and (d, fold(s)) not in former:
                continue
            if contains_word(name, s):
                cands.append((len(s), c, s))
        if cands:
            cands.sort(reverse=True)
            return cands[0][1], "name", cands[0][2]
        best = None
        for (fd, fname), t in former.items():
            if fd != d or fname == fold(old_areas[d]["name"]):
                continue
            if contains_word(name, t[0][2]) and (best is None or
                len(fname) > len(best[0])):
                best = (fname, t[0][2])
        if best is not None:
            return former_target(d, best[1]), "former", best[1]
        for fac_id, (code, _, _) in placed.items():
            fac = facilities.get(fac_id)
            if fac is not None and fac in name:
                return code, "facility", fac_id
        for ld, mark, where in LANDMARKS:
            if ld == d and contains_word(name, mark):
                code = former_target(d, where) or SEATS[d]
                return code, "landmark", "%s (in %s)" % (mark,
                    where)
        if len(district_units(d)) == 1:
            return SEATS[d], "only", "the district is one unit"
        return SEATS[d], "seat", old_areas[d]["name"]

    facilities = {h["id"]: h["name"] for h in old["hospitals"]}
    out_items = {}
    report = []
    for key in ITEM_KEYS:
        out_items[key] = []
        for item in old.get(key, []):
            code, rule, why = rehome(item, item["area"])
            if key == "hospitals":
                placed[item["id"]] = (code, rule, why)
            new = dict(item)
            new["area"] = code
            out_items[key].append(new)
            report.append((item["id"], key, item["area"], code,
                units[code]["row"]["name"], rule, why))

    # Places: the old units' names (as people still call the
    # neighbourhoods) and the landmarks of the old lists.
    places = {c: [] for c in units}
    for code, cs in comps.items():
        for kind, name, d, share in cs:
            if name not in places[code]:
                places[code].append(name)
    if not places["06967"]:
        places["06967"] = ["Cái Chiên"]
    dropped = []
    for d, lst in old["places"].items():
        for p in lst:
            m = re.match(r"(Phường|Xã|Thị trấn) (.*)$", p)
            if m:
                if former.get((d, fold(m.group(2)))) is None:
                    dropped.append((d, p))
                continue
            code, rule, why = rehome({"name": p}, d)
            if p not in places[code]:
                places[code].append(p)
            report.append(("(place) " + p, "places", d, code,
                units[code]["row"]["name"], rule, why))

    # Population: the reference's figure where it has one; otherwise an
    # estimate: what is left of each former district's 2024 population
    # once the known units of its group are taken out, shared among the
    # old units of the others (a part counts half), summed per unit.
    share = {}
    pool = {d: a["population"] for d, a in old_areas.items()}
    for r in rows:
        if r["population"]:
            d = units[r["code"]]["group"]
            pool[d] = max(pool[d] - int(r["population"]),
                old_areas[d]["population"] // 10)
            continue
        for kind, name, d, sh in comps[r["code"]]:
            share[d] = share.get(d, 0) + (0.5 if sh != "all" else 1)
    areas = []
    for r in rows:
        code = r["code"]
        u = units[code]
        a = {"code": code, "name": r["name"], "short": u["short"],
            "abbr": abbr[code], "kind": r["type"], "group": u["group"]}
        if r["population"]:
            a["population"] = int(r["population"])
        else:
            est = 0.0
            for kind, name, d, sh in comps[code]:
                w = 0.5 if sh != "all" else 1
                est += pool[d] * w / share[d]
            a["population"] = int(round(est, -2))
            a["population_estimated"] = True
        a["former"] = [("một phần " if sh != "all" else "") +
            "%s %s" % (kind, name) for kind, name, d, sh in comps[code]]
        areas.append(a)
    # Dataset order: by group (the old order of the districts), then by
    # name, so lists read region by region.
    order = {a["code"]: i for i, a in enumerate(old["areas"])}
    areas.sort(key=lambda a: (order[a["group"]], fold(a["short"])))

    groups = [{"code": a["code"], "name": a["name"],
        "name_full": {"city": "Thành phố ", "town": "Thị xã ",
        "district": "Huyện "}[a["kind"]] + a["name"]}
        for a in old["areas"]]

    new = {"format": 1, "province": old["province"], "groups": groups,
        "areas": areas, "departments": old["departments"]}
    for key in ITEM_KEYS:
        new[key] = out_items[key]
    new["places"] = {a["code"]: places[a["code"]] for a in areas}

    with open(OUT, "w", encoding="utf-8") as f:
        f.write(dump(new))
    with open(REPORT, "w", encoding="utf-8") as f:
        f.write("# Generated by data/tools/make-communes.py; "
            "do not edit.\n")
        f.write("id\tlist\tformer_district\tcode\tcommune\trule\t"
            "evidence\n")
        for r in report:
            f.write("\t".join(r) + "\n")
        for d, p in dropped:
            f.write("(place) %s\tplaces\t%s\t\t\tdropped\tnot a "
                "unit merged by NQ 1679 (merged before 2025)\n" %
                (p, d))
    counts = {}
    for r in report:
        counts[r[5]] = counts.get(r[5], 0) + 1
    print("%d areas, %d items placed: %s; %d places dropped" % (
        len(areas), len(report), ", ".join("%s %d" % kv for kv in
        sorted(counts.items())), len(dropped)))


def dump(d):
    """One line per list entry, as the hand-written files were."""
    lines = ["{"]
    keys = list(d.keys())
    for i, k in enumerate(keys):
        v = d[k]
        comma = "," if i + 1 < len(keys) else ""
        if isinstance(v, list):
            lines.append('  "%s": [' % k)
            for j, e in enumerate(v):
                lines.append("    " + json.dumps(e,
                    ensure_ascii=False) + ("," if j + 1 <
                    len(v) else ""))
            lines.append("  ]" + comma)
        elif isinstance(v, dict) and k == "places":
            lines.append('  "%s": {' % k)
            pk = list(v.keys())
            for j, c in enumerate(pk):
                lines.append('    "%s": %s%s' % (c,
                    json.dumps(v[c], ensure_ascii=False),
                    "," if j + 1 < len(pk) else ""))
            lines.append("  }" + comma)
        else:
            lines.append('  "%s": %s%s' % (k, json.dumps(v,
                ensure_ascii=False), comma))
    lines.append("}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
# Copyright (c) 2026 The trucban Authors
"""
The Vietnamese lunisolar calendar, to check the lunar dates of
data/calendar/*.json: Tết is the 1st day of the 1st month and Giỗ Tổ Hùng
Vương the 10th day of the 3rd month, reckoned at UTC+7 (the meridian of
105° E that Vietnam's calendar has used since 1968).

The astronomy is the textbook one: mean new moons with the periodic
corrections of J. Meeus, "Astronomical Algorithms" (2nd ed., chapter 49,
the terms larger than 0.0004 day), and the Sun's apparent longitude from
its mean anomaly (chapter 25, low accuracy). That is ample to find the
day a new moon falls on and the month that holds the winter solstice
(month 11), which is all the calendar needs; a new moon within minutes of
midnight could land on the wrong day, so every date this checks is also
given by the government's notices.

    python3 data/tools/lunar.py 2026-02-17         # prints the lunar date
    python3 data/tools/lunar.py --check data/calendar/vn.json
"""

import json
import math
import sys
from datetime import date

TZ = 7.0


def jd(d):
    """Julian day number of a Gregorian date."""
    return d.toordinal() + 1721425


def new_moon(k):
    """Julian day (TT, fractional) of the k-th new moon after 1900-01-01."""
    t = k / 1236.85
    t2, t3 = t * t, t * t * t
    r = math.radians
    jde = (2415020.75933 + 29.53058868 * k + 0.0001178 * t2 -
        0.000000155 * t3 + 0.00033 * math.sin(r(166.56 + 132.87 * t -
        0.009173 * t2)))
    m = r(359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3)
    mp = r(306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3)
    f = r(21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3)
    c = ((0.1734 - 0.000393 * t) * math.sin(m) + 0.0021 * math.sin(2 * m) -
        0.4068 * math.sin(mp) + 0.0161 * math.sin(2 * mp) -
        0.0004 * math.sin(3 * mp) + 0.0104 * math.sin(2 * f) -
        0.0051 * math.sin(m + mp) - 0.0074 * math.sin(m - mp) +
        0.0004 * math.sin(2 * f + m) - 0.0004 * math.sin(2 * f - m) -
        0.0006 * math.sin(2 * f + mp) + 0.0010 * math.sin(2 * f - mp) +
        0.0005 * math.sin(m + 2 * mp))
    # TT - UT, in days, for the years around 2000.
    dt = -0.000278 + 0.000265 * t + 0.000262 * t2
    return jde + c - dt


def new_moon_day(k):
    """The local day number the k-th new moon falls on."""
    return int(math.floor(new_moon(k) + 0.5 + TZ / 24))


def sun_sector(day):
    """The Sun's apparent longitude at the start of a local day, in
    sectors of 30 degrees (0: from the vernal equinox)."""
    t = (day - 0.5 - TZ / 24 - 2451545.0) / 36525
    m = math.radians(357.52910 + 35999.05030 * t - 0.0001559 * t * t)
    l0 = 280.46645 + 36000.76983 * t + 0.0003032 * t * t
    c = ((1.914600 - 0.004817 * t - 0.000014 * t * t) * math.sin(m) +
        (0.019993 - 0.000101 * t) * math.sin(2 * m) +
        0.000290 * math.sin(3 * m))
    lon = math.radians(l0 + c) % (2 * math.pi)
    return int(lon / math.pi * 6)


def month11(year):
    """The local day number that starts the lunar month holding the
    winter solstice of year."""
    off = jd(date(year, 12, 31)) - 2415021
    k = int(off / 29.530588853)
    nm = new_moon_day(k)
    if sun_sector(nm) >= 9:
        nm = new_moon_day(k - 1)
    return nm


def leap_offset(a11):
    """Which month after month 11 is the leap one, in a year of 13."""
    k = int((a11 - 2415021.076998695) / 29.530588853 + 0.5)
    i = 1
    arc = sun_sector(new_moon_day(k + i))
    while True:
        last = arc
        i += 1
        arc = sun_sector(new_moon_day(k + i))
        if arc == last or i >= 14:
            break
    return i - 1


def lunar(d):
    """(day, month, leap) of the lunar date of Gregorian date d."""
    day = jd(d)
    k = int((day - 2415021.076998695) / 29.530588853)
    start = new_moon_day(k + 1)
    if start > day:
        start = new_moon_day(k)
    a11 = month11(d.year)
    b11 = a11
    if a11 >= start:
        a11 = month11(d.year - 1)
    else:
        b11 = month11(d.year + 1)
    lday = day - start + 1
    diff = (start - a11) // 29
    leap = False
    lmonth = diff + 11
    if b11 - a11 > 365:
        lo = leap_offset(a11)
        if diff >= lo:
            lmonth = diff + 10
            leap = diff == lo
    if lmonth > 12:
        lmonth -= 12
    return lday, lmonth, leap


def check(path):
    """Every day of a calendar file with a "lunar" member ("M-D") must
    be that lunar date. Returns the number of mismatches."""
    cal = json.load(open(path, encoding="utf-8"))
    bad = 0
    n = 0
    for e in cal["days"]:
        if "lunar" not in e:
            continue
        n += 1
        want = tuple(int(x) for x in e["lunar"].split("-"))
        got = lunar(date.fromisoformat(e["date"]))
        if (got[1], got[0]) != want or got[2]:
            print("%s: %s is lunar %d-%d%s, not %s" % (path, e["date"],
                got[1], got[0], " (leap)" if got[2] else "",
                e["lunar"]))
            bad += 1
    print("%s: %d lunar dates checked, %d wrong" % (path, n, bad))
    return bad


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--check":
        sys.exit(1 if check(sys.argv[2]) else 0)
    for a in sys.argv[1:]:
        d, m, leap = lunar(date.fromisoformat(a))
        print("%s: lunar %d-%d%s" % (a, m, d, " (leap)" if leap else ""))


if __name__ == "__main__":
    main()

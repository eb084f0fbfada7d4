#!/bin/sh
# SPDX-License-Identifier: ISC
# Copyright (c) 2026 The trucban Authors
#
# Deadlines and clocks as data, through the real backend and tb-client,
# with the backend's clock started on given days (--start):
#
#  - on Friday 13/2/2026 at 16:00, the last working afternoon before Tết,
#    a case is due after the holiday (assigned by Monday 23/2, answered by
#    Friday 27/2 at 17:00), and an alert of severity 4 has its three
#    stage deadlines from the response bands (2, 5 and 20 minutes);
#  - on Friday 28/8/2026 at 15:00, before 2 September, a power cut is due
#    on Thursday 3/9, and an urgent one 8 working hours later;
#  - an urgent case assigned to the People's Committee of Phường Bãi Cháy
#    (UBND.06673), transferred to Sở Xây dựng (its clock starts: a new
#    deadline), returned by it (the commune's clock goes on as it was),
#    transferred again, and in the end returned to the citizen: every hop
#    in the history, with the bodies and the reason;
#  - refusals on the wire carry a reason and its arguments, the engine's
#    and the server's own (over the rate).
#
# Usage: tests/e2e/backend-rules.sh BUILD_DIR   (e.g. build/san)
# Exits 0 when every check passes, else 1 with a line per failed check.

set -u
. "$(dirname "$0")/lib.sh"
e2e_init backend-rules "$@"

if ! grep -q '"code": "06673"' "$data/province.json"; then
	echo "backend-rules: $data is not the province of communes" >&2
	exit 1
fi

# ms TIME: an ISO 8601 instant as ms since the epoch.
ms() {
	echo "$(date -d "$1" +%s)000"
}

# num KEY JSON: the first integer member KEY of JSON (the item's own
# come before its history and its hops).
num() {
	printf '%s\n' "$2" | grep -o "\"$1\":[0-9]*" | head -1 | cut -d: -f2
}

# str KEY JSON: the first string member KEY of JSON.
str() {
	printf '%s\n' "$2" | grep -o "\"$1\":\"[^\"]*\"" | head -1 |
	    cut -d'"' -f4
}

# is NAME GOT WANT: a check that two values are equal.
is() {
	if [ "$2" = "$3" ]; then
		pass "$1"
	else
		fail "$1: got '$2', want '$3'"
	fi
}

# has NAME PATTERN OUTPUT: OUTPUT holds the fixed string PATTERN.
has() {
	if printf '%s\n' "$3" | grep -qF -- "$2"; then
		pass "$1"
	else
		fail "$1: no '$2' in $3"
	fi
}

# inject ARGS: inject an item; prints its id.
inject() {
	tb cmd inject "$1" | sed -n 's/.*"item":"\([^"]*\)".*/\1/p'
}

# --- The last working afternoon before Tết Bính Ngọ. ---
backend_start --seed 3 --rate 0 --start 2026-02-13T16:00 || exit 1

case1=$(inject '{"kind":"feedback","item":{"channel":"hotline",
"area":"06673","category":"education","text":"Trường xuống cấp"}}')
got=$(tb get feedback "$case1")
received=$(num received "$got")
t0=$(ms 2026-02-13T16:00+07:00)
if [ -n "$received" ] && [ "$received" -ge "$t0" ] &&
    [ "$received" -lt $((t0 + 600000)) ]; then
	pass "--start: $case1 received on 13/2/2026 16:00"
else
	fail "--start: $case1 received at '$received'"
	received=$t0
fi
is "Tết: answered by the close of Friday 27/2 (5 working days)" \
    "$(num deadline "$got")" "$(ms 2026-02-27T17:00+07:00)"
is "Tết: assigned by Monday 23/2, 8 working hours after receipt" \
    "$(num due_assign "$got")" \
    $(($(ms 2026-02-23T16:00+07:00) + received - t0))
is "a new case is at the desk" "$(str holder "$got")" ""
is "... since its receipt" "$(num held_since "$got")" "$received"

alert=$(inject '{"kind":"alert","item":{"kind":"flood","severity":4,
"area":"06673","place":"Bãi Cháy","source":"sensor","title":"Ngập sâu"}}')
got=$(tb get alert "$alert")
created=$(num created "$got")
is "severity 4: acknowledged within 2 minutes" \
    $(($(num due_ack "$got") - created)) 120000
is "... units dispatched within 5" \
    $(($(num due_dispatch "$got") - created)) 300000
is "... a unit on scene within 20" \
    $(($(num due_on_scene "$got") - created)) 1200000
is "deadline is the first response's" "$(num deadline "$got")" \
    "$(num due_ack "$got")"
is "nobody has acknowledged it" "$(num acked_at "$got")" 0
tb cmd ack "{\"alert\":\"$alert\"}" >/dev/null
got=$(tb get alert "$alert")
if [ "$(num acked_at "$got")" -ge "$created" ]; then
	pass "ack stops its clock: acked_at"
else
	fail "no acked_at after ack: $got"
fi
is "... and the acker handles it" "$(str handler "$got")" demo
is "... the dispatch clock still runs" "$(num dispatched_at "$got")" 0
out=$(tb cmd ack "{\"alert\":\"$alert\"}")
has "ack twice: the reason" '"reason":"alert_not_new"' "$out"
has "... with the state in its arguments" '"state":"acknowledged"' "$out"
backend_stop

# --- Before 2 September: 29/8 to 2/9 off. ---
backend_start --seed 3 --rate 0 --start 2026-08-28T15:00 || exit 1
t0=$(ms 2026-08-28T15:00+07:00)
case2=$(inject '{"kind":"feedback","item":{"channel":"app",
"area":"06673","category":"power","text":"Mất điện cả khu"}}')
is "2/9: a power cut is due on Thursday 3/9 (1 working day)" \
    "$(num deadline "$(tb get feedback "$case2")")" \
    "$(ms 2026-09-03T17:00+07:00)"
case3=$(inject '{"kind":"feedback","item":{"channel":"hotline",
"area":"06673","category":"power","text":"Dây điện đứt, nguy hiểm",
"urgent":true}}')
got=$(tb get feedback "$case3")
received=$(num received "$got")
due0=$(num deadline "$got")
is "2/9: an urgent one 8 working hours later, on 3/9 at 15:00" "$due0" \
    $(($(ms 2026-09-03T15:00+07:00) + received - t0))
has "... marked urgent" '"urgent":true' "$got"

# --- Hand-offs: the commune, the department, and back. ---
tb cmd assign "{\"case\":\"$case3\",\"dept\":\"UBND.06673\"}" >/dev/null
got=$(tb get feedback "$case3")
is "assigned to the People's Committee of Bãi Cháy" "$(str holder "$got")" \
    UBND.06673
since0=$(num held_since "$got")
is "... its clock goes on from receipt" "$(num deadline "$got")" "$due0"

out=$(tb cmd transfer "{\"case\":\"$case3\",\"to\":\"SXD\",\
\"reason\":\"Vượt thẩm quyền cấp xã\"}")
has "transfer to Sở Xây dựng" '"ok":true' "$out"
got=$(tb get feedback "$case3")
is "... which holds it" "$(str holder "$got")" SXD
since1=$(num held_since "$got")
is "... its clock starts at the transfer" "$(num deadline "$got")" \
    $((due0 + since1 - received))
has "... the commune waits for it, with its clock" \
    "\"via\":[{\"body\":\"UBND.06673\",\"since\":$since0,\"deadline\":$due0}]" \
    "$got"
has "... the hop is in the history" \
    '"what":"transfer","text":"UBND.06673 → SXD: Vượt thẩm quyền cấp xã"' \
    "$got"

out=$(tb cmd transfer "{\"case\":\"$case3\",\"to\":\"UBND.06673\",\
\"reason\":\"x\"}")
has "back to the commune is a return: refused" \
    '"reason":"case_came_through"' "$out"
has "... naming the body" '"dept":"UBND.06673"' "$out"

out=$(tb cmd return "{\"case\":\"$case3\",\
\"reason\":\"Không thuộc thẩm quyền của Sở\"}")
has "the department returns it" '"ok":true' "$out"
got=$(tb get feedback "$case3")
is "... to the commune" "$(str holder "$got")" UBND.06673
is "... whose clock goes on as it was" "$(num deadline "$got")" "$due0"
is "... held since it first had it" "$(num held_since "$got")" "$since0"
is "... still assigned, not returned" "$(str state "$got")" assigned
has "... the hop is in the history" \
    '"what":"return","text":"SXD → UBND.06673: Không thuộc thẩm quyền của Sở"' \
    "$got"
if printf '%s\n' "$got" | grep -q '"via"'; then
	fail "nobody should wait for it: $got"
else
	pass "... nobody waits for it any more"
fi

tb cmd transfer "{\"case\":\"$case3\",\"to\":\"SXD\",\
\"reason\":\"Theo phân cấp, thuộc Sở\"}" >/dev/null
got=$(tb get feedback "$case3")
since2=$(num held_since "$got")
is "transferred back: the department's clock starts anew" \
    "$(num deadline "$got")" $((due0 + since2 - received))
tb cmd return "{\"case\":\"$case3\",\"reason\":\"Không phải\"}" >/dev/null
out=$(tb cmd return "{\"case\":\"$case3\",\
\"reason\":\"Tranh chấp dân sự\"}")
got=$(tb get feedback "$case3")
is "the commune's return ends it for the citizen" "$(str state "$got")" \
    returned
is "... at the desk" "$(str holder "$got")" ""
has "... the reason is the reply" '"reply":"Tranh chấp dân sự"' "$got"
n=$(printf '%s\n' "$got" | grep -o '"what":"\(assign\|transfer\|return\)"' |
    tr '\n' ' ')
is "every hop in the history, in order" "$n" \
    '"what":"assign" "what":"transfer" "what":"return" "what":"transfer" "what":"return" "what":"return" '
backend_stop

# --- The server's own refusals have reasons too: the rate. ---
backend_start --seed 3 --rate 0 --client-rate 1 --client-burst 2 || exit 1
set --
i=0
while [ $i -lt 8 ]; do
	set -- "$@" "{\"type\":\"cmd\",\"id\":\"q$i\",\"cmd\":\"ack\",\
\"args\":{\"alert\":\"A-9999\"}}"
	i=$((i + 1))
done
out=$(tb raw "$@")
has "a command over the rate: its reason" '"reason":"rate_limited"' "$out"
has "... with the rate and the burst" '"args":{"rate":"1","burst":"2"}' \
    "$out"
has "a command under it: refused by the engine, with its reason" \
    '"reason":"no_alert","args":{"cmd":"ack","alert":"A-9999"}' "$out"

e2e_finish

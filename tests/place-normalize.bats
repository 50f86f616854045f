#!/usr/bin/env bats
# tests/place-normalize.bats: place-normalize(1) turns partner exports into
# places, rejects bad rows with reasons, builds change sets and company trees.

bats_require_minimum_version 1.5.0
TOOL=place-normalize
load helpers

OUT() { echo "$BATS_TEST_TMPDIR/out"; }
ERR() { echo "$BATS_TEST_TMPDIR/err"; }
RJ() { echo "$BATS_TEST_TMPDIR/rejects"; }

# ==== messy partner files ====

@test "place-normalize: CP1251 ; file with Russian headers, CRLF, multi-line comment, swap, duplicate" {
	cd "$FIX"
	place-normalize --encoding cp1251 --locale ru --rejects "$(RJ)" --stats \
	    cp1251.partner.csv >"$(OUT)" 2>"$(ERR)"
	assert_golden cp1251.out
	assert_golden cp1251.rejects.out "$(RJ)"
	assert_golden cp1251.err.out "$(ERR)"
}

@test "place-normalize: rows around ragged and undecodable rows keep their own cells" {
	printf 'id;title;lat;lng;extra\n1;A;55,1;37,2\n2;B;55,2;37,3;x\n3;C\377;55;37;y\n4;D;55,4;37,5;z;q\n5;E  e ;55,5;37,6;w\n2;B2;55,7;37,8;u\n' \
	    >"$BATS_TEST_TMPDIR/r.csv"
	place-normalize --keep-extra --rejects "$(RJ)" "$BATS_TEST_TMPDIR/r.csv" >"$(OUT)" 2>"$(ERR)"
	[ "$(cat "$(OUT)")" = '{"id":"2","title":"B","location":{"coordinates":{"lat":55.2,"lng":37.3}},"extra":{"extra":"x"}}
{"id":"5","title":"E e","location":{"coordinates":{"lat":55.5,"lng":37.6}},"extra":{"extra":"w"}}' ]
	printf 'id;title;lat;lng;extra;_file;_line;_reason\n1;A;55,1;37,2;;%s;2;ragged_row\n3;C\377;55;37;y;%s;4;bad_utf8\n4;D;55,4;37,5;z;%s;5;ragged_row\n2;B2;55,7;37,8;u;%s;7;duplicate_id\n' \
	    "$BATS_TEST_TMPDIR/r.csv" "$BATS_TEST_TMPDIR/r.csv" "$BATS_TEST_TMPDIR/r.csv" \
	    "$BATS_TEST_TMPDIR/r.csv" >"$BATS_TEST_TMPDIR/want"
	cmp "$BATS_TEST_TMPDIR/want" "$(RJ)"
}

@test "place-normalize: numbers with spaces, a tab or NBSP around them are cleaned before they are read" {
	printf 'id,title,lat,lng,arrivalDuration\n 7 ,A, 55.5,37.25 ,\t900\n8,B,-1.5,+2,1\302\240\n' >"$BATS_TEST_TMPDIR/n.csv"
	run -0 place-normalize "$BATS_TEST_TMPDIR/n.csv"
	[ "$output" = '{"id":"7","title":"A","location":{"coordinates":{"lat":55.5,"lng":37.25},"arrivalDuration":900}}
{"id":"8","title":"B","location":{"coordinates":{"lat":-1.5,"lng":2},"arrivalDuration":1}}' ]
}

@test "place-normalize: a CP1251 file read as UTF-8 is an error with a hint" {
	run -2 --separate-stderr place-normalize "$FIX/cp1251.partner.csv"
	[ -z "$output" ]
	[ "$stderr" = "place-normalize: $FIX/cp1251.partner.csv:1: invalid UTF-8 in header field 1 (try --encoding cp1251)" ]
}

@test "place-normalize: --print-map shows the Russian header recognition" {
	place-normalize --encoding cp1251 --print-map "$FIX/cp1251.partner.csv" >"$(OUT)"
	assert_golden cp1251.map.out
}

@test "place-normalize: UTF-8 BOM, CRLF, English headers, 17-digit id kept" {
	place-normalize "$FIX/bom.partner.csv" >"$(OUT)"
	assert_golden bom.out
}

@test "place-normalize: gzip on stdin gives the same places" {
	gzip -c "$FIX/bom.partner.csv" >"$BATS_TEST_TMPDIR/in.gz"
	place-normalize <"$BATS_TEST_TMPDIR/in.gz" >"$(OUT)"
	assert_golden bom.out
}

@test "place-normalize: coordinates in one cell, decimal commas, rounding to 7 decimals" {
	place-normalize "$FIX/coords.partner.csv" >"$(OUT)"
	assert_golden coords.out
}

@test "place-normalize: --precision 3 rounds half away from zero" {
	place-normalize --precision 3 "$FIX/coords.partner.csv" >"$(OUT)"
	assert_golden coords-p3.out
}

@test "place-normalize: durations in seconds, units, H:MM:SS and Russian" {
	place-normalize -m arrivalDuration=arrival,departureDuration=departure \
	    "$FIX/durations.partner.csv" >"$(OUT)"
	assert_golden durations.out
}

@test "place-normalize: lists are split, trimmed, de-duplicated, empties dropped" {
	place-normalize "$FIX/lists.partner.csv" >"$(OUT)"
	assert_golden lists.out
}

@test "place-normalize: --list-sep changes the list separators" {
	place-normalize --list-sep '|' "$FIX/lists.partner.csv" >"$(OUT)"
	assert_golden lists-pipe.out
}

@test "place-normalize: text is NFC, trimmed, collapsed, without control characters" {
	place-normalize "$FIX/text.partner.csv" >"$(OUT)"
	assert_golden text.out
}

# ==== rejects ====

@test "place-normalize: every reject reason goes to --rejects with _file, _line, _reason" {
	cd "$FIX"
	place-normalize -m arrivalDuration=arrival --rejects "$(RJ)" --stats \
	    reasons.partner.csv >"$(OUT)" 2>"$(ERR)"
	assert_golden reasons.out
	assert_golden reasons.rejects.out "$(RJ)"
	assert_golden reasons.err.out "$(ERR)"
}

@test "place-normalize: a CSV rejects file has the input's columns, whatever the first reject lacks" {
	cd "$BATS_TEST_TMPDIR"
	printf 'title,id,lat,lng,address\nB\nA,SHOP-001,999,37.55,Moscow\n' >d6.csv
	run --separate-stderr place-normalize --rejects r.csv d6.csv
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "$(cat r.csv)" = "$(printf '%s\n' \
	    'title,id,lat,lng,address,_file,_line,_reason' \
	    'B,,,,,d6.csv,2,ragged_row' \
	    'A,SHOP-001,999,37.55,Moscow,d6.csv,3,bad_lat')" ]
}

@test "place-normalize: --no-fix-swap rejects swapped coordinates" {
	cd "$FIX"
	place-normalize --no-fix-swap --rejects "$(RJ)" bbox.partner.csv \
	    --bbox 41,19,82,180 >"$(OUT)"
	assert_golden noswap.out
	assert_golden noswap.rejects.out "$(RJ)"
}

@test "place-normalize: --bbox finds a swap that is valid either way" {
	place-normalize --bbox 41,19,82,180 "$FIX/bbox.partner.csv" >"$(OUT)" 2>"$(ERR)"
	assert_golden bbox.out
	[ "$(cat "$(ERR)")" = "place-normalize: $FIX/bbox.partner.csv:3: latitude and longitude swapped, fixed to 55.75, 37.61" ]
}

@test "place-normalize: without --rejects the first bad row is an error and -o is not written" {
	mkdir "$BATS_TEST_TMPDIR/d"
	run -2 --separate-stderr place-normalize -o "$BATS_TEST_TMPDIR/d/new" \
	    "$FIX/reasons.partner.csv"
	[ -z "$output" ]
	[ "$stderr" = "place-normalize: $FIX/reasons.partner.csv:3: missing title" ]
	[ -z "$(ls -A "$BATS_TEST_TMPDIR/d")" ]
}

@test "place-normalize: --max-rejects stops once exceeded, previous -o file intact" {
	echo previous >"$BATS_TEST_TMPDIR/keep"
	run -2 --separate-stderr place-normalize --max-rejects 2 --rejects "$(RJ)" \
	    -o "$BATS_TEST_TMPDIR/keep" "$FIX/reasons.partner.csv"
	[ -z "$output" ]
	[ "$stderr" = "place-normalize: $FIX/reasons.partner.csv:5: more than 2 rejected rows (--max-rejects)" ]
	[ "$(cat "$BATS_TEST_TMPDIR/keep")" = previous ]
	[ ! -e "$(RJ)" ]
}

@test "place-normalize: --dedupe last keeps the last row of an id and rejects the others" {
	cd "$FIX"
	place-normalize --dedupe last --rejects "$(RJ)" --stats dedupe.partner.csv \
	    >"$(OUT)" 2>"$(ERR)"
	assert_golden dedupe-last.out
	assert_golden dedupe-last.rejects.out "$(RJ)"
	[ "$(cat "$(ERR)")" = '{"read":5,"written":3,"filtered":0,"rejected":2,"fixed_swaps":0,"reasons":{"duplicate_id":2}}' ]
}

@test "place-normalize: duplicate id without --rejects names the first line" {
	run -2 --separate-stderr place-normalize -o "$BATS_TEST_TMPDIR/o" "$FIX/dedupe.partner.csv"
	[ -z "$output" ]
	[ "$stderr" = "place-normalize: $FIX/dedupe.partner.csv:4: duplicate id 1 (first at line 2)" ]
}

# ==== mapping and ids ====

@test "place-normalize: --map-file maps odd headers, --keep-extra keeps the rest" {
	place-normalize --map-file "$FIX/map.map" --keep-extra "$FIX/map.partner.csv" >"$(OUT)"
	assert_golden map-extra.out
}

@test "place-normalize: -m maps and unmaps; unmapped columns are dropped" {
	place-normalize -m 'id=Shop No,title=Shop Name,coordinates=Geo' -m address= \
	    "$FIX/map.partner.csv" >"$(OUT)"
	assert_golden map-m.out
}

@test "place-normalize: --keep-extra columns in CSV output as extra.COLUMN" {
	place-normalize --map-file "$FIX/map.map" --keep-extra --to csv \
	    "$FIX/map.partner.csv" >"$(OUT)"
	assert_golden map-extra.csv.out
}

@test "place-normalize: an extra column the CSV output lacks is an error naming the record" {
	# The columns come from the first record; a later JSON record's new
	# member has none.  The error says where, and --columns is the way.
	printf '{"id":"1","title":"a","x":"1"}\n{"id":"2","title":"b","y":"2"}\n' >"$BATS_TEST_TMPDIR/ke.ndjson"
	run -2 --separate-stderr place-normalize --keep-extra --to csv -o "$(OUT)" "$BATS_TEST_TMPDIR/ke.ndjson"
	[ -z "$output" ]
	assert_equal "$stderr" "place-normalize: $BATS_TEST_TMPDIR/ke.ndjson:2: field 'extra.y' is not a column (use --columns)"
	[ ! -e "$(OUT)" ]
}

@test "place-normalize: --print-map lists fields and unmapped columns" {
	place-normalize --print-map -m title='Shop Name' "$FIX/map.partner.csv" >"$(OUT)"
	assert_golden map-print.out
}

@test "place-normalize: a mapped column that does not exist is an error" {
	run -2 --separate-stderr place-normalize -m title=Nope "$FIX/map.partner.csv"
	[ -z "$output" ]
	[ "$stderr" = "place-normalize: $FIX/map.partner.csv: no column \"Nope\" (mapped to title)" ]
}

@test "place-normalize: a mapped member that no JSON record has is an error, as a missing column is" {
	# A typo in -m must not mean "the field is never given".
	printf '{"id":"1","title":"a","Note":"x"}\n{"id":"2","title":"b"}\n' >"$BATS_TEST_TMPDIR/n.ndjson"
	run -2 --separate-stderr place-normalize -m comment=Notez -o "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/n.ndjson"
	[ -z "$output" ]
	assert_equal "$stderr" "place-normalize: $BATS_TEST_TMPDIR/n.ndjson: no record has a member \"Notez\" (mapped to comment)"
	[ ! -e "$BATS_TEST_TMPDIR/out" ]
	# One record having it is enough: the others do not give the field.
	run -0 place-normalize -m comment=Note "$BATS_TEST_TMPDIR/n.ndjson"
	assert_equal "$output" '{"id":"1","title":"a","comment":"x"}
{"id":"2","title":"b"}'
}

@test "place-normalize: an unknown place field in -m is a usage error" {
	run -2 --separate-stderr place-normalize -m name=Title "$FIX/map.partner.csv"
	[ -z "$output" ]
	[ "${stderr%%$'\n'*}" = "place-normalize: --map: unknown place field: name" ]
}

@test "place-normalize: no title column is an error" {
	run -2 --separate-stderr place-normalize "$FIX/map.partner.csv"
	[ -z "$output" ]
	[ "$stderr" = "place-normalize: $FIX/map.partner.csv: no title column (found 6 columns \"Shop No\", \"Shop Name\", \"Geo\", \"Street\", \"Notes\", \"Region\" with delimiter ';'; map one with -m title=COLUMN, or see -d)" ]
}

@test "place-normalize: --id-from builds ids from columns; an empty part is missing_id" {
	cd "$FIX"
	place-normalize --id-from city,shop --rejects "$(RJ)" ids.partner.csv >"$(OUT)"
	assert_golden ids-from.out
	assert_golden ids-from.rejects.out "$(RJ)"
}

@test "place-normalize: --id-uuid5 gives RFC 4122 UUIDv5 ids, the same on every run" {
	place-normalize --id-uuid5 dns "$FIX/uuid.partner.csv" >"$(OUT)"
	assert_golden uuid5.out
}

@test "place-normalize: a bad --id-uuid5 namespace is a usage error" {
	run -2 --separate-stderr place-normalize --id-uuid5 nope "$FIX/uuid.partner.csv"
	[ -z "$output" ]
	[ "${stderr%%$'\n'*}" = "place-normalize: bad --id-uuid5 namespace (a UUID, dns, url, oid or x500): nope" ]
}

@test "place-normalize: NDJSON input with numbers and arrays; a nested title is bad_value" {
	cd "$FIX"
	place-normalize --rejects "$(RJ)" json.partner.ndjson >"$(OUT)"
	assert_golden json.out
	assert_golden json.rejects.out "$(RJ)"
}

@test "place-normalize: JSON input maps each record's own members, not the first record's" {
	printf '{"id":"1","title":"a"}\n{"id":"2","title":"b","comment":"ring bell","lat":55.1,"lng":37.1}\n' >"$BATS_TEST_TMPDIR/in.ndjson"
	place-normalize "$BATS_TEST_TMPDIR/in.ndjson" >"$(OUT)"
	printf '%s\n' '{"id":"1","title":"a"}' \
	    '{"id":"2","title":"b","comment":"ring bell","location":{"coordinates":{"lat":55.1,"lng":37.1}}}' >"$BATS_TEST_TMPDIR/want"
	diff -u "$BATS_TEST_TMPDIR/want" "$(OUT)"
}

@test "place-normalize: JSON input with --keep-extra maps a later record's members, keeps only the rest as extra" {
	printf '{"id":"1","title":"a","floor":"1"}\n{"id":"2","title":"b","comment":"ring bell","lat":55.1,"lng":37.1,"door":"3"}\n' >"$BATS_TEST_TMPDIR/in.ndjson"
	place-normalize --keep-extra "$BATS_TEST_TMPDIR/in.ndjson" >"$(OUT)"
	printf '%s\n' '{"id":"1","title":"a","extra":{"floor":"1"}}' \
	    '{"id":"2","title":"b","comment":"ring bell","location":{"coordinates":{"lat":55.1,"lng":37.1}},"extra":{"door":"3"}}' >"$BATS_TEST_TMPDIR/want"
	diff -u "$BATS_TEST_TMPDIR/want" "$(OUT)"
}

@test "place-normalize: --against with JSON input: an absent member is left as is, \"\" and null clear" {
	printf '{"id":"1","title":"a","comment":"x"}\n{"id":"2","title":"b"}\n{"id":"3","title":"c","comment":""}\n{"id":"4","title":"d","comment":null}\n{"id":"5","title":"E"}\n' >"$BATS_TEST_TMPDIR/in.ndjson"
	printf '{"result":[{"id":"2","title":"b","comment":"keep me"},{"id":"3","title":"c","comment":"clear me"},{"id":"4","title":"d","comment":"clear me"},{"id":"5","title":"e","comment":"keep me"}],"total":4}' >"$BATS_TEST_TMPDIR/l.json"
	place-normalize --against "$BATS_TEST_TMPDIR/l.json" "$BATS_TEST_TMPDIR/in.ndjson" >"$(OUT)"
	printf '%s\n' '{"op":"create","id":"1","place":{"id":"1","title":"a","comment":"x"}}' \
	    '{"op":"unchanged","id":"2","place":{"id":"2","title":"b"}}' \
	    '{"op":"update","id":"3","place":{"id":"3","title":"c"},"changed":["comment"]}' \
	    '{"op":"update","id":"4","place":{"id":"4","title":"d"},"changed":["comment"]}' \
	    '{"op":"update","id":"5","place":{"id":"5","title":"E"},"changed":["title"]}' >"$BATS_TEST_TMPDIR/want"
	diff -u "$BATS_TEST_TMPDIR/want" "$(OUT)"
}

@test "place-normalize: --against --dedupe last with JSON input compares the kept record's own members" {
	printf '{"id":"2","title":"b","comment":"old"}\n{"id":"2","title":"b"}\n' >"$BATS_TEST_TMPDIR/in.ndjson"
	printf '{"result":[{"id":"2","title":"b","comment":"keep me"}],"total":1}' >"$BATS_TEST_TMPDIR/l.json"
	place-normalize --against "$BATS_TEST_TMPDIR/l.json" --dedupe last --rejects "$(RJ)" "$BATS_TEST_TMPDIR/in.ndjson" >"$(OUT)"
	[ "$(cat "$(OUT)")" = '{"op":"unchanged","id":"2","place":{"id":"2","title":"b"}}' ]
	[ "$(cat "$(RJ)")" = "{\"id\":\"2\",\"title\":\"b\",\"comment\":\"old\",\"_file\":\"$BATS_TEST_TMPDIR/in.ndjson\",\"_line\":1,\"_reason\":\"duplicate_id\"}" ]
}

# ==== output formats ====

@test "place-normalize: --to csv flattens to location.coordinates.lat and friends" {
	place-normalize --to csv "$FIX/bom.partner.csv" >"$(OUT)"
	assert_golden bom.csv.out
}

@test "place-normalize: --to tsv" {
	place-normalize --to tsv "$FIX/bom.partner.csv" >"$(OUT)"
	assert_golden bom.tsv.out
}

@test "place-normalize: --to json writes one array" {
	place-normalize --to json "$FIX/bom.partner.csv" >"$(OUT)"
	assert_golden bom.json.out
}

@test "place-normalize: --envelope wraps as a listing response" {
	place-normalize --envelope "$FIX/bom.partner.csv" >"$(OUT)"
	assert_golden bom.envelope.out
}

@test "place-normalize: --envelope of no places is an empty result" {
	printf 'id,title\n' >"$BATS_TEST_TMPDIR/empty.csv"
	place-normalize --envelope --allow-empty "$BATS_TEST_TMPDIR/empty.csv" >"$(OUT)"
	[ "$(cat "$(OUT)")" = '{"result":[],"total":0}' ]
}

@test "place-normalize: --envelope with --to csv is a usage error" {
	run -2 --separate-stderr place-normalize --envelope --to csv "$FIX/bom.partner.csv"
	[ -z "$output" ]
	[ "${stderr%%$'\n'*}" = "place-normalize: --envelope writes JSON: not with --to csv" ]
}

@test "place-normalize: a named zero-byte or header-only file is an error, exit 2" {
	printf 'id,title\n' >"$BATS_TEST_TMPDIR/h.csv"
	: >"$BATS_TEST_TMPDIR/e.csv"
	run -2 --separate-stderr place-normalize "$FIX/bom.partner.csv" "$BATS_TEST_TMPDIR/e.csv"
	[ -z "$output" ]
	[ "$stderr" = "place-normalize: $BATS_TEST_TMPDIR/e.csv: no rows: an empty file or a header only (pass --allow-empty if that is meant)" ]
	run -2 --separate-stderr place-normalize -o "$(OUT)" "$BATS_TEST_TMPDIR/h.csv"
	[ ! -e "$(OUT)" ]
	[ "$stderr" = "place-normalize: $BATS_TEST_TMPDIR/h.csv: no rows: an empty file or a header only (pass --allow-empty if that is meant)" ]
	run -2 --separate-stderr place-normalize </dev/null
	[ "$stderr" = "place-normalize: no rows: the input is empty (pass --allow-empty if that is meant)" ]
}

@test "place-normalize: header-only and empty inputs give empty output with --allow-empty" {
	printf 'id,title\n' >"$BATS_TEST_TMPDIR/h.csv"
	: >"$BATS_TEST_TMPDIR/e.csv"
	place-normalize --allow-empty --stats "$BATS_TEST_TMPDIR/h.csv" "$BATS_TEST_TMPDIR/e.csv" >"$(OUT)" 2>"$(ERR)"
	[ ! -s "$(OUT)" ]
	[ "$(cat "$(ERR)")" = '{"read":0,"written":0,"filtered":0,"rejected":0,"fixed_swaps":0,"reasons":{}}' ]
}

# ==== --against ====

@test "place-normalize: --against gives create, update and unchanged; deletes off by default" {
	place-normalize --locale ru --against "$FIX/existing.json" --stats \
	    "$FIX/against.partner.csv" >"$(OUT)" 2>"$(ERR)"
	assert_golden against.out
	[ "$(cat "$(ERR)")" = '{"read":3,"written":3,"filtered":0,"rejected":0,"fixed_swaps":0,"create":1,"update":1,"unchanged":1,"delete":1,"reasons":{}}' ]
}

@test "place-normalize: --ops with delete adds the places no longer in the input" {
	place-normalize --locale ru --against "$FIX/existing.json" \
	    --ops create,update,unchanged,delete "$FIX/against.partner.csv" >"$(OUT)"
	assert_golden against-all.out
}

@test "place-normalize: --ops update,delete filters the change set; NDJSON gzip existing" {
	place-normalize --locale ru --against "$FIX/existing-nd.json.gz" --ops update,delete \
	    --stats "$FIX/against.partner.csv" >"$(OUT)" 2>"$(ERR)"
	assert_golden against-update-delete.out
	[ "$(cat "$(ERR)")" = '{"read":3,"written":1,"filtered":2,"rejected":0,"fixed_swaps":0,"create":1,"update":1,"unchanged":1,"delete":1,"reasons":{}}' ]
}

@test "place-normalize: an --against file that is not a listing is an error" {
	run -2 --separate-stderr place-normalize --against "$FIX/company.flat.csv" "$FIX/against.partner.csv"
	[ -z "$output" ]
	[ "$stderr" = "place-normalize: $FIX/company.flat.csv:1:1: unexpected 'i' (expected a value)" ]
}

@test "place-normalize: an unknown --ops op is a usage error" {
	run -2 --separate-stderr place-normalize --against "$FIX/existing.json" --ops create,remove "$FIX/against.partner.csv"
	[ -z "$output" ]
	[ "${stderr%%$'\n'*}" = "place-normalize: unknown --ops op: create,remove (create, update, unchanged, delete)" ]
}

@test "place-normalize: --ops without --against is a usage error" {
	run -2 --separate-stderr place-normalize --ops create "$FIX/against.partner.csv"
	[ -z "$output" ]
	[ "${stderr%%$'\n'*}" = "place-normalize: --ops needs --against" ]
}

# ==== --against: a change set safe to apply unattended ====

# A listing of A and B (total 2) and partner rows given as printf lines.
against_setup() {
	printf '{"result":[{"id":"A","title":"Alpha"},{"id":"B","title":"Beta"}],"total":2}\n' >"$BATS_TEST_TMPDIR/l.json"
	printf "$@" >"$BATS_TEST_TMPDIR/p.csv"
}

@test "place-normalize: --against: a rejected row with an id protects it from delete" {
	against_setup 'id,title\nA,Alpha\nB,\n'
	place-normalize --against "$BATS_TEST_TMPDIR/l.json" --ops create,update,delete \
	    --rejects "$BATS_TEST_TMPDIR/r.csv" --stats "$BATS_TEST_TMPDIR/p.csv" >"$(OUT)" 2>"$(ERR)"
	[ ! -s "$(OUT)" ]
	[ "$(cat "$(ERR)")" = '{"read":2,"written":0,"filtered":1,"rejected":1,"fixed_swaps":0,"create":0,"update":0,"unchanged":1,"delete":0,"reasons":{"missing_title":1}}' ]
}

@test "place-normalize: --against: a rejected row without an id withholds every delete, exit 1" {
	against_setup 'id,title\nA,Alpha\nC,Gamma\n,\n'
	run -1 --separate-stderr place-normalize --against "$BATS_TEST_TMPDIR/l.json" \
	    --ops create,update,delete --rejects "$BATS_TEST_TMPDIR/r.csv" "$BATS_TEST_TMPDIR/p.csv"
	[ "$output" = '{"op":"create","id":"C","place":{"id":"C","title":"Gamma"}}' ]
	[ "$stderr" = "place-normalize: $BATS_TEST_TMPDIR/p.csv:4: 1 delete withheld: this rejected row has no id and may hold a place to keep (fix it, or pass --delete-despite-rejects)" ]
}

@test "place-normalize: --against: a row with an empty id is rejected, not an id-less create; deletes withheld" {
	# It may be B itself; a create without an id would also come back as a
	# new create on every run.
	against_setup 'id,title\nA,Alpha\n,New\n'
	run -1 --separate-stderr place-normalize --against "$BATS_TEST_TMPDIR/l.json" \
	    --ops create,update,delete --rejects "$BATS_TEST_TMPDIR/r.csv" "$BATS_TEST_TMPDIR/p.csv"
	[ -z "$output" ]
	assert_equal "$stderr" "place-normalize: $BATS_TEST_TMPDIR/p.csv:3: 1 delete withheld: this rejected row has no id and may hold a place to keep (fix it, or pass --delete-despite-rejects)"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/r.csv")" "id,title,_file,_line,_reason
,New,$BATS_TEST_TMPDIR/p.csv,3,missing_id"
	# Without --against an id-less place is a place to create, as before.
	run -0 place-normalize "$BATS_TEST_TMPDIR/p.csv"
	assert_equal "${lines[1]}" '{"title":"New"}'
}

@test "place-normalize: --against: --delete-despite-rejects writes the deletes anyway" {
	against_setup 'id,title\nA,Alpha\n,\n'
	place-normalize --against "$BATS_TEST_TMPDIR/l.json" --ops delete --delete-despite-rejects \
	    --rejects "$BATS_TEST_TMPDIR/r.csv" "$BATS_TEST_TMPDIR/p.csv" >"$(OUT)"
	[ "$(cat "$(OUT)")" = '{"op":"delete","id":"B","place":{"id":"B","title":"Beta"}}' ]
}

@test "place-normalize: --dedupe last: a rejected last copy drops the earlier one, never a stale update" {
	against_setup 'id,title,lat,lng\nB,Old,55.7,37.6\nB,New,999,37.6\nA,Alpha,,\n'
	place-normalize --against "$BATS_TEST_TMPDIR/l.json" --ops create,update,delete --dedupe last \
	    --rejects "$BATS_TEST_TMPDIR/r.csv" --stats "$BATS_TEST_TMPDIR/p.csv" >"$(OUT)" 2>"$(ERR)"
	[ ! -s "$(OUT)" ]
	[ "$(cut -d, -f1,2,7 "$BATS_TEST_TMPDIR/r.csv")" = "id,title,_reason
B,New,bad_lat
B,Old,duplicate_id" ]
	[ "$(cat "$(ERR)")" = '{"read":3,"written":0,"filtered":1,"rejected":2,"fixed_swaps":0,"create":0,"update":0,"unchanged":1,"delete":0,"reasons":{"bad_lat":1,"duplicate_id":1}}' ]
}

@test "place-normalize: --against: a listing with fewer places than its total is an error, nothing written" {
	printf '{"result":[{"id":"A","title":"Alpha"}],"total":3}\n' >"$BATS_TEST_TMPDIR/l.json"
	printf 'id,title\nA,Alpha\nB,Beta\n' >"$BATS_TEST_TMPDIR/p.csv"
	run -2 --separate-stderr place-normalize --against "$BATS_TEST_TMPDIR/l.json" -o "$BATS_TEST_TMPDIR/o.json" "$BATS_TEST_TMPDIR/p.csv"
	[ -z "$output" ]
	[ ! -e "$BATS_TEST_TMPDIR/o.json" ]
	[ "$stderr" = "place-normalize: --against: the listing is incomplete: 1 of its 3 places read in 1 page (a page is missing: download every page up to the total)" ]
}

@test "place-normalize: --against: pages of several files add up to the total" {
	printf '{"result":[{"id":"A","title":"Alpha"}],"total":2}\n' >"$BATS_TEST_TMPDIR/p1.json"
	printf '{"result":[{"id":"B","title":"Beta"}],"total":2}\n' >"$BATS_TEST_TMPDIR/p2.json"
	printf 'id,title\nA,Alpha\nB,Beta\n' >"$BATS_TEST_TMPDIR/p.csv"
	place-normalize --against "$BATS_TEST_TMPDIR/p1.json" --against "$BATS_TEST_TMPDIR/p2.json" \
	    --ops create,delete "$BATS_TEST_TMPDIR/p.csv" >"$(OUT)"
	[ ! -s "$(OUT)" ]
}

@test "place-normalize: --against: pages that disagree on the total are an error" {
	printf '{"result":[{"id":"A","title":"Alpha"}],"total":2}\n{"result":[{"id":"B","title":"Beta"}],"total":3}\n' >"$BATS_TEST_TMPDIR/l.json"
	printf 'id,title\nA,Alpha\n' >"$BATS_TEST_TMPDIR/p.csv"
	run -2 --separate-stderr place-normalize --against "$BATS_TEST_TMPDIR/l.json" "$BATS_TEST_TMPDIR/p.csv"
	[ -z "$output" ]
	[ "$stderr" = "place-normalize: $BATS_TEST_TMPDIR/l.json:2: total is 3 but $BATS_TEST_TMPDIR/l.json:1 said 2: the listing changed while its pages were downloaded (download them again)" ]
}

@test "place-normalize: --against: an id on two pages is an error naming both places" {
	printf '{"result":[{"id":"A","title":"Alpha"}],"total":2}\n' >"$BATS_TEST_TMPDIR/p1.json"
	printf '{"result":[{"id":"A","title":"Alpha"}],"total":2}\n' >"$BATS_TEST_TMPDIR/p2.json"
	printf 'id,title\nA,Alpha\n' >"$BATS_TEST_TMPDIR/p.csv"
	run -2 --separate-stderr place-normalize --against "$BATS_TEST_TMPDIR/p1.json" --against "$BATS_TEST_TMPDIR/p2.json" "$BATS_TEST_TMPDIR/p.csv"
	[ -z "$output" ]
	[ "$stderr" = "place-normalize: $BATS_TEST_TMPDIR/p2.json:1: place id A listed twice (first at $BATS_TEST_TMPDIR/p1.json:1): pages overlap, the listing changed while it was downloaded" ]
}

@test "place-normalize: --against: a zero-byte listing file is an error" {
	: >"$BATS_TEST_TMPDIR/l.json"
	printf 'id,title\nA,Alpha\n' >"$BATS_TEST_TMPDIR/p.csv"
	run -2 --separate-stderr place-normalize --against "$BATS_TEST_TMPDIR/l.json" "$BATS_TEST_TMPDIR/p.csv"
	[ -z "$output" ]
	[ "$stderr" = "place-normalize: $BATS_TEST_TMPDIR/l.json: empty file: not a listing (a failed download?)" ]
}

@test "place-normalize: --against: an API error body quotes its code and message" {
	printf '{"code":400,"message":"limit must be at most 150"}\n' >"$BATS_TEST_TMPDIR/l.json"
	printf 'id,title\nA,Alpha\n' >"$BATS_TEST_TMPDIR/p.csv"
	run -2 --separate-stderr place-normalize --against "$BATS_TEST_TMPDIR/l.json" "$BATS_TEST_TMPDIR/p.csv"
	[ -z "$output" ]
	[ "$stderr" = "place-normalize: $BATS_TEST_TMPDIR/l.json:1: not a listing: the API answered 400 limit must be at most 150" ]
}

@test "place-normalize: --against: a listing page without a total is an error" {
	printf '{"result":[{"id":"A","title":"Alpha"}]}\n' >"$BATS_TEST_TMPDIR/l.json"
	printf 'id,title\nA,Alpha\n' >"$BATS_TEST_TMPDIR/p.csv"
	run -2 --separate-stderr place-normalize --against "$BATS_TEST_TMPDIR/l.json" "$BATS_TEST_TMPDIR/p.csv"
	[ "$stderr" = "place-normalize: $BATS_TEST_TMPDIR/l.json:1: listing page without a \"total\": cannot tell whether a page is missing" ]
}

@test "place-normalize: --against: no partner rows with delete in --ops is an error unless --allow-empty" {
	against_setup 'id,title\n'
	run -2 --separate-stderr place-normalize --against "$BATS_TEST_TMPDIR/l.json" --ops create,delete "$BATS_TEST_TMPDIR/p.csv"
	[ -z "$output" ]
	[ "$stderr" = "place-normalize: $BATS_TEST_TMPDIR/p.csv: no rows: with delete in --ops every existing place would be deleted (pass --allow-empty if that is meant)" ]
	run -2 --separate-stderr place-normalize --against "$BATS_TEST_TMPDIR/l.json" --ops create,delete <"$BATS_TEST_TMPDIR/p.csv"
	[ "$stderr" = "place-normalize: no rows: with delete in --ops every existing place would be deleted (pass --allow-empty if that is meant)" ]
	place-normalize --against "$BATS_TEST_TMPDIR/l.json" --ops delete --allow-empty "$BATS_TEST_TMPDIR/p.csv" >"$(OUT)"
	[ "$(wc -l <"$(OUT)")" -eq 2 ]
}

@test "place-normalize: --against: a partner_id column is the id" {
	against_setup 'partner_id,title\nA,Alpha\nB,Beta\n'
	place-normalize --against "$BATS_TEST_TMPDIR/l.json" --ops create,delete "$BATS_TEST_TMPDIR/p.csv" >"$(OUT)"
	[ ! -s "$(OUT)" ]
	place-normalize --print-map "$BATS_TEST_TMPDIR/p.csv" >"$(OUT)"
	[ "$(head -1 "$(OUT)")" = "id=partner_id" ]
}

@test "place-normalize: --against: input without an id column is a usage error" {
	against_setup 'name,comment\nAlpha,x\n'
	run -2 --separate-stderr place-normalize --against "$BATS_TEST_TMPDIR/l.json" "$BATS_TEST_TMPDIR/p.csv"
	[ -z "$output" ]
	[ "$stderr" = "place-normalize: $BATS_TEST_TMPDIR/p.csv: no id column: with --against every row would be a create (map one with -m id=COLUMN or --id-from COLS)" ]
}

@test "place-normalize: --against compares contractorId 5 and \"5\" as the same text" {
	printf '{"result":[{"id":"A","title":"Alpha","contractorId":5,"location":{"arrivalDuration":900}}],"total":1}\n' >"$BATS_TEST_TMPDIR/l.json"
	printf 'id,title,contractorId,arrivalDuration\nA,Alpha,5,900\n' >"$BATS_TEST_TMPDIR/p.csv"
	place-normalize --against "$BATS_TEST_TMPDIR/l.json" "$BATS_TEST_TMPDIR/p.csv" >"$(OUT)"
	[ "$(cat "$(OUT)")" = '{"op":"unchanged","id":"A","place":{"id":"A","title":"Alpha","contractorId":"5","location":{"arrivalDuration":900}}}' ]
}

# ==== company ====

@test "place-normalize: company flat -> tree -> flat is byte-exact" {
	place-normalize company "$FIX/company.flat.csv" >"$BATS_TEST_TMPDIR/tree.json"
	assert_golden company.tree.out "$BATS_TEST_TMPDIR/tree.json"
	place-normalize company --flatten "$BATS_TEST_TMPDIR/tree.json" >"$(OUT)"
	cmp "$FIX/company.flat.csv" "$(OUT)"
}

@test "place-normalize: company rows in any order give the tree; flat -> tree -> flat -> tree is stable" {
	place-normalize company "$FIX/company-unordered.flat.csv" >"$BATS_TEST_TMPDIR/t1"
	assert_golden company-unordered.tree.out "$BATS_TEST_TMPDIR/t1"
	place-normalize company --flatten -o "$BATS_TEST_TMPDIR/f1" "$BATS_TEST_TMPDIR/t1"
	assert_golden company-unordered.flat.out "$BATS_TEST_TMPDIR/f1"
	place-normalize company "$BATS_TEST_TMPDIR/f1" >"$BATS_TEST_TMPDIR/t2"
	cmp "$BATS_TEST_TMPDIR/t1" "$BATS_TEST_TMPDIR/t2"
}

@test "place-normalize: company: a JSON accountIds array is the list a CSV cell gives" {
	printf 'id,name,parent_id,accountIds\n,Co,,9;8\nu1,Moscow,,1001;1002\nu2,Centre,u1,1003\n' >"$BATS_TEST_TMPDIR/f.csv"
	printf '{"id":"","name":"Co","parent_id":"","accountIds":["9",8]}\n{"id":"u1","name":"Moscow","parent_id":"","accountIds":["1001","1002"]}\n{"id":"u2","name":"Centre","parent_id":"u1","accountIds":[1003]}\n' >"$BATS_TEST_TMPDIR/f.ndjson"
	place-normalize company "$BATS_TEST_TMPDIR/f.ndjson" >"$(OUT)"
	[ "$(cat "$(OUT)")" = '{"name":"Co","accountIds":["9","8"],"branches":[{"id":"u1","name":"Moscow","accountIds":["1001","1002"],"branches":[{"id":"u2","name":"Centre","accountIds":["1003"],"branches":[]}]}]}' ]
	place-normalize company "$BATS_TEST_TMPDIR/f.csv" >"$BATS_TEST_TMPDIR/want"
	cmp "$BATS_TEST_TMPDIR/want" "$(OUT)"
}

@test "place-normalize: company: an array or object where text belongs is an error naming file and line" {
	printf '{"id":"u1","name":"Moscow","parent_id":""}\n{"id":"u2","name":"Centre","parent_id":["u9"],"ownerId":["u-17"]}\n{"id":"u3","name":{"ru":"x"},"parent_id":"","accountIds":["1",{"id":"2"}]}\n{"id":"u4","name":"N","parent_id":"","accountIds":{"id":"2"}}\n' >"$BATS_TEST_TMPDIR/f.ndjson"
	run -2 --separate-stderr place-normalize company "$BATS_TEST_TMPDIR/f.ndjson"
	[ -z "$output" ]
	F="$BATS_TEST_TMPDIR/f.ndjson"
	assert_equal "$stderr" "place-normalize: $F:2: column parent_id holds a JSON array, not text
place-normalize: $F:2: column ownerId holds a JSON array, not text
place-normalize: $F:3: column name holds a JSON object, not text
place-normalize: $F:3: column accountIds holds a JSON object in its list, not an account id
place-normalize: $F:4: column accountIds holds a JSON object, not text or a list
place-normalize: company: 5 problems in the rows, nothing written"
}

@test "place-normalize: company: JSON members are named as CSV columns are; an unknown one is an error" {
	printf 'id,name,parentId,accountIDs\nu1,M,,\nu2,N,u1,5\n' >"$BATS_TEST_TMPDIR/f.csv"
	printf '{"id":"u1","name":"M","parent_id":""}\n{"id":"u2","name":"N","parentId":"u1","accountIDs":["5"]}\n' >"$BATS_TEST_TMPDIR/f.ndjson"
	place-normalize company "$BATS_TEST_TMPDIR/f.ndjson" >"$(OUT)"
	[ "$(cat "$(OUT)")" = '{"accountIds":[],"branches":[{"id":"u1","name":"M","accountIds":[],"branches":[{"id":"u2","name":"N","accountIds":["5"],"branches":[]}]}]}' ]
	place-normalize company "$BATS_TEST_TMPDIR/f.csv" >"$BATS_TEST_TMPDIR/want"
	cmp "$BATS_TEST_TMPDIR/want" "$(OUT)"
	printf '{"id":"u1","name":"M","parent_id":""}\n{"id":"u2","name":"N","parent":"u1"}\n{"id":"u3","name":"O","parent_id":"","parentId":"u1"}\n' >"$BATS_TEST_TMPDIR/g.ndjson"
	run -2 --separate-stderr place-normalize company "$BATS_TEST_TMPDIR/g.ndjson"
	[ -z "$output" ]
	G="$BATS_TEST_TMPDIR/g.ndjson"
	assert_equal "$stderr" "place-normalize: $G:2: unknown column parent (company columns: id, name, parent_id, ownerId, accountIds)
place-normalize: $G:3: columns parent_id and parentId are both parent_id
place-normalize: company: 2 problems in the rows, nothing written"
	printf 'id,name,parent_id,parentId\nu1,M,,\n' >"$BATS_TEST_TMPDIR/h.csv"
	run -2 --separate-stderr place-normalize company "$BATS_TEST_TMPDIR/h.csv"
	[ -z "$output" ]
	assert_equal "$stderr" "place-normalize: $BATS_TEST_TMPDIR/h.csv: columns parent_id and parentId are both parent_id"
}

@test "place-normalize: company: an empty JSON row is no tree, a tree is refused in one line (was SIGSEGV)" {
	run -2 --separate-stderr bash -c 'echo "{}" | place-normalize company'
	[ -z "$output" ]
	[ "$stderr" = "place-normalize: company: no unit and no account read: the tree would be empty (pass --allow-empty if that is meant)" ]
	printf '{"accountIds":[],"branches":[]}\n' >"$BATS_TEST_TMPDIR/t.json"
	run -2 --separate-stderr place-normalize company "$BATS_TEST_TMPDIR/t.json"
	[ -z "$output" ]
	[ "$stderr" = "place-normalize: $BATS_TEST_TMPDIR/t.json:1: a company tree, not a flat row (use company --flatten)" ]
}

@test "place-normalize: company --flatten keeps the company's name and ownerId on the root row, and back" {
	printf '{"name":"ООО Ромашка","ownerId":"u-1","accountIds":["1001"],"branches":[{"id":"msk","name":"Москва","accountIds":[],"branches":[]}]}\n' >"$BATS_TEST_TMPDIR/t.json"
	place-normalize company --flatten "$BATS_TEST_TMPDIR/t.json" >"$(OUT)"
	[ "$(cat "$(OUT)")" = "id,name,parent_id,ownerId,accountIds,depth,path
,ООО Ромашка,,u-1,1001,0,
msk,Москва,,,,1,msk" ]
	place-normalize company "$(OUT)" >"$BATS_TEST_TMPDIR/t2.json"
	cmp "$BATS_TEST_TMPDIR/t.json" "$BATS_TEST_TMPDIR/t2.json"
}

@test "place-normalize: company --flatten reads a response wrapped in result, and quotes an API error" {
	printf '{"result":{"name":"C","accountIds":[],"branches":[{"id":"a","name":"A","accountIds":[],"branches":[]}]}}\n' >"$BATS_TEST_TMPDIR/t.json"
	place-normalize company --flatten "$BATS_TEST_TMPDIR/t.json" >"$(OUT)"
	[ "$(cat "$(OUT)")" = "id,name,parent_id,ownerId,accountIds,depth,path
,C,,,,0,
a,A,,,,1,a" ]
	printf '{"code":404,"message":"company not found"}\n' >"$BATS_TEST_TMPDIR/t.json"
	run -2 --separate-stderr place-normalize company --flatten "$BATS_TEST_TMPDIR/t.json"
	[ -z "$output" ]
	[ "$stderr" = "place-normalize: $BATS_TEST_TMPDIR/t.json:1: the API answered 404 company not found" ]
}

@test "place-normalize: company with no rows is an error unless --allow-empty (an empty tree clears the structure)" {
	printf 'id,name,parent_id\n' >"$BATS_TEST_TMPDIR/f.csv"
	run -2 --separate-stderr place-normalize company "$BATS_TEST_TMPDIR/f.csv"
	[ -z "$output" ]
	[ "$stderr" = "place-normalize: company: no unit and no account read: the tree would be empty (pass --allow-empty if that is meant)" ]
	place-normalize company --allow-empty "$BATS_TEST_TMPDIR/f.csv" >"$(OUT)"
	[ "$(cat "$(OUT)")" = '{"accountIds":[],"branches":[]}' ]
	: >"$BATS_TEST_TMPDIR/t.json"
	run -2 --separate-stderr place-normalize company --flatten "$BATS_TEST_TMPDIR/t.json"
	[ "$stderr" = "place-normalize: company: no tree read (pass --allow-empty if that is meant)" ]
}

@test "place-normalize: company reports cycles, unknown parents, duplicates, bad account ids" {
	run -2 --separate-stderr place-normalize company "$FIX/company-bad.flat.csv"
	[ -z "$output" ]
	F="$FIX/company-bad.flat.csv"
	[ "$stderr" = "place-normalize: $F:6: empty account id in \"x;;y\"
place-normalize: $F:6: duplicate unit id 4 (first at line 5)
place-normalize: $F:7: account id longer than 48 characters: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
place-normalize: $F:5: unknown parent 9 of unit 4
place-normalize: $F:2: parent cycle: 1 -> 3 -> 2 -> 1
place-normalize: company: 5 problems in the rows, nothing written" ]
}

@test "place-normalize: company --flatten reports a branch without id and duplicate ids" {
	run -2 --separate-stderr place-normalize company --flatten "$FIX/company-bad.tree.json"
	[ -z "$output" ]
	F="$FIX/company-bad.tree.json"
	[ "$stderr" = "place-normalize: $F:1: branches[0].branches[0]: missing id
place-normalize: $F:1: branches[0].branches[1]: duplicate unit id
place-normalize: company: 2 problems in the tree, nothing written" ]
}

@test "place-normalize: several files are one stream; a duplicate names the first file" {
	cd "$FIX"
	place-normalize --rejects "$(RJ)" dedupe.partner.csv bbox.partner.csv >"$(OUT)" 2>"$(ERR)"
	assert_golden two-files.out
	assert_golden two-files.rejects.out "$(RJ)"
	[ ! -s "$(ERR)" ]
}

@test "place-normalize: --no-header with columns mapped by number" {
	tail -n +2 "$FIX/bbox.partner.csv" >"$BATS_TEST_TMPDIR/nh.csv"
	place-normalize --no-header --bbox 41,19,82,180 -m id=1,title=2,lat=3,lng=4 \
	    "$BATS_TEST_TMPDIR/nh.csv" >"$(OUT)" 2>"$(ERR)"
	assert_golden bbox.out
}

@test "place-normalize: -z compresses the output" {
	place-normalize -z -o "$BATS_TEST_TMPDIR/p.gz" "$FIX/bom.partner.csv"
	gzip -dc "$BATS_TEST_TMPDIR/p.gz" >"$(OUT)"
	assert_golden bom.out
}

# ==== output, usage ====

@test "place-normalize: -o writes the file atomically" {
	place-normalize -o "$BATS_TEST_TMPDIR/places.ndjson" "$FIX/bom.partner.csv"
	assert_golden bom.out "$BATS_TEST_TMPDIR/places.ndjson"
	[ "$(ls "$BATS_TEST_TMPDIR")" = places.ndjson ]
}

@test "place-normalize: write failure is an error, exit 2" {
	run -2 --separate-stderr bash -c 'place-normalize "$@" >/dev/full' _ "$FIX/bom.partner.csv"
	[ -z "$output" ]
	[ "$stderr" = "place-normalize: write error: stdout: No space left on device" ]
}

@test "place-normalize: a missing input file is an error, exit 2" {
	run -2 --separate-stderr place-normalize "$BATS_TEST_TMPDIR/nope.csv"
	[ -z "$output" ]
	[ "$stderr" = "place-normalize: $BATS_TEST_TMPDIR/nope.csv: No such file or directory" ]
}

@test "place-normalize: a bad --precision is a usage error" {
	run -2 --separate-stderr place-normalize --precision 16 "$FIX/bom.partner.csv"
	[ -z "$output" ]
	[ "${stderr%%$'\n'*}" = "place-normalize: bad --precision (0..15): 16" ]
}

@test "place-normalize: --help prints the synopsis on stdout, exit 0" {
	place-normalize --help >"$(OUT)"
	[ "$(head -1 "$(OUT)")" = "usage: place-normalize [-m FIELD=COLUMN,...] [--map-file FILE] [--print-map]" ]
	grep -q -- '--against FILE' "$(OUT)"
}

@test "place-normalize: --version" {
	place-normalize --version >"$(OUT)"
	[ "$(cat "$(OUT)")" = "place-normalize (dumpkit) $DUMPKIT_VERSION" ]
}

@test "place-normalize: --against - with the rows on standard input too is a usage error naming the clash" {
	run --separate-stderr place-normalize --against - </dev/null
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = "place-normalize: standard input can hold the --against listing or the records, not both" ]
	run --separate-stderr place-normalize --against - - </dev/null
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = "place-normalize: standard input can hold the --against listing or the records, not both" ]
}

# ==== secrets (DESIGN §4: none reaches a rejects file or stderr) ====

@test "place-normalize: --rejects masks an apikey= value in a CSV cell" {
	printf 'id,title,site\n1,,https://x/?apikey=SEKRET1\n2,b,https://x/?page=2\n' >"$BATS_TEST_TMPDIR/in.csv"
	run -0 --separate-stderr place-normalize --rejects "$(RJ)" "$BATS_TEST_TMPDIR/in.csv"
	assert_equal "$(cat "$(RJ)")" "$(printf '%s\n' 'id,title,site,_file,_line,_reason' "1,,https://x/?apikey=…,$BATS_TEST_TMPDIR/in.csv,2,missing_title")"
}

@test "place-normalize: a bad value quoted in a message has its token= masked" {
	printf 'id,title,arrival_duration\n1,a,https://x/?token=SEKRET9\n' >"$BATS_TEST_TMPDIR/in.csv"
	run -2 --separate-stderr place-normalize "$BATS_TEST_TMPDIR/in.csv"
	[ -z "$output" ]
	assert_equal "$stderr" "place-normalize: $BATS_TEST_TMPDIR/in.csv:2: bad arrival duration \"https://x/?token=…\""
}

@test "place-normalize: a URL's password quoted in a message or a reject is masked" {
	printf 'id,title,arrival_duration\n1,a,https://bob:SEKRET9@x/p\n' >"$BATS_TEST_TMPDIR/in.csv"
	run -2 --separate-stderr place-normalize "$BATS_TEST_TMPDIR/in.csv"
	assert_equal "$stderr" "place-normalize: $BATS_TEST_TMPDIR/in.csv:2: bad arrival duration \"https://bob:…@x/p\""
	run -0 --separate-stderr place-normalize --rejects "$(RJ)" "$BATS_TEST_TMPDIR/in.csv"
	assert_equal "$(cat "$(RJ)")" "$(printf '%s\n' 'id,title,arrival_duration,_file,_line,_reason' "1,a,https://bob:…@x/p,$BATS_TEST_TMPDIR/in.csv,2,bad_duration")"
}

@test "place-normalize: a KOI8-R rejects file masks with ... (it has no U+2026)" {
	printf 'id,title,site\n1,,https://x/?apikey=SEKRET1&_cpKey=ABCDEFGHIJKL\n2,b,https://x/?page=2\n' >"$BATS_TEST_TMPDIR/in.csv"
	run -0 --separate-stderr place-normalize --encoding koi8-r --rejects "$(RJ)" "$BATS_TEST_TMPDIR/in.csv"
	assert_equal "$stderr" ""
	assert_equal "$(cat "$(RJ)")" "$(printf '%s\n' 'id,title,site,_file,_line,_reason' "1,,https://x/?apikey=...&_cpKey=ABC...JKL,$BATS_TEST_TMPDIR/in.csv,2,missing_title")"
}

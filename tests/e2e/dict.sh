#!/usr/bin/env bash
# End-to-end: dyad dict check on good and bad dictionaries, usage errors.
source "$(dirname "$0")/lib.bash"

# --- help ---------------------------------------------------------------------
expect_status 0 "$DYAD" dict --help
expect_grep "$TMP/out" "usage: dyad dict check [--format native|petrarch|tabari] PATH"
expect_status 0 "$DYAD" help dict
expect_grep "$TMP/out" "usage: dyad dict check"
expect_status 0 "$DYAD" help
expect_grep "$TMP/out" "  dict "
expect_status 0 "$DYAD" dict check --help
expect_grep "$TMP/out" "FILE:LINE: error|warning: message"

# --- a good small dictionary passes -------------------------------------------
mkdir "$TMP/good"
cat > "$TMP/good/actors.dict" <<'DICT'
[actors]
MEX                     Mexico; Mexican
MEXGOV 2018-12-01..2024-10-01  Andres Manuel Lopez Obrador; AMLO
MEXGOV 2024-10-01..     Claudia Sheinbaum
MEXELI                  Claudia Sheinbaum
[agents]
GOV                     government
DICT
cat > "$TMP/good/verbs.dict" <<'DICT'
[verbs]
051                     praise; commend
12                      reject
042:043                 visit
[discards]
bronze medal
DICT
expect_status 0 "$DYAD" dict check "$TMP/good"
expect_grep "$TMP/out" "dyad dict check: 12 entries, 0 errors, 0 warnings"
if [ "$(wc -l < "$TMP/out")" -eq 1 ]; then ok; else bad "findings on a good dictionary: $(cat "$TMP/out")"; fi
# one file instead of a directory
expect_status 0 "$DYAD" dict check "$TMP/good/verbs.dict"
expect_grep "$TMP/out" "dyad dict check: 5 entries, 0 errors, 0 warnings"

# --- every problem, with its file:line; exit 1 ---------------------------------
mkdir "$TMP/bad"
cat > "$TMP/bad/actors.dict" <<'DICT'
[actors]
MEX                     Mexico
mex                     Mexicans
MEXGOV 2018-12-01..2024-10-01  Lopez Obrador
MEXELI 2020-01-01..     Lopez Obrador
USA                     Mexico
MEX                     Mexico
MEXGOV 2024-10-01..2024-01-01  Sheinbaum
DICT
cat > "$TMP/bad/verbs.dict" <<'DICT'
[verbs]
051                     praise
0999                    hail
12                      praise
[bogus]
DICT
expect_status 1 "$DYAD" dict check "$TMP/bad"
out="$TMP/out"
expect_grep "$out" "$TMP/bad/actors.dict:3: error: 'mex' is not an actor code"
expect_grep "$out" "$TMP/bad/actors.dict:5: error: actor 'Lopez Obrador': date range of [MEXELI 2020-01-01..] overlaps [MEXGOV 2018-12-01..2024-10-01] at $TMP/bad/actors.dict:4"
expect_grep "$out" "$TMP/bad/actors.dict:6: error: actor 'Mexico' is coded [USA] here and [MEX] at $TMP/bad/actors.dict:2, with no date range to separate them"
expect_grep "$out" "$TMP/bad/actors.dict:7: warning: duplicate actor 'Mexico' [MEX] (also at $TMP/bad/actors.dict:2)"
expect_grep "$out" "$TMP/bad/actors.dict:8: error: bad date range"
expect_grep "$out" "$TMP/bad/verbs.dict:3: error: '0999' is not a CAMEO event code"
expect_grep "$out" "$TMP/bad/verbs.dict:4: error: verb pattern 'praise' is coded [12] here and [051] at $TMP/bad/verbs.dict:2"
expect_grep "$out" "$TMP/bad/verbs.dict:5: error: unknown section '[bogus]'"
expect_grep "$out" "dyad dict check: 3 entries, 7 errors, 1 warnings"
if [ "$(wc -l < "$out")" -eq 9 ]; then ok; else bad "wanted 8 findings and a summary: $(cat "$out")"; fi
# findings in file and line order
if cut -d: -f1,2 "$out" | head -8 | sort -t: -k1,1 -k2,2n -c; then ok; else bad "findings are not in file:line order"; fi

# --- usage errors: 2; a path that cannot be read: 3 ------------------------------
expect_status 2 "$DYAD" dict
expect_status 2 "$DYAD" dict frob "$TMP/good"
expect_grep "$TMP/err" "no such action 'frob'"
expect_status 2 "$DYAD" dict check
expect_grep "$TMP/err" "a dictionary PATH is needed"
expect_status 2 "$DYAD" dict check "$TMP/good" "$TMP/bad"
expect_status 2 "$DYAD" dict check --format xml "$TMP/good"
expect_grep "$TMP/err" "--format must be native, petrarch or tabari"
expect_status 2 "$DYAD" dict check --bogus "$TMP/good"
expect_status 3 "$DYAD" dict check "$TMP/missing"
expect_grep "$TMP/err" "$TMP/missing: cannot open"
mkdir "$TMP/empty"
expect_status 3 "$DYAD" dict check "$TMP/empty"
expect_grep "$TMP/err" "no *.dict files"

# --- dyad's own dictionaries: no errors, no duplicates ----------------------------
expect_status 0 "$DYAD" dict check data/dict
expect_grep "$TMP/out" " 0 errors, 0 warnings"

# --- PETRARCH format: a malformed line is reported and the rest is checked -------
mkdir "$TMP/petr"
cat > "$TMP/petr/test.actors.txt" <<'DICT'
MEXICO_ [MEX]
GUATEMALA_ [GTM]
MEXICO_ [USA]
FELIPE_CALDERON_ [MEXGOV 061201-121130] [MEXELI 100101-150101]
BAD_LINE_ [MEX 9008223-911221]
DICT
expect_status 1 "$DYAD" dict check --format petrarch "$TMP/petr"
expect_grep "$TMP/out" "$TMP/petr/test.actors.txt:3: error: actor 'MEXICO_' is coded [USA] here and [MEX] at $TMP/petr/test.actors.txt:1, with no date range to separate them"
expect_grep "$TMP/out" "$TMP/petr/test.actors.txt:4: error: actor 'FELIPE_CALDERON_': date range of [MEXELI 2010-01-01..2015-01-01] overlaps [MEXGOV 2006-12-01..2012-11-30] in the same entry"
expect_grep "$TMP/out" "$TMP/petr/test.actors.txt:5: error: bad date range"
if [ -d ../shared/dictionaries/phoenix ]; then
    expect_status 1 "$DYAD" dict check --format petrarch ../shared/dictionaries/phoenix
    expect_grep "$TMP/out" "CAMEO.2.0.txt:867: error: verb pattern '- * STRIKE' is coded [143] here and [140]"
    expect_grep "$TMP/out" "dyad dict check: "
else
    echo "  skipped Phoenix dictionaries: ../shared/dictionaries/phoenix is absent"
fi
finish

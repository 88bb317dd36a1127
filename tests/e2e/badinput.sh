#!/usr/bin/env bash
# End-to-end: the bad-input catalogue (docs/reliability.md).  Each case states the input, the
# exit status and the message dyad must give, and that nothing partial is written: a rejected
# record yields no event, a fatal error (status 3) writes nothing on standard output.
# Big inputs are generated here (about 1 GB of temporary files at most, one at a time).
source "$(dirname "$0")/lib.bash"

EX=examples/us-mexico-sovereignty.jsonl
good='{"id":"g","date":"2025-08-09","text":"Mexico rejected the United States."}'
# expect_empty_out: nothing on standard output (the last expect_status's)
expect_empty_out() {
    if [ -s "$TMP/out" ]; then bad "partial output: ${1:-} $(head -c 200 "$TMP/out")"; else ok; fi
}
# expect_lines N: standard output has N lines
expect_lines() {
    local n
    n=$(wc -l < "$TMP/out")
    if [ "$n" -eq "$1" ]; then ok; else bad "${2:-output} has $n lines (wanted $1)"; fi
}

# --- empty input ---------------------------------------------------------------
: > "$TMP/empty.jsonl"
expect_status 0 "$DYAD" code "$TMP/empty.jsonl"
expect_grep "$TMP/err" "dyad code: 0 documents, 0 sentences, 0 events, 0 errors"
expect_empty_out
: > "$TMP/empty.txt"
expect_status 0 "$DYAD" code --date 2025-08-09 "$TMP/empty.txt"
expect_grep "$TMP/err" "1 documents, 0 sentences, 0 events, 0 errors"
expect_empty_out
# empty standard input is plain text, which needs a date
expect_status 1 "$DYAD" code < /dev/null
expect_grep "$TMP/err" "<stdin>: plain text needs its publication date: --date YYYY-MM-DD"
expect_empty_out
printf '\n  \n\r\n' > "$TMP/blank.jsonl"
expect_status 0 "$DYAD" code "$TMP/blank.jsonl"
expect_grep "$TMP/err" "0 documents, 0 sentences, 0 events, 0 errors"
expect_status 0 "$DYAD" parse "$TMP/empty.jsonl"
expect_empty_out

# --- NUL bytes -----------------------------------------------------------------
printf 'Mexico rejected\0 the United States.' > "$TMP/nul.txt"
expect_status 1 "$DYAD" code --date 2025-08-09 "$TMP/nul.txt"
expect_grep "$TMP/err" "nul.txt:1: text contains a NUL byte"
expect_empty_out
printf '%s\n{"id":"n","date":"2025-08-09","text":"Mexico \\u0000 rejected"}\n{"id":"r","text":"a\0b"}\n' \
    "$good" > "$TMP/nul.jsonl"
expect_status 1 "$DYAD" code "$TMP/nul.jsonl"
expect_grep "$TMP/err" "nul.jsonl:2: malformed JSON"
expect_grep "$TMP/err" "nul.jsonl:3: malformed JSON"
expect_grep "$TMP/err" "1 documents, 1 sentences, 1 events, 2 errors"
expect_lines 1 "NUL-byte records"

# --- invalid UTF-8 -------------------------------------------------------------
printf '%s\n{"id":"u","date":"2025-08-09","text":"Mexico \xc0\x80 rejected"}\n\xff\xfe\n' "$good" \
    > "$TMP/utf8.jsonl"
expect_status 1 "$DYAD" code "$TMP/utf8.jsonl"
expect_grep "$TMP/err" "utf8.jsonl:2: malformed JSON"
expect_grep "$TMP/err" "utf8.jsonl:3: malformed JSON"
expect_lines 1 "invalid UTF-8 records"
printf 'Mexico rejected\n\xed\xa0\x80 the plan' > "$TMP/surrogate.txt"
expect_status 1 "$DYAD" code --date 2025-08-09 "$TMP/surrogate.txt"
expect_grep "$TMP/err" "surrogate.txt:2: invalid UTF-8"
expect_empty_out

# --- a 100 MB single line --------------------------------------------------------
# A document's text is at most 16 MiB (DOC_MAX_TEXT) and a JSON Lines record at most 64 MiB:
# past that the reader counts the rest of the record without keeping it, so an oversized
# document is refused at once, in bounded memory (it used to be refused by the coder's 4 GiB
# arena limit after a minute or two and 4.3 GB), and the next record is read as usual.
# rss_run LIMIT_KB CMD...: expect_status-like run of CMD (status in $rc) under /usr/bin/time,
# failing when its peak RSS exceeds LIMIT_KB (AddressSanitizer's shadow and quarantine: x4)
rss_run() {
    local limit=$1; shift
    grep -q __asan_init "$DYAD" && limit=$((limit * 4))
    if command -v /usr/bin/time > /dev/null; then
        /usr/bin/time -f '%M' -o "$TMP/rss" "$@" > "$TMP/out" 2> "$TMP/err"
        rc=$?
        local rss
        rss=$(tail -1 "$TMP/rss")
        if [ "$rss" -lt "$limit" ]; then ok; else bad "$* took $rss KB (wanted < $limit KB)"; fi
    else
        "$@" > "$TMP/out" 2> "$TMP/err"
        rc=$?
    fi
}
prose="Mexico rejected the United States. Canada praised the government of Brazil on Tuesday. "
# (a) one JSON record of 100 MB of prose, then a good record: the first is refused before
# it is buffered whole (at most 64 MiB kept), the second coded
big=$TMP/big.jsonl
{ printf '{"id":"big","date":"2025-08-09","text":"'
  yes "$prose" | head -c 104857600 | tr '\n' ' '
  printf '"}\n%s\n' "$good"; } > "$big"
start=$SECONDS
rss_run 204800 "$DYAD" code --no-parse "$big"
[ "$rc" -eq 1 ] && ok || bad "100 MB record: exit $rc (wanted 1)"
[ $((SECONDS - start)) -le 30 ] && ok || bad "100 MB record refused after $((SECONDS - start)) s"
expect_grep "$TMP/err" "big.jsonl:1: record of 104857642 bytes exceeds the limit of 67108864 bytes"
expect_grep "$TMP/err" "1 documents, 1 sentences, 1 events, 1 errors"
expect_lines 1 "100 MB record and a good one"
expect_grep "$TMP/out" '"doc":"g"'
# (b) the same line cut short (no closing quote, brace or newline): the same refusal
head -c 104857620 "$big" > "$TMP/cut.jsonl"
rm -f "$big"
expect_status 1 "$DYAD" code --no-parse "$TMP/cut.jsonl"
expect_grep "$TMP/err" "cut.jsonl:1: record of 104857620 bytes exceeds the limit of 67108864 bytes"
expect_empty_out
rm -f "$TMP/cut.jsonl"
# (c) a record under the line limit whose text is over 16 MiB: refused after parsing,
# before tokenizing (bounded by the 64 MiB line and its parsed copy)
{ printf '{"id":"mid","date":"2025-08-09","text":"'
  yes "$prose" | head -c 20000000 | tr '\n' ' '
  printf '"}\n'; } > "$TMP/mid.jsonl"
rss_run 307200 "$DYAD" code --no-parse "$TMP/mid.jsonl"
[ "$rc" -eq 1 ] && ok || bad "20 MB record: exit $rc (wanted 1)"
expect_grep "$TMP/err" "mid.jsonl:1: document of 20000000 bytes exceeds the limit of 16777216 bytes"
expect_empty_out
rm -f "$TMP/mid.jsonl"
# (d) plain text: 100 MB of prose (file and standard input), one 100 MB word
yes "$prose" | head -c 104857600 > "$TMP/word.txt"
rss_run 102400 "$DYAD" code --no-parse --date 2025-08-09 "$TMP/word.txt"
[ "$rc" -eq 1 ] && ok || bad "100 MB text: exit $rc (wanted 1)"
expect_grep "$TMP/err" "word.txt:1: document of 104857600 bytes exceeds the limit of 16777216 bytes"
expect_empty_out
expect_status 1 sh -c '"$1" code --no-parse -d 2025-08-09 < "$2"' sh "$DYAD" "$TMP/word.txt"
expect_grep "$TMP/err" "<stdin>:1: document of 104857600 bytes exceeds the limit of 16777216 bytes"
expect_empty_out
{ printf 'Mexico rejected the United States. '; head -c 104857600 /dev/zero | tr '\0' 'x'; } \
    > "$TMP/word.txt"
expect_status 1 "$DYAD" code --no-parse --date 2025-08-09 "$TMP/word.txt"
expect_grep "$TMP/err" "word.txt:1: document of 104857635 bytes exceeds the limit of 16777216 bytes"
expect_empty_out
rm -f "$TMP/word.txt"
# (e) exactly at the limit: coded
{ printf 'Mexico rejected the United States. '; head -c $((16777216 - 35)) /dev/zero | tr '\0' ' '; } \
    > "$TMP/edge.txt"
expect_status 0 "$DYAD" code --no-parse --date 2025-08-09 "$TMP/edge.txt"
expect_grep "$TMP/out" '"source":"MEX","target":"USA","code":"12"'
printf ' ' >> "$TMP/edge.txt"
expect_status 1 "$DYAD" code --no-parse --date 2025-08-09 "$TMP/edge.txt"
expect_grep "$TMP/err" "edge.txt:1: document of 16777217 bytes exceeds the limit of 16777216 bytes"
rm -f "$TMP/edge.txt"

# --- a million tiny documents: bounded memory and time ---------------------------
awk 'BEGIN { for (i = 0; i < 1000000; i++)
    printf "{\"id\":\"d%d\",\"date\":\"2025-08-09\",\"text\":\"Mexico rejected the United States.\"}\n", i }' \
    > "$TMP/million.jsonl"
start=$SECONDS
if command -v /usr/bin/time > /dev/null; then
    /usr/bin/time -f '%M' -o "$TMP/rss" "$DYAD" code --no-parse "$TMP/million.jsonl" \
        > "$TMP/out" 2> "$TMP/err"
    rc=$?
    rss=$(tail -1 "$TMP/rss")
    # constant memory: the documents are streamed, one arena reused (about 13 MB measured;
    # under AddressSanitizer its quarantine of freed memory adds up to 256 MB)
    limit=102400
    grep -q __asan_init "$DYAD" && limit=1048576
    if [ "$rss" -lt "$limit" ]; then ok; else bad "a million documents took $rss KB (wanted < $limit KB)"; fi
else
    "$DYAD" code --no-parse "$TMP/million.jsonl" > "$TMP/out" 2> "$TMP/err"
    rc=$?
fi
[ "$rc" -eq 0 ] && ok || bad "a million documents: exit $rc"
elapsed=$((SECONDS - start))
if [ "$elapsed" -le 180 ]; then ok; else bad "a million documents took $elapsed s (wanted <= 180 s)"; fi
expect_grep "$TMP/err" "dyad code: 1000000 documents, 1000000 sentences, 1000000 events, 0 errors"
expect_lines 1000000 "a million documents"
rm -f "$TMP/million.jsonl" "$TMP/out"

# --- unbalanced and absurdly deep parses -----------------------------------------
# PTB trees in PETRARCH XML, read with `dyad eval --gold-parses` (dictionaries beside the file)
mkdir -p "$TMP/petr"
printf 'ARNOR [ARN]\nGONDOR [GON]\n' > "$TMP/petr/a.txt"
printf 'PRESIDENT [~GOV]\n' > "$TMP/petr/g.txt"
printf -- '--- RESTORE [064] ---\nRESTORE\n' > "$TMP/petr/v.txt"
deep=$(printf '(NP %.0s' $(seq 5000); printf '(NN a)'; printf ')%.0s' $(seq 5000))
record() { # id parse
    printf '<Sentence date="19950101" id="%s" category="T" sentence="true">\n' "$1"
    printf '<EventCoding sourcecode="ARN" targetcode="GON" eventcode="064"></EventCoding>\n'
    printf '<Text>\nArnor restored ties with Gondor.\n</Text>\n<Parse>\n%s\n</Parse>\n</Sentence>\n' "$2"
}
{
    printf '<Validation>\n<Environment>\n<Verbfile>v.txt</Verbfile>\n<Actorfile>a.txt</Actorfile>\n'
    printf '<Agentfile>g.txt</Agentfile>\n</Environment>\n<Sentences>\n'
    record OK '(ROOT (S (NP (NNP Arnor)) (VP (VBD restored) (NP (NNS ties)) (PP (IN with) (NP (NNP Gondor)))) (. .)))'
    record UNBALANCED '(ROOT (S (NP (NNP Arnor)) (VP (VBD restored) (NP (NNS ties))'
    record EXTRA '(ROOT (S (NP (NNP Arnor)) (VP (VBD restored))))) (NN x)'
    record DEEP "(ROOT (S $deep (VP (VBD restored))))"
    printf '</Sentences>\n</Validation>\n'
} > "$TMP/petr/parses.xml"
# each malformed parse rejects its record: reported as file:line on stderr and scored as a
# miss, the good record is still coded, and the status is 1 (the scores are not those of the
# whole gold set)
expect_status 1 "$DYAD" eval --gold-parses "$TMP/petr/parses.xml"
expect_grep "$TMP/out" "records: 4, coded exactly: 1"
expect_grep "$TMP/err" "parses.xml:" "rejections not reported as file:line"
expect_grep "$TMP/err" "record UNBALANCED rejected: UNBALANCED:1: unbalanced '(' at end of input"
expect_grep "$TMP/err" "record EXTRA rejected:"
expect_grep "$TMP/err" "unbalanced ')'" "extra ')' not reported"
expect_grep "$TMP/err" "nested deeper than 1000 levels" "deep parse not reported"
expect_grep "$TMP/err" "3 of 4 record(s) rejected and scored as misses"
# without the malformed records: status 0
{
    printf '<Validation>\n<Environment>\n<Verbfile>v.txt</Verbfile>\n<Actorfile>a.txt</Actorfile>\n'
    printf '<Agentfile>g.txt</Agentfile>\n</Environment>\n<Sentences>\n'
    record OK '(ROOT (S (NP (NNP Arnor)) (VP (VBD restored) (NP (NNS ties)) (PP (IN with) (NP (NNP Gondor)))) (. .)))'
    printf '</Sentences>\n</Validation>\n'
} > "$TMP/petr/good.xml"
expect_status 0 "$DYAD" eval --gold-parses "$TMP/petr/good.xml"
expect_grep "$TMP/out" "records: 1, coded exactly: 1"
# CoNLL-U: a HEAD cycle, a HEAD past the end, a sentence over 4096 words, a 4000-deep chain
printf '1\tA\ta\tDET\tDT\t_\t2\tdet\t_\t_\n2\tB\tb\tNOUN\tNN\t_\t3\tdep\t_\t_\n3\tC\tc\tNOUN\tNN\t_\t2\tdep\t_\t_\n\n' \
    > "$TMP/cycle.conllu"
expect_status 3 "$DYAD" parse --eval "$TMP/cycle.conllu"
expect_grep "$TMP/err" "cycle.conllu:4: HEAD cycle: word 2 does not reach the root"
expect_empty_out
printf '1\tA\ta\tDET\tDT\t_\t9\tdet\t_\t_\n\n' > "$TMP/past.conllu"
expect_status 3 "$DYAD" parse --eval "$TMP/past.conllu"
expect_grep "$TMP/err" "past.conllu:2: HEAD points past the end of the sentence"
awk 'BEGIN { for (i = 1; i <= 5000; i++) printf "%d\tw\tw\tNOUN\tNN\t_\t%d\t%s\t_\t_\n", i, i - 1, i == 1 ? "root" : "dep"; print "" }' \
    > "$TMP/long.conllu"
expect_status 3 "$DYAD" parse --eval "$TMP/long.conllu"
expect_grep "$TMP/err" "long.conllu:4097: sentence has more than 4096 words"
head -n 4000 "$TMP/long.conllu" > "$TMP/chain.conllu"
echo >> "$TMP/chain.conllu"
if [ -f data/models/tagger.bin ]; then
    expect_status 0 "$DYAD" parse --eval "$TMP/chain.conllu"
    cat "$TMP/out" "$TMP/err" > "$TMP/all"
    expect_grep "$TMP/all" "1 sentences, 4000 words"
fi
# `dyad parse` on a text that is one 20,000-token run with no sentence end: cut at 300 tokens
awk 'BEGIN { for (i = 0; i < 20000; i++) printf "word "; print "" }' > "$TMP/run.txt"
if [ -f data/models/tagger.bin ]; then
    expect_status 0 "$DYAD" parse "$TMP/run.txt"
    n=$(grep -c '^# sent_id' "$TMP/out")
    if [ "$n" -ge 67 ]; then ok; else bad "20,000-token run gave $n sentences (wanted >= 67)"; fi
fi

# --- dictionaries ------------------------------------------------------------------
mkdict() { rm -rf "$TMP/dict"; mkdir "$TMP/dict"; cp data/dict/*.dict "$TMP/dict/"; }
# a malformed line: status 3, file:line, nothing coded
mkdict
printf '[verbs]\n0511  bogus verb\n' > "$TMP/dict/zz.dict"
expect_status 3 "$DYAD" code --no-parse -D "$TMP/dict" "$EX"
expect_grep "$TMP/err" "zz.dict:2: '0511' is not a CAMEO event code"
expect_empty_out
printf 'a line before any section\n' > "$TMP/dict/zz.dict"
expect_status 3 "$DYAD" code --no-parse -D "$TMP/dict" "$EX"
expect_grep "$TMP/err" "zz.dict:1: entry before any section header"
expect_empty_out
printf '[actors]\nAAA  Zor\xffland\n' > "$TMP/dict/zz.dict"
expect_status 3 "$DYAD" code --no-parse -D "$TMP/dict" "$EX"
expect_grep "$TMP/err" "zz.dict:2: invalid UTF-8"
expect_empty_out
printf '[actors]\nAAA  Zor\0land\n' > "$TMP/dict/zz.dict"
expect_status 3 "$DYAD" code --no-parse -D "$TMP/dict" "$EX"
expect_grep "$TMP/err" "zz.dict:2: NUL byte"
expect_empty_out
printf '[actors]\nAAA 2024-01-01..2020-01-01  Zorland\n' > "$TMP/dict/zz.dict"
expect_status 3 "$DYAD" code --no-parse -D "$TMP/dict" "$EX"
expect_grep "$TMP/err" "zz.dict:2: bad date range '2024-01-01..2020-01-01'"
printf '[actors]\nAAA 2023-02-30..  Zorland\n' > "$TMP/dict/zz.dict"
expect_status 3 "$DYAD" code --no-parse -D "$TMP/dict" "$EX"
expect_grep "$TMP/err" "zz.dict:2: bad date range '2023-02-30..'"
printf '[verbs]\n190  meet\n' > "$TMP/dict/zz.dict"
expect_status 3 "$DYAD" code --no-parse -D "$TMP/dict" "$EX"
expect_grep "$TMP/err" "zz.dict:2: 'meet' is already coded"
# duplicate synonyms merge: the same events as without them
mkdict
expect_status 0 "$DYAD" code --no-parse -D "$TMP/dict" "$EX"
cp "$TMP/out" "$TMP/plain.out"
printf '[actors]\nMEX   Mexico; Mexico; mexico\nMEX   Mexico\n' > "$TMP/dict/zz.dict"
expect_status 0 "$DYAD" code --no-parse -D "$TMP/dict" "$EX"
if cmp -s <(sed 's/"rules":.*//' "$TMP/out") <(sed 's/"rules":.*//' "$TMP/plain.out"); then ok
else bad "duplicate synonyms changed the events"; fi
# overlapping date ranges: the first dated code whose range holds the story date applies
printf '[actors]\nAAA 2020-01-01..2024-01-01  Zorland\nBBB 2022-01-01..2026-01-01  Zorland\n' \
    > "$TMP/dict/zz.dict"
printf '{"id":"z1","date":"2023-05-05","text":"Zorland rejected the United States."}\n{"id":"z2","date":"2025-05-05","text":"Zorland rejected the United States."}\n' \
    > "$TMP/zor.jsonl"
expect_status 0 "$DYAD" code --no-parse -D "$TMP/dict" "$TMP/zor.jsonl"
expect_grep "$TMP/out" '"doc":"z1","sent":0,"date":"2023-05-05","event_date":"2023-05-05","date_precision":"day","source":"AAA"'
expect_grep "$TMP/out" '"doc":"z2","sent":0,"date":"2025-05-05","event_date":"2025-05-05","date_precision":"day","source":"BBB"'
# PETRARCH format: duplicate synset members load; cyclic synsets are refused
rm -rf "$TMP/pd"; mkdir "$TMP/pd"
printf 'ARNOR [ARN]\nGONDOR [GON]\n' > "$TMP/pd/x.actors.txt"
printf 'PRESIDENT [~GOV]\n' > "$TMP/pd/x.agents.txt"
printf '&TIES\n+DIPLOMATIC\n+DIPLOMATIC\n+ECONOMIC\n\n--- RESTORE [064] ---\nRESTORE\n- * &TIES TIES [0641]\n' \
    > "$TMP/pd/x.verbs.txt"
printf '{"id":"p","date":"1996-05-05","text":"Arnor restored diplomatic ties with Gondor."}\n' > "$TMP/arnor.jsonl"
expect_status 0 "$DYAD" code --no-parse -F petrarch -D "$TMP/pd" "$TMP/arnor.jsonl"
printf '&A\n+&B\n&B\n+&A\n--- FOO [064] ---\nFOO\n- * &A [0641]\n' >> "$TMP/pd/x.verbs.txt"
expect_status 3 "$DYAD" code --no-parse -F petrarch -D "$TMP/pd" "$TMP/arnor.jsonl"
expect_grep "$TMP/err" "x.verbs.txt:"
expect_grep "$TMP/err" "synsets nested too deeply"
expect_empty_out

# --- truncated or foreign model files ---------------------------------------------------
if "$DYAD" code -q "$EX" > /dev/null 2>&1; then
    for k in trunc-parser foreign-tagger version-tagger empty-splitter header-only; do
        mkdir -p "$TMP/models/$k"
        cp data/models/*.bin "$TMP/models/$k/"
    done
    head -c 100000 data/models/parser.bin > "$TMP/models/trunc-parser/parser.bin"
    cp "$DYAD" "$TMP/models/foreign-tagger/tagger.bin"
    printf 'DYADTAGR\x63\0\0\0' | dd of="$TMP/models/version-tagger/tagger.bin" conv=notrunc 2> /dev/null
    : > "$TMP/models/empty-splitter/splitter.bin"
    head -c 16 data/models/tagger.bin > "$TMP/models/header-only/tagger.bin"
    expect_status 3 "$DYAD" code --models "$TMP/models/trunc-parser" "$EX"
    expect_grep "$TMP/err" "trunc-parser/parser.bin: truncated model file"
    expect_empty_out
    expect_status 3 "$DYAD" code --models "$TMP/models/foreign-tagger" "$EX"
    expect_grep "$TMP/err" "foreign-tagger/tagger.bin: not a dyad TAGR model (bad magic)"
    expect_empty_out
    expect_status 3 "$DYAD" code --models "$TMP/models/version-tagger" "$EX"
    expect_grep "$TMP/err" "version-tagger/tagger.bin: model format version 99"
    expect_empty_out
    expect_status 3 "$DYAD" code --models "$TMP/models/empty-splitter" "$EX"
    expect_grep "$TMP/err" "empty-splitter/splitter.bin:"
    expect_empty_out
    expect_status 3 "$DYAD" code --models "$TMP/models/header-only" "$EX"
    expect_grep "$TMP/err" "header-only/tagger.bin:"
    expect_empty_out
    expect_status 3 "$DYAD" code --models "$TMP/nonexistent" "$EX"
    expect_grep "$TMP/err" "use --no-parse to code without the parser"
    expect_empty_out
else
    echo "  (models do not load with this build: model-file cases skipped)"
fi

# --- a full disk -------------------------------------------------------------------
# Output is checked after every document: the first failed write stops the run with the
# reason and status 3, no summary line (its counts would claim lost output), and the rest of
# the input is not even read - the bad record at the end of many.jsonl is never reported.
awk -v g="$good" 'BEGIN { for (i = 0; i < 2000; i++) print g; print "{bad" }' > "$TMP/many.jsonl"
# expect_stopped WHAT: the last run stopped at its first failed write (stderr in $TMP/err)
expect_stopped() {
    expect_no_grep "$TMP/err" "many.jsonl:2001" "$1: went on reading after the failed write"
    expect_no_grep "$TMP/err" "documents," "$1: a summary line after the failed write"
}
full_disk_checked=0
if [ "$(id -u)" -eq 0 ] && command -v unshare > /dev/null &&
    unshare -m true 2> /dev/null; then
    mkdir -p "$TMP/full"
    # a private mount namespace: a 16 KiB tmpfs that only this command sees
    unshare -m sh -c 'mount -t tmpfs -o size=16k tmpfs "$1" || exit 99
        "$2" code --no-parse "$3" > "$1/out" 2> "$4/err"; echo $? > "$4/rc"' \
        sh "$TMP/full" "$DYAD" "$TMP/many.jsonl" "$TMP"
    if [ "$(cat "$TMP/rc")" != 99 ]; then
        full_disk_checked=1
        [ "$(cat "$TMP/rc")" -eq 3 ] && ok || bad "full tmpfs: exit $(cat "$TMP/rc") (wanted 3)"
        expect_grep "$TMP/err" "dyad code: writing output failed: No space left on device"
        expect_stopped "full tmpfs"
    fi
fi
# a size-limited file: writes past 16 KiB fail with EFBIG (SIGXFSZ ignored, as a shell
# script writing to a quota'd file would see it); code, code -j 2, code -f tsv
for opts in "" "-j 2" "-f tsv"; do
    # shellcheck disable=SC2086
    (ulimit -f 16; trap '' XFSZ; "$DYAD" code --no-parse $opts "$TMP/many.jsonl" > "$TMP/lim.out" 2> "$TMP/err"
     echo $? > "$TMP/rc")
    [ "$(cat "$TMP/rc")" -eq 3 ] && ok || bad "size-limited file ($opts): exit $(cat "$TMP/rc") (wanted 3)"
    expect_grep "$TMP/err" "dyad code: writing output failed: File too large"
    expect_stopped "size-limited file ($opts)"
    [ "$(wc -c < "$TMP/lim.out")" -le 16384 ] && ok || bad "size-limited file: more than 16 KiB written"
done
# the event store on a full disk: dyad ingest stops with status 3, the store stays consistent
# (whole batches or nothing) and a re-run elsewhere completes it, each document stored once
if [ "$full_disk_checked" -eq 1 ] && command -v sqlite3 > /dev/null; then
    awk 'BEGIN { for (i = 0; i < 3000; i++) printf "{\"id\":\"d%d\",\"date\":\"2025-08-09\",\"text\":\"Mexico rejected the United States. Canada praised Mexico.\"}\n", i }' \
        > "$TMP/store.jsonl"
    mkdir -p "$TMP/store"
    unshare -m sh -c 'mount -t tmpfs -o size=1m tmpfs "$1" || exit 99
        "$2" ingest -q --no-parse -b 50 "$1/news.db" "$3" 2> "$4/err"; echo $? > "$4/rc"
        cp "$1"/news.db* "$4/store/"' sh "$TMP/full" "$DYAD" "$TMP/store.jsonl" "$TMP"
    [ "$(cat "$TMP/rc")" -eq 3 ] && ok || bad "ingest on a full disk: exit $(cat "$TMP/rc") (wanted 3)"
    expect_grep "$TMP/err" "news.db: SQLite: database or disk is full"
    [ "$(sqlite3 "$TMP/store/news.db" 'PRAGMA integrity_check')" = ok ] && ok ||
        bad "store not intact after a full disk"
    expect_status 0 "$DYAD" ingest -q --no-parse -b 50 "$TMP/store/news.db" "$TMP/store.jsonl"
    n=$(sqlite3 "$TMP/store/news.db" 'SELECT count(*) FROM documents')
    [ "$n" = 3000 ] && ok || bad "after the re-run the store has $n documents (wanted 3000)"
    n=$(sqlite3 "$TMP/store/news.db" 'SELECT count(*) FROM events')
    [ "$n" = 6000 ] && ok || bad "after the re-run the store has $n events (wanted 6000)"
fi
# /dev/full: every write fails
expect_status 3 sh -c '"$1" code --no-parse "$2" > /dev/full' sh "$DYAD" "$TMP/many.jsonl"
expect_grep "$TMP/err" "dyad code: writing output failed: No space left on device"
expect_stopped "/dev/full"
expect_status 3 sh -c '"$1" code --no-parse -j 3 "$2" > /dev/full' sh "$DYAD" "$TMP/many.jsonl"
expect_grep "$TMP/err" "dyad code: writing output failed: No space left on device"
expect_stopped "/dev/full, -j 3"
# nothing to write, nothing fails (--quotes on text without quotations): the run goes on to
# the bad record at the end, which shows that expect_stopped can see a run that went on
expect_status 1 sh -c '"$1" code --no-parse --quotes "$2" > /dev/full' sh "$DYAD" "$TMP/many.jsonl"
expect_grep "$TMP/err" "many.jsonl:2001: malformed JSON"
expect_grep "$TMP/err" "2000 documents, 2000 sentences,"
# dyad parse (needs the models) and dyad eval
if "$DYAD" parse -q "$TMP/empty.jsonl" > /dev/null 2>&1; then
    expect_status 3 sh -c '"$1" parse "$2" > /dev/full' sh "$DYAD" "$TMP/many.jsonl"
    expect_grep "$TMP/err" "dyad parse: writing output failed: No space left on device"
    expect_stopped "dyad parse to /dev/full"
    (ulimit -f 16; trap '' XFSZ; "$DYAD" parse "$TMP/many.jsonl" > "$TMP/lim.out" 2> "$TMP/err"
     echo $? > "$TMP/rc")
    [ "$(cat "$TMP/rc")" -eq 3 ] && ok || bad "parse to a size-limited file: exit $(cat "$TMP/rc")"
    expect_grep "$TMP/err" "dyad parse: writing output failed: File too large"
    expect_stopped "dyad parse to a size-limited file"
    printf '1\tMexico\tMexico\tPROPN\tNNP\t_\t2\tnsubj\t_\t_\n2\trejected\treject\tVERB\tVBD\t_\t0\troot\t_\t_\n\n' \
        > "$TMP/two.conllu"
    expect_status 3 sh -c '"$1" parse --eval "$2" > /dev/full' sh "$DYAD" "$TMP/two.conllu"
    expect_grep "$TMP/err" "dyad parse: writing output failed: No space left on device"
fi
expect_status 3 sh -c '"$1" eval --no-parse "$2" > /dev/full' sh "$DYAD" tests/gold/us-mexico-sovereignty.jsonl
expect_grep "$TMP/err" "dyad eval: writing output failed: No space left on device"

finish

#!/usr/bin/env bash
# End-to-end: every event's provenance points into its own sentence, and actors carried
# over from earlier sentences (bridging, quotations) say so in their rule.
source "$(dirname "$0")/lib.bash"

# spans_in_sentence FILE: each non-empty source/target span text occurs in the event's sentence
spans_in_sentence() {
    awk '
    function field(name,   s) {
        if (!match($0, "\"" name "\":\\{\"text\":\"([^\"\\\\]|\\\\.)*\"")) return ""
        s = substr($0, RSTART, RLENGTH); sub(/^[^{]*\{"text":"/, "", s); sub(/"$/, "", s)
        return s
    }
    {
        if (!match($0, /"sentence":"([^"\\]|\\.)*"/)) { print "no sentence: " NR; bad = 1; next }
        sent = substr($0, RSTART + 12, RLENGTH - 13)
        n = split("source_span target_span trigger", names, " ")
        for (i = 1; i <= n; i++) {
            t = field(names[i])
            if (t != "" && index(sent, t) == 0) { print NR ": " names[i] " \"" t "\" not in \"" sent "\""; bad = 1 }
        }
    }
    END { exit bad }' "$1" >"$TMP/spanerr"
    if [ $? -eq 0 ]; then ok; else bad "${2:-$1}: spans outside their sentence"; head -3 "$TMP/spanerr" >&2; fi
}

# --- a force noun carried over: "ruled out" an invasion the US threatened ------
expect_status 0 "$DYAD" code examples/us-mexico-sovereignty.jsonl
cp "$TMP/out" "$TMP/example.jsonl"
expect_grep "$TMP/example.jsonl" '"target_span":{"text":"invasion",' "bridged target lacks the force noun as its span"
expect_grep "$TMP/example.jsonl" '"target":"bridge(force): ' "bridged target does not say it was bridged"
# the other party of a quotation is named in another sentence: empty span, rule says why
expect_grep "$TMP/example.jsonl" '"target_span":{"text":"","start":0,"end":0}' "quoted party has a span"
expect_grep "$TMP/example.jsonl" '"target":"quote(other party): ' "quoted party rule missing"
spans_in_sentence "$TMP/example.jsonl" "example article"

# --- a definite noun owned by an actor of an earlier sentence ------------------
printf '%s\n' '{"id":"own","date":"2025-08-09","text":"Russia launched a new offensive in eastern Ukraine on Monday. Ukraine condemned the offensive."}' \
    '{"id":"none","date":"2025-08-09","text":"Ukraine condemned the offensive."}' > "$TMP/own.jsonl"
expect_status 0 "$DYAD" code "$TMP/own.jsonl"
expect_grep "$TMP/out" '"doc":"own","sent":1,' "no event in the second sentence"
expect_grep "$TMP/out" '"source":"UKR","target":"RUS","code":"111"' "the offensive not traced back to Russia"
expect_grep "$TMP/out" '"target_span":{"text":"offensive"' "bridged span is not the owned noun"
expect_grep "$TMP/out" '"target":"bridge(offensive): ' "bridged rule does not name the noun"
# with no earlier owner there is no one to criticise
expect_no_grep "$TMP/out" '"doc":"none".*"target":"[A-Z]' "a target invented for an unowned noun"
spans_in_sentence "$TMP/out" "bridging"

# --- real news, when ../shared is present -------------------------------------
reuters=../shared/corpora/news/reuters21578
if [ -d "$reuters" ]; then
    bench/extract-reuters.sh "$reuters" 2>/dev/null | head -3000 > "$TMP/news.jsonl"
    expect_status 0 "$DYAD" code -j 2 "$TMP/news.jsonl"
    if [ "$(wc -l < "$TMP/out")" -gt 100 ]; then ok; else bad "fewer than 100 events from 3000 Reuters stories"; fi
    spans_in_sentence "$TMP/out" "Reuters"
else
    echo "  note: $reuters is absent; the Reuters span check is skipped"
fi
finish

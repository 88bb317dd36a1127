#!/usr/bin/env bash
# End-to-end: dyad explain shows the decisions behind a coding (the pattern and
# its rule, the actors and their rules, modality, the events) as text and as
# JSON, and refuses bad input with a clear message and a non-zero status.
source "$(dirname "$0")/lib.bash"

# json_check FILE PYTHON-EXPR...: each expression (over d, the parsed object) must be true
json_check() {
    local file=$1; shift
    if python3 - "$file" "$@" >"$TMP/jerr" 2>&1 <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
bad = [e for e in sys.argv[2:] if not eval(e, {"d": d})]
for e in bad:
    print("false:", e)
sys.exit(1 if bad else 0)
PY
    then ok; else bad "$file: JSON checks failed"; sed 's/^/    /' "$TMP/jerr" >&2; fi
}

s="Mexico's President Claudia Sheinbaum rejected a US invasion."
expect_status 0 "$DYAD" explain --date 2025-08-09 "$s"
cp "$TMP/out" "$TMP/text"
# the verb pattern and its rule, chosen at the trigger
expect_grep "$TMP/text" 'chosen   12    verb [reject]  verbs.dict:' "chosen pattern with its rule"
expect_grep "$TMP/text" 'tried    12    verb [reject]  verbs.dict:' "tried patterns listed"
# the actors with their rules: Sheinbaum's dated code, the composed mention, the US
expect_grep "$TMP/text" '"Claudia Sheinbaum" → MEXGOV  people.dict:' "Sheinbaum's entry"
expect_grep "$TMP/text" 'dated code MEXGOV (2024-10-01..open) in force on 2025-08-09' "dated code choice"
expect_grep "$TMP/text" 'mention  "Mexico'"'"'s President Claudia Sheinbaum" → MEXGOV' "composed mention"
expect_grep "$TMP/text" '"US" → USA  actors.dict:' "USA's entry"
expect_grep "$TMP/text" 'source   MEXGOV' "source line"
expect_grep "$TMP/text" 'subject (nsubj)' "why the source"
expect_grep "$TMP/text" 'target   USA "US"' "target line"
expect_grep "$TMP/text" 'object (obj)' "why the target"
expect_grep "$TMP/text" 'event    MEXGOV → USA  12 asserted' "the event"
expect_grep "$TMP/text" '"source":"MEXGOV","target":"USA","code":"12"' "the event as dyad code writes it"
# tokens and the tree: tags, lemma, a drawn arc
expect_grep "$TMP/text" 'rejected           VERB   VBD   reject' "token row"
expect_grep "$TMP/text" '├─ ' "box-drawn tree"
expect_no_grep "$TMP/text" $'\033' "colour codes when not on a terminal"
# the same events as dyad code
printf '%s\n' "$s" > "$TMP/s.txt"
expect_status 0 "$DYAD" code -q -d 2025-08-09 "$TMP/s.txt"
sed 's/"doc":"s.txt"/"doc":"explain"/' "$TMP/out" > "$TMP/code.jsonl"
sed -n '/^as dyad code writes them/,$p' "$TMP/text" | tail -n +2 > "$TMP/explained.jsonl"
if cmp -s "$TMP/code.jsonl" "$TMP/explained.jsonl"; then ok; else bad "explain's events differ from dyad code's"; fi

# --json: one object with the same content
expect_status 0 "$DYAD" explain --json --date 2025-08-09 "$s"
cp "$TMP/out" "$TMP/j.json"
json_check "$TMP/j.json" \
    'd["date"] == "2025-08-09" and d["parsed"] is True' \
    'len(d["sentences"]) == 1' \
    '[t["lemma"] for t in d["sentences"][0]["tokens"]][5] == "reject"' \
    'd["sentences"][0]["tokens"][5]["upos"] == "VERB" and d["sentences"][0]["tokens"][5]["head"] == -1' \
    'any(m["codes"] == ["MEXGOV"] and m["rule"].startswith("people.dict:") for m in d["sentences"][0]["mentions"])' \
    'any(h["codes"] == ["USA"] and h["rule"].startswith("actors.dict:") for h in d["sentences"][0]["hits"])' \
    '[t for t in d["sentences"][0]["triggers"] if t["word"] == "rejected"][0]["pattern"]["entry"]["pattern"] == "reject"' \
    '[t for t in d["sentences"][0]["triggers"] if t["word"] == "rejected"][0]["pattern"]["rule"].startswith("verbs.dict:")' \
    '[t for t in d["sentences"][0]["triggers"] if t["word"] == "rejected"][0]["modality"]["modality"] == "asserted"' \
    '[t for t in d["sentences"][0]["triggers"] if t["word"] == "rejected"][0]["source"]["codes"] == ["MEXGOV"]' \
    '[t for t in d["sentences"][0]["triggers"] if t["word"] == "rejected"][0]["target"]["why"] == "object (obj)"' \
    'sum(1 for t in d["sentences"][0]["triggers"] for x in t["tried"] if x["matched"]) >= 1' \
    'd["sentences"][0]["events"][0]["source"] == "MEXGOV" and d["sentences"][0]["events"][0]["target"] == "USA" and d["sentences"][0]["events"][0]["code"] == "12"' \
    'set(["doc","sent","event_date","quad","goldstein","plover","modality","trigger","rules","sentence"]) <= set(d["sentences"][0]["events"][0])'

# negation: the decision and the word behind it; the event is held back
expect_status 0 "$DYAD" explain --date 2025-08-09 "Mexico did not attack the United States."
expect_grep "$TMP/out" 'modality negated by "not"' "negation decision and its word"
expect_grep "$TMP/out" 'dropped  190: not a fact' "negated event reported as dropped"
expect_no_grep "$TMP/out" '^  MEX → USA' "a negated event among the events"
expect_status 0 "$DYAD" explain -a --date 2025-08-09 "Mexico did not attack the United States."
expect_grep "$TMP/out" 'event    MEX → USA  190 negated' "--all-modalities keeps the negated event"
# a self-event is dropped, and says so
expect_status 0 "$DYAD" explain --date 2025-08-09 "Mexico praised Mexico."
expect_grep "$TMP/out" 'self-event' "self-event drop"
# without the parser: the nearest-actor fallback is named
expect_status 0 "$DYAD" explain --no-parse --date 2025-08-09 "$s"
expect_grep "$TMP/out" 'nearest actor before the trigger (no parse)' "no-parse source rule"
expect_grep "$TMP/out" 'not parsed' "no tree without the parser"
# ASCII tree; NO_COLOR is honoured (no escape codes even when asked for a tree)
expect_status 0 env NO_COLOR=1 "$DYAD" explain --ascii --date 2025-08-09 "$s"
expect_grep "$TMP/out" '|- ' "ASCII tree"
expect_no_grep "$TMP/out" $'\033|├' "ASCII mode has box characters or colours"

# a story discard (PETRARCH "+" discards): the rule, and the sentences after it not coded
petr=../shared/conformance/petrarch2
if [ -f "$petr/PETR.Validate.discards.txt" ]; then
    story="Arnor attacked Gondor. Manchester United won. Arnor praised Gondor."
    expect_status 0 "$DYAD" explain -F petrarch -D "$petr" -d 2025-08-09 "$story"
    expect_grep "$TMP/out" 'discarded by "Manchester United"  PETR.Validate.discards.txt:6: story discard' "story discard rule"
    expect_grep "$TMP/out" 'sentence 2  not coded: the story was discarded at sentence 1' "sentences after a story discard"
    expect_status 0 "$DYAD" explain --json -F petrarch -D "$petr" -d 2025-08-09 "$story"
    json_check "$TMP/out" 'd["story_discarded"]["sentence"] == 1' 'len(d["sentences"]) == 2' \
        'd["sentences"][1]["discard"]["entry"]["kind"] == "discard"'
else
    echo "  note: $petr is absent; the story-discard check is skipped"
fi

# --doc FILE ID [SENTENCE]: pronouns resolved from the sentence before
printf '%s\n' '{"id":"a1","date":"2025-08-09","text":"Thailand accused Cambodia of attacking its troops. It recalled its ambassador from Cambodia."}' \
    '{"id":"a2","date":"2025-08-09","text":"Mexico praised Brazil."}' > "$TMP/docs.jsonl"
expect_status 0 "$DYAD" explain --doc "$TMP/docs.jsonl" a1 1
expect_grep "$TMP/out" 'sentence 1' "the sentence asked for"
expect_grep "$TMP/out" 'coref(It)' "a pronoun carried over from the sentence before"
expect_no_grep "$TMP/out" '^sentence 0' "other sentences shown"
expect_status 0 "$DYAD" explain --json --doc "$TMP/docs.jsonl" a2
json_check "$TMP/out" 'd["doc"] == "a2"' 'd["sentences"][0]["events"][0]["code"] == "051"'

# bad input: clear errors, non-zero status
expect_status 2 "$DYAD" explain
expect_grep "$TMP/err" 'explain needs a sentence' "no text"
expect_status 2 "$DYAD" explain "   "
expect_grep "$TMP/err" 'nothing to explain' "blank text"
expect_status 2 "$DYAD" explain --date 2025-02-30 "$s"
expect_grep "$TMP/err" "'2025-02-30' is not a valid YYYY-MM-DD date" "bad date"
expect_status 1 "$DYAD" explain --doc "$TMP/docs.jsonl" nosuch
expect_grep "$TMP/err" "no document with id 'nosuch'" "unknown id"
expect_status 1 "$DYAD" explain --doc "$TMP/docs.jsonl" a2 7
expect_grep "$TMP/err" 'there is no sentence 7' "sentence out of range"
expect_status 2 "$DYAD" explain --doc "$TMP/docs.jsonl" a2 x
expect_status 1 "$DYAD" explain --doc "$TMP/missing.jsonl" a2
expect_grep "$TMP/err" 'missing.jsonl' "missing file named"
expect_status 3 "$DYAD" explain --dict "$TMP/nodict" "$s"
expect_status 0 "$DYAD" explain --help
expect_grep "$TMP/out" 'usage: dyad explain' "help"
finish

#!/usr/bin/env bash
# End-to-end: who does an infinitive (object control) and whether a permitted act is a fact.
source "$(dirname "$0")/lib.bash"

printf '%s\n' '{"id":"allow","date":"2025-08-09","text":"The New York Times reported that Trump had allegedly signed a directive allowing the Pentagon to use military force against specified drug cartels."}' \
    '{"id":"urge","date":"2025-08-09","text":"France urged Iran to release the detained journalists."}' > "$TMP/ctl.jsonl"
# default output: a permitted use of force is not a use of force
expect_status 0 "$DYAD" code "$TMP/ctl.jsonl"
expect_no_grep "$TMP/out" '"doc":"allow".*"code":"19' "a directive allowing force coded as force used"
# with every modality: the Pentagon (the object of allowing) would use it, as an intention
expect_status 0 "$DYAD" code --all-modalities "$TMP/ctl.jsonl"
expect_grep "$TMP/out" '"source":"USAMIL","target":"---CRM","code":"190"' "object control: the Pentagon is not the user of force"
if grep '"doc":"allow"' "$TMP/out" | grep '"code":"190"' | grep -q '"modality":"intended"'; then ok; else bad "permitted force is not intended"; fi
expect_no_grep "$TMP/out" '"doc":"urge".*"source":"FRA[A-Z]*","target":"[A-Z]*","code":"08' "France, not Iran, taken as the releaser"
finish

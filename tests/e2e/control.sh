#!/usr/bin/env bash
# End-to-end: who does an infinitive (object control), whether a permitted act is a fact, and
# who authorises force.
source "$(dirname "$0")/lib.bash"

printf '%s\n' '{"id":"allow","date":"2025-08-09","text":"The New York Times reported that Trump had allegedly signed a directive allowing the Pentagon to use military force against specified drug cartels."}' \
    '{"id":"ctl","date":"2025-08-09","text":"Russia allowed Belarus to attack Ukraine."}' > "$TMP/ctl.jsonl"
# default output: a permitted use of force is not a use of force; the authorisation is a
# threat of force by the one who signed it, as reported
expect_status 0 "$DYAD" code "$TMP/ctl.jsonl"
expect_no_grep "$TMP/out" '"doc":"allow".*"code":"19' "a directive allowing force coded as force used"
if grep '"doc":"allow"' "$TMP/out" | grep '"source":"USAGOV","target":"---CRM","code":"138"' | grep -q '"modality":"reported"'; then ok; else bad "the signer does not threaten force, as reported"; fi
# with every modality: Belarus (the object of allowed) would attack, as an intention
expect_status 0 "$DYAD" code --all-modalities "$TMP/ctl.jsonl"
if grep '"doc":"ctl"' "$TMP/out" | grep '"source":"BLR","target":"UKR","code":"190"' | grep -q '"modality":"intended"'; then ok; else bad "object control: Belarus is not the attacker, or not as an intention"; fi
expect_no_grep "$TMP/out" '"doc":"ctl".*"source":"RUS","target":"UKR","code":"19' "Russia taken as the attacker"

# the example article: the cartels of "specified drug cartels" are the article's Mexican ones
expect_status 0 "$DYAD" code examples/us-mexico-sovereignty.jsonl
expect_grep "$TMP/out" '"source":"USAGOV","target":"MEXCRM","code":"138"' "USAGOV -> MEXCRM threat of force missing"
expect_grep "$TMP/out" '"target":"article(MEXCRM): ' "bare agent resolved without saying so"
finish

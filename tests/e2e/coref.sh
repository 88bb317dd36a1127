#!/usr/bin/env bash
# End-to-end: who pronouns and definite nouns stand for, across the sentences of a story.
source "$(dirname "$0")/lib.bash"

text='Thai and Cambodian troops exchanged fire along the disputed border on Thursday. They clashed again on Friday near an ancient Hindu temple. Thailand accused Cambodia of laying new landmines, and it recalled its ambassador. Cambodia denied the accusation.'
printf '{"id":"tk","date":"2025-07-26","text":"%s"}\n' "$text" > "$TMP/tk.jsonl"
expect_status 0 "$DYAD" code "$TMP/tk.jsonl"
# "They" is the whole list, and the list fights among itself
expect_grep "$TMP/out" '"sent":1,"date":"2025-07-26","event_date":"2025-07-25","date_precision":"day","source":"THAMIL","target":"KHMMIL","code":"190"' "They != Thai and Cambodian troops"
expect_grep "$TMP/out" '"sent":1,"date":"2025-07-26","event_date":"2025-07-25","date_precision":"day","source":"KHMMIL","target":"THAMIL","code":"190"' "They: the reverse event is missing"
expect_grep "$TMP/out" '"source":"coref(They): the list of ' "plural pronoun rule missing"
# "and it recalled": the subject of the first conjunct, not the nearest country
if grep -qE '"source":"THA","target":"[A-Z-]*","code":"161"' "$TMP/out"; then ok; else bad "'it' did not resolve to Thailand"; fi
expect_no_grep "$TMP/out" '"source":"KHM[A-Z]*","target":"[A-Z]*","code":"161"' "'it' resolved to Cambodia"
# "the accusation" is Thailand's: Cambodia denies Thailand
expect_grep "$TMP/out" '"source":"KHM","target":"THA","code":"016"' "the accusation not traced to Thailand"
expect_grep "$TMP/out" '"target":"bridge(accusation): ' "accusation bridge rule missing"

# object pronouns: "him" is not the clause's own subject; "her" is a person too
printf '%s\n' '{"id":"him","date":"2026-02-10","text":"NATO Secretary General Mark Rutte visited Warsaw on Monday. Polish President Karol Nawrocki thanked him for the support."}' \
    '{"id":"her","date":"2025-05-17","text":"Italian Prime Minister Giorgia Meloni hosted Ukrainian President Volodymyr Zelensky in Rome. Zelensky thanked her for the air defence systems."}' > "$TMP/obj.jsonl"
expect_status 0 "$DYAD" code "$TMP/obj.jsonl"
expect_grep "$TMP/out" '"source":"POLGOV","target":"IGOWSTNAT","code":"051"' "'him' did not resolve to Rutte"
expect_grep "$TMP/out" '"source":"UKRGOV","target":"ITAGOV","code":"051"' "'her' did not resolve to Meloni"

# a definite noun (or its compound) owned earlier, reached through an infinitive; a participle
# clause takes the speaker as its subject
printf '%s\n' '{"id":"veto","date":"2025-02-21","text":"The European Union will impose new sanctions on Russia next week. Hungary threatened to veto the sanctions package."}' \
    '{"id":"rej","date":"2025-12-15","text":"Thai Prime Minister Anutin Charnvirakul spoke on Sunday. \u201cWe will not negotiate under fire,\u201d Anutin said, rejecting calls from Malaysia for new talks."}' > "$TMP/veto.jsonl"
expect_status 0 "$DYAD" code "$TMP/veto.jsonl"
expect_grep "$TMP/out" '"source":"HUN","target":"IGOEUREEC","code":"130"' "the sanctions package not traced to the EU"
expect_grep "$TMP/out" '"target":"bridge(sanction): ' "bridge rule does not name the compound noun"
expect_grep "$TMP/out" '"source":"THAGOV","target":"MYS","code":"125"' "the participle clause lost its subject"

# "the bloc": the organisation named before
printf '%s\n' '{"id":"bloc","date":"2025-02-21","text":"The European Union met in Brussels on Friday. Kaja Kallas said the bloc will send more artillery ammunition to Ukraine."}' > "$TMP/bloc.jsonl"
expect_status 0 "$DYAD" code --all-modalities "$TMP/bloc.jsonl"
expect_grep "$TMP/out" '"source":"IGOEUREEC","target":"UKR","code":"07' "the bloc is not the EU"
expect_grep "$TMP/out" '"source":"coref(the bloc): ' "the bloc rule missing"

# the trigger's own words are not a party ("military" in "use military force"); a purchase
# owned by its buyer ("wanted to buy the island" ... "rejected any sale")
printf '%s\n' '{"id":"grl","date":"2026-01-22","text":"President Donald Trump said on Wednesday that the United States would not use military force to acquire Greenland. Speaking in Davos, he repeated that Washington wanted to buy the island from Denmark. Danish officials rejected any sale of the territory."}' > "$TMP/grl.jsonl"
expect_status 0 "$DYAD" code --all-modalities "$TMP/grl.jsonl"
expect_grep "$TMP/out" '"source":"USA","target":"GRL","code":"190","root":"19"' "use military force: target is not Greenland"
expect_grep "$TMP/out" '"modality":"negated"' "would not use force: not negated"
expect_no_grep "$TMP/out" '"target":"---MIL"' "the trigger's own word taken as the target"
expect_grep "$TMP/out" '"source":"DNKGOV","target":"USA","code":"12"' "the sale not traced to its buyer"
finish

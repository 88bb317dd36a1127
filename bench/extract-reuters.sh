#!/usr/bin/env bash
# Turns the Reuters-21578 SGML files into dyad JSON Lines documents.
#
#   bench/extract-reuters.sh ../shared/corpora/news/reuters21578 > reuters.jsonl
#
# Each <REUTERS> element with a <BODY> becomes {"id","date","source","title","text"}:
# id = NEWID, date = <DATE> (26-FEB-1987 -> 1987-02-26), title = <TITLE>, text = <BODY>.
# In the bodies a line break followed by indentation starts a paragraph (a blank line in the
# text); other line breaks are spaces.  SGML entities (&lt; &gt; &amp;) are decoded and the
# control-character entities (&#2; &#3; ...) dropped.  The files are Latin-1 and are converted
# to UTF-8 first (iconv).
set -euo pipefail
dir=${1:?usage: extract-reuters.sh REUTERS_DIR}
LC_ALL=C awk '
BEGIN { RS = "</REUTERS>"; split("JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC", m, " ");
        for (i = 1; i <= 12; i++) mon[m[i]] = sprintf("%02d", i) }
function grab(tag,   s, e) {
    s = index($0, "<" tag ">"); if (!s) return "";
    e = index(substr($0, s), "</" tag ">"); if (!e) return "";
    return substr($0, s + length(tag) + 2, e - length(tag) - 3)
}
function clean(t) {
    gsub(/&#[0-9]+;/, "", t); gsub(/&lt;/, "<", t); gsub(/&gt;/, ">", t); gsub(/&amp;/, "\\&", t)
    gsub(/\r/, "", t); gsub(/\n[ \t]+/, "\001", t); gsub(/\n/, " ", t); gsub(/\001/, "\n\n", t)
    gsub(/[ \t]+/, " ", t); sub(/^[ \n]+/, "", t); sub(/[ \n]+$/, "", t)
    return t
}
function json(t) {
    gsub(/\\/, "\\\\", t); gsub(/"/, "\\\"", t); gsub(/\n/, "\\n", t); gsub(/\t/, "\\t", t)
    gsub(/[\001-\037]/, "", t)
    return "\"" t "\""
}
{
    body = grab("BODY"); if (body == "") next
    id = $0; sub(/.*NEWID="/, "", id); sub(/".*/, "", id)
    d = grab("DATE"); gsub(/^ +/, "", d); split(d, p, /[- ]/)
    date = sprintf("%s-%s-%02d", substr(p[3], 1, 4), mon[p[2]], p[1])
    printf "{\"id\":\"reuters-%s\",\"date\":\"%s\",\"source\":\"reuters21578\",\"title\":%s,\"text\":%s}\n",
        id, date, json(clean(grab("TITLE"))), json(clean(body))
}' <(cat "$dir"/reut2-0*.sgm | iconv -f latin1 -t utf-8)

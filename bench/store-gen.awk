# Synthetic pre-coded events in dyad's JSON Lines event format, for bench/store.sh.
#   awk -v n=1000000 -f bench/store-gen.awk > events.jsonl
# 5 events per document; actors drawn from 60 country codes with a Zipf-like skew (USA, CHN,
# RUS ... are common, the tail is rare), 40% with an agent (GOV, MIL, ...); dates over
# 2015-2024; CAMEO codes from a fixed list with their quad class and Goldstein score.
BEGIN {
    srand(7)
    nc = split("USA CHN RUS GBR FRA DEU IND JPN ISR IRN SYR UKR TUR PAK AFG IRQ SAU EGY KOR PRK " \
               "MEX CAN BRA AUS ITA ESP NGA ZAF KEN ETH SDN LBY YEM QAT ARE JOR LBN PSE IDN PHL " \
               "VNM THA MYS MMR BGD LKA NPL VEN COL ARG CHL PER CUB POL SWE NOR FIN GRC SRB HUN", c, " ")
    for (i = 1; i <= nc; i++) { w[i] = 1 / i; tot += w[i] }
    acc = 0; for (i = 1; i <= nc; i++) { acc += w[i] / tot; cum[i] = acc }
    na = split("GOV MIL COP OPP REB BUS MED JUD", ag, " ")
    ne = split("010 1 0.0|020 1 3.0|036 1 4.0|040 1 1.0|042 1 1.9|043 1 2.8|051 1 3.4|057 1 8.0|" \
               "061 2 6.4|071 2 7.4|081 2 5.0|0831 2 5.0|090 3 -2.0|111 3 -2.0|112 3 -2.0|" \
               "1211 3 -4.0|13 3 -4.4|138 3 -7.0|141 3 -6.5|145 4 -7.5|163 4 -8.0|173 4 -5.0|" \
               "180 4 -9.0|190 4 -10.0|193 4 -10.0|195 4 -10.0", ev, "|")
    split("MAKE_STATEMENT APPEAL CONSULT CONSULT CONSULT CONSULT CONSULT COOPERATE AID AID YIELD " \
          "YIELD INVESTIGATE ACCUSE ACCUSE REJECT THREATEN THREATEN PROTEST PROTEST COERCE COERCE " \
          "ASSAULT FIGHT FIGHT FIGHT", pl, " ")
    split("asserted asserted asserted asserted asserted asserted asserted reported reported negated", mo, " ")
    for (i = 0; i < n; i++) {
        d = int(i / 5)
        if (i % 5 == 0) {
            day = 1 + int(rand() * 3650)      # days since 2015-01-01
            y = 2015; dd = day
            while (dd > 365) { dd -= 365; y++ }
            m = 1 + int((dd - 1) / 31); if (m > 12) m = 12
            dm = 1 + (dd - 1) % 28
            date = sprintf("%04d-%02d-%02d", y, m, dm)
        }
        s = actor(); t = actor()
        k = 1 + int(rand() * ne)
        split(ev[k], e, " ")
        printf "{\"doc\":\"bench-%07d\",\"sent\":%d,\"date\":\"%s\",\"event_date\":\"%s\",\"date_precision\":\"day\",\"source\":\"%s\",\"target\":\"%s\",\"code\":\"%s\",\"root\":\"%s\",\"quad\":%d,\"goldstein\":%.1f,\"plover\":\"%s\",\"modality\":\"%s\",\"trigger\":{\"text\":\"met with\",\"start\":%d,\"end\":%d},\"source_span\":{\"text\":\"%s officials\",\"start\":0,\"end\":13},\"target_span\":{\"text\":\"%s\",\"start\":30,\"end\":33},\"rules\":{\"verb\":\"data/dict/verbs.dict:%d\",\"source\":\"data/dict/actors.dict:%d\",\"target\":\"data/dict/actors.dict:%d\"},\"sentence\":\"Officials of %s met with envoys from %s on Tuesday in talks about trade and security, sentence %d.\"}\n", \
            d, i % 5, date, date, s, t, e[1], substr(e[1], 1, 2), e[2], e[3], pl[k], mo[1 + int(rand() * 10)], \
            14 + i % 5, 22 + i % 5, s, t, 100 + k, 1 + int(rand() * 300), 1 + int(rand() * 300), s, t, i % 5
    }
}
function actor(   r, i) {
    r = rand()
    for (i = 1; i < nc && cum[i] < r; i++) ;
    return c[i] (rand() < 0.4 ? ag[1 + int(rand() * na)] : "")
}

#!/bin/sh
# train-models.sh - rebuilds data/models/tagger.bin, parser.bin,
# parser-beam.bin and splitter.bin from UD English-EWT (train for training,
# dev for model selection).
#
#   tools/train-models.sh [SHARED_DIR] [OUT_DIR]
#
# SHARED_DIR defaults to ../shared (the read-only data next to the repo),
# OUT_DIR to data/models.  Takes ~15 minutes on 2 cores (the beam parser is
# most of it); both parsers are trained on tags predicted by 4-fold
# jackknifed taggers, so they see realistic tag errors.  Models are deterministic for a given dyad version and data.
set -eu
cd "$(dirname "$0")/.."
SHARED=${1:-../shared}
OUT=${2:-data/models}
EWT="$SHARED/corpora/ud/UD_English-EWT"
[ -r "$EWT/en_ewt-ud-train.conllu" ] || { echo "train-models.sh: $EWT not found" >&2; exit 2; }
make -s build/dyad
mkdir -p "$OUT"
./build/dyad train tagger --train "$EWT/en_ewt-ud-train.conllu" --dev "$EWT/en_ewt-ud-dev.conllu" \
    --epochs 12 -o "$OUT/tagger.bin.new"
./build/dyad train parser --train "$EWT/en_ewt-ud-train.conllu" --dev "$EWT/en_ewt-ud-dev.conllu" \
    --tagger "$OUT/tagger.bin.new" --jackknife 4 --epochs 14 -o "$OUT/parser.bin.new"
./build/dyad train parser --train "$EWT/en_ewt-ud-train.conllu" --dev "$EWT/en_ewt-ud-dev.conllu" \
    --tagger "$OUT/tagger.bin.new" --jackknife 4 --beam 8 --epochs 20 -o "$OUT/parser-beam.bin.new"
./build/dyad train splitter --train "$EWT/en_ewt-ud-train.conllu" --dev "$EWT/en_ewt-ud-dev.conllu" \
    --epochs 10 -o "$OUT/splitter.bin.new"
mv "$OUT/tagger.bin.new" "$OUT/tagger.bin"
mv "$OUT/parser.bin.new" "$OUT/parser.bin"
mv "$OUT/parser-beam.bin.new" "$OUT/parser-beam.bin"
mv "$OUT/splitter.bin.new" "$OUT/splitter.bin"
ls -l "$OUT"/*.bin
./build/dyad parse -m "$OUT" --eval "$EWT/en_ewt-ud-test.conllu"
./build/dyad parse -m "$OUT" --accurate --eval "$EWT/en_ewt-ud-test.conllu"

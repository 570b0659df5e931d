#!/usr/bin/env bash
# Lays out the Free Spoken Digit Dataset (../shared/data/fsdd) for `rnn4j train classify --audio-dir ... --test ...`,
# as folders of symbolic links (nothing is copied):
#   OUT/official/{train,test}      the official split: take 0-4 of every speaker and digit is the test set
#   OUT/speaker-S/{train,test}     speaker-independent: the five other speakers train, speaker S tests
# Usage: examples/fsdd/split.sh [RECORDINGS_DIR] [OUT_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
recordings=${1:-$here/../shared/data/fsdd/recordings}
out=${2:-$here/target/fsdd}
[ -d "$recordings" ] || { echo "no recordings folder at $recordings" >&2; exit 2; }
recordings=$(cd "$recordings" && pwd)
rm -rf "$out"
mkdir -p "$out/official/train" "$out/official/test"
speakers=$(ls "$recordings" | sed -n 's/^[0-9]_\([a-z]*\)_[0-9]*\.wav$/\1/p' | sort -u)
for s in $speakers; do mkdir -p "$out/speaker-$s/train" "$out/speaker-$s/test"; done
for path in "$recordings"/*.wav; do
  f=$(basename "$path")
  take=${f##*_}; take=${take%.wav}
  speaker=$(echo "$f" | cut -d_ -f2)
  if [ "$take" -le 4 ]; then ln -s "$path" "$out/official/test/$f"; else ln -s "$path" "$out/official/train/$f"; fi
  for s in $speakers; do
    if [ "$s" = "$speaker" ]; then ln -s "$path" "$out/speaker-$s/test/$f"; else ln -s "$path" "$out/speaker-$s/train/$f"; fi
  done
done
echo "$out: official split $(ls "$out/official/train" | wc -l) / $(ls "$out/official/test" | wc -l); speakers: $(echo $speakers)"

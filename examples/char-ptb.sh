#!/usr/bin/env bash
# Character-level Penn Treebank: the LSTM, the batch-normalised LSTM (Cooijmans et al. 2016, "Recurrent Batch
# Normalization", whose Table 2 gives test 1.38 bpc for their LSTM 1000) and the layer-normalised LSTM (Ba et al. 2016),
# at one size that trains in under 30 minutes per model on 2 cores: 1 layer of 256 units, embedding 64, truncated BPTT
# over 100 steps, 64 streams, Adam 2e-3, gradient norm clipped at 1, EPOCHS epochs (default 8). Batch normalisation
# keeps population statistics for the 100 steps of a chunk (--batch-norm-steps, default --bptt), with gains from 0.1.
#
# The character files are derived from the word files first (rnn4j data ptb-chars: ptb.char.train.txt is not stored;
# its sha256 is checked). Every symbol, "_" between words, and the end of each line are tokens (--level word
# --tokenizer whitespace), so bits per character = loss in nats per token / ln 2 over those 50 symbols.
#
# Usage: examples/char-ptb.sh [extra train-lm options]
#   MODELS="lstm bn ln" (default: all three, in that order), EPOCHS=8, THREADS=2, PTB_DIR=../shared/data/ptb,
#   OUT=target/char-ptb (models, metrics, logs), FIGURES=docs/img (the learning curves, char-ptb-curves.svg).
# Per model: OUT/<model>.rnn4j (the bundle), <model>.json (train lm's metrics), <model>.jsonl (a line per step and per
# epoch), <model>.bpc.json (valid and test bpc, seconds, the per-epoch validation curve and the training curve).
# Prints one summary line per model at the end.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
ptb=${PTB_DIR:-$root/../shared/data/ptb}
out=${OUT:-$root/target/char-ptb}
figures=${FIGURES:-$root/docs/img}
epochs=${EPOCHS:-8}
threads=${THREADS:-2}
models=${MODELS:-lstm bn ln}
for f in ptb.train.txt ptb.valid.txt ptb.test.txt; do
  if [ ! -f "$ptb/$f" ]; then echo "examples/char-ptb.sh: $ptb/$f not found; set PTB_DIR to the folder with the PTB files" >&2; exit 2; fi
done
mkdir -p "$out"

"$root/rnn4j" data ptb-chars --ptb-dir "$ptb" --out-dir "$out/data" | tee "$out/data.txt"
grep -q "ptb.char.train.txt: .*(the published sha256)" "$out/data.txt" || { echo "examples/char-ptb.sh: ptb.char.train.txt is not the published one" >&2; exit 1; }

for model in $models; do
  case $model in
    lstm) norm=() ;;
    bn) norm=(--batch-norm) ;;
    ln) norm=(--layer-norm) ;;
    *) echo "examples/char-ptb.sh: unknown model '$model' (lstm, bn, ln)" >&2; exit 2 ;;
  esac
  echo "== $model: $epochs epochs" >&2
  rm -rf "$out/$model.rnn4j.run"
  "$root/rnn4j" train lm --text "$out/data/ptb.char.train.txt" --valid "$out/data/ptb.char.valid.txt" --test "$out/data/ptb.char.test.txt" \
    --level word --tokenizer whitespace --hidden 256 --embedding-size 64 --bptt 100 --batch 64 \
    --learning-rate 0.002 --clip-norm 1 --epochs "$epochs" --patience "$epochs" --threads "$threads" "${norm[@]}" \
    --out "$out/$model.rnn4j" --metrics-out "$out/$model.json" --log-jsonl "$out/$model.jsonl" "$@" >&2
done

# the bpc summaries, one line per model, and the learning curves
python3 "$root/examples/char-ptb-figures.py" "$out" "$figures"

#!/usr/bin/env bash
# Penn Treebank, word level: the "small" model of Zaremba, Sutskever & Vinyals (2014), "Recurrent Neural Network
# Regularization", Table 1 (published: validation 120.7, test 114.5 perplexity).
#
# The recipe of their reference code (TensorFlow's ptb_word_lm SmallConfig): 2 layers of 200 LSTM units, embedding
# 200, unrolled 20 steps, batch 20, SGD with learning rate 1 for 4 epochs then halved every epoch, 13 epochs,
# gradient norm clipped at 5, every weight uniform in +-0.1, no dropout, and the gradient of the batch-mean
# cross-entropy summed over the 20 steps (--sum-over-steps). Scores are per token.
#
# Usage: examples/ptb-small.sh [extra train-lm options] (EPOCHS=1 for one epoch, as bench/ptb_side_by_side.sh). PTB_DIR names the folder with ptb.{train,valid,test}.txt
# (default: ../shared/data/ptb beside the repository). The model and metrics go to target/ptb-small.*; the last
# line printed is the metrics JSON (valid/test loss and perplexity, seconds, tokens_per_second).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
data=${PTB_DIR:-$root/../shared/data/ptb}
for f in ptb.train.txt ptb.valid.txt ptb.test.txt; do
  if [ ! -f "$data/$f" ]; then echo "examples/ptb-small.sh: $data/$f not found; set PTB_DIR to the folder with the PTB files" >&2; exit 2; fi
done
mkdir -p "$root/target"
out="$root/target/ptb-small"
rm -rf "$out.rnn4j.run"
"$root/rnn4j" train lm --text "$data/ptb.train.txt" --valid "$data/ptb.valid.txt" --test "$data/ptb.test.txt" \
  --level word --tokenizer whitespace --hidden 200 --layers 2 --embedding-size 200 --bptt 20 --batch 20 \
  --optimizer sgd --learning-rate 1 --lr-decay 0.5 --lr-decay-after 4 --epochs "${EPOCHS:-13}" --patience 13 \
  --clip-norm 5 --init-scale 0.1 --sum-over-steps --threads 2 \
  --out "$out.rnn4j" --metrics-out "$out.json" --log-jsonl "$out.jsonl" "$@" >&2
# the metrics on one line, last (the file itself is pretty-printed)
tr -d '\n' < "$out.json" | sed 's/  */ /g'; echo

#!/usr/bin/env bash
# The adding problem across lengths: the table that shows why gates were invented (docs/results.md).
#
# For T in 50 100 200 400 1000 and the tanh RNN, the GRU and the LSTM (hidden 64, batch 50, Adam 3e-3, clip 1),
# trains for a budget of STEPS steps (default 5000) and records the first validation step whose MSE is below 0.01
# (predicting the mean scores 0.167), the final test MSE and the seconds; then the LSTM and the GRU again with chrono
# initialisation (Tallec & Ollivier 2018) at T = 400 and 1000. Each run's metrics, with ||dL/dh_t|| for every t
# (grad_norm_by_step), go to target/adding/<cell>-T<T>[-chrono].json; the table is printed at the end, in Markdown.
#
# Usage: examples/adding-table.sh [LENGTHS...]   e.g. examples/adding-table.sh 50 100   (STEPS=2000 for a quick look)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
steps=${STEPS:-5000}
lengths=("$@")
[ ${#lengths[@]} -gt 0 ] || lengths=(50 100 200 400 1000)
out="$root/target/adding"
mkdir -p "$out"

run() { # cell T [chrono]
  local cell=$1 t=$2 name="$1-T$2" extra=()
  if [ "${3:-}" = chrono ]; then name="$name-chrono"; extra=(--init chrono --max-dependency "$t"); fi
  "$root/rnn4j" train adding --cell "$cell" --length "$t" --steps "$steps" --quiet "${extra[@]}" \
    --metrics-out "$out/$name.json" >"$out/$name.txt" 2>&1 || { echo "$name failed: see $out/$name.txt" >&2; return 1; }
  local mse seconds solved
  mse=$(sed -n 's/^test mse \([0-9.]*\).*/\1/p' "$out/$name.txt")
  seconds=$(sed -n 's/.*steps, \([0-9]*\) s$/\1/p' "$out/$name.txt")
  solved=$(sed -n 's/^solved at step \([0-9]*\).*/\1/p' "$out/$name.txt")
  printf '| %s | %s | %s | %s | %s | %s |\n' "$cell" "$t" "${3:-default}" "${solved:-not reached in $steps}" "$mse" "$seconds" | tee -a "$out/table.md"
}

printf '| cell | T | init | steps to validation MSE < 0.01 | final test MSE | seconds |\n|---|---|---|---|---|---|\n' > "$out/table.md"
for t in "${lengths[@]}"; do
  for cell in rnn gru lstm; do run "$cell" "$t"; done
done
for t in "${lengths[@]}"; do
  if [ "$t" -ge 400 ]; then
    for cell in gru lstm; do run "$cell" "$t" chrono; done
  fi
done
echo
cat "$out/table.md"

#!/usr/bin/env bash
# Penn Treebank "small" (Zaremba et al. 2014): rnn4j and PyTorch train one epoch of the same recipe, one after the
# other in the same session, and the training words per second are compared. PyTorch runs with tcmalloc preloaded
# (bench/ptb_small_pytorch.sh) and 2 threads, as rnn4j. Needs Debian's python3-torch and google-perftools.
# Prints both metrics lines, then the ratio.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root="$here/.."
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
ours=$(EPOCHS=1 "$root/examples/ptb-small.sh" | tail -1)
theirs=$("$here/ptb_small_pytorch.sh" --epochs 1 --threads 2 | tail -1)
echo "rnn4j:   $ours"
echo "PyTorch: $theirs"
python3 - "$ours" "$theirs" <<'PY'
import json, sys
ours, theirs = json.loads(sys.argv[1]), json.loads(sys.argv[2])
a, b = ours["tokens_per_second"], theirs["words_per_second"]
print(f"training words/s: rnn4j {a:.0f}, PyTorch {b:.0f}, ratio {a / b:.2f}x")
PY

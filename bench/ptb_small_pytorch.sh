#!/usr/bin/env bash
# The PyTorch side of the Penn Treebank "small" comparison (Zaremba et al. 2014), with tcmalloc preloaded: glibc's
# allocator makes PyTorch up to 3x slower on these machines, and we compare against PyTorch at its best.
# Needs Debian's python3-torch and google-perftools. Arguments go to ptb_small_pytorch.py (e.g. --max-steps 300
# for throughput alone).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tcmalloc=$(ls /usr/lib/*/libtcmalloc_minimal.so.4 2>/dev/null | head -1)
if [ -z "$tcmalloc" ]; then echo "tcmalloc not found: apt-get install google-perftools" >&2; exit 2; fi
echo "LD_PRELOAD=$tcmalloc" >&2
LD_PRELOAD="$tcmalloc" exec /usr/bin/python3 "$here/ptb_small_pytorch.py" --data "$here/../../shared/data/ptb" "$@"

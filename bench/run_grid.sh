#!/usr/bin/env bash
# Runs the benchmark grid of docs/benchmarks.md for rnn4j (`./rnn4j bench`) and PyTorch (bench/pytorch_bench.py),
# side by side: each configuration runs rnn4j, then PyTorch, before the next one, so both see the same machine.
# Prints progress on stderr; writes the raw JSON lines and a markdown report (bench/grid_report.py: the machine,
# then the tables: rnn4j, PyTorch and PyTorch / rnn4j, above 1 where rnn4j is faster; sgemm; serving latency;
# peak memory; rnn4j's heap allocation per step, rows that allocate flagged).
#
#   bench/run_grid.sh [--out FILE.md] [--json FILE.jsonl] [--steps K] [--warmup-seconds S] [--threads "1 2"]
#                     [--only "lstm-train-S gru-train-M ..."] [--max-load L] [--peer-blas "detected SkylakeX"]
#                     [--peer-allocator tcmalloc|system] [--sgemm-size N]
#
# Rows (name: cell, mode, I, H, T, B; each at every --threads count):
#   lstm-train-S/M/L, gru-train-M, rnn-train-M   training steps (forward, MSE, backward, Adam) at S, M, L
#   lstm2-train-M                                 M with 2 stacked layers and dropout 0.2 between them (train mode)
#   lstm-infer-S/M/L, lstm2-infer-M               forward passes (inference mode; no dropout)
#   serve-B1, serve-B8                            serving latency: a model's forward pass with its head, LSTM
#                                                 I=64 H=256 T=100 at B=1 and B=8, reported in ms per sequence
#   lstm-stream                                   one step per call, B=1, I=32, H=128
# with S (I=32, H=128, T=50, B=32), M (I=64, H=256, T=100, B=64), L (I=128, H=512, T=100, B=64).
# Before the first row and after the last, OpenBLAS's sgemm N^3 (torch.mm, N = --sgemm-size, 2048; 0 skips it) at
# each --threads count and --peer-blas variant, under PyTorch's allocator and OPENBLAS_CORETYPE: the report gives
# each rnn4j GFLOP/s figure also as a fraction of the higher of the two at that thread count and variant.
# rnn4j's JSON holds the heap bytes all its threads allocated per timed step; the report flags rows above 64 bytes
# per time step (see bench/grid_report.py).
#
# --max-load waits (up to 10 minutes) before each run until the 1-minute load average is below L; the report
# records the load before and after. Other work on the machine makes the numbers noisy: run it on a quiet one.
# --peer-blas lists the OpenBLAS kernels PyTorch runs with, one PyTorch column each: "detected" runs it with
# OPENBLAS_CORETYPE unset (OpenBLAS picks by CPU model, and falls back to its SSE3 "Prescott" kernels for models
# it does not know), any other word sets OPENBLAS_CORETYPE to it, for PyTorch's runs only. Default: "detected",
# plus "SkylakeX" (AVX-512) on a CPU with AVX-512 whose detected kernels are not AVX-512 ones.
# --peer-allocator: PyTorch runs with tcmalloc preloaded (LD_PRELOAD, PyTorch at its best; the default; the script
# stops if it is not installed), or "system" for the process's own malloc. The JSON records the one loaded.
# --steps and --warmup-seconds apply to every run, sgemm's too (whose own defaults are 10 steps, 5 warm-up steps).
# A smoke test of a few rows: --only "lstm2-train-M serve-B1" --steps 2 --warmup-seconds 0
#
# Needs: JDK 25 (found as ./rnn4j finds it), Maven for the first build, /usr/bin/python3 with torch
# (Debian: apt-get install python3-torch libopenblas0-openmp google-perftools).
# RNN4J_BENCH overrides the rnn4j command (default: ./rnn4j bench, or the CLI jar's BenchCommand if this build
# of ./rnn4j has no bench command); PYTHON the interpreter (default /usr/bin/python3); TCMALLOC the path of
# libtcmalloc_minimal.so.4 (default: found under /usr/lib and /lib).
set -euo pipefail

root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
out=$root/bench/target/grid.md
json=$root/bench/target/grid.jsonl
steps=""
warmup=""
thread_counts="1 2"
only=""
max_load=""
peer_blas=""
peer_allocator=tcmalloc
sgemm_size=2048
python=${PYTHON:-/usr/bin/python3}

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case $1 in
    --out) out=$2; shift 2 ;;
    --json) json=$2; shift 2 ;;
    --steps) steps=$2; shift 2 ;;
    --warmup-seconds) warmup=$2; shift 2 ;;
    --threads) thread_counts=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    --max-load) max_load=$2; shift 2 ;;
    --peer-blas) peer_blas=$2; shift 2 ;;
    --peer-allocator) peer_allocator=$2; shift 2 ;;
    --sgemm-size) sgemm_size=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run_grid.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
done

# --- the grid: name cell mode I H T B [layers dropout] ----------------------------------------------------------------
grid=(
  "lstm-train-S lstm train 32 128 50 32"
  "lstm-train-M lstm train 64 256 100 64"
  "lstm-train-L lstm train 128 512 100 64"
  "gru-train-M gru train 64 256 100 64"
  "rnn-train-M rnn train 64 256 100 64"
  "lstm2-train-M lstm train 64 256 100 64 2 0.2"
  "lstm-infer-S lstm infer 32 128 50 32"
  "lstm-infer-M lstm infer 64 256 100 64"
  "lstm-infer-L lstm infer 128 512 100 64"
  "lstm2-infer-M lstm infer 64 256 100 64 2 0.2"
  "serve-B1 lstm serve 64 256 100 1"
  "serve-B8 lstm serve 64 256 100 8"
  "lstm-stream lstm stream 32 128 1 1"
)
if [ -n "$only" ]; then # a name that is no row is a typo: say so before running anything
  for want in $only; do
    found=""
    for entry in "${grid[@]}"; do [ "${entry%% *}" = "$want" ] && found=1; done
    if [ -z "$found" ]; then
      echo "run_grid.sh: --only: no row named '$want'; the rows: $(for e in "${grid[@]}"; do printf '%s ' "${e%% *}"; done)" >&2
      exit 2
    fi
  done
fi

# --- PyTorch's allocator: tcmalloc, preloaded (checked before anything runs) -------------------------------------
tcmalloc=""
case $peer_allocator in
  tcmalloc)
    tcmalloc=${TCMALLOC:-$(ls /usr/lib/*-linux-gnu/libtcmalloc_minimal.so.4 /lib/*-linux-gnu/libtcmalloc_minimal.so.4 \
      /usr/lib64/libtcmalloc_minimal.so.4 /usr/lib/libtcmalloc_minimal.so.4 2>/dev/null | head -n 1 || true)}
    if [ -z "$tcmalloc" ] || ! [ -f "$tcmalloc" ]; then
      echo "run_grid.sh: tcmalloc (libtcmalloc_minimal.so.4) not found${TCMALLOC:+ at $TCMALLOC}: PyTorch runs with it" \
        "preloaded, at its best. Install it (apt-get install google-perftools), set TCMALLOC to its path, or run with" \
        "--peer-allocator system" >&2
      exit 1
    fi
    allocator_env=(LD_PRELOAD="$tcmalloc")
    ;;
  system) allocator_env=(-u LD_PRELOAD) ;;
  *) echo "run_grid.sh: --peer-allocator must be tcmalloc or system, got '$peer_allocator'" >&2; exit 2 ;;
esac

# --- rnn4j ---------------------------------------------------------------------------------------------------------
jdk=$("$root/scripts/jdk25")
if [ -n "${RNN4J_BENCH:-}" ]; then
  read -r -a ours <<<"$RNN4J_BENCH"
elif "$root/rnn4j" bench --help >/dev/null 2>&1; then
  ours=("$root/rnn4j" bench)
else
  # a build whose front end does not list bench yet: run the command class from the CLI jar (built by ./rnn4j)
  "$root/rnn4j" --version >/dev/null
  ours=("$jdk/bin/java" --add-modules jdk.incubator.vector -cp "$root/cli/target/rnn4j-cli.jar" dev.rnn4j.cli.BenchCommand)
fi

# --- PyTorch, once per --peer-blas variant; OPENBLAS_CORETYPE and LD_PRELOAD change for its runs alone -------------
peer() { # peer VARIANT ARGS...
  local variant=$1
  shift
  if [ "$variant" = detected ]; then
    env -u OPENBLAS_CORETYPE "${allocator_env[@]}" "$python" "$root/bench/pytorch_bench.py" --allocator "$peer_allocator" "$@"
  else
    env "${allocator_env[@]}" OPENBLAS_CORETYPE="$variant" "$python" "$root/bench/pytorch_bench.py" --allocator "$peer_allocator" "$@"
  fi
}
peer detected --help >/dev/null ||
  { echo "run_grid.sh: $python cannot run bench/pytorch_bench.py (is python3-torch installed?)" >&2; exit 1; }
detected_core=$(peer detected --print-blas-core 2>/dev/null || true)
if [ -z "$peer_blas" ]; then
  peer_blas=detected
  if grep -qw avx512f /proc/cpuinfo && ! [[ "$detected_core" =~ ^(SkylakeX|Cooperlake|SapphireRapids)$ ]]; then
    peer_blas="detected SkylakeX"
  fi
fi
echo "rnn4j: ${ours[*]}" >&2
echo "PyTorch: bench/pytorch_bench.py, OpenBLAS kernels: $peer_blas (detected: ${detected_core:-unknown})," \
  "allocator: $peer_allocator${tcmalloc:+ (LD_PRELOAD=$tcmalloc)}" >&2

load() { cut -d' ' -f1 /proc/loadavg; }
wait_for_quiet() {
  [ -n "$max_load" ] || return 0
  local waited=0
  while awk -v l="$(load)" -v m="$max_load" 'BEGIN { exit !(l >= m) }'; do
    if [ $waited -ge 600 ]; then
      echo "  (load still $(load) after 10 minutes; running anyway)" >&2
      return 0
    fi
    [ $waited -eq 0 ] && echo "  waiting for the load ($(load)) to fall below $max_load ..." >&2
    sleep 10
    waited=$((waited + 10))
  done
}

mkdir -p "$(dirname "$out")" "$(dirname "$json")"
: >"$json"
load_before=$(cat /proc/loadavg)
started=$(date -u '+%Y-%m-%d %H:%M UTC')
extra=()
[ -n "$steps" ] && extra+=(--steps "$steps")
[ -n "$warmup" ] && extra+=(--warmup-seconds "$warmup")

# one JSON object per run, tagged with the grid entry, the variant, the load average when it ended (and more fields)
record() { # record NAME VARIANT [KEY=VALUE ...] < JSON
  "$python" -c '
import json, sys
r = json.loads(sys.stdin.read())
r["grid"] = sys.argv[1]; r["variant"] = sys.argv[2]; r["load_after"] = float(sys.argv[3])
for kv in sys.argv[4:]:
    k, v = kv.split("=", 1); r[k] = v
print(json.dumps(r))' "$@" >>"$json"
}

# OpenBLAS sgemm N^3 through torch.mm, at each thread count, for each PyTorch variant
sgemm() { # sgemm before|after
  [ "$sgemm_size" -gt 0 ] 2>/dev/null || return 0
  local n impl line
  for n in $thread_counts; do
    for impl in $peer_blas; do
      wait_for_quiet
      echo "sgemm ${sgemm_size}^3 ($1), $n thread(s): PyTorch, $impl OpenBLAS kernels (load $(load))" >&2
      line=$(peer "$impl" --mode sgemm --sgemm-size "$sgemm_size" --threads "$n" --steps 10 --warmup-steps 5 --json "${extra[@]}")
      printf '%s\n' "$line" | record "sgemm-$sgemm_size" "$impl" "$(load)" "when=$1"
    done
  done
}

sgemm before
for entry in "${grid[@]}"; do
  read -r name cell mode i h t b layers dropout <<<"$entry"
  if [ -n "$only" ] && ! [[ " $only " == *" $name "* ]]; then continue; fi
  for n in $thread_counts; do
    args=(--cell "$cell" --mode "$mode" --input-size "$i" --hidden-size "$h" --seq-len "$t" --batch "$b"
          --layers "${layers:-1}" --dropout "${dropout:-0}" --threads "$n" --json "${extra[@]}")
    for impl in rnn4j $peer_blas; do
      wait_for_quiet
      if [ "$impl" = rnn4j ]; then
        echo "$name, $n thread(s): rnn4j (load $(load))" >&2
        line=$("${ours[@]}" "${args[@]}")
      else
        echo "$name, $n thread(s): PyTorch, $impl OpenBLAS kernels (load $(load))" >&2
        line=$(peer "$impl" "${args[@]}")
      fi
      printf '%s\n' "$line" | record "$name" "$impl" "$(load)"
    done
  done
done
sgemm after
load_after=$(cat /proc/loadavg)

# --- the report -------------------------------------------------------------------------------------------------------
cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -n 1)
cpus=$(lscpu | sed -n 's/^CPU(s): *//p' | head -n 1)
tpc=$(lscpu | sed -n 's/^Thread(s) per core: *//p' | head -n 1)
caches=$(lscpu | sed -n 's/^\(L[123][di]* cache\): *\(.*\)/\1 \2/p' | paste -sd ';' - | sed 's/;/, /g')
avx512=$(grep -qw avx512f /proc/cpuinfo && echo "AVX-512" || echo "no AVX-512")
java_version=$("$jdk/bin/java" -version 2>&1 | sed -n 2p)
torch_version=$("$python" -c 'import platform, torch; print("PyTorch", torch.__version__, "on Python", platform.python_version())')
openblas=$(dpkg-query -W -f='${Package} ${Version}\n' 'libopenblas0*' 2>/dev/null | awk 'NF == 2' | paste -sd ';' - | sed 's/;/, /g' || true)

"$python" "$root/bench/grid_report.py" "$json" "$out" \
  --machine "$cpu, $cpus CPUs ($tpc thread(s) per core), $avx512; $caches" \
  --rnn4j "$java_version" \
  --peer "$torch_version; ${openblas:-OpenBLAS}; OpenBLAS kernels detected for this CPU: ${detected_core:-unknown}; malloc: $peer_allocator${tcmalloc:+ (LD_PRELOAD=$tcmalloc)}" \
  --run "$started; load average before: $load_before; after: $load_after" \
  --variants "$peer_blas"
echo "run_grid.sh: wrote $out and $json" >&2

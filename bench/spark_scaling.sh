#!/usr/bin/env bash
# Spark data-parallel scaling (docs/spark.md): examples per second of SparkTrainer on the benchmark grid's LSTM M
# (I=64, H=256, T=100, global batch 64, 332,298 parameters), `local[1]` with one partition against `local[2]` with two,
# each in a JVM of its own, alternating for ROUNDS rounds so that a changing machine load falls on both alike. Prints
# each run's line and the medians and their ratio. Run it on a quiet machine.
#
#   bench/spark_scaling.sh [ROUNDS (default 5)] [SIZE S|M|L (default M)]
#
# Driver JVM options: SPARK_DRIVER_JAVA_OPTS (default: -Xmx2g -XX:+UseParallelGC, see docs/spark.md).
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
rounds=${1:-5}
size=${2:-M}
export SPARK_DRIVER_JAVA_OPTS=${SPARK_DRIVER_JAVA_OPTS:--Xmx2g -XX:+UseParallelGC}
one=() two=()
run() { # master partitions -> examples/s
  "$root/scripts/spark-submit" --master "$1" --conf spark.ui.enabled=false --class dev.rnn4j.spark.SyntheticThroughput \
    "$root/spark/target/rnn4j-spark.jar" --size "$size" --steps 30 --warmup 10 --partitions "$2" 2>/dev/null \
    | tee /dev/stderr | sed -n 's/.*ms (mean.*), \([0-9.]*\) examples\/s/\1/p'
}
for r in $(seq "$rounds"); do
  echo "round $r/$rounds (load $(cut -d' ' -f1 /proc/loadavg))" >&2
  one+=("$(run 'local[1]' 1)")
  two+=("$(run 'local[2]' 2)")
done
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
m1=$(median "${one[@]}"); m2=$(median "${two[@]}")
echo "local[1], 1 partition:  ${one[*]} examples/s; median $m1"
echo "local[2], 2 partitions: ${two[*]} examples/s; median $m2"
awk -v a="$m1" -v b="$m2" 'BEGIN {printf "local[2] / local[1] = %.2fx\n", b / a}'

#!/usr/bin/env bash
# Local dry run of a sharded run: N shard processes of the experiment suite on this machine, then the merge, exactly
# as a cluster would run them (DEBUG_SHARD=k/N, one run folder per shard, `debug merge`).
#   scripts/run-shards.sh 3                                   # the default selection, all experiment rows
#   DEBUG_MODELS="tiny" DEBUG_CASES=20 FILTER="Category=Accuracy" scripts/run-shards.sh 2
# Settings: DEBUG_MODELS, DEBUG_CASES (passed on), DEBUG_RESULTS (results root, default results/),
# RUN_ID (default local-<UTC time>), FILTER (dotnet test filter, default every experiment row),
# SEQUENTIAL=1 (one shard after another instead of all at once). Exit code: the merge's (1 when a gate fails).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
n="${1:-}"
if ! [[ "$n" =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: scripts/run-shards.sh N   (N shard processes, N >= 1)" >&2
  exit 2
fi
run_id="${RUN_ID:-local-$(date -u +%Y%m%d-%H%M%S)}"
results="${DEBUG_RESULTS:-$PWD/results}"
filter="${FILTER:-Category=Accuracy|Category=Tracing}"
mkdir -p "$results/$run_id.logs"
export DEBUG_RESULTS="$results"

dotnet build Debug.sln -c Release -v quiet -nologo || exit $?

pids=() shard_status=0
for ((k = 0; k < n; k++)); do
  log="$results/$run_id.logs/shard-$k.log"
  echo "shard $k/$n -> $results/$run_id-s$k (log: $log)"
  DEBUG_SHARD="$k/$n" DEBUG_RUN_ID="$run_id-s$k" \
    dotnet test Debug.Experiments -c Release --no-build --filter "$filter" > "$log" 2>&1 &
  pids+=($!)
  if [ "${SEQUENTIAL:-0}" = 1 ]; then wait "${pids[-1]}" || shard_status=$?; fi
done
for pid in "${pids[@]}"; do wait "$pid" || shard_status=$?; done
for ((k = 0; k < n; k++)); do
  grep -E '(Passed|Failed)! +- ' "$results/$run_id.logs/shard-$k.log" | sed "s/^/shard $k: /"
done
[ $shard_status -eq 0 ] || echo "a shard's tests failed (see its log); merging what the shards wrote" >&2

folders=()
for ((k = 0; k < n; k++)); do folders+=("$results/$run_id-s$k"); done
dotnet run -c Release --no-build --project Debug.Cli -- merge "${folders[@]}" --out "$results/$run_id"
merge_status=$?
[ $merge_status -eq 0 ] && echo "merged run: $results/$run_id/index.html"
[ $merge_status -ne 0 ] && exit $merge_status
exit $shard_status

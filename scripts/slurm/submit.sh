#!/usr/bin/env bash
# Submits a sharded run to Slurm: the job array (one shard per task) and the merge as a job that waits for it.
#   scripts/slurm/submit.sh --shards 8 --partition gpu --gres gpu:1 --backend cuda
#   DEBUG_MODELS="tiny;Qwen/Qwen3-0.6B" scripts/slurm/submit.sh --shards 4 --partition cpu
# Options: --shards N (default 4), --partition P (the array's partition; required), --merge-partition P (default: the
# same), --gres G (e.g. gpu:1), --backend cpu|cuda (default cpu), --run-id ID (default slurm-<UTC time>).
set -euo pipefail
cd "$(dirname "$0")/../.."
shards=4 partition="" merge_partition="" gres="" backend=cpu run_id="slurm-$(date -u +%Y%m%d-%H%M%S)"
while [ $# -gt 0 ]; do
  case "$1" in
    --shards) shards="$2"; shift 2 ;;
    --partition) partition="$2"; shift 2 ;;
    --merge-partition) merge_partition="$2"; shift 2 ;;
    --gres) gres="$2"; shift 2 ;;
    --backend) backend="$2"; shift 2 ;;
    --run-id) run_id="$2"; shift 2 ;;
    *) echo "unknown option '$1' (see the comment at the top of $0)" >&2; exit 2 ;;
  esac
done
[[ "$shards" =~ ^[1-9][0-9]*$ ]] || { echo "--shards must be a whole number >= 1, got '$shards'" >&2; exit 2; }
[ -n "$partition" ] || { echo "--partition is required (the GPU or CPU partition the shards run on)" >&2; exit 2; }
# One build on the submitting node; the tasks run it (--no-build) from the shared checkout.
dotnet build Debug.sln -c Release -p:DebugTorchBackend="$backend" -v quiet -nologo
extra=()
[ -z "$gres" ] || extra+=(--gres="$gres")
array=$(sbatch --parsable --array="0-$((shards - 1))" --partition="$partition" "${extra[@]}" \
  --export=ALL,STEP=shard,RUN_ID="$run_id",BACKEND="$backend" scripts/slurm/experiments.sbatch)
# afterany: merge also when a shard failed, so the merge names what is missing instead of never running.
merge=$(sbatch --parsable --dependency="afterany:${array%%;*}" --partition="${merge_partition:-$partition}" \
  --cpus-per-task=2 --mem=8G --time=01:00:00 \
  --export=ALL,STEP=merge,SHARDS="$shards",RUN_ID="$run_id",BACKEND="$backend" scripts/slurm/experiments.sbatch)
echo "run $run_id: array job $array ($shards shards on $partition), merge job $merge -> ${DEBUG_RESULTS:-results}/$run_id"

#!/bin/bash
# Grade a class on a Slurm cluster: an array of SHARDS tasks, then one merge once every task
# has succeeded (docs/scale.md).  Run on the login node, from the course folder:
#
#   SHARDS=8 ci/slurm/grade-class.sh submissions tensors mlp
set -euo pipefail
shards="${SHARDS:-8}"
mkdir -p grades/logs
array=$(sbatch --parsable --array="1-${shards}" ci/slurm/grade-shard.sbatch "$@")
sbatch --dependency="afterok:${array}" --job-name=merge-grades \
  --output=grades/logs/merge.out \
  --wrap=".venv/bin/autograder merge grades/shards --output-dir grades/class"
echo "array job ${array}: ${shards} shards; the gradebook will be in grades/class/"

#!/bin/bash
# Session 12: the stem-alone arm, then LayerScale-alone seed 1 (docs/reading.md "Session 12"), one process at a time.
set -e
cd /work/studies
export MM1_ORT_THREADS=1
S=/work/runs/reading/s12
C=/work/main/experiments/reading/configs
t() { /usr/bin/time -f "%U user %S sys %e wall %M maxKB" "$@"; }
arm() { # name config encoder-flags...
  local n=$1 c=$2; shift 2
  echo "$n start $(date -u +%T)"
  t nice -n 10 node --import tsx src/cli/main.ts pretrain --config $C/$c --out $S/$n --stop-after 200 --quiet > $S/$n.run.log 2>&1
  echo "$n pretrain end $(date -u +%T)"
  t nice -n 10 node --import tsx experiments/reading/token_probe.ts --n 1000 $n=$S/$n/clip > $S/tokens-$n.json 2> $S/tokens-$n.err
  t nice -n 10 node --import tsx experiments/reading/probe.ts --size 128 "$@" --pool mean --n 500 --world-pairs 500 --clip-dir $S/$n/clip > $S/probe-$n.json 2> $S/probe-$n.err
  node --import tsx experiments/reading/loss_windows.ts --windows 1-20,81-100,141-160,181-200 $n=$S/$n > $S/loss-$n.txt 2>&1
  echo "$n end $(date -u +%T)"
}
arm stem-alone ab-stem-alone-world-mean.json --stem conv
arm ls-alone-s1 ab-ls-alone-world-mean-seed1.json --layer-scale 1e-4

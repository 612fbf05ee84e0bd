#!/bin/bash
# Session 12 item 3: the reading encoder with γ0 1e-2 through C1's stage (word-first, max), then 200 pretraining steps.
set -e
cd /work/studies
export MM1_ORT_THREADS=1
S=/work/runs/reading/s12
C=/work/main/experiments/reading/configs
t() { /usr/bin/time -f "%U user %S sys %e wall %M maxKB" "$@"; }
n=ls1e-2
echo "$n start $(date -u +%T)"
t nice -n 10 node --import tsx src/cli/main.ts pretrain --config $C/ab-words-first-max-ls1e-2.json --out $S/$n --stop-after 200 --quiet > $S/$n.run.log 2>&1
echo "$n pretrain end $(date -u +%T)"
t nice -n 10 node --import tsx experiments/reading/probe.ts --size 128 --stem conv --layer-scale 1e-2 --pool max --n 500 --world-pairs 500 --clip-dir $S/$n/clip > $S/probe-$n.json 2> $S/probe-$n.err
t nice -n 10 node --import tsx experiments/reading/token_probe.ts --n 1000 $n=$S/$n/clip > $S/tokens-$n.json 2> $S/tokens-$n.err
node --import tsx experiments/reading/loss_windows.ts --windows 1-20,81-100,141-160,181-200 $n=$S/$n > $S/loss-$n.txt 2>&1
echo "$n end $(date -u +%T)"

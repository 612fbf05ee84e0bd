#!/bin/bash
set -e
cd /work/studies
export MM1_ORT_THREADS=1
S=/work/runs/reading/s12
n=ls1e-2-world
echo "$n start $(date -u +%T)"
/usr/bin/time -f "%U user %S sys %e wall %M maxKB" nice -n 10 node --import tsx src/cli/main.ts pretrain --config /work/main/experiments/reading/configs/ab-ls1e-2-world-mean.json --out $S/$n --stop-after 200 --quiet > $S/$n.run.log 2>&1
echo "$n pretrain end $(date -u +%T)"
node --import tsx experiments/reading/loss_windows.ts --windows 1-20,81-100,141-160,181-200 $n=$S/$n > $S/loss-$n.txt 2>&1
/usr/bin/time -f "%U user %e wall %M maxKB" nice -n 10 node --import tsx experiments/reading/token_probe.ts --n 1000 $n=$S/$n/clip > $S/tokens-$n.json 2> $S/tokens-$n.err
echo "$n end $(date -u +%T)"

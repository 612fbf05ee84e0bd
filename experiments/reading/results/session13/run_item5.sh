#!/bin/bash
# Session 13 item 5: conv stem + plain blocks, the stem's tokens concatenated to the blocks' output (vision.stemSkip), through C1's stage (word-first, max), then 200 pretraining steps.
set -e
cd /work/wt-stemcat
export MM1_ORT_THREADS=1
S=/work/runs/reading/s13
t() { /usr/bin/time -f "%U user %S sys %e wall %M maxKB" "$@"; }
n=stemcat
echo "$n start $(date -u +%T)"
t nice -n 10 node --import tsx src/cli/main.ts pretrain --config $S/ab-words-first-max-stemcat.json --out $S/$n --stop-after 200 --quiet > $S/$n.run.log 2>&1
echo "$n pretrain end $(date -u +%T)"
node --import tsx experiments/reading/loss_windows.ts --windows 1-20,81-100,141-160,181-200 $n=$S/$n > $S/loss-$n.txt 2>&1
t nice -n 10 node --import tsx experiments/reading/probe.ts --size 128 --stem conv --stem-skip concat --pool max --n 500 --world-pairs 500 --clip-dir $S/$n/clip > $S/probe-$n.json 2> $S/probe-$n.err
t nice -n 10 node --import tsx experiments/reading/token_probe.ts --n 1000 $n=$S/$n/clip > $S/tokens-$n.json 2> $S/tokens-$n.err
echo "$n end $(date -u +%T)"

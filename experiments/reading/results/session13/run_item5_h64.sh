#!/bin/bash
# Session 13 item 5's connector-size control: item 5's CLIP stage (copied once finished), connector hidden 64, 200 pretraining steps.
set -e
S=/work/runs/reading/s13
until [ -s $S/stemcat/log.jsonl ]; do sleep 30; done   # pretraining has begun: the stage is finished
echo "stage found $(date -u +%T)"
mkdir -p $S/stemcat-h64 && cp -r $S/stemcat/clip $S/stemcat-h64/clip
cd /work/main
export MM1_ORT_THREADS=1
n=stemcat-h64
/usr/bin/time -f "%U user %S sys %e wall %M maxKB" nice -n 10 node --import tsx src/cli/main.ts pretrain --config $S/ab-words-first-max-stemcat-h64.json --out $S/$n --stop-after 200 --quiet > $S/$n.run.log 2>&1
echo "$n pretrain end $(date -u +%T)"
node --import tsx experiments/reading/loss_windows.ts --windows 1-20,81-100,141-160,181-200 $n=$S/$n > $S/loss-$n.txt 2>&1
echo "$n end $(date -u +%T)"

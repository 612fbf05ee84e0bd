#!/bin/bash
# Session 16 item 10 (docs/reading.md, rule fixed 14:40 UTC): the word as the whole loss, frozen and unfrozen arms side by side.
cd /work/main
S=/work/runs/reading/s16
I=/work/runs/ablate/cache/79845fd9d58409cf/pretrain/model
for arm in frozen unfrozen; do
  ( echo "$arm start $(date -u +%T)"; MM1_ORT_THREADS=1 /usr/bin/time -f "%U user %S sys %e wall %M maxKB" nice -n 10 node --import tsx experiments/reading/word_only.ts --init $I --arm $arm --out $S/$arm; echo "$arm end $(date -u +%T)" ) > $S/$arm.log 2>&1 &
done
MM1_ORT_THREADS=1 nice -n 10 node --import tsx experiments/reading/word_only.ts --score-only $I --out $S/start > $S/start.log 2>&1
wait

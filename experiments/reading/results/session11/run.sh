#!/bin/bash
# Session 11's mean-pool stage: part 1, its token probe, part 2, its token probe (one process at a time).
set -e
cd /work/wt-reading
export MM1_ORT_THREADS=1
S=/work/runs/reading/s11
E="--size 128 --stem conv --layer-scale 1e-4 --pool mean --captions word --hard-negatives 8 --n 500 --world-pairs 500"
t() { /usr/bin/time -f "%U user %S sys %e wall %M maxKB" "$@"; }
echo "part1 start $(date -u +%T)"
t nice -n 10 node --import tsx experiments/reading/probe.ts $E --clip-steps 800 --text-share 1 --seed 0 --out $S/mean-word-first > $S/part1.json 2> $S/part1.err
echo "part1 end $(date -u +%T)"
t nice -n 10 node --import tsx experiments/reading/token_probe.ts --n 1000 base64=/work/runs/ablate/cache/clip-46762b63c2862663 mean-word-first=$S/mean-word-first > $S/tokens1.json 2> $S/tokens1.err
echo "tokens1 end $(date -u +%T)"
t nice -n 10 node --import tsx experiments/reading/probe.ts $E --init-dir $S/mean-word-first --clip-steps 800 --text-share 0.5 --seed 1 --out $S/mean-c1 > $S/part2.json 2> $S/part2.err
echo "part2 end $(date -u +%T)"
t nice -n 10 node --import tsx experiments/reading/token_probe.ts --n 1000 mean-c1=$S/mean-c1 > $S/tokens2.json 2> $S/tokens2.err
echo "tokens2 end $(date -u +%T)"

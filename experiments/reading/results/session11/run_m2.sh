#!/bin/bash
set -e
cd /work/wt-reading
export MM1_ORT_THREADS=1
S=/work/runs/reading/s11
t() { /usr/bin/time -f "%U user %S sys %e wall %M maxKB" "$@"; }
echo "m2 start $(date -u +%T)"
t nice -n 10 node --import tsx experiments/reading/probe.ts --size 128 --stem conv --layer-scale 1e-4 --pool mean --n 500 --world-pairs 500 --clip-steps 800 --text-share 0 --seed 0 --out $S/mean-world > $S/m2.json 2> $S/m2.err
echo "m2 end $(date -u +%T)"
t nice -n 10 node --import tsx experiments/reading/token_probe.ts --n 1000 mean-world=$S/mean-world > $S/tokens-m2.json 2> $S/tokens-m2.err
echo "tokens-m2 end $(date -u +%T)"

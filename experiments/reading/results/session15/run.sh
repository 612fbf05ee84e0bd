# Session 15, vizwiz clean twins (run from the worktree root; scratch scores cache in /work/runs/vizwiz/clean).
# CPU: ~5 s per model for 400 0-shot prompts (process.cpuUsage, loaded 2-core machine, niced, MM1_ORT_THREADS=1).
FROZEN=/work/runs/ablate/cache/79845fd9d58409cf
UNFROZEN=/work/runs/reading/s14/res128-small-unfrozen-seed3
FULL=/work/runs/reading/s14/res128-small-unfrozen-full-seed3
R=experiments/reading/results/session15
MM1_ORT_THREADS=1 nice -n 10 node --import tsx experiments/reading/vizwiz_clean.ts \
  --model frozen=$FROZEN/pretrain/model --model unfrozen-0.3=$UNFROZEN/pretrain/model > $R/vizwiz-clean.txt
node --import tsx experiments/reading/vqa_by_type.ts $FROZEN/items.json $UNFROZEN/items.json > $R/vqa-by-type-unfrozen-vs-frozen.txt
# item 7 (unfrozen 1.0x), once its items.json exists:
MM1_ORT_THREADS=1 nice -n 10 node --import tsx experiments/reading/vizwiz_clean.ts \
  --model frozen=$FROZEN/pretrain/model --model unfrozen-1.0=$FULL/pretrain/model > $R/vizwiz-clean-item7.txt
node --import tsx experiments/reading/vqa_by_type.ts $FROZEN/items.json $FULL/items.json > $R/vqa-by-type-item7-vs-frozen.txt

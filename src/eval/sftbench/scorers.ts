// The scorer of each SFT benchmark, by the task's metric name.
import type { MetricByKind } from '../task.js';
import type { SftScorer } from './answered.js';
import { countAnswers } from './judge_files.js';
import { scoreMathVista } from './mathvista.js';
import { scoreMmbench } from './mmbench.js';
import { scoreMme } from './mme.js';
import { scoreMmmu } from './mmmu.js';
import { scorePope } from './pope.js';
import { scoreScienceQa } from './scienceqa.js';
import { scoreSeed } from './seed_bench.js';

export const SFT_SCORERS: Record<MetricByKind['sft-bench'], SftScorer> = {
  scienceqa: scoreScienceQa,
  mmmu: scoreMmmu,
  mathvista: scoreMathVista,
  mme: scoreMme,
  mmbench: scoreMmbench,
  seed: scoreSeed,
  pope: scorePope,
  'judge-answers': countAnswers,
};

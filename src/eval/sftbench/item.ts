// The items of MM1-Chat's SFT benchmarks (paper Table 4): one image, a question as the
// benchmark's own prompt shows it (options and answer instruction included), and what its
// official scorer needs. The model answers in free text; each benchmark's scorer
// (sftbench/scorers.ts) parses that text the way the benchmark's official script does.
import type { ImageInput } from '../items.js';

export type YesNo = 'yes' | 'no';

/** What each benchmark's scorer checks an answer against. */
export type SftGold =
  | { bench: 'scienceqa'; choices: string[]; answerIndex: number }
  | {
      bench: 'mmmu';
      questionType: 'multiple-choice' | 'open';
      options: string[];
      answer: string | string[];
      subject: string;
      /** Options are pictures: the official runner answers these with a random letter. */
      randomGuess: boolean;
    }
  | {
      bench: 'mathvista';
      questionType: 'multi_choice' | 'free_form';
      answerType: 'integer' | 'float' | 'text' | 'list';
      choices: string[] | null;
      precision: number | null;
      answer: string;
    }
  | { bench: 'mme'; subtask: string; imageName: string; answer: YesNo }
  | { bench: 'mmbench'; group: number; round: number; answer: string; options: Record<string, string>; category: string }
  | { bench: 'seed'; answer: string; options: Record<string, string>; questionTypeId: number; questionType: string }
  | { bench: 'pope'; answer: YesNo }
  | { bench: 'judge'; questionId: string };

export interface SftBenchItem {
  id: string;
  image: ImageInput;
  /** The text after the image, as the model sees it. */
  question: string;
  /** The right answer as text (shots show it; the sample log records it). */
  reference: string;
  gold: SftGold;
}

/** The gold of `item` for benchmark `bench`; a mismatch is a programming error in a task list. */
export function goldOf<B extends SftGold['bench']>(item: SftBenchItem, bench: B): Extract<SftGold, { bench: B }> {
  if (item.gold.bench !== bench) throw new Error(`item ${item.id} holds ${item.gold.bench} answers but is scored as ${bench}; its task uses the wrong metric.`);
  return item.gold as Extract<SftGold, { bench: B }>;
}

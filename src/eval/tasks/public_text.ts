// TextCore (MM1 §5.2): the text-only benchmarks that track language ability, read from local
// .jsonl files (src/eval/formats/) and prompted and scored as lm-evaluation-harness does.
import { readArc } from '../formats/arc.js';
import { readHellaswag } from '../formats/hellaswag.js';
import { collect } from '../formats/jsonl.js';
import { readLambada } from '../formats/lambada.js';
import { readPiqa } from '../formats/piqa.js';
import { readSciq } from '../formats/sciq.js';
import { readTriviaqa } from '../formats/triviaqa.js';
import { readWebqs } from '../formats/webqs.js';
import { readWinogrande } from '../formats/winogrande.js';
import type { ClozeItem, MultipleChoiceItem, OpenQaItem } from '../items.js';
import type { DataSpec, Task, TaskLoadOptions } from '../task.js';
import { dataParts } from './data_spec.js';
import { LM_EVAL_CLOZE, LM_EVAL_MULTIPLE_CHOICE, LM_EVAL_OPEN_QA } from './prompt_formats.js';

type Read<T> = (parts: string[]) => AsyncIterable<T>;

function loader<T>(name: string, data: DataSpec, read: Read<T>) {
  return (o: TaskLoadOptions): Promise<T[]> => collect(read(dataParts({ name, data }, o.data)), o.limit);
}

const jsonl = (example: string): DataSpec => ({ format: 'FILE.jsonl', example });

function mc(name: string, description: string, data: DataSpec, read: Read<MultipleChoiceItem>): Task {
  return { name, kind: 'multiple-choice', description, data, load: loader(name, data, read), ...LM_EVAL_MULTIPLE_CHOICE, metric: 'loglik-choice' };
}

function openQa(name: string, description: string, data: DataSpec, read: Read<OpenQaItem>, metric: 'exact-match' | 'exact-match-triviaqa'): Task {
  return { name, kind: 'open-qa', description, data, load: loader(name, data, read), ...LM_EVAL_OPEN_QA, metric };
}

const lambadaData = jsonl('lambada_test.jsonl');

export const TEXTCORE_TASKS: Task[] = [
  mc('arc', 'ARC (Easy or Challenge .jsonl); log-likelihood accuracy', jsonl('ARC-Easy-Test.jsonl'), ([p]) => readArc(p)),
  mc(
    'piqa',
    'PIQA (.jsonl plus labels file); log-likelihood accuracy',
    { format: 'FILE.jsonl[:LABELS.lst]', example: 'valid.jsonl:valid-labels.lst' },
    ([p, labels]) => readPiqa(p, labels),
  ),
  {
    name: 'lambada',
    kind: 'cloze',
    description: 'LAMBADA (OpenAI .jsonl); last-word accuracy',
    data: lambadaData,
    load: loader<ClozeItem>('lambada', lambadaData, ([p]) => readLambada(p)),
    ...LM_EVAL_CLOZE,
    metric: 'last-word',
  },
  mc('winogrande', 'WinoGrande (dev .jsonl); partial-evaluation log-likelihood accuracy', jsonl('dev.jsonl'), ([p]) => readWinogrande(p)),
  mc('hellaswag', 'HellaSwag (val .jsonl); log-likelihood accuracy (acc_norm is the usual headline)', jsonl('hellaswag_val.jsonl'), ([p]) => readHellaswag(p)),
  mc('sciq', 'SciQ (.jsonl); log-likelihood accuracy', jsonl('sciq_test.jsonl'), ([p]) => readSciq(p)),
  openQa(
    'triviaqa',
    'TriviaQA (rc.nocontext .jsonl); exact match (TriviaQA normalisation)',
    jsonl('triviaqa_validation.jsonl'),
    ([p]) => readTriviaqa(p),
    'exact-match-triviaqa',
  ),
  openQa('webqs', 'WebQuestions (.jsonl); exact match', jsonl('webqs_test.jsonl'), ([p]) => readWebqs(p), 'exact-match'),
];

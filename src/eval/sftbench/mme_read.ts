// MME's files: the release folder (MME_Benchmark_release_version/<subtask>/), where each
// picture has two yes/no questions in <name>.txt ("question<TAB>Yes|No" per line), beside the
// picture or, for artwork/celebrity/landmark/posters/scene, in questions_answers_YN/ with
// pictures in images/; or the Hugging Face copy (lmms-lab/MME, data/test-*.parquet: columns
// question_id = "<subtask>/<picture>", image {bytes, path}, question, answer, category).
// Prompt, as LLaVA-1.5 asks MME: the question without " Please answer yes or no.", then
// "\nAnswer the question using a single word or phrase."
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { imageCell, readParquetRows } from './files.js';
import type { SftBenchItem } from './item.js';
import { MME_SUBTASKS } from './mme.js';

const ALL_SUBTASKS: readonly string[] = [...MME_SUBTASKS.perception, ...MME_SUBTASKS.cognition];

function mmeItem(id: string, subtask: string, picture: string, image: SftBenchItem['image'], question: string, answer: string, where: string): SftBenchItem {
  const gold = answer.trim().toLowerCase();
  if (gold !== 'yes' && gold !== 'no') throw new Error(`MME ${where}: the answer must be Yes or No, got ${JSON.stringify(answer)}.`);
  return {
    id,
    image,
    question: `${question.replace(' Please answer yes or no.', '').trim()}\nAnswer the question using a single word or phrase.`,
    reference: gold === 'yes' ? 'Yes' : 'No',
    gold: { bench: 'mme', subtask, imageName: picture, answer: gold },
  };
}

const IMAGE_EXTENSIONS = ['.jpg', '.png', '.jpeg'];

function subtaskItems(root: string, subtask: string): SftBenchItem[] {
  const dir = join(root, subtask);
  const split = existsSync(join(dir, 'questions_answers_YN'));
  const textDir = split ? join(dir, 'questions_answers_YN') : dir;
  const imageDir = split ? join(dir, 'images') : dir;
  const items: SftBenchItem[] = [];
  for (const file of readdirSync(textDir)
    .filter((f) => f.endsWith('.txt'))
    .sort()) {
    const name = basename(file, '.txt');
    const ext = IMAGE_EXTENSIONS.find((e) => existsSync(join(imageDir, name + e)));
    if (!ext) throw new Error(`MME ${subtask}: ${join(textDir, file)} has no picture ${name}.jpg or .png in ${imageDir}. Is the release folder complete?`);
    const lines = readFileSync(join(textDir, file), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '');
    lines.forEach((line, i) => {
      const [question, answer] = line.split('\t');
      if (answer === undefined)
        throw new Error(
          `MME ${join(textDir, file)} line ${i + 1}: expected "question<TAB>Yes" or "question<TAB>No", got ${JSON.stringify(line.slice(0, 80))}.`,
        );
      items.push(
        mmeItem(`${subtask}/${name}#${i}`, subtask, name + ext, { path: join(imageDir, name + ext) }, question, answer, `${join(textDir, file)} line ${i + 1}`),
      );
    });
  }
  return items;
}

/** The Hugging Face copy: one parquet file, or every data/*.parquet under a folder. */
async function parquetItems(files: string[]): Promise<SftBenchItem[]> {
  const items: SftBenchItem[] = [];
  for (const file of files) {
    const rows = await readParquetRows(file, ['question_id', 'image', 'question', 'answer', 'category'], 'MME');
    rows.forEach((row, i) => {
      const where = `${file} row ${i}`;
      const subtask = String(row.category);
      if (!ALL_SUBTASKS.includes(subtask))
        throw new Error(`MME ${where}: category ${JSON.stringify(subtask)} is not an MME subtask (${ALL_SUBTASKS.join(', ')}).`);
      const picture = String(row.question_id); // both questions on a picture share it
      const image = imageCell(row.image, `${where} image`);
      if (!image) throw new Error(`MME ${where}: the image cell is empty.`);
      items.push(mmeItem(`${picture}#${i}`, subtask, picture, image, String(row.question), String(row.answer), where));
    });
  }
  return items;
}

/** MME from `path`: the release folder (every subtask folder present, perception first) or
 *  the Hugging Face parquet copy (a .parquet file, or a folder with data/*.parquet). */
export async function readMme(path: string, limit?: number): Promise<SftBenchItem[]> {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) throw new Error(`MME: ${path} does not exist. Pass the MME_Benchmark_release_version folder or the lmms-lab/MME parquet.`);
  if (stat.isFile()) return (await parquetItems([path])).slice(0, limit);
  const present = ALL_SUBTASKS.filter((s) => existsSync(join(path, s)));
  if (present.length > 0) return present.flatMap((s) => subtaskItems(path, s)).slice(0, limit);
  const data = join(path, 'data');
  const shards = existsSync(data)
    ? readdirSync(data)
        .filter((f) => f.endsWith('.parquet'))
        .sort()
        .map((f) => join(data, f))
    : [];
  if (shards.length > 0) return (await parquetItems(shards)).slice(0, limit);
  throw new Error(
    `MME: ${path} holds neither subtask folders (${ALL_SUBTASKS[0]}, ..., ${ALL_SUBTASKS.at(-1)}) nor data/*.parquet. Pass the MME_Benchmark_release_version folder or the lmms-lab/MME copy.`,
  );
}

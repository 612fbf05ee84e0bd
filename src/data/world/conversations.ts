// Supervised fine-tuning conversations (LLaVA-style) about world pictures: a question and
// its short answer, a request for a description and the dense caption, a short caption,
// several questions in a row about one picture, and a few text-only knowledge questions.
import { Rng } from '../../engine/rng.js';
import type { Conversation, Segment } from '../document.js';
import { captionsFor, denseCaption } from './captions.js';
import { FACTS } from './knowledge.js';
import { renderScene } from './render.js';
import { generateScene, type Scene } from './scene.js';
import type { WorldSourceOptions } from './sources.js';
import { degradeImage, drawDegradation, vizwizQuestion } from './vizwiz.js';
import { majorityAnswer, questionTypesOf, vqaOfType } from './vqa.js';

type Turn = Conversation['turns'][number];

const DESCRIBE = ['describe the picture.', 'describe the picture in detail.', 'what is in this picture?'];
const CAPTION = ['write a short caption.', 'give a short caption for the picture.'];

const text = (t: string): Segment => ({ kind: 'text', text: t });
const user = (...segments: Segment[]): Turn => ({ role: 'user', segments });
const assistant = (t: string): Turn => ({ role: 'assistant', segments: [text(t)] });

/** Questions about one scene, each of a different type, as [question, short answer]. */
function questions(rng: Rng, scene: Scene, n: number): [string, string][] {
  const types = rng.shuffle([...questionTypesOf(scene.version ?? 1)]);
  const out: [string, string][] = [];
  for (const t of types) {
    const q = vqaOfType(scene, rng, t);
    if (q) out.push([q.question, majorityAnswer(q.answers)]);
    if (out.length === n) break;
  }
  return out;
}

/** Conversation `index` for `seed`. */
export function worldConversation(seed: number, index: number, opts: WorldSourceOptions = {}): Conversation {
  return worldConversationSample(seed, index, opts).conversation;
}

/** Conversation `index` for `seed` and the scene it talks about (null for text-only ones). */
export function worldConversationSample(seed: number, index: number, opts: WorldSourceOptions = {}): { conversation: Conversation; scene: Scene | null } {
  const rng = new Rng(seed).fork(`train/sft/${index}`);
  const id = `world:sft:seed${seed}:${index}`;
  const kind = rng.next();
  if (kind < 0.1) {
    const fact = rng.pick(FACTS);
    return { conversation: { id, turns: [user(text(fact.question)), assistant(fact.answers[0])] }, scene: null };
  }
  const scene = generateScene(rng, { split: 'train', textProbability: 0.5, version: opts.version ?? 1 });
  const picture = renderScene(scene, opts.imageSize ?? 128);
  const image: Segment = { kind: 'image', image: picture };
  const done = (turns: Turn[]) => ({ conversation: { id, turns }, scene });
  if (scene.version === 2 && kind > 0.92) {
    // v2, the VizWiz counterpart: a badly taken picture, answered "unanswerable" when it hides the answer
    const d = drawDegradation(rng);
    const q = vizwizQuestion(scene, rng, d);
    if (q) {
      const spoiled: Segment = { kind: 'image', image: degradeImage(picture, d) };
      return done([user(spoiled, text(q.question)), assistant(majorityAnswer(q.answers))]);
    }
  }
  if (kind < 0.25) return done([user(image, text(rng.pick(DESCRIBE))), assistant(denseCaption(scene))]);
  if (kind < 0.35) return done([user(image, text(rng.pick(CAPTION))), assistant(captionsFor(scene, rng)[0])]);
  const qas = questions(rng, scene, kind < 0.7 ? 1 : 2 + rng.int(3));
  const turns = qas.flatMap(([q, a], i) => [i === 0 ? user(image, text(q)) : user(text(q)), assistant(a)]);
  return done(turns);
}

/** The infinite stream of SFT conversations for `seed`. */
export function* worldConversations(seed: number, opts: WorldSourceOptions & { start?: number } = {}): Generator<Conversation, never> {
  for (let i = opts.start ?? 0; ; i++) yield worldConversation(seed, i, opts);
}

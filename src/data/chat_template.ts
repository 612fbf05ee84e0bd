// Conversations rendered with a Hugging Face tokenizer's own chat template (the Jinja text in
// tokenizer_config.json), by @huggingface/jinja — the implementation transformers.js uses —
// so a fine-tuned model sees exactly the turn format its LLM was trained with.
//
// Loss on assistant turns only, from spans recorded while building, never from re-tokenising
// the whole string: the conversation is rendered once per assistant turn, up to that turn with
// the generation prompt (what precedes the answer) and up to its end (prompt + answer). The
// difference of the two strings is the answer as the template writes it, end-of-turn token
// included; it is the only text with loss. A template whose renders are not prefixes of one
// another (e.g. one that rewrites earlier turns) is refused by name.
//
// Images: each image segment is written into the message text as the tokenizer's image token
// (e.g. '<image>'), and the rendered text is split on it, so each becomes one image run.
import { Template } from '@huggingface/jinja';
import type { Conversation, Segment } from './document.js';
import { TokenSeqBuilder, type ImageRunConfig, type TokenizedDoc } from './doc_tokens.js';
import type { Mm1Tokenizer } from './tokenizer.js';

interface Message {
  role: 'user' | 'assistant';
  content: string;
}

/** A rendered stretch of the conversation and whether it is trained on. */
interface Piece {
  text: string;
  loss: boolean;
}

/** The string form of special-token entries in tokenizer_config.json ("eos_token": "<|im_end|>" or {content}). */
function tokenString(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && typeof (v as { content?: unknown }).content === 'string') return (v as { content: string }).content;
  return undefined;
}

/** The text that stands for an image inside rendered messages: the image token's own string. */
export function imagePlaceholder(tokenizer: Mm1Tokenizer): string {
  const entry = tokenizer.json.added_tokens?.find((t) => t.id === tokenizer.special.image);
  if (!entry)
    throw new Error(
      `the tokenizer's image token (id ${tokenizer.special.image}) is not among its added tokens; re-import the LLM with mm1 import so the image token is added`,
    );
  return entry.content;
}

export class ChatTemplate {
  private readonly template: Template;
  private readonly globals: Record<string, unknown>;

  constructor(
    private readonly tokenizer: Mm1Tokenizer,
    source = 'tokenizer_config.json chat_template',
  ) {
    if (tokenizer.chatTemplate === undefined) throw new Error('ChatTemplate: the tokenizer has no chat_template');
    try {
      this.template = new Template(tokenizer.chatTemplate);
    } catch (e) {
      throw new Error(`${source} does not parse as Jinja: ${(e as Error).message}`);
    }
    // What transformers passes a template besides the messages: the special tokens by name.
    this.globals = {};
    for (const [k, v] of Object.entries(tokenizer.config ?? {})) {
      const s = k.endsWith('_token') ? tokenString(v) : undefined;
      if (s !== undefined) this.globals[k] = s;
    }
  }

  render(messages: Message[], addGenerationPrompt: boolean): string {
    return this.template.render({ ...this.globals, messages, add_generation_prompt: addGenerationPrompt });
  }

  private messages(conv: Conversation): Message[] {
    const placeholder = imagePlaceholder(this.tokenizer);
    return conv.turns.map((turn, i) => {
      if (turn.role === 'assistant' && turn.segments.some((s) => s.kind === 'image'))
        throw new Error(`${conv.id}: turn ${i} (assistant) contains an image; mm1 models output text only. Fix: move the image to a user turn.`);
      const content = turn.segments.map((s: Segment) => (s.kind === 'text' ? s.text : placeholder)).join('');
      return { role: turn.role, content };
    });
  }

  /** The conversation as rendered pieces: answers with loss, everything else without. */
  pieces(conv: Conversation, openTurn: boolean): Piece[] {
    const msgs = this.messages(conv);
    const pieces: Piece[] = [];
    let done = '';
    const next = (text: string, what: string): string => {
      if (!text.startsWith(done)) {
        throw new Error(
          `${conv.id}: the chat template is not prefix-stable: rendering ${what} does not begin with the render of the turns before it, ` +
            `so the answer spans cannot be found. mm1 needs a template that appends turns without rewriting earlier ones.`,
        );
      }
      return text.slice(done.length);
    };
    msgs.forEach((m, i) => {
      if (m.role !== 'assistant') return;
      const prompt = this.render(msgs.slice(0, i), true);
      pieces.push({ text: next(prompt, `turns 0..${i - 1} with the generation prompt`), loss: false });
      done = prompt;
      const answer = next(this.render(msgs.slice(0, i + 1), false), `turns 0..${i}`);
      // Whitespace the template writes after the end-of-turn token is format, not answer.
      const trimmed = answer.trimEnd();
      pieces.push({ text: trimmed, loss: true });
      pieces.push({ text: answer.slice(trimmed.length), loss: false });
      done += answer;
    });
    pieces.push({ text: next(this.render(msgs, openTurn), 'the whole conversation'), loss: false });
    return pieces.filter((p) => p.text.length > 0);
  }

  tokenize(conv: Conversation, run: ImageRunConfig, openTurn: boolean): TokenizedDoc {
    const placeholder = imagePlaceholder(this.tokenizer);
    const images = conv.turns.flatMap((t) => t.segments).filter((s) => s.kind === 'image');
    const b = new TokenSeqBuilder(this.tokenizer, run, conv.id);
    let next = 0;
    for (const piece of this.pieces(conv, openTurn)) {
      piece.text.split(placeholder).forEach((text, j) => {
        if (j > 0) {
          const seg = images[next++];
          if (!seg || seg.kind !== 'image')
            throw new Error(
              `${conv.id}: the rendered conversation holds more '${placeholder}' than the conversation has images (the text itself contains '${placeholder}'); remove it from the text`,
            );
          b.image(seg.image);
        }
        b.text(text, piece.loss);
      });
    }
    if (next !== images.length)
      throw new Error(
        `${conv.id}: the chat template dropped ${images.length - next} of ${images.length} images (it did not copy every message's content); mm1 cannot place them`,
      );
    return b.build();
  }
}

/** One compiled template per tokenizer: parsing the Jinja source once, not per conversation. */
const compiled = new WeakMap<Mm1Tokenizer, ChatTemplate>();

export function chatTemplateFor(tokenizer: Mm1Tokenizer): ChatTemplate {
  let t = compiled.get(tokenizer);
  if (!t) compiled.set(tokenizer, (t = new ChatTemplate(tokenizer)));
  return t;
}

// The tokenizer interface the rest of mm1 uses, backed by @huggingface/tokenizers so that
// any Hugging Face tokenizer.json works (our own word-level one included, see
// word_tokenizer.ts). Special tokens are resolved once, here, onto the roles mm1 needs.

import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import type { SpecialTokens } from './packed_batch.js';

/**
 * The slice of @huggingface/tokenizers' Tokenizer we use. Its published .d.ts files import
 * without extensions, which NodeNext cannot resolve, so the class arrives untyped; this
 * interface restores checking at our boundary.
 */
export interface HfTokenizer {
  encode(text: string, options?: { add_special_tokens?: boolean }): { ids: number[]; tokens: string[] };
  decode(ids: number[], options?: { skip_special_tokens?: boolean }): string;
  token_to_id(token: string): number | undefined;
  pre_tokenizer: ((text: string) => string[]) | null;
}

export function newHfTokenizer(json: TokenizerFile, config: Record<string, unknown>): HfTokenizer {
  return new Tokenizer(json, config) as HfTokenizer;
}

/** The special-token strings of mm1's own tokenizers, by role. */
export const MM1_SPECIAL_TOKENS = {
  pad: '<pad>',
  bos: '<bos>',
  eos: '<eos>',
  unk: '<unk>',
  image: '<image>',
  imageStart: '<image_start>',
  imageEnd: '<image_end>',
  user: '<|user|>',
  assistant: '<|assistant|>',
  end: '<|end|>',
} as const;
export type TokenRole = keyof typeof MM1_SPECIAL_TOKENS;

/** Chat-template role markers (see chat.ts). */
export interface ChatRoles {
  user: number;
  assistant: number;
  /** Ends a turn; the assistant learns to emit it. */
  end: number;
}

export interface Mm1Tokenizer {
  /** Plain text → ids, without adding bos/eos (packing adds those). */
  encode(text: string): number[];
  decode(ids: readonly number[]): string;
  /** 1 + the largest id; the embedding table needs this many rows. */
  readonly vocabSize: number;
  readonly special: SpecialTokens;
  /** mm1's own chat roles (data/chat.ts); absent when the tokenizer brings its own chat template. */
  readonly roles?: ChatRoles;
  /** The Jinja chat template of tokenizer_config.json (a Hugging Face LLM's), rendered by data/chat_template.ts. */
  readonly chatTemplate?: string;
  /** Tokens that end a reply: eos and the end-of-turn token, when the vocabulary has one. */
  readonly stopIds: number[];
  tokenToId(token: string): number | undefined;
  /** The tokenizer.json content (with tokens added on import), to save next to checkpoints. */
  readonly json: TokenizerFile;
  /** The tokenizer_config.json content it was loaded with, if any, to save beside tokenizer.json. */
  readonly config?: Record<string, unknown>;
}

/** The parts of a tokenizer.json we read or write. */
export interface TokenizerFile {
  added_tokens?: { id: number; content: string; special?: boolean; [key: string]: unknown }[];
  model: { type?: string; vocab: unknown; unk_token?: string | null; [key: string]: unknown };
  [key: string]: unknown;
}

export interface TokenizerOptions {
  /** Token string per role, overriding the candidates below (e.g. { image: '<|image_pad|>' }). */
  tokens?: Partial<Record<TokenRole, string>>;
  /** Append role tokens the tokenizer lacks as new special tokens instead of failing. */
  addMissing?: boolean;
  /** tokenizer_config.json content (bos_token, eos_token, pad_token, unk_token are used). */
  config?: Record<string, unknown>;
}

// Where common model families keep each role; the first one present wins.
const CANDIDATES: Record<TokenRole, string[]> = {
  pad: ['<pad>', '<|pad|>', '[PAD]', '<|finetune_right_pad_id|>', '<|endoftext|>'],
  bos: ['<bos>', '<s>', '<|begin_of_text|>', '<|startoftext|>', '[CLS]', '<|endoftext|>'],
  eos: ['<eos>', '</s>', '<|end_of_text|>', '<|endoftext|>', '[SEP]'],
  unk: ['<unk>', '[UNK]', '<|unk|>'],
  image: ['<image>', '<|image|>', '<|image_pad|>', '<image_soft_token>'],
  imageStart: ['<image_start>', '<|image_start|>', '<|vision_start|>', '<start_of_image>'],
  imageEnd: ['<image_end>', '<|image_end|>', '<|vision_end|>', '<end_of_image>'],
  user: ['<|user|>'],
  assistant: ['<|assistant|>'],
  end: ['<|end|>', '<|im_end|>', '<|eot_id|>', '<end_of_turn>'],
};
const OPTIONAL_ROLES: TokenRole[] = ['unk', 'imageStart', 'imageEnd'];
/** With a chat template the template writes the turns: mm1's role tokens are neither needed nor
 *  added, and the end-of-turn token (e.g. <|im_end|>) is looked up only to stop generation. */
const TEMPLATE_ROLES: TokenRole[] = ['user', 'assistant', 'end'];

/** tokenizer_config.json's chat_template: a string, or a list of named templates ('default' wins). */
export function chatTemplateOf(config: Record<string, unknown> | undefined): string | undefined {
  const t = config?.chat_template;
  if (typeof t === 'string') return t;
  if (Array.isArray(t)) {
    const named = t as { name?: unknown; template?: unknown }[];
    const pick = named.find((x) => x.name === 'default') ?? named[0];
    return typeof pick?.template === 'string' ? pick.template : undefined;
  }
  return undefined;
}

function configToken(config: Record<string, unknown> | undefined, key: string): string | undefined {
  const v = config?.[key];
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && typeof (v as { content?: unknown }).content === 'string') {
    return (v as { content: string }).content;
  }
  return undefined;
}

function modelVocabIds(model: TokenizerFile['model']): Map<string, number> {
  const vocab = model.vocab;
  if (Array.isArray(vocab)) return new Map(vocab.map((entry, id) => [String((entry as unknown[])[0]), id]));
  return new Map(Object.entries((vocab ?? {}) as Record<string, number>));
}

/** Wrap a tokenizer.json object; `source` names it in errors. */
export function tokenizerFromJson(input: TokenizerFile, options: TokenizerOptions = {}, source = 'tokenizer.json'): Mm1Tokenizer {
  const json: TokenizerFile = structuredClone(input);
  json.added_tokens ??= [];
  const ids = modelVocabIds(json.model);
  for (const t of json.added_tokens) ids.set(t.content, t.id);
  let vocabSize = 0;
  for (const id of ids.values()) vocabSize = Math.max(vocabSize, id + 1);

  const chatTemplate = chatTemplateOf(options.config);
  const resolved = {} as Record<TokenRole, number | undefined>;
  for (const role of Object.keys(CANDIDATES) as TokenRole[]) {
    if (chatTemplate !== undefined && TEMPLATE_ROLES.includes(role)) {
      resolved[role] = role === 'end' ? CANDIDATES.end.map((t) => ids.get(t)).find((id) => id !== undefined) : undefined;
      continue;
    }
    const fromConfig = configToken(options.config, `${role}_token`);
    const wanted = options.tokens?.[role];
    const tried = wanted !== undefined ? [wanted] : [...(fromConfig ? [fromConfig] : []), ...CANDIDATES[role]];
    const hit = tried.find((t) => ids.has(t));
    if (hit !== undefined) {
      resolved[role] = ids.get(hit);
    } else if (options.addMissing && (role !== 'unk' || json.model.type === 'WordLevel')) {
      const content = wanted ?? MM1_SPECIAL_TOKENS[role];
      json.added_tokens.push({ id: vocabSize, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
      ids.set(content, vocabSize);
      resolved[role] = vocabSize++;
    } else if (!OPTIONAL_ROLES.includes(role)) {
      throw new Error(
        `${source}: no token for role '${role}' (tried ${tried.map((t) => `'${t}'`).join(', ')}). ` +
          `Fix: pass tokens: { ${role}: '<a token in the vocabulary>' }, or addMissing: true to append ` +
          `'${wanted ?? MM1_SPECIAL_TOKENS[role]}' as a new token (the embedding table then grows to ${vocabSize + 1} rows).`,
      );
    }
  }

  // WordLevel files load through the library's generic vocab model, which takes its unknown
  // token from the config rather than from model.unk_token.
  const unkToken = json.model.unk_token ?? configToken(options.config, 'unk_token');
  const hf = newHfTokenizer(json, { ...options.config, ...(unkToken ? { unk_token: unkToken } : {}) });
  const special: SpecialTokens = { pad: resolved.pad!, bos: resolved.bos!, eos: resolved.eos!, image: resolved.image! };
  if (resolved.imageStart !== undefined && resolved.imageEnd !== undefined) {
    special.imageStart = resolved.imageStart;
    special.imageEnd = resolved.imageEnd;
  }
  const roles: ChatRoles | undefined = chatTemplate === undefined ? { user: resolved.user!, assistant: resolved.assistant!, end: resolved.end! } : undefined;
  const stopIds = [...new Set([special.eos, ...(resolved.end !== undefined ? [resolved.end] : [])])];

  return {
    vocabSize,
    special,
    ...(roles ? { roles } : {}),
    ...(chatTemplate !== undefined ? { chatTemplate } : {}),
    stopIds,
    json,
    ...(options.config ? { config: options.config } : {}),
    encode(text: string): number[] {
      const enc = hf.encode(text, { add_special_tokens: false });
      const bad = enc.ids.findIndex((id) => id === undefined);
      if (bad >= 0) {
        throw new Error(`${source}: token '${enc.tokens[bad]}' (in "${text.slice(0, 60)}") has no id and the tokenizer has no unknown token`);
      }
      return enc.ids;
    },
    decode(list: readonly number[]): string {
      return list.length === 0 ? '' : hf.decode([...list]);
    },
    tokenToId(token: string): number | undefined {
      return hf.token_to_id(token);
    },
  };
}

/**
 * Load a Hugging Face tokenizer.json (and tokenizer_config.json from the same folder, if
 * present) and resolve mm1's roles on it.
 */
export async function loadTokenizer(path: string, options: TokenizerOptions = {}): Promise<Mm1Tokenizer> {
  let json: TokenizerFile;
  try {
    json = JSON.parse(await readFile(path, 'utf8')) as TokenizerFile;
  } catch (err) {
    throw new Error(`Cannot load tokenizer ${path}: ${(err as Error).message}. Expected a Hugging Face tokenizer.json.`);
  }
  if (!json || typeof json.model !== 'object') {
    throw new Error(`Cannot load tokenizer ${path}: no "model" object; expected a Hugging Face tokenizer.json.`);
  }
  const configPath = join(dirname(path), 'tokenizer_config.json');
  const config = options.config ?? (existsSync(configPath) ? JSON.parse(await readFile(configPath, 'utf8')) : undefined);
  return tokenizerFromJson(json, { ...options, config }, path);
}

/** Write the tokenizer as a tokenizer.json that Hugging Face tokenizers load, and its
 *  tokenizer_config.json (chat template, special tokens) beside it when it has one. */
export async function saveTokenizer(tokenizer: Mm1Tokenizer, path: string): Promise<void> {
  await writeFile(path, JSON.stringify(tokenizer.json, null, 2) + '\n');
  if (tokenizer.config) await writeFile(join(dirname(path), 'tokenizer_config.json'), JSON.stringify(tokenizer.config, null, 2) + '\n');
}

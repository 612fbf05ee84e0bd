// A chat with a loaded model, one turn at a time: images attach to the next user message;
// the conversation is re-rendered with the model's chat template on every turn.
import type { Conversation, RgbImage, Segment } from '../data/document.js';
import { readImageFile } from '../data/image.js';
import type { GenerateOptions, Generation, Mm1Model } from '../model/infer/api.js';
import { withSeed } from '../model/infer/sampling.js';

/** A reply, with its token budget and whether the context (not --max-tokens) set it. */
export interface ChatReply extends Generation {
  maxNewTokens: number;
  limitedByContext: boolean;
}

export class ChatSession {
  private turns: Conversation['turns'] = [];
  private pending: RgbImage[] = [];
  private imagesInConversation = 0;

  constructor(
    private readonly model: Mm1Model,
    private readonly opts: Omit<GenerateOptions, 'onText'>,
  ) {}

  get pendingImages(): number {
    return this.pending.length;
  }

  /** Read an image for the next message; errors name the path. */
  async attach(path: string): Promise<RgbImage> {
    const max = this.model.info.maxImages;
    if (this.imagesInConversation + this.pending.length >= max) {
      throw new Error(`This model takes at most ${max} image${max === 1 ? '' : 's'} per conversation; /reset to start a new one.`);
    }
    const image = await readImageFile(path);
    this.pending.push(image);
    return image;
  }

  reset(): void {
    this.turns = [];
    this.pending = [];
    this.imagesInConversation = 0;
  }

  /** Send one user message (with the attached images first) and stream the reply. */
  async send(text: string, onText: (piece: string) => void): Promise<ChatReply> {
    const segments: Segment[] = [...this.pending.map((image): Segment => ({ kind: 'image', image })), ...(text ? [{ kind: 'text', text } as Segment] : [])];
    const turns: Conversation['turns'] = [...this.turns, { role: 'user', segments }];
    const prompt = { conversation: { id: 'chat', turns } };
    // The reply gets --max-tokens or what the context has left, whichever is smaller (as
    // `mm1 serve` does for a request without max_tokens): a model with a short context still
    // answers with the default flags, and a long conversation is cut, not refused, until full.
    const promptTokens = this.model.countTokens(prompt);
    const room = this.model.info.contextLength - promptTokens;
    if (room < 1) {
      throw new Error(
        `This turn's conversation is ${promptTokens} tokens and the model's context is ${this.model.info.contextLength}: no room for a reply. /reset to start over, or send a shorter message.`,
      );
    }
    const maxNewTokens = Math.min(this.opts.maxNewTokens, room);
    // Sampling without --seed draws a fresh seed per turn (regenerating gives another reply).
    const [gen] = await this.model.generate([prompt], { ...withSeed(this.opts), maxNewTokens, onText });
    this.turns = [...turns, { role: 'assistant', segments: [{ kind: 'text', text: gen.text }] }];
    this.imagesInConversation += this.pending.length;
    this.pending = [];
    return { ...gen, maxNewTokens, limitedByContext: room < this.opts.maxNewTokens };
  }
}

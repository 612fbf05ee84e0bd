// The SFT chat template. One conversation becomes
//
//   <bos><|user|> {image run} What colour is the bus?<|end|><|assistant|> White and red.<|end|>
//        <|user|> Is it moving?<|end|><|assistant|> No.<|end|>
//
// (spaces above are for reading; no space tokens are inserted). Loss goes on the assistant's
// answer tokens and the <|end|> that closes each answer — so the model learns what to say
// and when to stop — and nowhere else: not on <bos>, role markers, user text or images.
// The serve side renders prompts with the same function and stops generating at <|end|>.

import { chatTemplateFor } from './chat_template.js';
import type { Conversation } from './document.js';
import { TokenSeqBuilder, type ImageRunConfig, type TokenizedDoc } from './doc_tokens.js';
import type { Mm1Tokenizer } from './tokenizer.js';

// A tokenizer that brings its own chat template (a Hugging Face LLM's) is rendered with it
// instead (chat_template.ts), with the same rule: loss on the answers and their end-of-turn.
export function tokenizeConversation(conv: Conversation, tokenizer: Mm1Tokenizer, run: ImageRunConfig): TokenizedDoc {
  if (tokenizer.chatTemplate !== undefined) return chatTemplateFor(tokenizer).tokenize(conv, run, false);
  const { user, assistant, end } = mm1Roles(tokenizer);
  const b = new TokenSeqBuilder(tokenizer, run, conv.id);
  b.token(tokenizer.special.bos, false, true);
  conv.turns.forEach((turn, i) => {
    if (turn.role === 'user') {
      b.token(user, false, i === 0); // glue <bos><|user|> to the first user unit
      b.segments(turn.segments, false);
      b.token(end, false);
    } else {
      if (turn.segments.some((s) => s.kind === 'image')) {
        throw new Error(`${conv.id}: turn ${i} (assistant) contains an image; mm1 models output text only. Fix: move the image to a user turn.`);
      }
      b.token(assistant, false);
      b.segments(turn.segments, true);
      b.token(end, true);
    }
  });
  return b.build();
}

/**
 * A generation prompt: the conversation so far followed by <|assistant|>, with no loss
 * anywhere. `conv` should end with a user turn.
 */
export function tokenizePrompt(conv: Conversation, tokenizer: Mm1Tokenizer, run: ImageRunConfig): TokenizedDoc {
  if (tokenizer.chatTemplate !== undefined) return chatTemplateFor(tokenizer).tokenize(conv, run, true);
  const withOpenTurn = tokenizeConversation(conv, tokenizer, run);
  withOpenTurn.ids.push(mm1Roles(tokenizer).assistant);
  withOpenTurn.unitStarts.push(withOpenTurn.ids.length - 1);
  const loss = new Uint8Array(withOpenTurn.ids.length);
  return { ...withOpenTurn, loss };
}

function mm1Roles(tokenizer: Mm1Tokenizer) {
  if (!tokenizer.roles)
    throw new Error(
      "the tokenizer has neither mm1's chat role tokens nor a chat_template in tokenizer_config.json; add a chat_template to tokenizer_config.json",
    );
  return tokenizer.roles;
}

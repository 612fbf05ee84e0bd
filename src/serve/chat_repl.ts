// `mm1 chat`: the terminal loop around ChatSession (node:readline). A line may start with
// any number of `/image PATH` commands; the rest of the line is the message.
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { GenerateOptions, Mm1Model } from '../model/infer/api.js';
import { ChatSession } from './chat_session.js';

export const CHAT_HELP = [
  'Type a message and press Enter. Commands:',
  '  /image PATH [message]   attach an image (PNG/JPEG/WebP) to your next message; repeatable',
  '  /reset                  forget the conversation',
  '  /quit                   leave (or Ctrl-D)',
].join('\n');

/** Split leading `/image PATH` commands (PATH may be "quoted") from the message text. */
export function parseChatLine(line: string): { images: string[]; text: string } {
  const images: string[] = [];
  let rest = line.trim();
  for (;;) {
    const m = /^\/image\s+(?:"([^"]+)"|'([^']+)'|(\S+))\s*/.exec(rest);
    if (!m) break;
    images.push(m[1] ?? m[2] ?? m[3]);
    rest = rest.slice(m[0].length);
  }
  return { images, text: rest };
}

export interface ChatIo {
  input: Readable;
  output: Writable;
}

export async function runChat(model: Mm1Model, opts: Omit<GenerateOptions, 'onText'>, io: ChatIo): Promise<void> {
  const session = new ChatSession(model, opts);
  const out = (s: string) => io.output.write(s);
  const rl = createInterface({ input: io.input, output: io.output, terminal: 'isTTY' in io.input && Boolean(io.input.isTTY) });
  rl.setPrompt('you> ');
  out(`mm1 chat with ${model.info.name} (context ${model.info.contextLength} tokens, up to ${model.info.maxImages} images). /help for commands.\n`);
  rl.prompt();
  for await (const line of rl) {
    const { images, text } = parseChatLine(line);
    if (text === '/quit' || text === '/exit') break;
    if (text === '/help') out(`${CHAT_HELP}\n`);
    else if (text === '/reset') {
      session.reset();
      out('(conversation cleared)\n');
    } else if (text.startsWith('/') && images.length === 0) {
      out(`Unknown command ${text.split(/\s/)[0]}.\n${CHAT_HELP}\n`);
    } else {
      await converse(session, images, text, out);
    }
    rl.prompt();
  }
  rl.close();
}

async function converse(session: ChatSession, images: string[], text: string, out: (s: string) => void): Promise<void> {
  try {
    for (const path of images) {
      const img = await session.attach(path);
      out(`(attached ${path}, ${img.width}×${img.height})\n`);
    }
    if (!text) {
      if (images.length === 0) return;
      out('(the image goes with your next message)\n');
      return;
    }
    out('mm1> ');
    const gen = await session.send(text, out);
    const cutBy = gen.limitedByContext ? `the context (${gen.maxNewTokens} tokens were left; /reset to start over)` : '--max-tokens';
    out(gen.finishReason === 'length' ? ` […cut at ${cutBy}]\n` : '\n');
  } catch (err) {
    out(`\n(error) ${(err as Error).message}\n`);
  }
}

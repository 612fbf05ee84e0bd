// `mm1 serve`: an OpenAI-compatible HTTP server (and a chat page) for a trained model.
import { InvalidArgumentError, Option, type Command } from 'commander';
import { checkOriginValue } from '../../serve/origin_guard.js';
import { checkPortFree } from '../../serve/port_check.js';
import { startServer } from '../../serve/server.js';
import { startWorkerBackend } from '../../serve/worker_backend.js';
import { wholeNumber } from '../flags.js';
import { withDevice } from '../device_flag.js';

interface ServeFlags {
  model: string;
  host: string;
  port: number;
  apiKey?: string;
  cors: string[];
  maxImages?: number;
  maxImageBytes: number;
  maxTokens: number;
  batchSize: number;
  maxQueue: number;
}

export function register(program: Command): void {
  withDevice(program.command('serve'))
    .description(
      'Serve a trained model over HTTP: POST /v1/chat/completions (OpenAI protocol, images as data URLs, ' +
        'streaming), GET /v1/models, GET /health, and a chat page at /. The model runs in a worker thread.',
    )
    .requiredOption('--model <dir>', 'trained model directory: the model/ folder of a run, e.g. runs/tiny/model')
    .option('--host <addr>', 'address to bind; 0.0.0.0 exposes the server to the network (then set --api-key)', '127.0.0.1')
    .option('--port <n>', 'port 0-65535 (0 = any free port)', portNumber, 8080)
    // From the environment by preference: command lines are visible to every user in `ps`.
    .addOption(new Option('--api-key <key>', 'require "Authorization: Bearer <key>" on /v1/*').env('MM1_API_KEY'))
    .addOption(
      new Option('--cors <origin>', 'let a web app at this origin (e.g. http://localhost:5173, or * for any) call the API from a browser; repeatable')
        .argParser(collectOrigin)
        .default([], 'none: other sites are refused'),
    )
    .option('--max-images <n>', 'images per request (default: as many as the model was trained with per sequence)', wholeNumber(1))
    .option('--max-image-bytes <b>', 'bytes per image file', wholeNumber(1), 10 * 1024 * 1024)
    .option('--max-tokens <n>', 'largest max_tokens a request may ask for (also the default)', wholeNumber(1), 512)
    .option('--batch-size <n>', 'queued non-streaming requests answered by one batched generate call', wholeNumber(1), 4)
    .option('--max-queue <n>', 'requests allowed to wait for the model before new ones get 503', wholeNumber(1), 256)
    .addHelpText(
      'after',
      '\nExample:\n  mm1 serve --model runs/sft/model --port 8080\n' +
        '  curl http://127.0.0.1:8080/v1/chat/completions -H "content-type: application/json" \\\n' +
        '    -d \'{"messages": [{"role": "user", "content": "Hello"}]}\'\n\nSee docs/serve.md for images, streaming and the openai client.',
    )
    .action(async (flags: ServeFlags) => {
      if (flags.apiKey !== undefined && !/^[A-Za-z0-9._~+/-]+=*$/.test(flags.apiKey)) {
        throw new Error('--api-key may use letters, digits and . _ ~ + / - (the characters a Bearer token allows).');
      }
      // Checked before the model loads (seconds for a large one), so a busy port fails at once.
      await checkPortFree(flags.host, flags.port);
      process.stderr.write(`loading ${flags.model} …\n`);
      const backend = await startWorkerBackend(flags.model);
      const server = await startServer({
        backend,
        host: flags.host,
        port: flags.port,
        apiKey: flags.apiKey,
        corsOrigins: flags.cors,
        maxImages: flags.maxImages,
        maxImageBytes: flags.maxImageBytes,
        maxTokens: flags.maxTokens,
        batchSize: flags.batchSize,
        maxWaiting: flags.maxQueue,
        log: (line) => process.stderr.write(`${new Date().toISOString()} ${line}\n`),
      }).catch(async (err: unknown) => {
        // The model's worker thread would keep the process alive after the error.
        await backend.release();
        throw err;
      });
      const i = backend.info;
      process.stderr.write(
        `serving ${i.name} (context ${i.contextLength} tokens, up to ${server.policy.maxImages} images per request) at ${server.url}\n` +
          `  chat page: ${server.url}/   API: ${server.url}/v1   ${flags.apiKey ? 'API key required' : 'no API key'}\n`,
      );
      const stop = async () => {
        process.stderr.write('shutting down: finishing the requests in flight (Ctrl-C again to quit at once)\n');
        await server.close();
        await backend.release();
        process.exit(0);
      };
      process.once('SIGINT', () => void stop());
      process.once('SIGTERM', () => void stop());
    });
}

function portNumber(value: string): number {
  const n = wholeNumber(0)(value);
  if (n > 65535) throw new InvalidArgumentError('Expected a port number from 0 to 65535.');
  return n;
}

const collectOrigin = (value: string, previous: string[]) => {
  try {
    return [...previous, checkOriginValue(value)];
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
};

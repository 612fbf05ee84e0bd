// The exported site's index.html: layout and style only; web/page/main.ts (bundled as mm1.js)
// does the work. Ids are the page's contract with its script and with test/web/*.
import { QUICKSTART_STEPS } from '../train/presets.js';
const escape = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

export function pageHtml(name: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>mm1 · ${escape(name)}</title>
<style>
  body { font: 15px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 980px; padding: 12px 18px; color: #1d2430; }
  header { display: flex; align-items: baseline; gap: 14px; border-bottom: 1px solid #d8dde6; padding-bottom: 6px; }
  header h1 { font-size: 20px; margin: 0; }
  #backend, #status { color: #55617a; font-size: 13px; }
  main { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 18px; margin-top: 12px; }
  section { border: 1px solid #d8dde6; border-radius: 8px; padding: 10px 12px; }
  h2 { font-size: 15px; margin: 0 0 8px; }
  #drop { border: 2px dashed #9aa6bd; border-radius: 8px; padding: 10px; text-align: center; color: #55617a; }
  #drop.over { background: #eef3ff; border-color: #4867d6; }
  #preview img { max-width: 160px; max-height: 160px; image-rendering: pixelated; margin-top: 6px; border: 1px solid #ccd; }
  textarea { width: 100%; box-sizing: border-box; font: inherit; margin-top: 8px; }
  .row { display: flex; flex-wrap: wrap; gap: 10px; align-items: center; margin-top: 6px; font-size: 13px; }
  .row input[type=number] { width: 64px; }
  #output { white-space: pre-wrap; min-height: 2.5em; background: #f5f7fb; border-radius: 6px; padding: 8px; margin-top: 8px; font-family: ui-monospace, monospace; }
  #stats, #train-status { font-size: 12px; color: #55617a; margin-top: 4px; }
  table { border-collapse: collapse; font-size: 13px; width: 100%; }
  td { padding: 2px 6px; border-bottom: 1px solid #eef0f4; vertical-align: top; overflow-wrap: anywhere; }
  td:first-child { color: #55617a; white-space: nowrap; }
  #loss-curve { width: 100%; height: 140px; background: #fbfcfe; border: 1px solid #eef0f4; }
  #captions { font-size: 12px; font-family: ui-monospace, monospace; }
  #captions div { display: flex; align-items: center; gap: 8px; margin-top: 4px; }
  button { font: inherit; padding: 4px 14px; }
</style>
</head>
<body>
<header><h1>mm1 · ${escape(name)}</h1><span id="backend">starting…</span><span id="status"></span></header>
<main>
  <section id="chat">
    <h2>Ask the model about a picture</h2>
    <div id="drop">Drop a picture here, or <input type="file" id="file" accept="image/*"><div id="preview"></div></div>
    <textarea id="text" rows="2" placeholder="Prompt (Enter sends). With a picture and no text, the model captions it."></textarea>
    <div class="row">
      <label><input type="radio" name="decoding" id="greedy" checked> greedy</label>
      <label><input type="radio" name="decoding" id="sampled"> sampled</label>
      <label>temperature <input type="number" id="temperature" value="0.8" step="0.1" min="0"></label>
      <label>top-p <input type="number" id="top-p" value="0.95" step="0.05" min="0.05" max="1"></label>
      <label>seed <input type="number" id="seed" value="0"></label>
      <label>max tokens <input type="number" id="max-tokens" value="32" min="1"></label>
      <label title="wrap as one user turn of the chat template (fine-tuned chat models)"><input type="checkbox" id="chat-template"> chat</label>
      <button id="send" disabled>Send</button>
    </div>
    <div id="output"></div>
    <div id="stats"></div>
  </section>
  <section id="card"><h2>Model card</h2><table id="card-table"></table></section>
  <section id="train" style="grid-column: 1 / -1">
    <h2>Train a tiny model in this tab</h2>
    <p style="font-size: 13px; margin: 0">The quick start's tiny recipe and step counts on the synthetic world (Stop keeps what was learned so far): a CLIP stage for the image encoder, then
      multimodal pretraining with the encoder frozen — the same training-step graphs as <code>mm1 quickstart</code>, run by onnxruntime-web in this tab.</p>
    <div class="row">
      <label>CLIP steps <input type="number" id="clip-steps" value="${QUICKSTART_STEPS.clip}" min="0"></label>
      <label>pretraining steps <input type="number" id="train-steps" value="${QUICKSTART_STEPS.pretrain}" min="31"></label>
      <label>seed <input type="number" id="train-seed" value="0"></label>
      <button id="train-start" disabled>Train</button>
      <button id="train-stop" disabled>Stop</button>
      <button id="train-download" hidden>download the model</button>
      <button id="train-use" hidden>chat with it</button>
    </div>
    <svg id="loss-curve" viewBox="0 0 600 140" preserveAspectRatio="none"></svg>
    <div id="train-status"></div>
    <div id="captions"></div>
  </section>
</main>
<script type="module" src="mm1.js"></script>
</body>
</html>
`;
}

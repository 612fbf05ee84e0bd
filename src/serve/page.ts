// The chat page served at `/` by `mm1 serve`: plain HTML + JS, no build step. It keeps the
// conversation in the page and talks to POST /v1/chat/completions with stream: true.
// Kept as a string in a .ts module so `tsc` ships it in dist/ with the rest of the code.
export const CHAT_PAGE_HTML = /* html */ `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>mm1 chat</title>
<style>
  :root { font-family: system-ui, sans-serif; color: #1d1d1f; background: #f5f5f7; }
  body { margin: 0 auto; max-width: 760px; padding: 16px; }
  header { display: flex; align-items: baseline; gap: 12px; }
  h1 { font-size: 20px; margin: 0; }
  #model { color: #666; font-size: 14px; }
  #log { margin: 16px 0; display: flex; flex-direction: column; gap: 10px; min-height: 120px; }
  .msg { padding: 10px 12px; border-radius: 10px; max-width: 85%; white-space: pre-wrap; line-height: 1.4; }
  .user { align-self: flex-end; background: #0a66d8; color: white; }
  .assistant { align-self: flex-start; background: white; border: 1px solid #ddd; }
  .error { align-self: stretch; background: #fde8e8; color: #8a1111; border: 1px solid #f5b5b5; }
  .msg img { display: block; max-width: 220px; max-height: 220px; border-radius: 6px; margin-bottom: 6px; image-rendering: pixelated; }
  form { display: grid; gap: 8px; background: white; border: 1px solid #ddd; border-radius: 10px; padding: 10px; }
  textarea { font: inherit; resize: vertical; min-height: 48px; padding: 6px; }
  .row { display: flex; gap: 10px; align-items: center; flex-wrap: wrap; font-size: 14px; }
  .row input[type=number] { width: 70px; }
  #preview img { max-height: 64px; border-radius: 4px; margin-right: 4px; image-rendering: pixelated; }
  button { font: inherit; padding: 6px 14px; }
</style>
</head>
<body>
<header><h1>mm1 chat</h1><span id="model">connecting…</span></header>
<div id="log" aria-live="polite"></div>
<form id="form">
  <textarea id="text" placeholder="Ask about the image… (Enter sends, Shift+Enter adds a line)"></textarea>
  <div class="row">
    <label>Image <input id="file" type="file" accept="image/png,image/jpeg,image/webp" multiple></label>
    <span id="preview"></span>
  </div>
  <div class="row">
    <label>max tokens <input id="maxTokens" type="number" min="1" value="128"></label>
    <label>temperature <input id="temperature" type="number" min="0" max="2" step="0.1" value="0"></label>
    <label id="keyRow" hidden>API key <input id="apiKey" type="password" autocomplete="off"></label>
    <span style="flex:1"></span>
    <button type="button" id="reset">Reset</button>
    <button type="submit" id="send">Send</button>
  </div>
</form>
<script type="module">
const $ = (id) => document.getElementById(id);
const history = []; // OpenAI messages so far
let pendingImages = []; // data URLs chosen for the next message
let modelId;

fetch('health').then((r) => r.json()).then((h) => {
  modelId = h.model;
  $('model').textContent = h.model + (h.status === 'ok' ? '' : ' (' + h.status + ')');
  $('keyRow').hidden = !h.auth;
}).catch(() => { $('model').textContent = 'server unreachable'; });

function bubble(cls, text, images = []) {
  const div = document.createElement('div');
  div.className = 'msg ' + cls;
  for (const src of images) { const img = document.createElement('img'); img.src = src; img.alt = 'uploaded image'; div.append(img); }
  const span = document.createElement('span');
  span.textContent = text;
  div.append(span);
  $('log').append(div);
  div.scrollIntoView({ block: 'end' });
  return span;
}

const readAsDataUrl = (file) => new Promise((resolve, reject) => {
  const r = new FileReader();
  r.onload = () => resolve(r.result);
  r.onerror = () => reject(r.error);
  r.readAsDataURL(file);
});

$('file').addEventListener('change', async () => {
  pendingImages = await Promise.all([...$('file').files].map(readAsDataUrl));
  $('preview').replaceChildren(...pendingImages.map((src) => Object.assign(document.createElement('img'), { src, alt: 'image to send' })));
});

$('text').addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); $('form').requestSubmit(); }
});

$('reset').addEventListener('click', () => {
  history.length = 0;
  $('log').replaceChildren();
});

$('form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const text = $('text').value.trim();
  if (!text && pendingImages.length === 0) return;
  const content = [...pendingImages.map((url) => ({ type: 'image_url', image_url: { url } })), ...(text ? [{ type: 'text', text }] : [])];
  bubble('user', text, pendingImages);
  const message = { role: 'user', content };
  $('text').value = ''; $('file').value = ''; $('preview').replaceChildren(); pendingImages = [];
  $('send').disabled = true;
  const out = bubble('assistant', '');
  try {
    const reply = await complete([...history, message], (piece) => { out.textContent += piece; });
    history.push(message, { role: 'assistant', content: reply });
  } catch (err) {
    out.parentElement.remove();
    bubble('error', String(err.message || err));
  } finally {
    $('send').disabled = false;
    $('text').focus();
  }
});

/** POST with stream: true and read the server-sent events; returns the whole reply. */
async function complete(messages, onPiece) {
  const headers = { 'content-type': 'application/json' };
  if ($('apiKey').value) headers.authorization = 'Bearer ' + $('apiKey').value;
  const res = await fetch('v1/chat/completions', {
    method: 'POST', headers,
    body: JSON.stringify({ model: modelId, messages, stream: true, max_tokens: Number($('maxTokens').value), temperature: Number($('temperature').value) }),
  });
  if (!res.ok) {
    const body = await res.json().catch(() => null);
    throw new Error(body?.error?.message ?? res.status + ' ' + res.statusText);
  }
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '', reply = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return reply;
    buffer += value;
    let cut;
    while ((cut = buffer.indexOf('\\n\\n')) >= 0) {
      const event = buffer.slice(0, cut); buffer = buffer.slice(cut + 2);
      const data = event.split('\\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\\n');
      if (!data || data === '[DONE]') continue;
      const chunk = JSON.parse(data);
      if (chunk.error) throw new Error(chunk.error.message);
      const piece = chunk.choices?.[0]?.delta?.content;
      if (piece) { reply += piece; onPiece(piece); }
    }
  }
}
</script>
</body>
</html>
`;

"""Eager PyTorch twin of mm1's `bench` recipe training step, for `npm run bench`'s comparison.

The model is hand-written here on purpose: it is a benchmark twin of what mm1 builds
(src/model/build/{vit,connectors/avgpool,llm,multimodal}.ts), not a library, so it mirrors
mm1's graph op for op as an ordinary eager PyTorch user would write it:
  ViT (stride-p patch convolution, learned positions, pre-LN blocks with biased q/k/v/out and
  a GELU MLP, final LayerNorm) -> 2-D adaptive average pooling to k tokens -> Linear to the
  LLM width -> spliced into the token embeddings by one index_select -> Llama decoder (RMSNorm,
  RoPE rotate_half, causal softmax attention, SwiGLU) -> LM head -> mean cross-entropy on the
  text targets; backward; global-norm clipping; AdamW (decay on rank >= 2 tensors only).
The shapes come from mm1 as JSON (--config), so the twin follows the recipe; features this
twin does not implement are refused by name rather than silently built differently.

Fair eager baseline: fp32, torch.backends defaults, no anomaly detection, no torch.compile
(1.13 has none), zero_grad(set_to_none=True), torch.optim.AdamW with its default CPU path.
Threads: torch.set_num_threads(n) and OPENBLAS_NUM_THREADS=n (set before torch loads its BLAS).

Usage:
  python3 bench/pytorch_step.py --config '<json>' --threads 2 --steps 8   # one JSON line
  python3 bench/pytorch_step.py --config '<json>' --count                 # parameter counts only
  python3 bench/pytorch_step.py --config '<json>' --threads 2 --serve     # JSON 'ready' line, then
      one JSON line of step wall and CPU ms per stdin line "N" (time N steps); EOF ends it. bench/pytorch.ts
      drives this mode to interleave PyTorch and mm1 rounds (A B A B) in one bench run.
"""

import argparse
import json
import math
import os
import sys
import time

parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
parser.add_argument("--config", required=True, help="JSON: {model: mm1 ModelConfig, batch: B, seq: T, images: N, weightDecay, clipNorm, lr}")
parser.add_argument("--threads", type=int, default=2)
parser.add_argument("--warmup", type=int, default=2)
parser.add_argument("--steps", type=int, default=8)
parser.add_argument("--spin", type=int, choices=[0, 1], default=1, help="0: OMP_WAIT_POLICY=PASSIVE, as mm1 stops ONNX Runtime's spinning on a busy machine")
parser.add_argument("--serve", action="store_true")
parser.add_argument("--count", action="store_true", help="print the parameter counts and stop (no step)")
args = parser.parse_args()

run = json.loads(args.config)
cfg = run["model"]
vis, con, llm = cfg["vision"], cfg["connector"], cfg["llm"]
B, T, N = run["batch"], run["seq"], run["images"]

IGNORE_INDEX = -100
IMAGE_TOKEN = 3


def refuse(what, value, expected):
    sys.exit(f"bench/pytorch_step.py: {what} = {json.dumps(value)} is not built by this twin (it builds {expected}); extend the twin or bench another recipe")


for key, want in [("classToken", False), ("preNorm", False), ("patchBias", False), ("featureLayer", -1), ("activation", "gelu_tanh")]:
    if vis.get(key, want) != want:
        refuse(f"vision.{key}", vis[key], want)
for key in ["stem", "layerScale"]:
    if vis.get(key) not in (None, "patch"):
        refuse(f"vision.{key}", vis[key], "absent")
if con["kind"] != "avgpool":
    refuse("connector.kind", con["kind"], "avgpool")
if llm.get("kvHeads", llm["heads"]) != llm["heads"] or llm.get("qkvBias", False) or cfg.get("subImageGrid", 0):
    refuse("llm.kvHeads/qkvBias or subImageGrid", [llm.get("kvHeads"), llm.get("qkvBias"), cfg.get("subImageGrid")], "plain multi-head attention, one crop")

# Before `import torch`: OpenBLAS reads its thread count when the library loads.
os.environ["OPENBLAS_NUM_THREADS"] = str(args.threads)
os.environ["OMP_NUM_THREADS"] = str(args.threads)
# OpenMP threads that spin-wait between ops starve on a machine busier than its cores (measured:
# 2 threads at load 17, 23 s a step spinning, 3.5 s passive); mm1 keeps ONNX Runtime's threads
# from spinning unless MM1_ORT_SPINNING=1 (src/engine/session.ts, ortSpinning), so the twin is given the same choice.
if not args.spin:
    os.environ["OMP_WAIT_POLICY"] = "PASSIVE"

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

torch.set_num_threads(args.threads)
torch.manual_seed(1)


def normal_(t):
    return nn.init.normal_(t, std=0.02)


class Attention(nn.Module):
    def __init__(self, width, heads, bias, out_name):
        super().__init__()
        self.heads = heads
        self.q_proj, self.k_proj, self.v_proj = (nn.Linear(width, width, bias=bias) for _ in range(3))
        setattr(self, out_name, nn.Linear(width, width, bias=bias))
        self.out = getattr(self, out_name)

    def forward(self, x, mask=None, rope=None):  # x [B, T, D] -> [B, T, D]
        b, t, d = x.shape
        split = lambda y: y.view(b, t, self.heads, d // self.heads).transpose(1, 2)  # noqa: E731  [B, H, T, Dh]
        q, k, v = split(self.q_proj(x)), split(self.k_proj(x)), split(self.v_proj(x))
        if rope is not None:
            q, k = apply_rope(q, *rope), apply_rope(k, *rope)
        scores = (q / math.sqrt(d // self.heads)) @ k.transpose(-1, -2)  # [B, H, T, T]
        if mask is not None:
            scores = scores + mask
        ctx = scores.softmax(-1) @ v
        return self.out(ctx.transpose(1, 2).reshape(b, t, d))


def apply_rope(x, cos, sin):  # x [B, H, T, Dh]; cos/sin [B, 1, T, Dh]; Llama's rotate_half
    x1, x2 = x.chunk(2, -1)
    return x * cos + torch.cat([-x2, x1], -1) * sin


class VitBlock(nn.Module):
    def __init__(self, c):
        super().__init__()
        eps = c.get("layerNormEps", 1e-5)
        self.layer_norm1 = nn.LayerNorm(c["width"], eps=eps)
        self.self_attn = Attention(c["width"], c["heads"], True, "out_proj")
        self.layer_norm2 = nn.LayerNorm(c["width"], eps=eps)
        self.fc1 = nn.Linear(c["width"], c["mlpHidden"])
        self.fc2 = nn.Linear(c["mlpHidden"], c["width"])

    def forward(self, x):
        h = x + self.self_attn(self.layer_norm1(x))
        return h + self.fc2(F.gelu(self.fc1(self.layer_norm2(h)), approximate="tanh"))


class Vision(nn.Module):
    def __init__(self, c):
        super().__init__()
        p, grid = c["patchSize"], c["imageSize"] // c["patchSize"]
        self.patch_embedding = nn.Conv2d(3, c["width"], p, stride=p, bias=False)
        self.position_embedding = nn.Parameter(normal_(torch.empty(grid * grid, c["width"])))
        self.layers = nn.ModuleList(VitBlock(c) for _ in range(c["depth"]))
        self.post_layernorm = nn.LayerNorm(c["width"], eps=c.get("layerNormEps", 1e-5)) if c.get("postNorm", True) else None

    def forward(self, pixels):  # [N, 3, S, S] -> [N, P, C]
        x = self.patch_embedding(pixels).flatten(2).transpose(1, 2) + self.position_embedding
        for layer in self.layers:
            x = layer(x)
        return self.post_layernorm(x) if self.post_layernorm is not None else x


class AvgPoolConnector(nn.Module):
    def __init__(self, vision_width, llm_width, tokens):
        super().__init__()
        self.side = math.isqrt(tokens)
        self.proj = nn.Linear(vision_width, llm_width)

    def forward(self, feats):  # [N, G², C] -> [N, k, D]
        n, p, c = feats.shape
        grid = math.isqrt(p)
        pooled = F.adaptive_avg_pool2d(feats.transpose(1, 2).reshape(n, c, grid, grid), self.side)
        return self.proj(pooled.flatten(2).transpose(1, 2))


class RMSNorm(nn.Module):
    def __init__(self, d, eps):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(d))
        self.eps = eps

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


class DecoderLayer(nn.Module):
    def __init__(self, c):
        super().__init__()
        eps = c.get("rmsNormEps", 1e-6)
        self.input_layernorm = RMSNorm(c["width"], eps)
        self.self_attn = Attention(c["width"], c["heads"], False, "o_proj")
        self.post_attention_layernorm = RMSNorm(c["width"], eps)
        self.gate_proj = nn.Linear(c["width"], c["mlpHidden"], bias=False)
        self.up_proj = nn.Linear(c["width"], c["mlpHidden"], bias=False)
        self.down_proj = nn.Linear(c["mlpHidden"], c["width"], bias=False)

    def forward(self, h, mask, rope):
        h = h + self.self_attn(self.input_layernorm(h), mask, rope)
        x = self.post_attention_layernorm(h)
        return h + self.down_proj(F.silu(self.gate_proj(x)) * self.up_proj(x))


class Llm(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.embed_tokens = nn.Embedding(c["vocabSize"], c["width"])
        normal_(self.embed_tokens.weight)
        self.layers = nn.ModuleList(DecoderLayer(c) for _ in range(c["depth"]))
        self.norm = RMSNorm(c["width"], c.get("rmsNormEps", 1e-6))
        self.lm_head = None if c.get("tieEmbeddings", False) else nn.Linear(c["width"], c["vocabSize"], bias=False)
        hd, theta = c["width"] // c["heads"], c.get("ropeTheta", 10000)
        inv = 1.0 / theta ** (torch.arange(0, hd, 2, dtype=torch.float64) / hd)
        angles = torch.arange(c.get("maxPositions", 2048), dtype=torch.float64)[:, None] * inv[None, :]
        angles = torch.cat([angles, angles], -1)  # both halves share frequency i, as HF's cat((freqs, freqs))
        self.register_buffer("cos", angles.cos().float(), persistent=False)
        self.register_buffer("sin", angles.sin().float(), persistent=False)

    def forward(self, x, positions, mask):  # x [B, T, D] -> logits [B, T, V]
        rope = (self.cos[positions][:, None], self.sin[positions][:, None])
        for layer in self.layers:
            x = layer(x, mask, rope)
        x = self.norm(x)
        return self.lm_head(x) if self.lm_head is not None else x @ self.embed_tokens.weight.t()


class MM1(nn.Module):
    def __init__(self):
        super().__init__()
        self.vision = Vision(vis)
        self.connector = AvgPoolConnector(vis["width"], llm["width"], con["tokens"])
        self.llm = Llm(llm)
        for m in self.modules():
            if isinstance(m, nn.Linear):
                normal_(m.weight)
                if m.bias is not None:
                    nn.init.zeros_(m.bias)
        normal_(self.vision.patch_embedding.weight)

    def forward(self, tokens, images, splice, positions, mask):
        b, t = tokens.shape
        text = self.llm.embed_tokens(tokens.view(-1))  # [B*T, D]
        image = self.connector(self.vision(images)).reshape(-1, text.shape[1])  # [B*N*k, D]
        x = torch.cat([text, image]).index_select(0, splice).view(b, t, -1)
        return self.llm(x, positions, mask)


def bench_batch():
    """mm1's benchBatch layout: k image placeholders at the start of each row, then random text with next-token targets."""
    k, v, s = con["tokens"], llm["vocabSize"], vis["imageSize"]
    g = torch.Generator().manual_seed(2)
    tokens = torch.randint(4, v, (B, T), generator=g)
    tokens[:, :k] = IMAGE_TOKEN
    targets = torch.full((B, T), IGNORE_INDEX, dtype=torch.long)
    targets[:, k : T - 1] = tokens[:, k + 1 :]
    splice = torch.arange(B * T).view(B, T)
    splice[:, :k] = B * T + torch.arange(B)[:, None] * N * k + torch.arange(k)[None, :]
    positions = torch.arange(T).expand(B, T)
    images = torch.randn(B * N, 3, s, s, generator=g)
    # Packed causal mask with every row one document: 0 where j <= i, -1e9 elsewhere, [1, 1, T, T].
    mask = torch.full((T, T), -1e9).triu(1)[None, None]
    return tokens, images, splice.view(-1), positions, mask, targets.view(-1)


model = MM1()
decay = [p for p in model.parameters() if p.dim() >= 2]
no_decay = [p for p in model.parameters() if p.dim() < 2]
opt = torch.optim.AdamW(
    [{"params": decay, "weight_decay": run["weightDecay"]}, {"params": no_decay, "weight_decay": 0.0}], lr=run["lr"], betas=(0.9, 0.95), eps=1e-8
)
tokens, images, splice, positions, mask, targets = bench_batch()


def step():
    opt.zero_grad(set_to_none=True)
    logits = model(tokens, images, splice, positions, mask)
    loss = F.cross_entropy(logits.view(-1, logits.shape[-1]), targets, ignore_index=IGNORE_INDEX)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), run["clipNorm"])
    opt.step()
    return loss.item()


def timed(n):
    """Wall and CPU ms of each of n steps; CPU time (all threads of this process) holds up on a loaded machine where wall time does not."""
    wall, cpu = [], []
    for _ in range(n):
        t0, c0 = time.perf_counter(), time.process_time()
        step()
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    return wall, cpu


def blas_library():
    """The BLAS this process mapped (Debian's libblas.so.3 alternative: reference BLAS or OpenBLAS)."""
    with open("/proc/self/maps") as f:
        libs = sorted({line.split()[-1] for line in f if "blas" in line.split()[-1]})
    real = sorted({os.path.realpath(p) for p in libs})
    if any("openblas" in p for p in real):
        return "OpenBLAS (" + ", ".join(real) + ")"
    return ("reference BLAS, slow: install OpenBLAS (apt-get install libopenblas0-pthread) (" if real else "no BLAS mapped (") + ", ".join(real) + ")"


counts = {"vision": 0, "connector": 0, "llm": 0}
for name, p in model.named_parameters():
    counts[name.split(".")[0]] += p.numel()
counts["total"] = sum(counts.values())
info = {"torch": torch.__version__, "threads": torch.get_num_threads(), "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY", "default"), "blas": blas_library(), "params": counts, "tokens_per_step": B * T}
if args.count:
    print(json.dumps(info))
    sys.exit(0)
first_loss = step()
timed(args.warmup - 1)
if args.serve:
    print(json.dumps({"ready": True, **info, "first_loss": first_loss}), flush=True)
    for line in sys.stdin:
        wall, cpu = timed(int(line))
        print(json.dumps({"step_ms": wall, "cpu_ms": cpu}), flush=True)
else:
    wall, cpu = (sorted(x)[len(x) // 2] for x in timed(args.steps))
    print(json.dumps({**info, "first_loss": first_loss, "steps": args.steps, "step_ms": wall, "cpu_ms": cpu, "tokens_per_s": round(B * T / (wall / 1000))}))

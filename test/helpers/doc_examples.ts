// The `mm1 …` command examples a user copies: from fenced code blocks in README.md and
// docs/*.md, and from each command's --help. Shell words are split here by hand (quotes,
// $'…', backslash continuations, # comments, VAR=value prefixes, && chains, | and > after the command): no maintained
// package for it is installed, and these few rules cover what the docs use.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface DocExample {
  /** Where it was found, e.g. docs/serve.md:43 or `mm1 generate --help`. */
  where: string;
  /** The words after `mm1`. */
  argv: string[];
}

/** Shell words of one command line (continuations already joined). */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (/\s/.test(ch)) {
      if (word !== null) words.push(word);
      word = null;
    } else if (ch === '#' && word === null) break;
    else if ((ch === '|' || ch === '>' || ch === ';') && word === null)
      break; // a pipe or redirect ends mm1's words
    else if (ch === "'") {
      const end = line.indexOf("'", i + 1);
      word = (word ?? '') + line.slice(i + 1, end);
      i = end;
    } else if (ch === '$' && line[i + 1] === "'") {
      const end = line.indexOf("'", i + 2);
      word =
        (word ?? '') +
        line
          .slice(i + 2, end)
          .replace(/\\n/g, '\n')
          .replace(/\\t/g, '\t');
      i = end;
    } else if (ch === '"') {
      const end = line.indexOf('"', i + 1);
      word = (word ?? '') + line.slice(i + 1, end);
      i = end;
    } else if (ch === '\\') word = (word ?? '') + line[++i];
    else word = (word ?? '') + ch;
  }
  if (word !== null) words.push(word);
  return words;
}

/** Commands in a text: lines starting (after `$ `, `npx `, VAR=value) with `mm1 `, continuations joined. */
export function commandsIn(text: string, where: (line: number) => string): DocExample[] {
  const lines = text.split('\n');
  const transcript = lines.some((l) => /^\s*\$ /.test(l)); // then only `$ ` lines are commands
  const out: DocExample[] = [];
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i].trim();
    if (transcript && !line.startsWith('$ ')) continue;
    line = line.replace(/^\$ /, '');
    if (!/^(npx )?([A-Z_][A-Z0-9_]*=\S+ )*mm1 /.test(line)) continue;
    const at = i;
    while (line.endsWith('\\') && i + 1 < lines.length) line = line.slice(0, -1) + ' ' + lines[++i].trim();
    for (const part of line.split(' && ')) {
      const words = shellWords(part).filter((w, k, all) => !(k < all.indexOf('mm1') && (w === 'npx' || /^[A-Z_][A-Z0-9_]*=/.test(w))));
      if (words[0] === 'mm1') out.push({ where: where(at + 1), argv: words.slice(1) });
    }
  }
  return out;
}

/** Every command in the fenced code blocks of README.md and docs/*.md (not docs/results, which is generated). */
export function markdownExamples(root: string): DocExample[] {
  const files = [
    'README.md',
    ...readdirSync(join(root, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .map((f) => `docs/${f}`),
  ];
  return files.flatMap((file) => {
    const text = readFileSync(join(root, file), 'utf8');
    const out: DocExample[] = [];
    const fence = /^```[^\n]*\n([\s\S]*?)^```/gm;
    for (let m = fence.exec(text); m; m = fence.exec(text)) {
      const firstLine = text.slice(0, m.index).split('\n').length + 1;
      out.push(...commandsIn(m[1], (line) => `${file}:${firstLine + line - 1}`));
    }
    return out;
  });
}

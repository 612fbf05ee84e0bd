// MM1's mixed-resolution few-shot prompts for sub-image models (spec §4.3 item 5: "only the
// last N in-context images are high-res at 720 tokens, the rest low-res at 144 tokens"). A
// sub-image model's picture is normally its full set, 1 overview + g² crops of k tokens each;
// with `highResLast` = N only the last N pictures of a prompt keep it, and the earlier ones
// become the overview crop alone (k tokens), so long few-shot prompts stay near the lengths
// the model was fine-tuned on. The graph is unchanged: every crop is encoded on its own and
// gives k tokens, so a picture of 1 crop is a shorter run of the same kind (prompt_layout.ts).

/** Checks highResLast (N ≥ 0, whole); `where` names the setting, e.g. '--high-res-last'. */
export function checkHighResLast(n: number, where: string): void {
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`${where} ${n}: expected a whole number ≥ 0 (how many of a prompt's last pictures keep all their sub-image crops); e.g. ${where} 1`);
}

/** Which of a prompt's `pictures` get the full set: the last `highResLast`, or all when it is undefined. */
export function fullSets(pictures: number, highResLast: number | undefined): boolean[] {
  return Array.from({ length: pictures }, (_, i) => highResLast === undefined || i >= pictures - highResLast);
}

/** Where each image's placeholder run starts in the token ids (TokenizedDoc.images[i].at). */
export interface ImageRun {
  at: number;
}

/**
 * The token ids with each low-res picture's run cut from tokensPerImage placeholders to
 * tokensPerCrop (runs without markers, as load.ts tokenises prompts). Throws when a run is not
 * tokensPerImage placeholders where `runs` says, since the cut would then eat text.
 */
export function shrinkImageRuns(
  ids: readonly number[],
  runs: readonly ImageRun[],
  full: readonly boolean[],
  placeholder: number,
  tokensPerImage: number,
  tokensPerCrop: number,
): number[] {
  if (runs.length !== full.length) throw new Error(`shrinkImageRuns: ${runs.length} image runs but ${full.length} full-set flags; give one flag per image`);
  const out: number[] = [];
  let from = 0;
  runs.forEach((run, i) => {
    for (let t = run.at; t < run.at + tokensPerImage; t++)
      if (ids[t] !== placeholder)
        throw new Error(
          `shrinkImageRuns: token ${t} of image ${i}'s run is ${ids[t]}, not the placeholder ${placeholder}; runs must be ${tokensPerImage} placeholders without markers`,
        );
    out.push(...ids.slice(from, run.at + (full[i] ? tokensPerImage : tokensPerCrop)));
    from = run.at + tokensPerImage;
  });
  out.push(...ids.slice(from));
  return out;
}

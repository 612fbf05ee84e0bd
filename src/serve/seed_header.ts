// Sampled completions report their seed in a response header (streamed or not), so a
// client can replay one exactly by sending it back as `seed`. A header, not a body field,
// because a stream's headers go out before its first chunk and OpenAI's body has no slot.
export const SEED_HEADER = 'mm1-seed';

/** The header for a generation's seed; none for greedy generations (they need no seed). */
export function seedHeader(seed: number | undefined): Record<string, string> {
  return seed === undefined ? {} : { [SEED_HEADER]: String(seed) };
}

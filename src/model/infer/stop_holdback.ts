// Streaming with stop strings: a piece may end with the first half of a stop string
// ("…\n\nQ" when stop is "\n\nQuestion:"), which must not reach the client if the rest
// follows. Text is released only once it cannot be the start of a stop string, and the
// model's final text (which excludes the stop string) settles what is left.
export class StopHoldback {
  /** Everything released so far. */
  private sent = '';
  /** Received but not released: only this part can hold the start of a stop string. */
  private pending = '';
  private stopped = false;

  constructor(private readonly stops: readonly string[] = []) {}

  /** Feed one decoded piece; returns the text that is now safe to send. */
  push(piece: string): string {
    if (this.stopped) return '';
    // Work on the unreleased tail only: re-scanning the whole reply per piece is quadratic.
    const pending = this.pending + piece;
    let end = pending.length;
    for (const s of this.stops) {
      const at = s ? pending.indexOf(s) : -1;
      if (at >= 0 && at < end) {
        end = at;
        this.stopped = true;
      }
    }
    if (!this.stopped) end -= this.partialStopAtEnd(pending);
    const out = pending.slice(0, end);
    this.pending = pending.slice(end);
    this.sent += out;
    return out;
  }

  /**
   * The rest of the model's final text after what was already sent. If the model's
   * streamed pieces and its final text disagree, what was sent cannot be unsent: nothing
   * more is added.
   */
  finish(finalText: string): string {
    this.stopped = true;
    return finalText.startsWith(this.sent) ? finalText.slice(this.sent.length) : '';
  }

  /** Length of the longest tail of `pending` that is a proper prefix of a stop string. */
  private partialStopAtEnd(pending: string): number {
    let longest = 0;
    for (const s of this.stops) {
      for (let k = Math.min(s.length - 1, pending.length); k > longest; k--) {
        if (pending.endsWith(s.slice(0, k))) {
          longest = k;
          break;
        }
      }
    }
    return longest;
  }
}

// Streaming with stop strings: a piece may end with the first half of a stop string
// ("…\n\nQ" when stop is "\n\nQuestion:"), which must not reach the client if the rest
// follows. Text is released only once it cannot be the start of a stop string, and the
// model's final text (which excludes the stop string) settles what is left.
export class StopHoldback {
  private received = '';
  private released = 0;
  private stopped = false;

  constructor(private readonly stops: readonly string[] = []) {}

  /** Feed one decoded piece; returns the text that is now safe to send. */
  push(piece: string): string {
    if (this.stopped) return '';
    this.received += piece;
    let end = this.received.length;
    for (const s of this.stops) {
      // Held-back text is never released, so a stop string cannot start before `released`.
      const at = s ? this.received.indexOf(s, this.released) : -1;
      if (at >= 0 && at < end) {
        end = at;
        this.stopped = true;
      }
    }
    if (!this.stopped) end -= this.partialStopAtEnd();
    const out = this.received.slice(this.released, end);
    this.released = end;
    return out;
  }

  /**
   * The rest of the model's final text after what was already sent. If the model's
   * streamed pieces and its final text disagree, what was sent cannot be unsent: nothing
   * more is added.
   */
  finish(finalText: string): string {
    const sent = this.received.slice(0, this.released);
    this.stopped = true;
    return finalText.startsWith(sent) ? finalText.slice(sent.length) : '';
  }

  /** Length of the longest tail of the unreleased text that is a proper prefix of a stop string. */
  private partialStopAtEnd(): number {
    const pending = this.received.slice(this.released);
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

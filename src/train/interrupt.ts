// Ctrl-C during training: the first SIGINT asks the loop to checkpoint and stop after the
// current step; a second one exits at once (the last complete checkpoint stays valid,
// because checkpoints are written atomically).
export class Interrupt {
  requested = false;
  private readonly handler = () => {
    if (this.requested) {
      process.stderr.write('\nmm1: second Ctrl-C, exiting without a new checkpoint\n');
      process.exit(130);
    }
    this.requested = true;
    process.stderr.write('\nmm1: Ctrl-C: saving a checkpoint after this step (Ctrl-C again to quit now)\n');
  };

  constructor() {
    process.on('SIGINT', this.handler);
  }

  dispose(): void {
    process.off('SIGINT', this.handler);
  }
}

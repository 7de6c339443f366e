/**
 * The published learning-rate policy: constant, then linear decay to zero over the rest of the run
 * (pix2pix/CycleGAN: n_epochs constant + n_epochs_decay linear). In steps rather than epochs.
 */
export function learningRateAt(step: number, options: { lr: number; steps: number; decayFrom: number }): number {
  const decayStart = Math.floor(options.steps * options.decayFrom)
  if (step <= decayStart) return options.lr
  return options.lr * Math.max(0, (options.steps - step + 1) / (options.steps - decayStart + 1))
}

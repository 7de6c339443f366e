/**
 * TF.js's Adam, with each variable's update in a tidy of its own. TF.js wraps the update of every
 * variable in one tidy, so the ~8 temporaries of each update (moments, bias corrections, the step)
 * all stay allocated until the last variable is done: for the 54 M parameters of unet_256 that is
 * ~2 GB on top of the model, which is what made Pix2Pix and CycleGAN at 256 px peak near wasm's 4 GB.
 * The arithmetic, its order, the slot variables and their names are TF.js's own, so results are
 * bit for bit the same and saved optimiser states load either way.
 */
import * as tf from '@tensorflow/tfjs'

interface AdamInternals {
  accBeta1: tf.Variable
  accBeta2: tf.Variable
  accumulatedFirstMoment: { originalName: string; variable: tf.Variable }[]
  accumulatedSecondMoment: { originalName: string; variable: tf.Variable }[]
  incrementIterations(): void
}

export class LeanAdamOptimizer extends tf.AdamOptimizer {
  override applyGradients(variableGradients: Parameters<tf.AdamOptimizer['applyGradients']>[0]): void {
    const self = this as unknown as AdamInternals
    const { beta1, beta2, epsilon } = this as unknown as { beta1: number; beta2: number; epsilon: number }
    const names = Array.isArray(variableGradients) ? variableGradients.map((v) => v.name) : Object.keys(variableGradients)
    const [oneMinusAccBeta1, oneMinusAccBeta2] = tf.tidy(() => [tf.sub(1, self.accBeta1), tf.sub(1, self.accBeta2)])
    names.forEach((name, i) => {
      const value = tf.engine().registeredVariables[name]!
      const slot = (suffix: string) => ({ originalName: `${name}/${suffix}`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) })
      self.accumulatedFirstMoment[i] ??= slot('m')
      self.accumulatedSecondMoment[i] ??= slot('v')
      const gradient = Array.isArray(variableGradients) ? variableGradients[i]!.tensor : variableGradients[name]
      if (gradient == null) return
      tf.tidy(() => {
        const firstMoment = self.accumulatedFirstMoment[i]!.variable
        const secondMoment = self.accumulatedSecondMoment[i]!.variable
        const newFirstMoment = tf.add(tf.mul(firstMoment, beta1), tf.mul(gradient, 1 - beta1))
        const newSecondMoment = tf.add(tf.mul(secondMoment, beta2), tf.mul(tf.square(gradient), 1 - beta2))
        const biasCorrectedFirstMoment = tf.div(newFirstMoment, oneMinusAccBeta1!)
        const biasCorrectedSecondMoment = tf.div(newSecondMoment, oneMinusAccBeta2!)
        firstMoment.assign(newFirstMoment)
        secondMoment.assign(newSecondMoment)
        const step = tf.div(biasCorrectedFirstMoment, tf.add(tf.sqrt(biasCorrectedSecondMoment), epsilon))
        value.assign(tf.add(tf.mul(step, -this.learningRate), value))
      })
    })
    tf.dispose([oneMinusAccBeta1!, oneMinusAccBeta2!])
    tf.tidy(() => {
      self.accBeta1.assign(tf.mul(self.accBeta1, beta1))
      self.accBeta2.assign(tf.mul(self.accBeta2, beta2))
    })
    self.incrementIterations()
  }
}

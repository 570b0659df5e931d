package dev.rnn4j.train;

import dev.rnn4j.tensor.Parameter;

import java.util.List;

/**
 * Computes a training step's gradient where the examples are: on the workers of a distributed run, each adding
 * the {@link BatchGradient.Reduction#SUM} gradient of its share of the step's batch, which the implementation adds
 * up and divides by the batch's total weight ({@link BatchGradient#divide}). {@link Trainer} then clips the
 * gradient and steps the optimizer as for a local batch, so the run equals a one-process run on the same batches.
 */
public interface DistributedGradient {
    /**
     * Puts into the parameters' grads (zero on entry) the gradient, at the parameters' current values, of the mean
     * loss of the batch made of the examples {@code exampleIds} (dataset indices, in batch order) at training step
     * {@code step} (0-based); each example's masks are keyed by its index.
     *
     * @param parameters every parameter of the model, in {@link dev.rnn4j.model.SequenceModel#parameters()} order
     * @return the batch's mean loss
     */
    double gradient(int[] exampleIds, long step, List<Parameter> parameters);
}

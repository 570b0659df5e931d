package dev.rnn4j.optim;

import dev.rnn4j.tensor.Parameter;

import java.util.List;
import java.util.Map;

/**
 * Updates parameters from their gradients, one training step at a time.
 *
 * <p>Call order per training step:
 * <ol>
 *   <li>{@code zeroGrad} (the network's, or each {@link Parameter#zeroGrad()}): gradients accumulate otherwise;</li>
 *   <li>forward pass and loss;</li>
 *   <li>backward pass, which fills each {@link Parameter#grad()};</li>
 *   <li>optionally {@link GradientClipping};</li>
 *   <li>{@link #step(List)}: reads each {@code p.grad()} and updates {@code p.value()} in place. It never zeroes
 *       the gradients: that is step 1 of the next iteration.</li>
 * </ol>
 *
 * <p>Per-parameter state (momentum buffers, moment estimates) is created lazily the first time a parameter is
 * stepped and is keyed by {@link Parameter#name()}, which must be unique among the parameters given (names are
 * unique within a model). Pass the same parameters every step; a parameter first seen later starts with fresh
 * state, as in PyTorch, but bias corrections use this optimizer's {@link #stepCount()}.
 *
 * <p>Checkpoints: save {@link #state()} and {@link #stepCount()}; to resume, build an optimizer with the same
 * hyperparameters and call {@link #loadState(Map, long)} before the next step. The resumed run is bitwise
 * identical to an uninterrupted one. The learning rate is not part of the state: it belongs to the schedule.
 *
 * <p>Arithmetic is float, vectorised, in PyTorch's order of operations (including the fused multiply-adds of its CPU
 * kernels), with hyperparameters rounded to float where PyTorch rounds them, so that results agree with
 * {@code torch.optim} in float32 to within an ulp
 * (bit for bit in rnn4j's fixture tests). Optimizers are not thread-safe.
 */
public interface Optimizer {

    /**
     * One update of every parameter from its current gradient: reads {@code p.grad()}, updates {@code p.value()}
     * and the optimizer's state for {@code p}, then increments {@link #stepCount()}.
     *
     * @throws IllegalArgumentException if two parameters share a name, or loaded state for a parameter has the
     *                                  wrong size
     */
    void step(List<Parameter> parameters);

    /** The learning rate the next {@link #step} uses. */
    double learningRate();

    /**
     * Sets the learning rate for the following steps (what a schedule does between epochs).
     *
     * @throws IllegalArgumentException if negative or not finite
     */
    void setLearningRate(double learningRate);

    /** The number of completed {@link #step} calls (or the count given to {@link #loadState}). */
    long stepCount();

    /**
     * The per-parameter state, for checkpoints: keys {@code "<parameter name>/<slot>"} with PyTorch's slot names,
     * for example {@code "weight_ih_l0/exp_avg"}; values are copies (later steps do not change them), in the order
     * parameters were first stepped. Empty before the first step, and for optimizers without state (plain SGD).
     */
    Map<String, float[]> state();

    /**
     * Replaces all state with a copy of {@code state} (as returned by {@link #state()}) and sets the step count.
     * Sizes are checked against the parameters at the next {@link #step}.
     *
     * @throws IllegalArgumentException if a key is not {@code "<name>/<slot>"} with a slot this optimizer uses, a
     *                                  parameter has only some of its slots, or {@code stepCount} is negative
     */
    void loadState(Map<String, float[]> state, long stepCount);
}

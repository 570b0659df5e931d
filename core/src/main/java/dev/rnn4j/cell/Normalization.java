package dev.rnn4j.cell;

import dev.rnn4j.tensor.Buffer;
import dev.rnn4j.tensor.Parameter;

/**
 * What normalises the pre-activations of one {@link Recurrence}, given to its constructor: the tensors of layer
 * normalisation ({@link Layer}, run by {@link RecurrenceLayerNorm}) or of batch normalisation ({@link Batch}, run by
 * {@link RecurrenceBatchNorm}). A recurrence without normalisation gets null.
 */
public sealed interface Normalization permits Normalization.Layer, Normalization.Batch {

    /**
     * Gains and biases of layer normalisation: of W_ih x and of W_hh h [G*H] each, and of the LSTM's cell state [H]
     * (null for the GRU).
     */
    record Layer(Parameter ihWeight, Parameter ihBias, Parameter hhWeight, Parameter hhBias, Parameter cellWeight,
                 Parameter cellBias) implements Normalization {}

    /**
     * Batch normalisation of the LSTM (Cooijmans et al. 2016): the gains of W_ih x and of W_hh h [4H] (their shifts
     * are the LSTM's biases), the gain and shift of the cell [H], and the population statistics of each, one row per
     * time step up to {@code maxSteps}: running means and variances [T_max, 4H] of W_ih x and W_hh h, [T_max, H] of c.
     */
    record Batch(int maxSteps, Parameter ihWeight, Parameter hhWeight, Parameter cellWeight, Parameter cellBias,
                 Buffer ihMean, Buffer ihVar, Buffer hhMean, Buffer hhVar, Buffer cellMean, Buffer cellVar) implements Normalization {}
}

package dev.rnn4j.train;

import dev.rnn4j.model.NamedParameter;
import dev.rnn4j.tensor.Parameter;

import java.util.List;

/**
 * An exponential moving average of a model's parameters (Polyak averaging, Keras' {@code use_ema}): the first
 * update sets each average to its parameter's value, and the t-th (t = 2, 3, ...) makes it {@code a = d a + (1 - d) θ}
 * with {@code d = min(decay, t / (t + 9))}, so that the first values do not outweigh the later ones. On a small data set the average of the last
 * few hundred steps generalises better than any one of them, and it depends less on the seed.
 *
 * <p>Call order: {@link #update} after every optimizer update; {@link #swapIn} puts the averages into the model
 * (for validation, or for good at the end of a run), {@link #swapOut} puts the training values back.
 */
final class WeightAverage {
    private final List<String> names;
    private final List<Parameter> parameters;
    private final double decay;
    private final float[][] average;  // [P][size of parameter p]
    private final float[][] training; // [P][size of parameter p] the training values while the averages are in the model
    private long updates;
    private boolean swappedIn;

    WeightAverage(List<NamedParameter> named, double decay) {
        this.names = named.stream().map(NamedParameter::name).toList();
        this.parameters = named.stream().map(NamedParameter::parameter).toList();
        this.decay = decay;
        this.average = new float[parameters.size()][];
        this.training = new float[parameters.size()][];
        for (int i = 0; i < parameters.size(); i++) {
            average[i] = new float[parameters.get(i).size()];
            training[i] = new float[parameters.get(i).size()];
        }
    }

    /** Folds the parameters' current values into the averages. */
    void update() {
        if (swappedIn) throw new IllegalStateException("the averages are in the model: swap them out before an update");
        updates++;
        float d = updates == 1 ? 0f : (float) Math.min(decay, updates / (updates + 9.0)), e = 1 - d;
        for (int i = 0; i < average.length; i++) {
            float[] a = average[i], theta = parameters.get(i).value();
            for (int j = 0; j < a.length; j++) a[j] = d * a[j] + e * theta[j];
        }
    }

    /** Puts the averages into the model, keeping the training values aside. */
    void swapIn() {
        if (swappedIn) return;
        for (int i = 0; i < average.length; i++) {
            System.arraycopy(parameters.get(i).value(), 0, training[i], 0, training[i].length);
            parameters.get(i).set(average[i]);
        }
        swappedIn = true;
    }

    /** Puts the training values back. */
    void swapOut() {
        if (!swappedIn) return;
        for (int i = 0; i < average.length; i++) parameters.get(i).set(training[i]);
        swappedIn = false;
    }

    /** The parameters' names, in parameter order. */
    List<String> names() {
        return names;
    }

    /** The parameters' sizes, in parameter order. */
    int[] sizes() {
        return parameters.stream().mapToInt(Parameter::size).toArray();
    }

    /** The averages, in parameter order (not copies). */
    float[][] values() {
        return average;
    }

    /** Continues from averages a checkpoint recorded after {@code updates} updates. */
    void restore(float[][] values, long updates) {
        for (int i = 0; i < average.length; i++) System.arraycopy(values[i], 0, average[i], 0, average[i].length);
        this.updates = updates;
        swappedIn = false;
    }
}

package dev.rnn4j.spark;

import java.io.Serializable;

/**
 * The summed gradient of some shares of a step's global batch ({@link dev.rnn4j.train.BatchGradient.Reduction#SUM}),
 * with their summed loss and counted weight: what {@code treeAggregate} adds up. {@code gradient} is every
 * parameter's grad, concatenated in the model's parameter order; null for a sum of nothing.
 */
record GradientSum(float[] gradient, double loss, double weight) implements Serializable {
    static final GradientSum ZERO = new GradientSum(null, 0, 0);

    /** The sum of two, reusing the first's array when it has one (treeAggregate owns its accumulators). */
    static GradientSum add(GradientSum a, GradientSum b) {
        if (a.gradient == null) return new GradientSum(b.gradient, a.loss + b.loss, a.weight + b.weight);
        if (b.gradient != null) {
            float[] g = a.gradient, h = b.gradient;
            for (int i = 0; i < g.length; i++) g[i] += h[i];
        }
        return new GradientSum(a.gradient, a.loss + b.loss, a.weight + b.weight);
    }
}

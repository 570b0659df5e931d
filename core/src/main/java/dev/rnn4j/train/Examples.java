package dev.rnn4j.train;

import dev.rnn4j.model.ModelInput;

/** Examples as one model input: the padding and time-major layout that batching and inference share. */
public final class Examples {
    private Examples() {}

    /**
     * The inputs of {@code examples} as one padded, time-major batch [T, B, F] (or token ids [T, B]) with T the longest
     * example, and per-sequence lengths when they differ (padding is zero and is never read by the model).
     *
     * @throws IllegalArgumentException if there is no example, or they mix features and tokens
     */
    public static ModelInput input(Example... examples) {
        int b = examples.length;
        if (b == 0) throw new IllegalArgumentException("a batch needs at least one example");
        boolean tokens = examples[0].tokens() != null;
        int t = 0;
        for (Example e : examples) {
            if ((e.tokens() != null) != tokens) throw new IllegalArgumentException("a batch mixes token and feature examples");
            t = Math.max(t, e.steps());
        }
        int[] lengths = new int[b];
        boolean ragged = false;
        for (int i = 0; i < b; i++) {
            lengths[i] = examples[i].steps();
            ragged |= lengths[i] != t;
        }
        ModelInput input;
        if (tokens) {
            int[] ids = new int[t * b]; // [T, B]
            for (int i = 0; i < b; i++) {
                int[] x = examples[i].tokens();
                for (int s = 0; s < x.length; s++) ids[s * b + i] = x[s];
            }
            input = ModelInput.tokens(ids, t, b);
        } else {
            int f = examples[0].featureSize();
            float[] features = new float[t * b * f]; // [T, B, F]
            for (int i = 0; i < b; i++) {
                float[] x = examples[i].features();
                if (examples[i].featureSize() != f) {
                    throw new IllegalArgumentException("example " + i + " has " + examples[i].featureSize() + " features per step, example 0 has " + f);
                }
                for (int s = 0; s < examples[i].steps(); s++) System.arraycopy(x, s * f, features, (s * b + i) * f, f);
            }
            input = ModelInput.features(features, t, b);
        }
        return ragged ? input.withLengths(lengths) : input;
    }
}

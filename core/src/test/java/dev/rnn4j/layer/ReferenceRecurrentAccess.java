package dev.rnn4j.layer;

import java.util.Map;

/**
 * A public door to the package-private {@link ReferenceRecurrent} (the double-precision forward pass), for the
 * tests of other packages, such as dev.rnn4j.model's whole-model gradient checks. It adds nothing to it.
 */
public final class ReferenceRecurrentAccess {
    private ReferenceRecurrentAccess() {}

    /** Output [T, B, D*H], h_n and c_n [L*D, B, H] (c_n null unless LSTM), all double. */
    public record Result(double[] output, double[] hN, double[] cN) {}

    /**
     * The reference forward pass over these parameters (by PyTorch name, read live, so a caller may perturb an
     * entry in place between calls); see {@link ReferenceRecurrent#forward} for the layouts.
     */
    public static Result forward(RecurrentConfig config, Map<String, double[]> parameters, double[] input, int steps, int batch,
                                 int[] lengths, double[] h0, double[] c0) {
        ReferenceRecurrent.Result r = new ReferenceRecurrent(config, parameters).forward(input, steps, batch, lengths, h0, c0);
        return new Result(r.output(), r.hN(), r.cN());
    }
}

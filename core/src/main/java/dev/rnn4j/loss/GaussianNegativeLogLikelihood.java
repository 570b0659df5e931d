package dev.rnn4j.loss;

import dev.rnn4j.tensor.Matrix;

/**
 * The negative log-likelihood of a Gaussian whose mean and scale the model predicts, as DeepAR's distribution head
 * trains: a prediction row of {@code 2K} values holds K means {@code mu} then K raw scales {@code s}, with
 * {@code sigma = softplus(s) + MIN_SIGMA}; against K target values {@code y} the loss per element is
 * <pre>
 *   0.5 log(2 pi) + log sigma + (y - mu)^2 / (2 sigma^2)
 * </pre>
 * averaged over the {@code M * K} elements of the counted rows (mask 1). Its gradient:
 * {@code dL/dmu = -(y - mu) / sigma^2}, {@code dL/dsigma = 1/sigma - (y - mu)^2 / sigma^3},
 * {@code dL/ds = dL/dsigma * sigmoid(s)}, each divided by {@code M * K}.
 *
 * <p>Softplus keeps sigma positive and smooth; {@code MIN_SIGMA} keeps the loss finite when a series is fitted
 * exactly (as PyTorch's {@code GaussianNLLLoss} clamps the variance with its {@code eps}).
 */
public final class GaussianNegativeLogLikelihood implements Loss {
    /** The smallest scale the head can express, so the likelihood never divides by zero. */
    public static final double MIN_SIGMA = 1e-3;
    private static final double HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

    public GaussianNegativeLogLikelihood() {}

    /** sigma from a raw scale output: softplus(s) + MIN_SIGMA, computed without overflow for large s. */
    public static double sigma(double rawScale) {
        double softplus = rawScale > 20 ? rawScale : Math.log1p(Math.exp(rawScale));
        return softplus + MIN_SIGMA;
    }

    @Override
    public double lossAndGradient(Matrix prediction, Targets targets, Matrix gradient) {
        Rows.checkShapes(this, prediction, targets, gradient);
        float[] values = targets.values();
        if (values == null) throw new IllegalArgumentException("GaussianNegativeLogLikelihood needs target values, got class ids");
        int n = prediction.rows(), width = prediction.cols();
        if (width % 2 != 0) {
            throw new IllegalArgumentException("GaussianNegativeLogLikelihood: the prediction has " + width
                    + " columns; it needs 2K (K means, then K scales)");
        }
        int k = width / 2;
        if (values.length != n * k) {
            throw new IllegalArgumentException("GaussianNegativeLogLikelihood: " + values.length + " target values for " + n
                    + " rows of " + k + " means");
        }
        float[] mask = targets.rowMask();
        int counted = 0;
        for (int r = 0; r < n; r++) if (mask == null || mask[r] != 0f) counted++;
        Rows.fillZero(gradient);
        if (counted == 0) return 0.0;
        double inverseCount = 1.0 / ((double) counted * k);
        float[] x = prediction.data();
        double sum = 0.0;
        for (int r = 0; r < n; r++) {
            if (mask != null && mask[r] == 0f) continue;
            int base = prediction.offset() + r * prediction.stride();
            for (int j = 0; j < k; j++) {
                double mu = x[base + j], raw = x[base + k + j];
                double sigma = sigma(raw);
                double residual = values[r * k + j] - mu;
                double z2 = residual * residual / (sigma * sigma);
                sum += HALF_LOG_TWO_PI + Math.log(sigma) + 0.5 * z2;
                if (gradient != null) {
                    int g = gradient.offset() + r * gradient.stride();
                    double dSigma = (1.0 - z2) / sigma;
                    double sigmoid = 1.0 / (1.0 + Math.exp(-raw));
                    gradient.data()[g + j] = (float) (-residual / (sigma * sigma) * inverseCount);
                    gradient.data()[g + k + j] = (float) (dSigma * sigmoid * inverseCount);
                }
            }
        }
        return sum * inverseCount;
    }

    @Override
    public String toString() {
        return "GaussianNegativeLogLikelihood";
    }
}

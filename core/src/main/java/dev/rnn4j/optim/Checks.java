package dev.rnn4j.optim;

/** Hyperparameter checks with PyTorch's bounds and messages naming the value. */
final class Checks {
    private Checks() {}

    static double learningRate(double lr) {
        if (!(lr >= 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("learning rate is " + lr + "; expected a finite number >= 0");
        }
        return lr;
    }

    static double nonNegative(String what, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(what + " is " + v + "; expected a finite number >= 0");
        }
        return v;
    }

    static double finite(String what, double v) {
        if (!Double.isFinite(v)) throw new IllegalArgumentException(what + " is " + v + "; expected a finite number");
        return v;
    }

    static double beta(String what, double v) {
        if (!(v >= 0 && v < 1)) throw new IllegalArgumentException(what + " is " + v + "; expected 0 <= " + what + " < 1");
        return v;
    }

    static long stepCount(long n) {
        if (n < 0) throw new IllegalArgumentException("step count is " + n + "; expected >= 0");
        return n;
    }
}

package dev.rnn4j.optim;

final class Schedules {
    private Schedules() {}

    static void checkEpoch(int epoch) {
        if (epoch < 0) throw new IllegalArgumentException("epoch is " + epoch + "; expected >= 0");
    }
}

package dev.rnn4j.train;

/**
 * What a {@link TrainingListener} hears when {@code fit} starts: the position (non-zero when a run resumes) and the
 * limits, from which a progress display works out the total number of steps.
 *
 * @param step            completed training steps so far (0 for a fresh run)
 * @param epoch           completed epochs so far
 * @param batchesPerEpoch batches in one epoch of a {@link Batcher}, or -1 for an endless {@link BatchSource}
 *                        (whose epoch is {@code stepsPerEpoch} steps)
 * @param epochs          the epoch limit, or 0 for none
 * @param maxSteps        the step limit, or 0 for none
 * @param stepsPerEpoch   steps per epoch of an endless source, or 0
 */
public record TrainingStart(long step, int epoch, long batchesPerEpoch, int epochs, long maxSteps, long stepsPerEpoch) {

    /**
     * Training steps per epoch (without truncated BPTT, which makes several steps of one batch), or -1 if unknown.
     */
    public long stepsPerEpochPlanned() {
        return batchesPerEpoch > 0 ? batchesPerEpoch : stepsPerEpoch > 0 ? stepsPerEpoch : -1;
    }

    /**
     * The step at which the run will end if nothing stops it early: the smaller of the step limit and the epoch
     * limit times the steps per epoch; -1 if neither is known.
     */
    public long plannedLastStep() {
        long perEpoch = stepsPerEpochPlanned();
        long byEpochs = epochs > 0 && perEpoch > 0 ? epochs * perEpoch : -1;
        if (maxSteps > 0 && byEpochs > 0) return Math.min(maxSteps, byEpochs);
        return maxSteps > 0 ? maxSteps : byEpochs;
    }
}

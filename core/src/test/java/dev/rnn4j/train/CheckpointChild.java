package dev.rnn4j.train;

import java.nio.file.Path;

/**
 * The training process that {@link CheckpointProcessTest} starts and kills: the epoch run of
 * {@link ResumeScenario}, checkpointing into {@code args[0]} every {@code args[1]} steps, slowed down by
 * {@code args[2]} milliseconds per step (sleeping in a listener changes nothing computed) so the test can kill it
 * mid-run.
 */
public final class CheckpointChild {
    private CheckpointChild() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long every = Long.parseLong(args[1]);
        long sleepMillis = Long.parseLong(args[2]);
        Trainer trainer = new Trainer(ResumeScenario.epochModel(), ResumeScenario.epochConfig(dir, every));
        trainer.addListener(new TrainingListener() {
            @Override
            public void onStep(StepMetrics metrics) {
                System.out.println("step " + metrics.step() + " loss " + metrics.loss());
                try {
                    Thread.sleep(sleepMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }

            @Override
            public void onCheckpoint(Path file, long step) {
                System.out.println("checkpoint at step " + step);
            }
        });
        TrainResult result = trainer.fit(ResumeScenario.epochData(), ResumeScenario.epochValidation());
        System.out.println("finished " + result);
    }
}

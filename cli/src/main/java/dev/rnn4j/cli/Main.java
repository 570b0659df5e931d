package dev.rnn4j.cli;

import dev.rnn4j.io.ModelFileException;
import dev.rnn4j.io.Provenance;

import java.io.PrintStream;

/**
 * The {@code rnn4j} command line. Run it through the {@code ./rnn4j} launcher, which finds JDK 25 and builds the
 * jar; {@code ./rnn4j --help} lists the commands.
 *
 * <p>Exit codes: 0 success; 2 bad usage or a bad input file (one line on stderr, {@code rnn4j: error: ...},
 * naming the file and tensor); 1 a failed --verify or an internal error (stack trace with RNN4J_DEBUG=1).
 * Outputs are written atomically, so a failed run leaves no file behind.
 */
public final class Main {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int BAD_INPUT = 2;

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command line; returns the exit code. Tests call this in-process. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            // train and bench parse their own options; the file commands share Options
            if (args.length > 0 && args[0].equals(TrainCommand.COMMAND)) return TrainCommand.run(args, out);
            if (args.length > 0 && args[0].equals(BenchCommand.NAME)) return BenchCommand.run(args, out);
            Options options = Options.parse(args);
            switch (options.command()) {
                case Options.HELP -> printUsage(out);
                case Options.VERSION -> out.println("rnn4j " + Provenance.RNN4J_VERSION + " (Java " + Runtime.version() + ")");
                case Options.IMPORT_TORCH -> Commands.importTorch(options, out);
                case Options.INFER -> Commands.infer(options, out);
                default -> throw new IllegalStateException("unhandled command " + options.command());
            }
            return OK;
        } catch (UsageException | ModelFileException e) {
            err.println("rnn4j: error: " + oneLine(e.getMessage()));
            return BAD_INPUT;
        } catch (Commands.VerificationFailed e) {
            err.println("rnn4j: error: " + oneLine(e.getMessage()) + "; model not written");
            return FAILED;
        } catch (Throwable e) { // a bug (or out of memory): say so in one line; details only on request
            err.println("rnn4j: error: internal error: " + oneLine(String.valueOf(e))
                    + (debug() ? "" : " (set RNN4J_DEBUG=1 for the stack trace)"));
            if (debug()) e.printStackTrace(err);
            return FAILED;
        } finally {
            out.flush();
            err.flush();
        }
    }

    private static boolean debug() {
        String value = System.getenv("RNN4J_DEBUG");
        return value != null && !value.isEmpty() && !value.equals("0");
    }

    /** Messages quote tensor names and metadata from files, which may contain newlines; keep them on one line. */
    static String oneLine(String message) {
        return message == null ? "" : message.replace("\r", "\\r").replace("\n", "\\n");
    }

    static void printUsage(PrintStream out) {
        out.print("""
                Usage: rnn4j <command> [options]

                Recurrent networks (LSTM, GRU, simple RNN) on the JVM: trains them, and runs PyTorch's
                nn.LSTM, nn.GRU and nn.RNN with the same results.

                Commands:
                  import-torch --weights W.safetensors --out MODEL [--verify GOLDEN.safetensors]
                      Reads a PyTorch state dict saved as safetensors (tensors weight_ih_l0, weight_hh_l0,
                      bias_ih_l0, bias_hh_l0, ..., F32; metadata mode = LSTM, GRU, RNN_TANH or RNN_RELU,
                      input_size, hidden_size, num_layers, bidirectional, bias) and writes it as an rnn4j
                      model file. With --verify, first runs GOLDEN's input (and h0, c0, lengths, if given)
                      and compares the results with PyTorch's output, h_n and c_n stored there; the model
                      is written only if they match. --out may be left out to only verify.

                  infer --model MODEL --input X.safetensors --output Y.safetensors
                      Runs a batch: X holds input F32 [T, B, input_size] (time-major) and optionally
                      h0 and c0 (LSTM) F32 [num_layers * directions, B, hidden_size] and lengths I64 [B]
                      (each in 1..T; steps past a sequence's length are padding). Writes output
                      F32 [T, B, directions * hidden_size] (zero past each length), h_n and, for an LSTM,
                      c_n [num_layers * directions, B, hidden_size] to Y, as PyTorch returns them.
                      MODEL is an rnn4j model file or a PyTorch state dict as above.

                  train adding|copy --cell lstm|gru|rnn --length T [--steps N] [--seed S]
                        [--hidden-size H] [--batch B] [--learning-rate LR] [--threads N]
                        [--metrics-out M.json] [--model-out MODEL]
                      Trains a cell on a memory task and reports how well it remembers. adding: T random
                      numbers, two of them marked; predict their sum (predicting the mean scores MSE 0.167).
                      copy: memorise --symbols (10) letters of --alphabet (8), reproduce them after T blank
                      steps. M.json gets the test score, the baseline, steps, seconds and grad_norm_by_step,
                      ||dL/dh_t|| for t = 1..T: it shows whether the gradient reaches back T steps.
                      Defaults: 5000 steps, hidden size 64 (adding) or 128 (copy), batch 50, Adam with
                      learning rate 3e-3 (adding) or 1e-3 (copy), gradient norm clipped at 1.

                  bench --cell lstm|gru|rnn --input-size I --hidden-size H --seq-len T --batch B
                        --threads N --mode train|infer|stream [--steps K] [--json]
                      Times a training step (forward, MSE, backward, Adam), a forward pass, or one
                      streaming step; prints the median and GFLOP/s (docs/benchmarks.md).

                  help, --help, -h     Prints this text.
                  --version            Prints the version.

                Options take their value as "--name value" or "--name=value".
                Exit status: 0 success; 1 verification failed or internal error; 2 bad usage or bad file.
                """);
    }
}

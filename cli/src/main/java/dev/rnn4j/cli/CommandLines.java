package dev.rnn4j.cli;

import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A command's own command line, for provenance and for the resume command printed after Ctrl-C. */
final class CommandLines {
    private CommandLines() {}

    static List<String> arguments(CommandSpec spec) {
        return spec.root().commandLine().getParseResult().originalArgs();
    }

    /** {@code rnn4j train lm --text ...}, quoted for a shell. */
    static String commandLine(CommandSpec spec) {
        return "rnn4j " + String.join(" ", arguments(spec).stream().map(CommandLines::quoted).toList());
    }

    /** The same command with {@code --resume DIR} in place of any --resume it had. */
    static String resumeCommand(CommandSpec spec, Path dir) {
        List<String> args = new ArrayList<>();
        List<String> original = arguments(spec);
        for (int i = 0; i < original.size(); i++) {
            String a = original.get(i);
            if (a.equals("--resume")) {
                i++;
                continue;
            }
            if (a.startsWith("--resume=")) continue;
            args.add(quoted(a));
        }
        return "./rnn4j " + String.join(" ", args) + " --resume " + quoted(dir.toString());
    }

    static String quoted(String arg) {
        return arg.matches("[A-Za-z0-9_./=:,+-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'";
    }
}

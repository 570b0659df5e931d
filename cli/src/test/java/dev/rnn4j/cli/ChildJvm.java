package dev.rnn4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command line of a child JVM that runs {@code rnn4j} with this test's classpath, for the process tests. */
final class ChildJvm {
    private ChildJvm() {}

    /** {@code java --add-modules jdk.incubator.vector <flags> -cp <ours> dev.rnn4j.cli.Main <args>}. */
    static List<String> rnn4j(List<String> jvmFlags, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("--add-modules", "jdk.incubator.vector"));
        command.addAll(jvmFlags);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(args);
        return command;
    }
}

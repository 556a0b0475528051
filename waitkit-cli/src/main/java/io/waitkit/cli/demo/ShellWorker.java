package io.waitkit.cli.demo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of the {@code /bin/sh} worker of the multi-process demos: a script shipped
 * as a resource of this package, copied into the demo's private folder, that takes part
 * through the {@code waitkit} command only.
 *
 * <p>The {@code waitkit} command it runs is the launcher named by the {@code waitkit.launcher}
 * system property or the {@code WAITKIT_LAUNCHER} environment variable, else a wrapper written
 * into the same folder that runs this JVM's {@code java} on this JVM's class path (so with the
 * ZooKeeper jars when the demo itself has them). A demo may have the script run niced: each
 * of its commands starts a JVM, which on a small machine slows the Java workers.
 */
final class ShellWorker {
    private ShellWorker() {
    }

    /**
     * Writes the script (and, without a named launcher, the wrapper) into {@code dir} and
     * returns the command that runs it.
     *
     * @param dir the demo's private folder (0700), deleted by the demo at the end
     * @param script the script's resource name in this package
     * @param args the script's arguments after the launcher
     * @param niced whether to run it with {@code nice -n 10} (when {@code /usr/bin/nice} is there)
     * @return {@code [nice -n 10] /bin/sh SCRIPT LAUNCHER ARGS...}
     * @throws IOException if a file cannot be written
     * @throws IllegalStateException if the script is missing from the class path or this JVM's
     *         {@code java} command cannot be found
     */
    static List<String> command(Path dir, String script, List<String> args, boolean niced) throws IOException {
        Path file = dir.resolve(script);
        try (InputStream in = ShellWorker.class.getResourceAsStream(script)) {
            if (in == null) {
                throw new IllegalStateException(script + " is missing from the class path");
            }
            Files.copy(in, file);
        }
        List<String> cmd = new ArrayList<>();
        if (niced && Files.isExecutable(Path.of("/usr/bin/nice"))) {
            cmd.addAll(List.of("/usr/bin/nice", "-n", "10"));
        }
        cmd.addAll(List.of("/bin/sh", file.toString(), launcher(dir).toString()));
        cmd.addAll(args);
        return cmd;
    }

    /** The waitkit command: the launcher if one is named, else a generated wrapper. */
    private static Path launcher(Path dir) throws IOException {
        String named = System.getProperty("waitkit.launcher", System.getenv("WAITKIT_LAUNCHER"));
        if (named != null && !named.isBlank() && Files.isExecutable(Path.of(named))) {
            return Path.of(named).toAbsolutePath();
        }
        String java = ProcessHandle.current().info().command()
                .orElseThrow(() -> new IllegalStateException("cannot find this JVM's java command"));
        Path wrapper = dir.resolve("waitkit");
        Files.writeString(wrapper, "#!/bin/sh\nexec " + quote(java) + " --enable-native-access=ALL-UNNAMED"
                + " -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -cp " + quote(System.getProperty("java.class.path"))
                + " io.waitkit.cli.WaitkitCli \"$@\"\n");
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwx------"));
        return wrapper;
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
